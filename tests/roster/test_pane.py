"""pytest-qt: edit the roster grid, see a violation appear and disappear, undo and redo."""
from __future__ import annotations

from PySide6.QtCore import Qt

from console.views.roster.item_models import DeskGridModel, OperatorGridModel
from console.views.shell.context import AppContext, ChangeHub
from roster.conftest import MANAGER, OPERATOR


def make_pane(qtbot, store, actor):
    from console.views.roster.pane import RosterPane
    pane = RosterPane(AppContext(store, actor, ChangeHub()))
    qtbot.addWidget(pane)
    settle(qtbot, pane)
    return pane


def settle(qtbot, pane):
    """Wait until the runner has written and read back (roster reads and writes are asynchronous)."""
    qtbot.waitUntil(pane.context.ops.is_idle, timeout=20_000)


def free_cell(pane):
    """A cell whose operator is free that day and the day before and after (no rest issue)."""
    model = pane.operator_model
    for row in range(model.rowCount()):
        for col in range(2, model.columnCount() - 2):
            if all(not model.shifts_at(model.index(row, c)) and
                   not any(v.rule == "absence" for v in model.problems_at(model.index(row, c)))
                   for c in range(col - 1, col + 2)) and \
                    (model.operator_of(row), model.day_of(col)) not in model.absent:
                return model.index(row, col)
    raise AssertionError("no free cell")


def broken_count(pane):
    """Hard rules not accepted (the soft rules are advice, listed but never blocking)."""
    return sum(1 for v in pane.violations if not v.accepted and not v.soft)


def test_models_pass_the_model_tester(qtbot, qtmodeltester, seeded):
    store, ids = seeded
    pane = make_pane(qtbot, store, MANAGER)
    assert isinstance(pane.operator_model, OperatorGridModel)
    qtmodeltester.check(pane.operator_model)
    assert isinstance(pane.desk_model, DeskGridModel)
    qtmodeltester.check(pane.desk_model)


def test_typing_a_vacation_shows_the_violation_and_undo_redo(qtbot, seeded):
    store, ids = seeded
    pane = make_pane(qtbot, store, MANAGER)
    assert pane.current_roster_id() == ids["CNCS"]
    assert broken_count(pane) == 0
    index = free_cell(pane)
    pane.operator_view.setCurrentIndex(index)
    # an extra afternoon at a staffed desk: coverage excess appears on the cell and in the list
    pane.desk_box.setCurrentIndex(pane.desk_box.findText("TRANS", Qt.MatchFlag.MatchStartsWith))
    qtbot.keyClick(pane.operator_view, Qt.Key.Key_A)
    settle(qtbot, pane)
    assert list(pane.operator_model.shifts_at(index))
    assert broken_count(pane) >= 1
    rules = {v.rule for v in pane.operator_model.problems_at(index) if not v.accepted}
    assert "coverage_excess" in rules
    assert pane.operator_model.data(index, Qt.ItemDataRole.BackgroundRole) is not None
    assert pane.violation_list.count() >= 1
    assert "Coverage excess" in pane.violation_list.item(0).text()
    pane.undo_action.trigger()
    settle(qtbot, pane)
    assert pane.operator_model.shifts_at(index) == []
    assert broken_count(pane) == 0
    pane.redo_action.trigger()
    settle(qtbot, pane)
    assert pane.operator_model.shifts_at(index)
    assert broken_count(pane) >= 1
    # Delete removes it: the violation disappears
    pane.operator_view.setCurrentIndex(index)
    qtbot.keyClick(pane.operator_view, Qt.Key.Key_Delete)
    settle(qtbot, pane)
    assert pane.operator_model.shifts_at(index) == []
    assert broken_count(pane) == 0


