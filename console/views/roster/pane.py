"""The vacation planning pane: roster grids with live rule checks, undo/redo, planner, exports.

Longer than the ~400-line rule on purpose, for now: its ~90 user-visible texts live in the
`RosterPane` context of the French catalogue, and moving methods to other classes moves their
texts to new contexts (untranslated until the next translation pass). The domain work is in
console.models.roster (pane_data, service, solver); what remains here is widget wiring.
"""
from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from console.models.changes import Changes
from console.models.roster.pane_data import (
    RosterPaneData,
    roster_pane_data,
    roster_write,
    visible_rosters,
)
from console.models.roster.rules import Violation
from console.models.roster.service import RosterService, RosterSnapshot, resolve_roster_conflict
from console.models.roster.solver import Planner, Progress, SolveResult
from console.models.roster.solver_balance import spreads
from console.models.security.roles import may_edit_roster
from console.views.roster.commands import AssignCommand, FixCommand, MoveCommand, PlanCommand, RemoveCommand
from console.views.roster.item_models import DeskGridModel, OperatorGridModel
from console.views.roster.planner_panel import PlannerPanel
from console.views.roster.rule_texts import rule_label
from console.views.shell.context import AppContext
from console.views.shell.operations import OperationHandle, error_text


class GridView(QTableView):
    """A table where dragging a cell onto another moves its vacation (mouse move)."""

    moved = Signal(QModelIndex, QModelIndex)

    def __init__(self) -> None:
        super().__init__()
        self._pressed: QModelIndex | None = None
        self.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setWordWrap(False)
        self.horizontalHeader().setDefaultSectionSize(70)
        self.verticalHeader().setDefaultSectionSize(22)

    def mousePressEvent(self, event) -> None:  # noqa: N802, ANN001
        self._pressed = self.indexAt(event.position().toPoint())
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802, ANN001
        target = self.indexAt(event.position().toPoint())
        source, self._pressed = self._pressed, None
        super().mouseReleaseEvent(event)
        if source is not None and source.isValid() and target.isValid() and source != target:
            self.moved.emit(source, target)


