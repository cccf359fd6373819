"""Dialog for an on-demand situation report: period, scope, output files, progress."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QDateTime, Qt, QTimeZone
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.models.base import utcnow
from console.models.enums import Category
from console.models.eventlog.query import centre_codes
from console.models.exchange.geo import zones
from console.models.timezones import store_centre_zone
from console.views.eventlog.table_model import category_label
from console.views.shell.context import AppContext


def _aware(value: QDateTime) -> datetime:
    # The edits show the centre's zone: read the instant, not a naive wall time in the workstation's.
    return datetime.fromtimestamp(value.toMSecsSinceEpoch() / 1000, UTC)


class ReportDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(self.tr("Situation report"))
        self.result_path: Path | None = None
        now = utcnow()
        tz = QTimeZone(store_centre_zone(context.store, context.actor.centre_code).key.encode())
        self.time_from = QDateTimeEdit(QDateTime.fromSecsSinceEpoch(
            int((now - timedelta(hours=24)).timestamp()), tz))
        self.time_to = QDateTimeEdit(QDateTime.fromSecsSinceEpoch(int(now.timestamp()), tz))
        for edit in (self.time_from, self.time_to):
            edit.setTimeZone(tz)  # typed times are the centre's, whatever the workstation's zone
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy HH:mm")
        with context.store.session() as session:
            centres = centre_codes(session)
            zone_rows = [(z.id, z.name) for z in zones(session)]
        self.centre = QComboBox()
        self.centre.addItem(self.tr("All centres"), None)
        for code in centres:
            self.centre.addItem(code, code)
        self.category = QComboBox()
        self.category.addItem(self.tr("All categories"), None)
        for category in Category:
            self.category.addItem(category_label(category.value), category.value)
        self.zone = QComboBox()
        self.zone.addItem(self.tr("All zones"), None)
        for zone_id, name in zone_rows:
            self.zone.addItem(name, zone_id)
        default = Path.home() / f"point_de_situation_{now.astimezone():%Y%m%d_%H%M}.pdf"
        self.path = QLineEdit(str(default))
        self.path.setObjectName("report_path")
        browse = QPushButton(self.tr("Browse..."))
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        self.html = QCheckBox(self.tr("Also write the HTML version"))
        form = QFormLayout()
        form.addRow(self.tr("From"), self.time_from)
        form.addRow(self.tr("To"), self.time_to)
        form.addRow(self.tr("Centre"), self.centre)
        form.addRow(self.tr("Zone"), self.zone)
        form.addRow(self.tr("Category"), self.category)
        form.addRow(self.tr("PDF file"), path_row)
        form.addRow("", self.html)
        self.progress = QProgressBar()
        self.progress.setRange(0, 6)
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        if context.exercise:
            self.status.setText(self.tr("Exercise session: the report will be marked "
                                        "EXERCICE / EXERCISE on every page."))
        self.buttons = QDialogButtonBox()
        self.generate_button = self.buttons.addButton(self.tr("Generate"),
                                                      QDialogButtonBox.ButtonRole.AcceptRole)
        self.generate_button.setObjectName("generate_report")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.generate_button.clicked.connect(self.generate)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the report"), self.path.text(),
                                              self.tr("PDF (*.pdf)"))
        if path:
            self.path.setText(path if path.lower().endswith(".pdf") else path + ".pdf")

    def _progress(self, step: int, steps: int, label: str) -> None:
        self.progress.setValue(step)
        self.status.setText(self.tr("Building the report: %1").replace("%1", label))
        # The report is built on the GUI thread (pyqtgraph renders with widgets): keep the
        # dialog painted between the steps.
        QApplication.processEvents()

    def generate(self) -> bool:
        from console.models.reports.data import ReportRequest
        from console.models.reports.template import TemplateError
        from console.views.reports.builder import build_report

        pdf = Path(self.path.text().strip()).expanduser()
        if not pdf.parent.is_dir():
            QMessageBox.warning(self, self.windowTitle(),
                                self.tr("The folder %1 does not exist.").replace(
                                    "%1", str(pdf.parent)))
            return False
        request = ReportRequest(
            time_from=_aware(self.time_from.dateTime()), time_to=_aware(self.time_to.dateTime()),
            centre=self.centre.currentData(), category=self.category.currentData(),
            zone_id=self.zone.currentData(), exercise=self.context.exercise,
            author=self.context.actor.label)
        self.progress.show()
        self.generate_button.setEnabled(False)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = build_report(self.context.store, request, pdf,
                                  pdf.with_suffix(".html") if self.html.isChecked() else None,
                                  progress=self._progress)
        except (ValueError, TemplateError, OSError) as error:
            self.status.setText(str(error))
            QMessageBox.warning(self, self.windowTitle(), str(error))
            return False
        finally:
            QApplication.restoreOverrideCursor()
            self.generate_button.setEnabled(True)
        self.result_path = pdf
        # Reports are traced like exports: who produced which report, when.
        self.context.hub.export_done.emit("report", str(pdf), result.data.figures.total)
        self.status.setText(self.tr("Written: %1 (%2 pages, %3 events)")
                            .replace("%1", str(pdf)).replace("%2", str(result.pages))
                            .replace("%3", str(result.data.figures.total)))
        return True