def test_daily_rest_violation_appears_when_moving_a_vacation(qtbot, seeded):
    store, ids = seeded
    pane = make_pane(qtbot, store, MANAGER)
    model = pane.operator_model
    # find an operator with an afternoon (A) followed by a free day
    target = None
    for row in range(model.rowCount()):
        for col in range(model.columnCount() - 1):
            shifts = model.shifts_at(model.index(row, col))
            if len(shifts) == 1 and pane.snapshot.data.templates[shifts[0].template].code == "A" \
                    and not model.shifts_at(model.index(row, col + 1)):
                target = (row, col)
                break
        if target:
            break
    assert target
    row, col = target
    # move a morning of another operator onto the day after: afternoon -> morning breaks rest
    source = None
    for r in range(model.rowCount()):
        shifts = model.shifts_at(model.index(r, col + 1))
        if r != row and len(shifts) == 1 and \
                pane.snapshot.data.templates[shifts[0].template].code == "M":
            source = model.index(r, col + 1)
            break
    assert source is not None
    assert pane.move_cell(source, model.index(row, col + 1))
    settle(qtbot, pane)
    rules = {v.rule for v in model.problems_at(model.index(row, col + 1))}
    assert "daily_rest" in rules
    pane.undo_action.trigger()
    settle(qtbot, pane)
    assert "daily_rest" not in {v.rule for v in model.problems_at(model.index(row, col + 1))}
    assert broken_count(pane) == 0


def test_operator_sees_only_own_vacations_and_cannot_edit(qtbot, seeded):
    store, ids = seeded
    pane = make_pane(qtbot, store, OPERATOR)
    owners = {s.operator for s in pane.snapshot.shifts.values()}
    assert len(owners) == 1
    assert not pane.plan_action.isVisible() if pane.isVisible() else True
    index = pane.operator_model.index(0, 0)
    assert pane.assign_at(index, "M") is False
    assert pane.undo_stack.count() == 0


def test_planner_fills_the_draft_from_the_pane_and_can_be_undone(qtbot, seeded):
    store, ids = seeded
    pane = make_pane(qtbot, store, MANAGER)
    pane.select_roster(ids["CNCS:draft"])
    settle(qtbot, pane)
    assert pane.snapshot.roster.id == ids["CNCS:draft"]
    holes = broken_count(pane)
    assert holes > 0
    pane.start_planner("fixed", time_limit=15)
    assert pane.stop_action.isEnabled()
    qtbot.waitUntil(lambda: pane.planning is None, timeout=60_000)
    settle(qtbot, pane)  # the plan is written, then the roster read again
    assert pane.last_result.cells, pane.status.text()
    assert broken_count(pane) == 0
    assert len(pane.snapshot.shifts) == len(pane.last_result.cells)
    pane.undo_action.trigger()
    settle(qtbot, pane)
    assert len(pane.snapshot.shifts) == 0


def test_stop_button_ends_the_planner(qtbot, seeded):
    store, ids = seeded
    pane = make_pane(qtbot, store, MANAGER)
    pane.select_roster(ids["CNCS:draft"])
    settle(qtbot, pane)
    pane.start_planner("fixed", time_limit=120)
    qtbot.wait(1500)
    pane.stop_action.trigger()
    qtbot.waitUntil(lambda: pane.planning is None, timeout=30_000)
    settle(qtbot, pane)
    assert pane.last_result.status in ("stopped", "optimal", "feasible", "unknown")
    assert pane.last_result.wall_time < 30


