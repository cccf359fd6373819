"""Oversight view: events waiting too long for an acknowledgement or a follow-up, and flagged ones.

Each list carries a visible alarm (a red, blinking header with its count) as long as it is not
empty; a double click on an entry asks the other panes to show it (ViewState.select_event).
The lists are filled from `console.models.reports.stats.DashboardData`: the view runs no query itself.
"""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.models.enums import SEVERITY_COLOURS, Severity
from console.models.reports.stats import DashboardData, OversightItem, OversightSettings
from console.models.timezones import DEFAULT_TIMEZONE, zone_or_default

ALARM_STYLE = ("QLabel {{ background: {bg}; color: white; font-weight: bold; padding: 4px 8px;"
               " border-radius: 3px; }}")


class OversightList(QGroupBox):
    """One oversight list: an alarm header and a small table of the entries."""

    activated = Signal(object)  # uuid.UUID of the entry double-clicked

    # QT_TRANSLATE_NOOP marks them for lupdate (self.tr(c) over a tuple hides them from it).
    COLUMNS = (QT_TRANSLATE_NOOP("OversightList", "Waiting"),
               QT_TRANSLATE_NOOP("OversightList", "Occurred"),
               QT_TRANSLATE_NOOP("OversightList", "Centre"),
               QT_TRANSLATE_NOOP("OversightList", "Sev."),
               QT_TRANSLATE_NOOP("OversightList", "Status"),
               QT_TRANSLATE_NOOP("OversightList", "Title"),
               QT_TRANSLATE_NOOP("OversightList", "Place"))

    def __init__(self, key: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.title_text = title
        self.alarm = QLabel()
        self.alarm.setObjectName(f"alarm_{key}")
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName(f"oversight_{key}")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(20)
        self.table.cellDoubleClicked.connect(self._double_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.alarm)
        layout.addWidget(self.table)
        self.items: list[OversightItem] = []
        self._blink_on = False
        self.show_items([], DEFAULT_TIMEZONE)

    @property
    def alarmed(self) -> bool:
        return bool(self.items)

    def show_items(self, items: list[OversightItem], timezone: str) -> None:
        self.items = items
        tz = zone_or_default(timezone)
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            waiting = f"{item.waiting_min // 60} h {item.waiting_min % 60:02d}" \
                if item.waiting_min >= 60 else f"{item.waiting_min} min"
            values = (waiting, item.occurred_at.astimezone(tz).strftime("%d/%m %H:%M"),
                      item.centre_code, str(item.severity), item.status, item.title, item.place)
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                if column == 3:
                    cell.setBackground(QColor(SEVERITY_COLOURS[Severity(item.severity)]))
                self.table.setItem(row, column, cell)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.blink(self._blink_on)

    def blink(self, on: bool) -> None:
        self._blink_on = on
        count = len(self.items)
        if count:
            text = f"\u26a0 {self.title_text}: {count}"
            self.alarm.setStyleSheet(ALARM_STYLE.format(bg="#d93025" if on else "#a50e0e"))
        else:
            text = f"\u2713 {self.title_text}: 0"
            self.alarm.setStyleSheet(ALARM_STYLE.format(bg="#1e8e3e"))
        self.alarm.setText(text)

    def _double_clicked(self, row: int, _column: int) -> None:
        if 0 <= row < len(self.items):
            self.activated.emit(self.items[row].event_id)


class OversightView(QWidget):
    """The three oversight lists with their thresholds; fed by the dashboard's refresh."""

    settings_changed = Signal(object)  # OversightSettings
    event_activated = Signal(object)  # uuid.UUID
    alarms_changed = Signal(int)  # number of entries in alarm, all lists together

    def __init__(self, settings: OversightSettings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or OversightSettings()
        self.unack_minutes = QSpinBox()
        self.unack_minutes.setObjectName("unack_minutes")
        self.unack_minutes.setRange(1, 24 * 60)
        self.unack_minutes.setSuffix(" min")
        self.unack_minutes.setValue(self.settings.unacknowledged_after_min)
        self.silent_minutes = QSpinBox()
        self.silent_minutes.setObjectName("silent_minutes")
        self.silent_minutes.setRange(1, 24 * 60)
        self.silent_minutes.setSuffix(" min")
        self.silent_minutes.setValue(self.settings.critical_silent_after_min)
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Not acknowledged after")))
        controls.addWidget(self.unack_minutes)
        controls.addSpacing(16)
        controls.addWidget(QLabel(self.tr("Critical without follow-up for")))
        controls.addWidget(self.silent_minutes)
        controls.addStretch(1)
        self.lists = {
            "unacknowledged": OversightList("unacknowledged", self.tr("Not acknowledged")),
            "critical_silent": OversightList("critical_silent",
                                             self.tr("Critical without follow-up")),
            "flagged": OversightList("flagged", self.tr("Flagged for the authorities")),
        }
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        for widget in self.lists.values():
            widget.activated.connect(self.event_activated)
            layout.addWidget(widget, 1)
        self.unack_minutes.valueChanged.connect(self._thresholds_changed)
        self.silent_minutes.valueChanged.connect(self._thresholds_changed)
        # A blinking header is noticed from across the room; it stops when the list is empty.
        self._blink = QTimer(self)
        self._blink.setInterval(700)
        self._blink.timeout.connect(self._toggle_blink)
        self._blink_state = False
        self._blink.start()

    def _thresholds_changed(self) -> None:
        self.settings = OversightSettings(
            unacknowledged_after_min=self.unack_minutes.value(),
            critical_silent_after_min=self.silent_minutes.value())
        self.settings_changed.emit(self.settings)

    def _toggle_blink(self) -> None:
        self._blink_state = not self._blink_state
        for widget in self.lists.values():
            if widget.alarmed:
                widget.blink(self._blink_state)

    def show_data(self, data: DashboardData) -> None:
        self.lists["unacknowledged"].show_items(data.unacknowledged, data.timezone)
        self.lists["critical_silent"].show_items(data.critical_silent, data.timezone)
        self.lists["flagged"].show_items(data.flagged, data.timezone)
        self.alarms_changed.emit(self.alarm_count())

    def alarm_count(self) -> int:
        return sum(len(w.items) for w in self.lists.values())

    def summary(self) -> str:
        parts = []
        for widget in self.lists.values():
            if widget.items:
                parts.append(f"{widget.title_text}: {len(widget.items)}")
        return " \u00b7 ".join(parts)