class RosterPane(QWidget):
    shown = Signal()  # a read of the roster is on screen

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.actor = context.actor
        self.service: RosterService = context.services.get("roster") or RosterService(
            context.store)
        self.is_manager = may_edit_roster(self.actor, self.actor.centre_code)
        self.snapshot: RosterSnapshot | None = None
        self.violations: list[Violation] = []
        self.undo_stack = QUndoStack(self)
        self.stack = QStackedWidget()
        self.clipboard = None
        self.planning: OperationHandle | None = None  # the planner's run, while it runs
        self.planner: Planner | None = None
        self.pane_data = RosterPaneData()
        self._build()
        self.reload_rosters()
        context.hub.changed.connect(self._on_changed)

    # -- layout ----------------------------------------------------------------------------------

    def _build(self) -> None:
        tb = self._build_toolbar()
        self._build_grids()
        side = self._build_side()
        splitter = QSplitter()
        splitter.addWidget(self.stack)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([1100, 460])
        self.violation_list.setWordWrap(True)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(tb)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        for action in (self.plan_action, self.holes_action, self.publish_action,
                       self.derogation_action):
            action.setVisible(self.is_manager)
        self.desk_box.setEnabled(self.is_manager)


    def _build_toolbar(self) -> QToolBar:
        """Roster and view choice, the desk typed vacations go to, undo/redo, planner, export."""
        tb = QToolBar()
        self.roster_box = QComboBox()
        self.roster_box.setObjectName("roster_box")
        self.roster_box.setMinimumWidth(260)
        self.roster_box.currentIndexChanged.connect(lambda _i: self.reload())
        tb.addWidget(self.roster_box)
        self.view_box = QComboBox()
        self.view_box.addItems([self.tr("Operators × days"), self.tr("Desks × shifts")])
        self.view_box.currentIndexChanged.connect(lambda i: self.stack.setCurrentIndex(i))
        tb.addWidget(self.view_box)
        tb.addSeparator()
        tb.addWidget(QLabel(self.tr("Desk:")))
        self.desk_box = QComboBox()
        self.desk_box.setObjectName("desk_box")
        self.desk_box.setToolTip(self.tr("Desk used when a shift is typed in the grid "
                                         "(type its letter, e.g. M, A, N)"))
        tb.addWidget(self.desk_box)
        self.undo_action = self.undo_stack.createUndoAction(self, self.tr("Undo"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, self.tr("Redo"))
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
            tb.addAction(action)
        tb.addSeparator()
        self.plan_action = QAction(self.tr("Plan period"), self)
        self.plan_action.triggered.connect(lambda: self.start_planner("fixed"))
        self.holes_action = QAction(self.tr("Fill holes"), self)
        self.holes_action.triggered.connect(lambda: self.start_planner("all"))
        self.stop_action = QAction(self.tr("Stop"), self)
        self.stop_action.setEnabled(False)
        self.stop_action.triggered.connect(self.stop_planner)
        self.publish_action = QAction(self.tr("Publish"), self)
        self.publish_action.triggered.connect(self.publish)
        self.derogation_action = QAction(self.tr("Derogation…"), self)
        self.derogation_action.triggered.connect(self.add_derogation)
        self.rules_action = QAction(self.tr("Rules…"), self)
        self.rules_action.triggered.connect(self.edit_rules)
        for action in (self.plan_action, self.holes_action, self.stop_action,
                       self.publish_action, self.derogation_action, self.rules_action):
            tb.addAction(action)
        tb.addSeparator()
        export = QMenu(self.tr("Export"), self)
        export.addAction(self.tr("iCalendar per operator…"), self.export_ical)
        export.addAction(self.tr("CSV…"), self.export_csv)
        export.addAction(self.tr("PDF…"), self.export_pdf)
        export_action = export.menuAction()
        tb.addAction(export_action)
        return tb

    def _build_grids(self) -> None:
        """The two editable grids: operators × days and desks × vacations."""
        self.operator_model = OperatorGridModel()
        self.desk_model = DeskGridModel()
        self.operator_view = GridView()
        self.operator_view.setObjectName("operator_grid")
        self.operator_view.setModel(self.operator_model)
        self.operator_view.horizontalHeader().setDefaultSectionSize(64)
        self.desk_view = GridView()
        self.desk_view.setObjectName("desk_grid")
        self.desk_view.setModel(self.desk_model)
        self.desk_view.horizontalHeader().setDefaultSectionSize(120)
        self.desk_view.installEventFilter(self)
        self.desk_view.moved.connect(self.desk_move)
        self.desk_view.customContextMenuRequested.connect(self._desk_context_menu)
        self.operator_view.installEventFilter(self)
        self.operator_view.moved.connect(self.move_cell)
        self.operator_view.customContextMenuRequested.connect(self._context_menu)
        self.stack.addWidget(self.operator_view)
        self.stack.addWidget(self.desk_view)

    def _build_side(self) -> QWidget:
        """Summary, rule checks, swaps, sync conflicts and the planner's progress."""
        self.violation_list = QListWidget()
        self.violation_list.setObjectName("violations")
        self.violation_list.itemActivated.connect(self._show_violation)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.status = QLabel()
        self.status.setObjectName("planner_status")
        self.status.setWordWrap(True)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.summary)
        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(self.violation_list, self.tr("Rule checks"))
        self.side_tabs.addTab(self._build_swaps(), self.tr("Swaps"))
        self.side_tabs.addTab(self._build_conflicts(), self.tr("Sync conflicts"))
        side_layout.addWidget(self.side_tabs, 1)
        self.planner_panel = PlannerPanel()
        self.planner_panel.stop_requested.connect(self.stop_planner)
        side_layout.addWidget(self.planner_panel)
        side_layout.addWidget(self.status)
        return side

    def _build_swaps(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.swap_list = QListWidget()
        self.swap_list.setObjectName("swaps")
        self.swap_list.setWordWrap(True)
        layout.addWidget(self.swap_list, 1)
        row = QHBoxLayout()
        self.approve_button = QPushButton(self.tr("Approve"))
        self.approve_button.clicked.connect(lambda: self.decide_swap(True))
        self.refuse_button = QPushButton(self.tr("Refuse"))
        self.refuse_button.clicked.connect(lambda: self.decide_swap(False))
        for button in (self.approve_button, self.refuse_button):
            button.setVisible(self.is_manager)
            row.addWidget(button)
        layout.addLayout(row)
        return box

    def _build_conflicts(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.conflict_list = QListWidget()
        self.conflict_list.setObjectName("conflicts")
        self.conflict_list.setWordWrap(True)
        layout.addWidget(self.conflict_list, 1)
        row = QHBoxLayout()
        keep = QPushButton(self.tr("Keep current"))
        keep.clicked.connect(lambda: self.resolve_conflict(False))
        other = QPushButton(self.tr("Keep the other edit"))
        other.clicked.connect(lambda: self.resolve_conflict(True))
        for button in (keep, other):
            button.setVisible(self.is_manager)
            row.addWidget(button)
        layout.addLayout(row)
        return box

    def _fill_swaps(self) -> None:
        self.swap_list.clear()
        if self.snapshot is None:
            return
        names = {o.id: o.display_name for o in self.pane_data.colleagues}
        data = self.snapshot.data
        for swap in self.pane_data.swaps:
            shift = self.snapshot.shifts.get(swap.assignment_id)
            what = (f"{data.templates[shift.template].code}·{data.desks[shift.desk].code} "
                    f"{shift.day:%d/%m}") if shift and shift.template in data.templates else "?"
            item = QListWidgetItem(f"{swap.requested_by}: {what} → "
                                   f"{names.get(swap.to_operator_id, '?')}"
                                   + (f" ({swap.reason})" if swap.reason else ""))
            item.setData(Qt.ItemDataRole.UserRole, swap.id)
            self.swap_list.addItem(item)
        self.side_tabs.setTabText(1, self.tr("Swaps (%1)").replace(
            "%1", str(self.swap_list.count())))

    def _fill_conflicts(self) -> None:
        self.conflict_list.clear()
        conflicts = self.pane_data.conflicts
        for conflict in conflicts:
            item = QListWidgetItem(f"{conflict.table_name} {conflict.row_id[:8]}: "
                                   f"{conflict.author} edited version {conflict.base_version}, "
                                   f"now {conflict.current_version}")
            item.setData(Qt.ItemDataRole.UserRole, conflict.id)
            self.conflict_list.addItem(item)
        self.side_tabs.setTabText(2, self.tr("Sync conflicts (%1)").replace(
            "%1", str(len(conflicts))))

    def _write(self, call, title: str | None = None, on_done=None,  # noqa: ANN001
               redraw_on_error: bool = True) -> None:
        """Run a roster write through the runner; redraw when done, warn when refused (an
        undoable edit also redraws then: the grid may show what was refused)."""
        self.context.ops.write(lambda: roster_write(call), initiator=self,
                               on_done=on_done or (lambda _result: self._edited()),
                               on_error=lambda error: self._refused(title, error,
                                                                    redraw_on_error))

    def _refused(self, title: str | None, error: BaseException, redraw: bool) -> None:
        QMessageBox.warning(self, title or self.tr("Roster"), error_text(error))
        if redraw:
            self.reload()

    def decide_swap(self, approve: bool) -> None:
        item = self.swap_list.currentItem()
        if item is None:
            return
        service, actor, swap_id = self.service, self.actor, item.data(Qt.ItemDataRole.UserRole)
        self._write(lambda: service.decide_swap(actor, swap_id, approve), self.tr("Swap"),
                    redraw_on_error=False)

    def offer_swap(self, index: QModelIndex) -> None:
        """An operator offers the vacation in this cell to a colleague."""
        shifts = self.operator_model.shifts_at(index)
        if not shifts or self.snapshot is None:
            return
        colleagues = [o for o in self.pane_data.colleagues if o.id != shifts[0].operator]
        name, ok = QInputDialog.getItem(self, self.tr("Swap"), self.tr("Offer to:"),
                                        [o.display_name for o in colleagues], 0, False)
        if not ok:
            return
        target = next(o for o in colleagues if o.display_name == name)
        service, actor, key = self.service, self.actor, shifts[0].key
        self._write(lambda: service.request_swap(actor, key, target.id), self.tr("Swap"),
                    redraw_on_error=False)

    def resolve_conflict(self, keep_proposed: bool) -> None:
        item = self.conflict_list.currentItem()
        if item is None:
            return
        store, actor, conflict_id = (self.context.store, self.actor,
                                     item.data(Qt.ItemDataRole.UserRole))
        self._write(lambda: resolve_roster_conflict(store, actor, conflict_id, keep_proposed),
                    self.tr("Sync conflict"), redraw_on_error=False)

    # -- data ------------------------------------------------------------------------------------

    def reload_rosters(self) -> None:
        """Read the list of rosters off the GUI thread, then the chosen one."""
        service, centre, manager = self.service, self.actor.centre_code, self.is_manager
        self.context.ops.read(lambda: visible_rosters(service, centre, manager),
                              on_done=self._show_rosters)

    def _show_rosters(self, rosters: list) -> None:
        current = self.roster_box.currentData()
        self.roster_box.blockSignals(True)
        self.roster_box.clear()
        for roster in rosters:
            self.roster_box.addItem(f"{roster.name} [{roster.status}]", str(roster.id))
        index = self.roster_box.findData(current) if current else -1
        if index < 0:
            published = [i for i, r in enumerate(rosters) if r.status == "published"]
            index = published[0] if published else 0
        self.roster_box.setCurrentIndex(index)
        self.roster_box.blockSignals(False)
        self.reload()

    def current_roster_id(self) -> uuid.UUID | None:
        value = self.roster_box.currentData()  # a str: QVariant compares it in findData
        return uuid.UUID(value) if value else None

    def select_roster(self, roster_id: uuid.UUID) -> None:
        self.roster_box.setCurrentIndex(self.roster_box.findData(str(roster_id)))

    def reload(self) -> None:
        """Read the chosen roster, its checks, swaps and conflicts off the GUI thread."""
        service, roster_id = self.service, self.current_roster_id()
        actor, manager = self.actor, self.is_manager
        self.context.ops.read(lambda: roster_pane_data(service, roster_id, actor, manager),
                              on_done=lambda data: self._show(roster_id, data))

    def _show(self, roster_id: uuid.UUID | None, data: RosterPaneData) -> None:
        if roster_id != self.current_roster_id():
            return  # another roster was chosen meanwhile; its own read follows
        self.pane_data = data
        self.snapshot, self.violations = data.snapshot, data.violations
        self.operator_model.set_snapshot(self.snapshot, self.violations)
        self.operator_model.set_conflicts(data.conflict_cells)
        self.desk_model.set_snapshot(self.snapshot, self.violations)
        if self.snapshot and self.desk_box.count() != len(self.snapshot.desks):
            self.desk_box.clear()
            for desk in self.snapshot.desks:
                self.desk_box.addItem(f"{desk.code} - {desk.name}", desk.id)
        self._fill_violations()
        self._fill_swaps()
        self._fill_conflicts()
        editable = self.is_manager and self.snapshot is not None
        self.publish_action.setEnabled(bool(editable and self.snapshot
                                            and self.snapshot.roster.status == "draft"))
        self.shown.emit()

    def _fill_violations(self) -> None:
        self.violation_list.clear()
        broken_count = sum(1 for v in self.violations if not v.accepted and not v.soft)
        advice_count = sum(1 for v in self.violations if not v.accepted and v.soft)
        names = {o.id: o.display_name for o in (self.snapshot.operators if self.snapshot else [])}
        for v in sorted(self.violations, key=lambda v: (v.accepted, v.soft, v.day or v.rule,
                                                        v.rule)):
            who = names.get(v.operator, "") if v.operator is not None else ""
            label = rule_label(v.rule)
            if v.soft:
                label = self.tr("%1 (advice)").replace("%1", label)
            text = f"{label}: {who + ' - ' if who else ''}{v.message}"
            if v.accepted:
                text += f"  [derogation: {v.derogation}]"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, v)
            if v.accepted:
                item.setForeground(Qt.GlobalColor.darkYellow)
            elif v.soft:
                item.setForeground(Qt.GlobalColor.darkBlue)
            self.violation_list.addItem(item)
        if self.snapshot is None:
            self.summary.setText(self.tr("No roster"))
            return
        self.summary.setText(self.tr("%1 shifts · %2 broken rule(s) · %3 accepted by "
                                     "derogation · %4 advice").replace(
                                         "%1", str(len(self.snapshot.shifts)))
                             .replace("%2", str(broken_count))
                             .replace("%3", str(sum(1 for v in self.violations if v.accepted)))
                             .replace("%4", str(advice_count)))

    def _on_changed(self, changes: Changes, initiator: object = None) -> None:
        if initiator is self:
            return  # our own edit: its callback already reloads
        if changes.reference or changes.everything:
            self.reload_rosters()
        elif changes.roster and self.planning is None:
            self.reload()

    def _edited(self) -> None:
        self.reload()

    def _show_violation(self, item: QListWidgetItem) -> None:
        v: Violation = item.data(Qt.ItemDataRole.UserRole)
        if v.day is None or self.snapshot is None or v.day not in self.operator_model.days:
            return
        column = self.operator_model.days.index(v.day)
        row = next((i for i, o in enumerate(self.operator_model.operators)
                    if o.id == v.operator), 0)
        index = self.operator_model.index(row, column)
        self.stack.setCurrentIndex(0)
        self.operator_view.setCurrentIndex(index)
        self.operator_view.scrollTo(index)

    # -- editing ---------------------------------------------------------------------------------

    def _push(self, command) -> bool:  # noqa: ANN001
        """Do an edit and keep it for undo; its write runs through the runner (see _write)."""
        self.undo_stack.push(command)
        return True

    def assign_at(self, index: QModelIndex, template_code: str,
                  desk_id: uuid.UUID | None = None) -> bool:
        """Give the cell's operator the vacation `template_code` that day (at the chosen desk)."""
        if not (self.is_manager and self.snapshot and index.isValid()):
            return False
        tpl = next((t for t in self.snapshot.templates
                    if t.code.upper().startswith(template_code.upper())), None)
        desk_id = desk_id or self.desk_box.currentData()
        if tpl is None or desk_id is None:
            return False
        values = dict(operator_id=self.operator_model.operator_of(index.row()), desk_id=desk_id,
                      template_id=tpl.id, day=self.operator_model.day_of(index.column()))
        return self._push(AssignCommand(self.service, self.actor, self._write,
                                        self.snapshot.roster.id, values))

    def remove_at(self, index: QModelIndex) -> bool:
        shifts = self.operator_model.shifts_at(index)
        if not (self.is_manager and shifts and self.snapshot):
            return False
        snapshot = self.snapshot
        self.undo_stack.beginMacro(self.tr("Remove"))
        try:
            for shift in shifts:
                self.undo_stack.push(RemoveCommand(self.service, self.actor, self._write,
                                                   snapshot.roster.id, shift,
                                                   shift.key in snapshot.fixed))
        finally:
            self.undo_stack.endMacro()
        return True

    def move_cell(self, source: QModelIndex, target: QModelIndex) -> bool:
        """Move the source cell's vacation to the target operator and day."""
        shifts = self.operator_model.shifts_at(source)
        if not (self.is_manager and shifts):
            return False
        changes = dict(operator_id=self.operator_model.operator_of(target.row()),
                       day=self.operator_model.day_of(target.column()))
        return self._push(MoveCommand(self.service, self.actor, self._write, shifts[0],
                                      changes))

    def toggle_fixed(self, index: QModelIndex) -> None:
        if self.snapshot is None:
            return
        for shift in self.operator_model.shifts_at(index):
            self._push(FixCommand(self.service, self.actor, self._write, shift,
                                  shift.key not in self.snapshot.fixed))

    # desks x vacations view: the cell is a requirement; edits pick the operator

    def candidates(self, index: QModelIndex) -> list:
        """Operators for a desk/vacation cell: qualified and free that day first."""
        if self.snapshot is None or not index.isValid():
            return []
        desk, _tpl, day = self.desk_model.slot_of(index)
        data = self.snapshot.data
        busy = {s.operator for s in self.snapshot.shifts.values() if s.day == day}
        needs = data.desks[desk].qualifications

        def rank(op):  # noqa: ANN001, ANN202
            info = data.operators[op.id]
            return (not needs <= info.qualifications, op.id in busy, op.display_name)
        return sorted(self.snapshot.operators, key=rank)

    def desk_assign(self, index: QModelIndex, operator_id: uuid.UUID) -> bool:
        if not (self.is_manager and self.snapshot and index.isValid()):
            return False
        desk, tpl, day = self.desk_model.slot_of(index)
        values = dict(operator_id=operator_id, desk_id=desk, template_id=tpl, day=day)
        return self._push(AssignCommand(self.service, self.actor, self._write,
                                        self.snapshot.roster.id, values))

    def desk_remove(self, index: QModelIndex) -> bool:
        shifts = self.desk_model.shifts_at(index)
        if not (self.is_manager and shifts and self.snapshot):
            return False
        shift = shifts[-1]
        return self._push(RemoveCommand(self.service, self.actor, self._write,
                                        self.snapshot.roster.id, shift,
                                        shift.key in self.snapshot.fixed))

    def desk_move(self, source: QModelIndex, target: QModelIndex) -> bool:
        """Move one holder of the source requirement to the target desk/vacation/day."""
        shifts = self.desk_model.shifts_at(source)
        if not (self.is_manager and shifts):
            return False
        desk, tpl, day = self.desk_model.slot_of(target)
        return self._push(MoveCommand(self.service, self.actor, self._write, shifts[-1],
                                      dict(desk_id=desk, template_id=tpl, day=day)))

    def _pick_operator(self, index: QModelIndex) -> None:
        options = self.candidates(index)
        if not options:
            return
        name, ok = QInputDialog.getItem(self, self.tr("Assign"), self.tr("Operator:"),
                                        [o.display_name for o in options], 0, False)
        if ok:
            self.desk_assign(index, next(o.id for o in options if o.display_name == name))

    def _desk_context_menu(self, pos) -> None:  # noqa: ANN001
        index = self.desk_view.indexAt(pos)
        if not (index.isValid() and self.snapshot and self.is_manager):
            return
        menu = QMenu(self)
        sub = menu.addMenu(self.tr("Assign"))
        for op in self.candidates(index)[:20]:
            sub.addAction(op.display_name, lambda o=op.id: self.desk_assign(index, o))
        names = {o.id: o.display_name for o in self.snapshot.operators}
        for shift in self.desk_model.shifts_at(index):
            menu.addAction(self.tr("Remove %1").replace("%1", names.get(shift.operator, "?")),
                           lambda s=shift: self._push(RemoveCommand(
                               self.service, self.actor, self._write,
                               self.snapshot.roster.id if self.snapshot else s.key, s)))
        menu.exec(self.desk_view.viewport().mapToGlobal(pos))

    def eventFilter(self, obj, event) -> bool:  # noqa: N802, ANN001
        from PySide6.QtCore import QEvent
        if obj is self.desk_view and event.type() == QEvent.Type.KeyPress:
            index = self.desk_view.currentIndex()
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                return self.desk_remove(index) or True
            if event.key() in (Qt.Key.Key_Insert, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._pick_operator(index)
                return True
        if obj is self.operator_view and event.type() == QEvent.Type.KeyPress:
            index = self.operator_view.currentIndex()
            key, text = event.key(), event.text()
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                return self.remove_at(index) or True
            if event.matches(QKeySequence.StandardKey.Cut):
                self.clipboard = index
                self.status.setText(self.tr("Shift cut: paste it on another cell (Ctrl+V)"))
                return True
            if event.matches(QKeySequence.StandardKey.Paste) and self.clipboard is not None:
                source, self.clipboard = self.clipboard, None
                return self.move_cell(source, index) or True
            if key == Qt.Key.Key_F and not event.modifiers():
                self.toggle_fixed(index)
                return True
            if text and text.isalpha() and not event.modifiers() & (
                    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
                return self.assign_at(index, text) or True
        return super().eventFilter(obj, event)

    def _context_menu(self, pos) -> None:  # noqa: ANN001
        index = self.operator_view.indexAt(pos)
        if not (index.isValid() and self.snapshot):
            return
        menu = QMenu(self)
        if not self.is_manager:
            if self.operator_model.shifts_at(index):
                menu.addAction(self.tr("Offer this shift to a colleague…"),
                               lambda: self.offer_swap(index))
                menu.exec(self.operator_view.viewport().mapToGlobal(pos))
            return
        for tpl in self.snapshot.templates:
            sub = menu.addMenu(self.tr("Assign %1").replace("%1", tpl.name))
            for desk in self.snapshot.desks:
                sub.addAction(f"{desk.code} - {desk.name}",
                              lambda t=tpl.code, d=desk.id: self.assign_at(index, t, d))
        if self.operator_model.shifts_at(index):
            menu.addAction(self.tr("Remove"), lambda: self.remove_at(index))
            menu.addAction(self.tr("Fix / unfix (kept by the planner)"),
                           lambda: self.toggle_fixed(index))
        menu.exec(self.operator_view.viewport().mapToGlobal(pos))

    # -- planner ---------------------------------------------------------------------------------

    def start_planner(self, keep: str, time_limit: float = 10.0) -> None:
        if not (self.is_manager and self.snapshot) or self.planning is not None:
            return
        snap = self.snapshot
        planner = Planner(snap.data, snap.shifts.values(), keep=keep, fixed_keys=snap.fixed,
                          time_limit=time_limit)
        self.planner = planner
        self._before = [(s.operator, s.desk, s.template, s.day) for s in snap.shifts.values()]
        panel = self.planner_panel

        def solve(progress, cancelled) -> SolveResult:  # noqa: ANN001 - a runner thread
            def report(step: Progress) -> None:
                if cancelled():
                    planner.stop()
                progress(min(step.elapsed / max(time_limit, 0.1), 1.0), panel.progress_text(step))
            try:
                return planner.solve(report)
            except Exception as exc:  # noqa: BLE001 - reported in the pane, never lost
                return SolveResult("error", explanation=[str(exc)])

        self.stop_action.setEnabled(True)
        self.plan_action.setEnabled(False)
        self.holes_action.setEnabled(False)
        self.status.clear()  # the planner panel shows the progress
        panel.start(time_limit)
        self.planning = self.context.ops.read(solve, on_done=self._on_finished,
                                              on_progress=panel.show_progress)

    def stop_planner(self) -> None:
        """Stop the planner; it returns the best legal roster found so far, applied as usual."""
        if self.planning is not None and self.planner is not None:
            self.planning.cancel()
            self.planner.stop()  # CP-SAT stops at its next check, found solution or not
            self.stop_action.setEnabled(False)
            self.status.setText(self.tr("Stopping…"))

    def _on_finished(self, result: SolveResult) -> None:
        self.last_result = result
        data = self.snapshot.data if self.snapshot is not None else None
        self.planning, self.planner = None, None
        self.planner_panel.finish()
        self.stop_action.setEnabled(False)
        self.plan_action.setEnabled(True)
        self.holes_action.setEnabled(True)
        lines = self.planner_panel.result_lines(
            result, spreads(data, set(result.cells)) if result.cells and data else None)
        if result.unmet:
            lines.append(self.tr("Cannot be met:"))
            lines += result.unmet[:10]
        lines += result.explanation[:10]
        self.status.setText("\n".join(lines))
        if result.cells and self.snapshot is not None:
            self._push(PlanCommand(self.service, self.actor, self._write,
                                   self.snapshot.roster.id, self._before, result.cells))

    # -- publication, derogations, exports -------------------------------------------------------

    def publish(self) -> None:
        roster_id = self.current_roster_id()
        if roster_id is None:
            return
        service, actor = self.service, self.actor
        self._write(lambda: service.publish(actor, roster_id), self.tr("Publish"),
                    on_done=lambda _remaining: self._published(), redraw_on_error=False)

    def _published(self) -> None:
        self.undo_stack.clear()  # a published roster is a new baseline
        self.reload_rosters()

    def add_derogation(self) -> None:
        item = self.violation_list.currentItem()
        if item is None or self.snapshot is None:
            QMessageBox.information(self, self.tr("Derogation"),
                                    self.tr("Select the violation to accept in the list."))
            return
        v: Violation = item.data(Qt.ItemDataRole.UserRole)
        reason, ok = QInputDialog.getMultiLineText(
            self, self.tr("Derogation"), self.tr("Reason for accepting “%1” (recorded):")
            .replace("%1", rule_label(v.rule)))
        if not ok:
            return
        service, actor, roster_id = self.service, self.actor, self.snapshot.roster.id
        self._write(lambda: service.add_derogation(actor, roster_id, v.rule, reason, v.operator,
                                                   v.day), self.tr("Derogation"),
                    redraw_on_error=False)

    def edit_rules(self) -> None:
        """The roster's rule values and the vacations' breaks: read by all, set by a manager."""
        from console.models.roster.rule_settings import save_rules
        from console.views.roster.rules_dialog import RulesDialog
        if self.snapshot is None:
            return
        editable = self.is_manager and self.snapshot.roster.status != "archived"
        dialog = RulesDialog(self.snapshot.data.settings, self.snapshot.templates, editable, self)
        if dialog.exec() != RulesDialog.DialogCode.Accepted or not editable:
            return
        store, actor, roster_id = self.service.store, self.actor, self.snapshot.roster.id
        settings, breaks = dialog.settings(), dialog.breaks()
        self._write(lambda: save_rules(store, actor, roster_id, settings, breaks),
                    self.tr("Rules…"), redraw_on_error=False)

    def export_ical(self) -> None:
        from console.models.roster.exports import export_calendars
        if self.snapshot is None:
            return
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder for the calendars"))
        if folder:
            files = export_calendars(self.snapshot, Path(folder), shift_word=self.tr("Shift"))
            self.status.setText(self.tr("%1 calendar(s) written").replace("%1", str(len(files))))

    def export_csv(self) -> None:
        from console.models.roster.exports import write_roster_csv
        if self.snapshot is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("CSV file"), "roster.csv", "CSV (*.csv)")
        if path:
            write_roster_csv(self.snapshot, Path(path))

    def export_pdf(self) -> None:
        from console.views.roster.printing import export_pdf
        if self.snapshot is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("PDF file"), "roster.pdf", "PDF (*.pdf)")
        if path:
            export_pdf(self.snapshot, Path(path), exercise=self.context.exercise)
