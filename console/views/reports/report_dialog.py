"""Dialog for an on-demand situation report: period, scope, output files, progress."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QDateTime, Qt, QTimer, QTimeZone, Signal
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
from console.models.reports.reads import report_choices
from console.views.eventlog.table_model import category_label
from console.views.shell.context import AppContext
from console.views.shell.i18n import (
    LANGUAGE_NAMES,
    centre_timezone,
    report_language,
    save_report_language,
)
from console.views.shell.operations import OperationHandle


def _aware(value: QDateTime) -> datetime:
    # The edits show the centre's zone: read the instant, not a naive wall time in the workstation's.
    return datetime.fromtimestamp(value.toMSecsSinceEpoch() / 1000, UTC)


class ReportDialog(QDialog):
    """The figures are read by the operation runner; the charts, map and PDF are drawn on the GUI
    thread (pyqtgraph needs it) one step per event-loop turn, so the dialog stays painted."""

    finished_report = Signal(bool)  # True: written; False: refused or failed

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(self.tr("Situation report"))
        self.result_path: Path | None = None
        self._job: OperationHandle | None = None  # the report being built, until it is written
        now = utcnow()
        self._build_period(now)
        self._build_scope()
        form = self._build_form(self._build_output(now))
        self._build_footer()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    def _build_period(self, now: datetime) -> None:
        """From 24 hours ago to now, edited in the centre's time zone."""
        context = self.context
        tz = QTimeZone(centre_timezone(context.store, context.actor.centre_code).encode())
        self.time_from = QDateTimeEdit(QDateTime.fromSecsSinceEpoch(
            int((now - timedelta(hours=24)).timestamp()), tz))
        self.time_to = QDateTimeEdit(QDateTime.fromSecsSinceEpoch(int(now.timestamp()), tz))
        for edit in (self.time_from, self.time_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy HH:mm")
            edit.setTimeZone(tz)  # typed times are the centre's, whatever the workstation's zone

    def _build_scope(self) -> None:
        """Centre, category and zone choices; the centres and zones arrive from a read."""
        self.centre = QComboBox()
        self.centre.addItem(self.tr("All centres"), None)
        self.category = QComboBox()
        self.category.addItem(self.tr("All categories"), None)
        for category in Category:
            self.category.addItem(category_label(category.value), category.value)
        self.zone = QComboBox()
        self.zone.addItem(self.tr("All zones"), None)
        store = self.context.store
        self.context.ops.read(lambda: report_choices(store), on_done=self._add_choices)

    def _build_output(self, now: datetime) -> QHBoxLayout:
        """The PDF path (with its Browse button, returned as a row) and the HTML box."""
        default = Path.home() / f"point_de_situation_{now.astimezone():%Y%m%d_%H%M}.pdf"
        self.path = QLineEdit(str(default))
        self.path.setObjectName("report_path")
        browse = QPushButton(self.tr("Browse..."))
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        self.html = QCheckBox(self.tr("Also write the HTML version"))
        self.language = QComboBox()
        self.language.setObjectName("report_language")
        for code, name in LANGUAGE_NAMES.items():  # each name in its own language
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(report_language())))
        self.language.setToolTip(self.tr("Language the report is written in, whatever the "
                                         "interface's"))
        return path_row

    def _build_form(self, path_row: QHBoxLayout) -> QFormLayout:
        form = QFormLayout()
        form.addRow(self.tr("From"), self.time_from)
        form.addRow(self.tr("To"), self.time_to)
        form.addRow(self.tr("Centre"), self.centre)
        form.addRow(self.tr("Zone"), self.zone)
        form.addRow(self.tr("Category"), self.category)
        form.addRow(self.tr("Report language"), self.language)
        form.addRow(self.tr("PDF file"), path_row)
        form.addRow("", self.html)
        return form

    def _build_footer(self) -> None:
        """Progress bar, status line (the exercise notice first) and buttons."""
        self.progress = QProgressBar()
        self.progress.setRange(0, 6)
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        if self.context.exercise:
            self.status.setText(self.tr("Exercise session: the report will be marked "
                                        "EXERCICE / EXERCISE on every page."))
        self.buttons = QDialogButtonBox()
        self.generate_button = self.buttons.addButton(self.tr("Generate"),
                                                      QDialogButtonBox.ButtonRole.AcceptRole)
        self.generate_button.setObjectName("generate_report")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.generate_button.clicked.connect(self.generate)
        self.buttons.rejected.connect(self.reject)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the report"), self.path.text(),
                                              self.tr("PDF (*.pdf)"))
        if path:
            self.path.setText(path if path.lower().endswith(".pdf") else path + ".pdf")

    def _add_choices(self, choices: tuple[list[str], list]) -> None:
        centres, zone_rows = choices
        for code in centres:
            if self.centre.findData(code) < 0:
                self.centre.addItem(code, code)
        for zone_id, name in zone_rows:
            self.zone.addItem(name, zone_id)

    def _progress(self, step: int, label: str) -> None:
        self.progress.setValue(step)
        self.status.setText(self.tr("Building the report: %1").replace("%1", label))

    def generate(self) -> bool:
        """Start the report; False when the request is refused at once. `finished_report` tells
        how it ended."""
        from console.models.reports.data import ReportRequest
        from console.models.reports.reads import report_data

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
            author=self.context.actor.label, language=str(self.language.currentData()))
        try:
            request.validate()
        except ValueError as error:
            self._failed(error)
            return False
        save_report_language(request.language)
        html = pdf.with_suffix(".html") if self.html.isChecked() else None
        self.progress.show()
        self.generate_button.setEnabled(False)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        self._progress(1, "figures")
        store = self.context.store
        self._job = self.context.ops.read(lambda: report_data(store, request),
                              on_done=lambda data: self._draw(data, request, pdf, html),
                              on_error=self._failed)
        return True

    def _draw(self, data, request, pdf: Path, html: Path | None) -> None:  # noqa: ANN001
        """Charts, map, HTML and PDF on the GUI thread, one step per turn of the event loop."""
        from console.views.reports.builder import report_images, write_html, write_report_pdf

        drawn: dict = {}

        def charts() -> None:
            drawn["images"], drawn["caption"] = report_images(data)

        def layout() -> None:
            if html is not None:
                write_html(data, drawn["images"], drawn["caption"], html)

        def write() -> None:
            drawn["pages"] = write_report_pdf(data, drawn["images"], drawn["caption"], request,
                                              pdf)

        steps = [(2, "charts", charts), (4, "layout", layout), (5, "PDF", write)]
        self._run_steps(steps, lambda: self._written(pdf, drawn["pages"], data.figures.total))

    def reject(self) -> None:
        """Closing the dialog while a report is built abandons it: nothing more is written."""
        if self._job is not None and not self._job.cancelled:
            self._job.cancel()
            self._end()
            self.finished_report.emit(False)
        super().reject()

    def _abandoned(self) -> bool:
        return self._job is not None and self._job.cancelled

    def _run_steps(self, steps: list, then) -> None:  # noqa: ANN001
        if self._abandoned():
            return
        if not steps:
            then()
            return
        (step, label, work), rest = steps[0], steps[1:]
        self._progress(step, label)

        def run() -> None:
            from console.models.reports.template import TemplateError

            if self._abandoned():
                return
            try:
                work()
            except (ValueError, TemplateError, OSError) as error:
                self._failed(error)
                return
            self._run_steps(rest, then)

        QTimer.singleShot(0, run)  # the progress bar is painted before the step runs

    def _failed(self, error: BaseException) -> None:
        from console.views.shell.operations import error_text

        self._job = None
        self._end()
        message = str(error) if isinstance(error, (ValueError, OSError)) else error_text(error)
        if type(error).__name__ == "TemplateError":
            message = str(error)
        self.status.setText(message)
        QMessageBox.warning(self, self.windowTitle(), message)
        self.finished_report.emit(False)

    def _end(self) -> None:
        if QApplication.overrideCursor() is not None:
            QApplication.restoreOverrideCursor()
        self.generate_button.setEnabled(True)

    def _written(self, pdf: Path, pages: int, total: int) -> None:
        self._job = None
        self._end()
        self._progress(6, "done")
        self.result_path = pdf
        # Reports are traced like exports: who produced which report, when.
        self.context.hub.export_done.emit("report", str(pdf), total)
        self.status.setText(self.tr("Written: %1 (%2 pages, %3 events)")
                            .replace("%1", str(pdf)).replace("%2", str(pages))
                            .replace("%3", str(total)))
        self.finished_report.emit(True)
