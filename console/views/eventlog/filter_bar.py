"""The log's filter bar: time range, category, severity, status, centre, free text, saved views."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QDateTime, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QWidget,
)

from console.models.enums import Category, Severity, Status
from console.models.eventlog.query import EventFilter
from console.views.eventlog.table_model import category_label, severity_label, status_label

TIME_PRESETS = [("all", None), ("1h", timedelta(hours=1)), ("6h", timedelta(hours=6)),
                ("24h", timedelta(hours=24)), ("7d", timedelta(days=7)), ("custom", None)]


class MultiChoice(QToolButton):
    """A drop-down of checkable values; none checked means no restriction."""

    changed = Signal()

    def __init__(self, title: str, choices: list[tuple[str, object]], parent=None) -> None:
        super().__init__(parent)
        self.title = title
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_ = QMenu(self)
        self.actions_: list[QAction] = []
        self.set_choices(choices)
        self.setMenu(self.menu_)
        self._update_text()

    def set_choices(self, choices: list[tuple[str, object]]) -> None:
        self.menu_.clear()
        self.actions_ = []
        for label, value in choices:
            action = QAction(label, self.menu_)
            action.setCheckable(True)
            action.setData(value)
            action.toggled.connect(self._toggled)
            self.menu_.addAction(action)
            self.actions_.append(action)

    def _toggled(self) -> None:
        self._update_text()
        self.changed.emit()

    def _update_text(self) -> None:
        count = len(self.selected())
        self.setText(f"{self.title} ({count})" if count else self.title)

    def selected(self) -> set:
        return {action.data() for action in self.actions_ if action.isChecked()}

    def set_selected(self, values: set) -> None:
        for action in self.actions_:
            action.blockSignals(True)
            action.setChecked(action.data() in values)
            action.blockSignals(False)
        self._update_text()


class FilterBar(QWidget):
    filter_changed = Signal(object)  # EventFilter
    save_requested = Signal(str)
    delete_requested = Signal(str)
    view_chosen = Signal(str)

    def __init__(self, centres: list[str], parent=None) -> None:
        super().__init__(parent)
        self.scope: tuple = (None, None)  # zone / venue restriction set by the map or dashboard
        self.time_combo = QComboBox()
        labels = {"all": self.tr("All time"), "1h": self.tr("Last hour"),
                  "6h": self.tr("Last 6 hours"), "24h": self.tr("Last 24 hours"),
                  "7d": self.tr("Last 7 days"), "custom": self.tr("Custom...")}
        for key, _delta in TIME_PRESETS:
            self.time_combo.addItem(labels[key], key)
        now = QDateTime.currentDateTime()
        self.from_edit = QDateTimeEdit(now.addDays(-1))
        self.to_edit = QDateTimeEdit(now)
        for edit in (self.from_edit, self.to_edit):
            edit.setDisplayFormat("dd/MM HH:mm")
            edit.setCalendarPopup(True)
            edit.hide()
        self.category = MultiChoice(self.tr("Category"),
                                    [(category_label(c.value), c.value) for c in Category])
        self.severity = MultiChoice(self.tr("Severity"),
                                    [(severity_label(s.value), int(s)) for s in Severity])
        self.status = MultiChoice(self.tr("Status"),
                                  [(status_label(s.value), s.value) for s in Status])
        self.centre = MultiChoice(self.tr("Centre"), [(c, c) for c in centres])
        self.text_edit = QLineEdit()
        self.text_edit.setPlaceholderText(self.tr("Search title, description, place (Ctrl+F)"))
        self.text_edit.setClearButtonEnabled(True)
        self.views_combo = QComboBox()
        self.views_combo.setMinimumWidth(140)
        self.save_button = QPushButton(self.tr("Save view"))
        self.delete_button = QPushButton(self.tr("Delete view"))
        self.clear_button = QPushButton(self.tr("Clear"))

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.time_combo, self.from_edit, self.to_edit, self.category,
                       self.severity, self.status, self.centre):
            layout.addWidget(widget)
        layout.addWidget(self.text_edit, 1)
        for widget in (self.clear_button, self.views_combo, self.save_button, self.delete_button):
            layout.addWidget(widget)

        # Typing waits for a pause before querying, so a million rows are not searched per key.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.emit_filter)
        self.text_edit.textChanged.connect(self._debounce.start)
        self.time_combo.currentIndexChanged.connect(self._time_changed)
        for edit in (self.from_edit, self.to_edit):
            edit.dateTimeChanged.connect(self.emit_filter)
        for choice in (self.category, self.severity, self.status, self.centre):
            choice.changed.connect(self.emit_filter)
        self.clear_button.clicked.connect(self.clear)
        self.save_button.clicked.connect(self._ask_save)
        self.delete_button.clicked.connect(
            lambda: self.views_combo.currentData() and self.delete_requested.emit(
                self.views_combo.currentData()))
        self.views_combo.activated.connect(
            lambda _i: self.views_combo.currentData() and self.view_chosen.emit(
                self.views_combo.currentData()))

    def _time_changed(self) -> None:
        custom = self.time_combo.currentData() == "custom"
        self.from_edit.setVisible(custom)
        self.to_edit.setVisible(custom)
        self.emit_filter()

    def current_filter(self) -> EventFilter:
        flt = EventFilter(
            categories=self.category.selected(), severities=self.severity.selected(),
            statuses=self.status.selected(), centres=self.centre.selected(),
            text=self.text_edit.text(), zone_id=self.scope[0], venue_code=self.scope[1])
        key = self.time_combo.currentData()
        delta = dict(TIME_PRESETS).get(key)
        if delta is not None:
            flt.time_from = datetime.now(UTC) - delta
        elif key == "custom":
            flt.time_from = datetime.fromtimestamp(self.from_edit.dateTime().toSecsSinceEpoch(), UTC)
            flt.time_to = datetime.fromtimestamp(self.to_edit.dateTime().toSecsSinceEpoch(), UTC)
        return flt

    def emit_filter(self) -> None:
        self._debounce.stop()
        self.filter_changed.emit(self.current_filter())

    def apply(self, flt: EventFilter, emit: bool = True) -> None:
        """Show a filter (a saved view, or one set by another pane); emit it unless told not to."""
        widgets = (self.category, self.severity, self.status, self.centre, self.text_edit,
                   self.time_combo, self.from_edit, self.to_edit)
        for widget in widgets:
            widget.blockSignals(True)
        self.category.set_selected(flt.categories)
        self.severity.set_selected(flt.severities)
        self.status.set_selected(flt.statuses)
        self.centre.set_selected(flt.centres)
        self.text_edit.setText(flt.text)
        if flt.time_from or flt.time_to:
            self.time_combo.setCurrentIndex(self.time_combo.findData("custom"))
            if flt.time_from:
                self.from_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(flt.time_from.timestamp())))
            self.to_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(
                (flt.time_to or datetime.now(UTC)).timestamp())))
        else:
            self.time_combo.setCurrentIndex(0)
        for widget in widgets:
            widget.blockSignals(False)
        custom = self.time_combo.currentData() == "custom"
        self.from_edit.setVisible(custom)
        self.to_edit.setVisible(custom)
        self.scope = (flt.zone_id, flt.venue_code)  # set by other panes; no widget of its own
        if emit:
            self.filter_changed.emit(flt)

    def clear(self) -> None:
        self.apply(EventFilter())

    def set_centres(self, centres: list[str]) -> None:
        self.centre.set_choices([(c, c) for c in centres])

    def set_saved_views(self, names: list[str]) -> None:
        self.views_combo.clear()
        self.views_combo.addItem(self.tr("Saved views"), None)
        for name in names:
            self.views_combo.addItem(name, name)

    def _ask_save(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Save view"), self.tr("Name of the view:"))
        if ok and name.strip():
            self.save_requested.emit(name.strip())
