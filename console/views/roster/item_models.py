"""Qt item models of the roster pane: operators x days and desks/vacations x days, with checks."""
from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from console.models.roster.rules import Shift, Violation
from console.models.roster.service import RosterSnapshot
from console.views.roster.rule_texts import rule_label

RED, ORANGE, GREY, BLUE = QColor("#f4c7c3"), QColor("#fce8b2"), QColor("#eeeeee"), QColor("#d2e3fc")
ADVICE = QColor("#e6f4ea")  # a soft rule not followed: advice, never blocking
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
Index = QModelIndex | QPersistentModelIndex
NO_PARENT = QModelIndex()  # a module-level default (ruff B008)


class _RosterModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.snapshot: RosterSnapshot | None = None
        self.violations: list[Violation] = []
        self.days: list[date] = []
        self._rebuild()

    def set_snapshot(self, snapshot: RosterSnapshot | None, violations: list[Violation]) -> None:
        self.beginResetModel()
        self.snapshot = snapshot
        self.violations = violations
        self.days = snapshot.data.days if snapshot else []
        self._rebuild()
        self.endResetModel()

    def _rebuild(self) -> None:
        raise NotImplementedError

    def columnCount(self, parent: Index = NO_PARENT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.days)

    def _day_header(self, section: int) -> str:
        day = self.days[section]
        return f"{WEEKDAYS[day.weekday()]}\n{day:%d/%m}"

    def day_of(self, column: int) -> date:
        return self.days[column]


class OperatorGridModel(_RosterModel):
    """Rows: operators; columns: days; a cell lists the operator's vacations that day."""

    def _rebuild(self) -> None:
        snap = self.snapshot
        self.operators = list(snap.operators) if snap else []
        self.cells: dict[tuple[uuid.UUID, date], list[Shift]] = defaultdict(list)
        self.problems: dict[tuple[Any, date], list[Violation]] = defaultdict(list)
        self.absent: set[tuple[Any, date]] = set()
        self.conflicts: dict[tuple[Any, date], list[str]] = getattr(self, "conflicts", {})
        if not snap:
            return
        for shift in snap.shifts.values():
            self.cells[(shift.operator, shift.day)].append(shift)
        by_key = {s.key: s for s in snap.shifts.values()}
        for v in self.violations:
            if v.operator is not None:
                days = {by_key[k].day for k in v.shifts if k in by_key} or (
                    {v.day} if v.day is not None else set())
                for day in days:
                    self.problems[(v.operator, day)].append(v)
            else:
                for k in v.shifts:
                    if k in by_key:
                        self.problems[(by_key[k].operator, by_key[k].day)].append(v)
        data = snap.data
        for op, spans in data.absences.items():
            for day in self.days:
                lo = data.local_midnight(day)
                if any(a < lo.replace(hour=23) and b > lo.replace(hour=1) for a, b, _ in spans):
                    self.absent.add((op, day))

    def rowCount(self, parent: Index = NO_PARENT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.operators)

    def operator_of(self, row: int) -> Any:
        return self.operators[row].id

    def set_conflicts(self, cells: dict[tuple[Any, date], list[str]]) -> None:
        """Cells an unresolved sync conflict concerns: marked, never silently reverted."""
        self.conflicts = cells
        if self.rowCount() and self.columnCount():
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self.rowCount() - 1, self.columnCount() - 1))

    def shifts_at(self, index: Index) -> list[Shift]:
        if not index.isValid():
            return []
        return self.cells.get((self.operator_of(index.row()), self.day_of(index.column())), [])

    def problems_at(self, index: Index) -> list[Violation]:
        return self.problems.get((self.operator_of(index.row()), self.day_of(index.column())), [])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.snapshot is None:
            return None
        shifts = self.shifts_at(index)
        data = self.snapshot.data
        key = (self.operator_of(index.row()), self.day_of(index.column()))
        if role == Qt.ItemDataRole.DisplayRole:
            text = " ".join(f"{data.templates[s.template].code}·{data.desks[s.desk].code}"
                            if s.template in data.templates and s.desk in data.desks else "?"
                            for s in sorted(shifts, key=lambda s: s.start))
            text = text or ("abs." if key in self.absent else "")
            return f"⚠ {text}".strip() if key in self.conflicts else text
        if role == Qt.ItemDataRole.BackgroundRole:
            if key in self.conflicts:
                return QBrush(RED)
            problems = self.problems_at(index)
            if any(not v.accepted and not v.soft for v in problems):
                return QBrush(RED)
            if any(v.accepted for v in problems):
                return QBrush(ORANGE)
            if problems:
                return QBrush(ADVICE)
            if key in self.absent:
                return QBrush(GREY)
            if any(s.key in self.snapshot.fixed for s in shifts):
                return QBrush(BLUE)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"{rule_label(v.rule)}: {v.message}" + (f" (derogation: {v.derogation})"
                                                  if v.accepted else "")
                     for v in self.problems_at(index)]
            lines = self.conflicts.get(key, []) + lines
            return "\n".join(lines) or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._day_header(section) if section < len(self.days) else None
        if section < len(self.operators):
            op = self.operators[section]
            return f"{op.display_name} ({op.team})"
        return None


class DeskGridModel(_RosterModel):
    """Rows: (desk, vacation); columns: days; a cell lists who holds it, red on a hole/excess."""

    def _rebuild(self) -> None:
        snap = self.snapshot
        self.rows: list[tuple[Any, Any]] = []
        self.cells: dict[tuple, list[Shift]] = defaultdict(list)
        self.coverage: dict[tuple, Violation] = {}
        if not snap:
            return
        self.rows = [(d.id, t.id) for d in snap.desks for t in snap.templates]
        for shift in snap.shifts.values():
            self.cells[(shift.desk, shift.template, shift.day)].append(shift)
        for v in self.violations:
            if v.rule.startswith("coverage"):
                self.coverage[(v.desk, v.template, v.day)] = v

    def rowCount(self, parent: Index = NO_PARENT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def slot_of(self, index: Index) -> tuple[Any, Any, date]:
        desk, tpl = self.rows[index.row()]
        return desk, tpl, self.day_of(index.column())

    def shifts_at(self, index: Index) -> list[Shift]:
        return self.cells.get(self.slot_of(index), []) if index.isValid() else []

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.snapshot is None:
            return None
        slot = self.slot_of(index)
        names = {o.id: o.display_name.split(" ")[-1] for o in self.snapshot.operators}
        if role == Qt.ItemDataRole.DisplayRole:
            need = self.snapshot.data.required.get((slot[2], slot[1], slot[0]), 0)
            have = self.cells.get(slot, [])
            text = ", ".join(names.get(s.operator, "?") for s in have)
            return f"{len(have)}/{need} {text}" if need or have else ""
        if role == Qt.ItemDataRole.BackgroundRole:
            v = self.coverage.get(slot)
            if v is not None:
                return QBrush(ORANGE if v.accepted else RED)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            v = self.coverage.get(slot)
            return f"{rule_label(v.rule)}: {v.message}" if v else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or self.snapshot is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._day_header(section) if section < len(self.days) else None
        desk, tpl = self.rows[section]
        return f"{self.snapshot.data.desks[desk].code} {self.snapshot.data.templates[tpl].code}"