def test_progress_shows_the_best_spreads_and_stop_keeps_that_roster(qtbot, seeded):
    store, ids = seeded
    pane = make_pane(qtbot, store, MANAGER)
    pane.select_roster(ids["CNCS:draft"])
    settle(qtbot, pane)
    panel = pane.planner_panel
    pane.start_planner("fixed", time_limit=120)
    assert panel.isVisibleTo(pane) and panel.stop_button.isEnabled()
    # the panel shows the spreads of the best roster so far while the planner runs
    qtbot.waitUntil(lambda: "Best roster so far" in panel.best.text(), timeout=60_000)
    assert "spread of" in panel.best.text()
    assert pane.planning is not None
    qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.planning is None, timeout=30_000)
    settle(qtbot, pane)
    result = pane.last_result
    assert result.status == "stopped", pane.status.text()
    assert result.wall_time < 60
    # the best roster so far is applied: complete and legal per the rule checker
    assert result.cells and len(pane.snapshot.shifts) == len(result.cells)
    assert broken_count(pane) == 0
    assert "stopped, best roster kept" in pane.status.text()
    assert "Spread between operators" in pane.status.text()
    assert not panel.isVisibleTo(pane)


def test_pdf_export(qtbot, seeded, tmp_path):
    from console.views.roster.printing import export_pdf
    store, ids = seeded
    pane = make_pane(qtbot, store, MANAGER)
    path = export_pdf(pane.snapshot, tmp_path / "roster.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5000


def test_manager_approves_a_swap_only_when_legal(qtbot, seeded, monkeypatch):
    from console.models.roster.service import RosterService
    from console.views.roster import pane as roster_pane
    warnings = []
    monkeypatch.setattr(roster_pane.QMessageBox, "warning",
                        lambda *a, **k: warnings.append(a[2]))
    store, ids = seeded
    service = RosterService(store)
    snap = service.snapshot(ids["CNCS"])
    camille = next(o for o in snap.operators if o.username == "demo.operator")
    first = min((s for s in snap.shifts.values() if s.operator == camille.id),
                key=lambda s: s.start)
    busy = next(s.operator for s in snap.shifts.values() if s.operator != camille.id
                and s.day == first.day and s.template == first.template)  # already working
    service.request_swap(OPERATOR, first.key, busy, reason="rendez-vous")
    pane = make_pane(qtbot, store, MANAGER)
    assert pane.swap_list.count() == 1 and "rendez-vous" in pane.swap_list.item(0).text()
    pane.swap_list.setCurrentRow(0)
    pane.approve_button.click()
    settle(qtbot, pane)
    assert warnings and "Two shifts at once" in warnings[0]
    assert pane.swap_list.count() == 1  # still pending
    pane.refuse_button.click()
    settle(qtbot, pane)
    assert pane.swap_list.count() == 0


def test_sync_conflicts_on_roster_rows_are_listed_and_resolved(qtbot, seeded):
    import json
    import uuid
    from datetime import UTC, datetime

    from console.models.synced_tables import SyncConflict
    store, ids = seeded
    with store.transaction() as session:
        session.add(SyncConflict(id=uuid.uuid4(), table_name="roster_assignments",
                                 row_id=str(uuid.uuid4()), mutation_id=uuid.uuid4(),
                                 base_version=1, current_version=2, proposed=json.dumps({}),
                                 author="pp.sup", centre_code="CNCS",
                                 created_at=datetime.now(UTC)))
    pane = make_pane(qtbot, store, MANAGER)
    assert pane.conflict_list.count() == 1 and "pp.sup" in pane.conflict_list.item(0).text()
    pane.conflict_list.setCurrentRow(0)
    pane.resolve_conflict(False)
    settle(qtbot, pane)
    assert pane.conflict_list.count() == 0


def test_pane_on_an_empty_store_and_in_the_window_list(qtbot, tmp_path):
    from console.models.store import LocalStore
    from console.views.roster.pane import RosterPane
    from console.views.shell.main_window import default_panes
    store = LocalStore(tmp_path / "empty.db")
    pane = make_pane(qtbot, store, MANAGER)
    assert pane.snapshot is None and pane.operator_model.rowCount() == 0
    assert "No roster" in pane.summary.text()
    pane.start_planner("fixed")  # nothing to plan: no thread starts
    assert pane.planning is None
    assert any(key == "roster" and factory is RosterPane for key, _t, factory, _a in default_panes())
    store.close()


def test_desk_view_assign_move_remove_with_undo(qtbot, seeded):
    store, ids = seeded
    pane = make_pane(qtbot, store, MANAGER)
    pane.select_roster(ids["CNCS:draft"])
    settle(qtbot, pane)
    pane.view_box.setCurrentIndex(1)
    model = pane.desk_model
    index = model.index(0, 3)  # CHEF M, fourth day
    holes = broken_count(pane)
    best = pane.candidates(index)[0]
    assert pane.desk_assign(index, best.id)
    settle(qtbot, pane)
    assert [s.operator for s in model.shifts_at(index)] == [best.id]
    assert broken_count(pane) == holes - 1  # the hole is filled, nothing else broken
    target = model.index(0, 5)
    assert pane.desk_move(index, target)
    settle(qtbot, pane)
    assert model.shifts_at(index) == [] and len(model.shifts_at(target)) == 1
    pane.desk_view.setCurrentIndex(target)
    qtbot.keyClick(pane.desk_view, Qt.Key.Key_Delete)
    settle(qtbot, pane)
    assert model.shifts_at(target) == [] and broken_count(pane) == holes
    pane.undo_action.trigger()   # remove undone
    settle(qtbot, pane)
    pane.undo_action.trigger()   # move undone
    settle(qtbot, pane)
    assert len(model.shifts_at(index)) == 1 and model.shifts_at(target) == []
    pane.redo_action.trigger()
    settle(qtbot, pane)
    assert model.shifts_at(index) == [] and len(model.shifts_at(target)) == 1


def test_publish_from_the_pane_is_refused_then_allowed_by_a_derogation(qtbot, seeded, monkeypatch):
    from console.models.roster.service import RosterService
    from console.views.roster import pane as roster_pane
    warnings = []
    monkeypatch.setattr(roster_pane.QMessageBox, "warning",
                        lambda *a, **k: warnings.append(a[2]))
    store, ids = seeded
    pane = make_pane(qtbot, store, MANAGER)
    pane.select_roster(ids["CNCS:draft"])
    settle(qtbot, pane)
    assert pane.publish_action.isEnabled()
    pane.publish()
    settle(qtbot, pane)
    assert warnings and "broken rule" in warnings[0]
    RosterService(store).add_derogation(MANAGER, ids["CNCS:draft"], "coverage_hole",
                                        "Salle fermée pendant l'exercice")
    pane.reload()
    settle(qtbot, pane)
    assert broken_count(pane) == 0 and pane.violations  # accepted, still listed
    assert "derogation" in pane.violation_list.item(0).text()
    pane.publish()
    settle(qtbot, pane)
    assert pane.snapshot.roster.status == "published"
    assert "[published]" in pane.roster_box.currentText()


def test_an_edit_is_published_once_and_not_echoed_back(qtbot, seeded):
    """The edit's Changes reach the hub once with the pane as initiator: another pane on the same
    hub reloads, the editing pane reads its roster once (its own callback), not twice."""
    from console.views.roster.pane import RosterPane

    store, ids = seeded
    context = AppContext(store, MANAGER, ChangeHub())
    editor, other = RosterPane(context), RosterPane(context)
    for pane in (editor, other):
        qtbot.addWidget(pane)
    settle(qtbot, editor)
    published, editor_reads, other_reads = [], [], []
    context.hub.changed.connect(lambda changes, initiator: published.append((changes, initiator)))
    editor.shown.connect(lambda: editor_reads.append(1))
    other.shown.connect(lambda: other_reads.append(1))
    index = free_cell(editor)
    editor.desk_box.setCurrentIndex(0)
    assert editor.assign_at(index, "M")
    settle(qtbot, editor)
    assert len(published) == 1
    changes, initiator = published[0]
    assert changes.roster and initiator is editor
    assert editor_reads == [1] and other_reads == [1]
    assert other.operator_model.shifts_at(index)  # the other pane shows the new vacation
