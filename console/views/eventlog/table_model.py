"""Lazy table model over the event log: a count and cached pages, never the whole log in memory.

The view sees a frozen snapshot (events up to a local key, `max_pk`) so that rows never shift
under an operator who is reading; new entries are counted and shown when the view is at the top
or when the operator asks for them.
"""
from __future__ import annotations

import uuid
from collections import OrderedDict
from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from console.models.enums import SEVERITY_COLOURS, Category, Severity, Status
from console.models.eventlog.log import StatusConflict
from console.models.eventlog.query import EventFilter
from console.models.eventlog.reads import (
    conflicted_events,
    snapshot_page,
    snapshot_position,
    table_snapshot,
    unseen_count,
)
from console.models.store import LocalStore
from console.models.timezones import DEFAULT_TIMEZONE, zone_or_default

PAGE_SIZE = 200
MAX_CACHED_PAGES = 64
EVENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def category_label(value: str) -> str:
    return {
        Category.SECURITY: QAbstractTableModel.tr("Security"),
        Category.HEALTH: QAbstractTableModel.tr("Health"),
        Category.TRANSPORT: QAbstractTableModel.tr("Transport"),
        Category.CYBER: QAbstractTableModel.tr("Cyber"),
        Category.LOGISTICS: QAbstractTableModel.tr("Logistics"),
        Category.CROWD: QAbstractTableModel.tr("Crowd"),
        Category.MEDIA: QAbstractTableModel.tr("Media"),
    }.get(value, value)


def severity_label(value: int) -> str:
    return {
        Severity.LOW: QAbstractTableModel.tr("Low"),
        Severity.MODERATE: QAbstractTableModel.tr("Moderate"),
        Severity.HIGH: QAbstractTableModel.tr("High"),
        Severity.CRITICAL: QAbstractTableModel.tr("Critical"),
    }.get(value, str(value))


def status_label(value: str) -> str:
    return {
        Status.OPEN: QAbstractTableModel.tr("Open"),
        Status.IN_PROGRESS: QAbstractTableModel.tr("In progress"),
        Status.CLOSED: QAbstractTableModel.tr("Closed"),
    }.get(value, value)


CONFLICT_MARK = "⚠"


def conflict_text(conflict: StatusConflict) -> str:
    """'conflict: op.b set In progress after it was closed by op.a' (closure wins)."""
    return (QAbstractTableModel.tr("conflict: %1 set %2 after it was closed by %3")
            .replace("%1", conflict.author).replace("%2", status_label(conflict.status))
            .replace("%3", conflict.closed_by))


class EventTableModel(QAbstractTableModel):
    COLUMNS = ("time", "severity", "category", "status", "title", "place", "centre", "author",
               "ack")

    def __init__(self, store: LocalStore, timezone: str = DEFAULT_TIMEZONE, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.zone = zone_or_default(timezone)
        self.filter = EventFilter()
        self.max_pk = 0
        self._count = 0
        self._pages: OrderedDict[int, list] = OrderedDict()
        self._conflicts: dict[uuid.UUID, list[StatusConflict]] = {}  # event -> its status conflicts
        self._severity_brushes = {
            int(sev): QBrush(QColor(colour).lighter(135 if sev < Severity.CRITICAL else 120))
            for sev, colour in SEVERITY_COLOURS.items()
        }
        self.reload()

    # -- snapshot management ---------------------------------------------------------------------

    def reload(self, flt: EventFilter | None = None) -> None:
        """Re-run the query (new filter and/or newest snapshot); the view is reset."""
        self.beginResetModel()
        if flt is not None:
            self.filter = flt
        # Synchronous: Qt's rowCount() must answer at once after a reset (one indexed count).
        self.max_pk, self._count = table_snapshot(self.store, self.filter)
        self._pages.clear()
        self._conflicts.clear()
        self.endResetModel()

    def pending_new(self) -> int:
        """Entries matching the filter that arrived after the snapshot (not shown yet)."""
        # Synchronous: a quick indexed count that decides what the view shows next.
        return unseen_count(self.store, self.filter, self.max_pk, self._count)

    def refresh_rows(self) -> None:
        """Cached rows may be stale (status, acknowledgement): drop them, repaint the view."""
        self._pages.clear()
        self._conflicts.clear()
        if self._count:
            self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1,
                                                               len(self.COLUMNS) - 1))

    def row_of(self, event_id: uuid.UUID) -> int | None:
        # Synchronous: selecting a row needs its index now (one indexed count).
        return snapshot_position(self.store, self.filter, event_id, self.max_pk)

    # -- Qt model API ------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        # The zone is named once, in the header, rather than in every cell.
        time_header = self.tr("Time (%1)").replace("%1", datetime.now(self.zone).tzname() or "")
        return (time_header, self.tr("Severity"), self.tr("Category"), self.tr("Status"),
                self.tr("Title"), self.tr("Place"), self.tr("Centre"), self.tr("Author"),
                self.tr("Acknowledged by"))[section]

    def row_at(self, row: int):
        if not 0 <= row < self._count:
            return None
        page_index = row // PAGE_SIZE
        page = self._pages.get(page_index)
        if page is None:
            # Synchronous: Qt's data() must answer now; a 200-row page is one indexed query.
            page = snapshot_page(self.store, self.filter, page_index * PAGE_SIZE, PAGE_SIZE,
                                 self.max_pk)
            self._pages[page_index] = page
            # Rare, so one more indexed query per page: the status conflicts of its events.
            ids = [r.id for r in page]
            for event_id in ids:
                self._conflicts.pop(event_id, None)  # a reopen since settled them
            self._conflicts.update(conflicted_events(self.store, ids))
            if len(self._pages) > MAX_CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_index)
        offset = row - page_index * PAGE_SIZE
        return page[offset] if offset < len(page) else None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        record = self.row_at(index.row())
        if record is None:
            return None
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(record, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._severity_brushes.get(record.severity)
        if role == EVENT_ID_ROLE:
            return record.id
        if role == Qt.ItemDataRole.ToolTipRole and column == "title":
            return record.title
        if role == Qt.ItemDataRole.ToolTipRole and column == "status":
            conflicts = self._conflicts.get(record.id)
            return "\n".join(conflict_text(c) for c in conflicts) if conflicts else None
        if role == Qt.ItemDataRole.FontRole and record.server_seq is None:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setItalic(True)  # not yet confirmed by the central database
            return font
        return None

    def _display(self, record, column: str):
        if column == "time":
            return self.format_time(record.occurred_at)
        if column == "severity":
            return severity_label(record.severity)
        if column == "category":
            return category_label(record.category)
        if column == "status":
            marked = record.id in self._conflicts  # closure won over a later status change
            return status_label(record.status) + (f" {CONFLICT_MARK}" if marked else "")
        if column == "title":
            return record.title
        if column == "place":
            return record.place
        if column == "centre":
            return record.centre_code
        if column == "author":
            return record.author
        if column == "ack":
            return record.acknowledged_by or ""
        return None

    def format_time(self, moment: datetime) -> str:
        return moment.astimezone(self.zone).strftime("%d/%m %H:%M:%S")
