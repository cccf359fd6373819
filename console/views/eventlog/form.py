"""Keyboard-first entry form of a new log entry: Enter saves, Esc cancels, errors sit by their field."""
from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from console.models.entities import Event
from console.models.enums import Category, Severity
from console.models.validation import EventDraft, ValidationError
from console.views.eventlog.table_model import category_label, severity_label
from console.views.shell.context import AppContext


class _EnterSaves(QObject):
    """In the description box, Enter saves the entry and Shift+Enter starts a new line."""

    def __init__(self, dialog: EventFormDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.dialog.submit()
            return True
        return False


class EventFormDialog(QDialog):
    FIELDS = ("title", "description", "category", "severity", "occurred_at", "place",
              "latitude", "longitude", "source")

    def __init__(self, context: AppContext, parent: QWidget | None = None,
                 latitude: float | None = None, longitude: float | None = None, *,
                 initiator: object = None) -> None:
        super().__init__(parent)
        self.context = context
        self.initiator = initiator if initiator is not None else self  # who publishes the entry
        self.created: Event | None = None
        self.saving = False  # a save is under way: Enter does not send it twice
        self.setWindowTitle(self.tr("New log entry"))
        self.setMinimumWidth(560)
        self._build_fields(latitude, longitude)
        form = self._build_form()
        self.general_error = QLabel()
        self.general_error.setStyleSheet("color: #d93025;")
        self.general_error.hide()
        self._lay_out(form)
        self.title_edit.setFocus()

    def _build_fields(self, latitude: float | None, longitude: float | None) -> None:
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(self.tr("What happened, in a few words"))
        self.description_edit = QPlainTextEdit()
        self.description_edit.setPlaceholderText(self.tr("Details (Shift+Enter for a new line)"))
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setFixedHeight(90)
        self.description_edit.installEventFilter(_EnterSaves(self))
        self.category_combo = QComboBox()
        self.category_combo.addItem(self.tr("- choose -"), None)
        for category in Category:
            self.category_combo.addItem(category_label(category.value), category.value)
        self.severity_combo = QComboBox()
        self.severity_combo.addItem(self.tr("- choose -"), None)
        for severity in Severity:
            self.severity_combo.addItem(severity_label(severity.value), int(severity))
        self.occurred_edit = QDateTimeEdit(QDateTime.currentDateTime())
        self.occurred_edit.setDisplayFormat("dd/MM/yyyy HH:mm:ss")
        self.occurred_edit.setCalendarPopup(True)
        self.place_edit = QLineEdit()
        self.place_edit.setPlaceholderText(self.tr("Place name (venue, station, address)"))
        self.latitude_edit = QLineEdit("" if latitude is None else f"{latitude:.6f}")
        self.latitude_edit.setPlaceholderText("48.8566")
        self.longitude_edit = QLineEdit("" if longitude is None else f"{longitude:.6f}")
        self.longitude_edit.setPlaceholderText("2.3522")
        self.source_edit = QLineEdit()
        self.source_edit.setPlaceholderText(self.tr("Who reported it"))
        self.flag_check = QCheckBox(self.tr("Flag for the authorities"))

    def _build_form(self) -> QFormLayout:
        """The labelled fields, each with its error line below it."""
        self.error_labels: dict[str, QLabel] = {}
        form = QFormLayout()
        rows = [
            ("title", self.tr("&Title"), self.title_edit),
            ("description", self.tr("&Description"), self.description_edit),
            ("category", self.tr("&Category"), self.category_combo),
            ("severity", self.tr("Se&verity"), self.severity_combo),
            ("occurred_at", self.tr("&Occurred at"), self.occurred_edit),
            ("place", self.tr("&Place"), self.place_edit),
        ]
        for key, label, widget in rows:
            form.addRow(label, self._with_error(key, widget))
        coordinates = QWidget()
        coordinates_layout = QHBoxLayout(coordinates)
        coordinates_layout.setContentsMargins(0, 0, 0, 0)
        coordinates_layout.addWidget(self._with_error("latitude", self.latitude_edit))
        coordinates_layout.addWidget(self._with_error("longitude", self.longitude_edit))
        form.addRow(self.tr("Latitude / longitude"), coordinates)
        form.addRow(self.tr("&Source"), self._with_error("source", self.source_edit))
        form.addRow("", self.flag_check)
        return form

    def _lay_out(self, form: QFormLayout) -> None:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setDefault(True)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)

    def _with_error(self, key: str, widget: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(widget)
        error = QLabel()
        error.setObjectName(f"error_{key}")
        error.setStyleSheet("color: #d93025; font-size: 11px;")
        error.hide()
        layout.addWidget(error)
        self.error_labels[key] = error
        return box

    def draft(self) -> EventDraft:
        occurred = datetime.fromtimestamp(self.occurred_edit.dateTime().toSecsSinceEpoch(), UTC)
        return EventDraft(
            title=self.title_edit.text(),
            description=self.description_edit.toPlainText(),
            category=self.category_combo.currentData() or "",
            severity=self.severity_combo.currentData(),
            occurred_at=occurred,
            place=self.place_edit.text(),
            latitude=self.latitude_edit.text(),
            longitude=self.longitude_edit.text(),
            source=self.source_edit.text(),
            flagged_for_authorities=self.flag_check.isChecked(),
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.error_labels.items():
            message = errors.get(key)
            label.setText(message or "")
            label.setVisible(bool(message))
        unknown = {k: v for k, v in errors.items() if k not in self.error_labels}
        self.general_error.setText("; ".join(f"{k}: {v}" for k, v in unknown.items()))
        self.general_error.setVisible(bool(unknown))

    def submit(self) -> None:
        if self.saving:
            return
        self.saving = True
        eventlog, actor, draft = self.context.eventlog, self.context.actor, self.draft()
        self.context.ops.write(lambda: eventlog.create_event(actor, draft),
                               initiator=self.initiator, on_done=self._saved,
                               on_error=self._refused)

    def _saved(self, event: Event) -> None:
        self.saving = False
        self.show_errors({})
        self.created = event
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.saving = False
        if not isinstance(error, ValidationError):
            from console.views.shell.operations import error_text

            self.show_errors({})
            self.general_error.setText(error_text(error))
            self.general_error.show()
            return
        self.show_errors({k: self._translate(v) for k, v in error.errors.items()})
        first = next((k for k in self.FIELDS if k in error.errors), None)
        widget = {"title": self.title_edit, "description": self.description_edit,
                  "category": self.category_combo, "severity": self.severity_combo,
                  "occurred_at": self.occurred_edit, "place": self.place_edit,
                  "latitude": self.latitude_edit, "longitude": self.longitude_edit,
                  "source": self.source_edit}.get(first or "")
        if widget is not None:
            widget.setFocus()

    def _translate(self, message: str) -> str:
        # Domain messages are English; the UI shows them through the translation catalogue.
        return self.tr(message)
