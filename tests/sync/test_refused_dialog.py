"""The refused-changes panel: an operator sees what was refused and why, retries or exports it;
only a supervisor discards, and the discard is recorded."""
from __future__ import annotations

import json
from types import SimpleNamespace

from sqlalchemy import select

from console.models.actor import Actor
from console.models.entities import Event
from console.models.sync import refused
from console.views.shell.context import AppContext, ChangeHub
from console.views.sync.refused_dialog import RefusedChangesDialog
from sync.test_refused import _refuse_titles_starting_with_x


class Recorder:
    def __init__(self) -> None:
        self.records: list[tuple[str, dict]] = []

    def record(self, action: str, details: dict | None = None) -> None:
        self.records.append((action, details or {}))


def _dialog(qtbot, ws, role: str) -> tuple[RefusedChangesDialog, Recorder]:  # noqa: ANN001
    security = Recorder()
    context = AppContext(store=ws.store, hub=ChangeHub(),
                         actor=Actor("someone", "CNCS", role=role))
    context.services.update(sync=SimpleNamespace(engine=ws.engine), security=security)
    dialog = RefusedChangesDialog(context)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
    return dialog, security


def test_operator_sees_exports_and_cannot_discard(qtbot, central, workstations, tmp_path):
    ws = workstations("a")
    _refuse_titles_starting_with_x(central)
    ws.write("X blessé léger")
    ws.sync()
    dialog, _ = _dialog(qtbot, ws, "operator")
    assert dialog.table.item(0, 2).text().endswith("X blessé léger")
    assert "refused here" in dialog.table.item(0, 3).text()
    assert not dialog.discard_button.isEnabled()
    out = tmp_path / "refused.json"
    with qtbot.waitSignal(dialog.context.hub.export_done, timeout=10000):
        dialog.export(str(out))
    assert json.loads(out.read_text(encoding="utf-8"))[0]["change"]["title"] == "X blessé léger"
    dialog.discard(confirmed=True)  # refused for an operator: nothing happens
    dialog.context.ops.wait()
    assert len(refused.refused_changes(ws.store)) == 1


def test_supervisor_discards_and_it_is_recorded(qtbot, central, workstations):
    ws = workstations("a")
    _refuse_titles_starting_with_x(central)
    ws.write("X doublon")
    ws.sync()
    dialog, security = _dialog(qtbot, ws, "supervisor")
    dialog.discard(confirmed=True)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0)
    assert [action for action, _ in security.records] == ["discard_refused"]
    assert "X doublon" in security.records[0][1]["changes"][0]
    with ws.store.session() as session:
        assert session.scalars(select(Event.title)).all() == []


def test_retry_sends_it_again(qtbot, central, workstations):
    from sqlalchemy import text

    ws = workstations("a")
    _refuse_titles_starting_with_x(central)
    ws.write("X relancé")
    ws.sync()
    dialog, _ = _dialog(qtbot, ws, "operator")
    with central.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER test_refuse_x ON events"))
    dialog.retry()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0)
    ws.sync()
    with central.engine.connect() as conn:
        assert conn.scalar(select(Event.title)) == "X relancé"
