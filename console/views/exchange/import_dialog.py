"""Import dialog: a CSV file from another log, a CAP alert, a GeoJSON or KML file.

Each shows what would be imported and what is refused and why, before anything is written;
after the import, the warnings (texts cut, fields ignored) are listed with the refusals.
A CSV file is read and checked off the GUI thread with a progress bar, then imported whole
(one transaction) with the same bar; when some lines are refused the Import button says it
leaves them out, so pressing it is the operator's consent to import the other lines only.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.models.exchange.cap import CapAlert, CapError, read_alert
from console.models.exchange.csvimport import CsvError, CsvPreview, preview_csv, source_label_for
from console.models.exchange.csvwrite import write_lines
from console.models.exchange.geo import GeoError, read_geojson_events
from console.models.exchange.importing import import_items
from console.models.exchange.kml_import import read_kml_events
from console.models.exchange.trust import Deployment
from console.models.timezones import store_centre_zone
from console.views.shell.context import AppContext


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(len(headers) - 1,
                                                  QHeaderView.ResizeMode.Stretch)
    return table


CSV_ELSEWHERE = (".geojson", ".json", ".kml", ".xml", ".cap")  # every other file is read as CSV


class ImportDialog(QDialog):
    """Open a file, look at what would be imported and what is refused, then import."""

    def __init__(self, context: AppContext, parent: QWidget | None = None,
                 path: Path | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.zone = store_centre_zone(context.store, context.actor.centre_code)  # no-offset times
        self.setWindowTitle(self.tr("Import events"))
        self.resize(900, 560)
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        browse = QPushButton(self.tr("Open a file..."))
        browse.clicked.connect(self._browse)
        top = QHBoxLayout()
        top.addWidget(self.path_edit, 1)
        top.addWidget(browse)
        # A wall-clock time that happens twice when the clocks go back (CSV without offsets).
        self.ambiguous = QComboBox()
        self.ambiguous.setObjectName("ambiguous_times")
        for text, value in ((self.tr("Repeated hour at a clock change: refuse the line"),
                             "refuse"),
                            (self.tr("Repeated hour: the first one (summer time)"), "earlier"),
                            (self.tr("Repeated hour: the second one (winter time)"), "later")):
            self.ambiguous.addItem(text, value)
        self.ambiguous.currentIndexChanged.connect(self._reload)
        self.progress = QProgressBar()
        self.progress.setObjectName("import_progress")
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.summary = QLabel(self.tr("CSV from another log, a CAP 1.2 alert (.xml), GeoJSON or "
                                      "KML."))
        self.summary.setObjectName("import_summary")
        self.summary.setWordWrap(True)
        self.accepted_table = _table([self.tr("Line"), self.tr("Time"), self.tr("Category"),
                                      self.tr("Sev."), self.tr("Title")])
        self.refused_table = _table([self.tr("Line"), self.tr("Why it is refused")])
        self.tabs = QTabWidget()
        self.tabs.addTab(self.accepted_table, self.tr("To import"))
        self.tabs.addTab(self.refused_table, self.tr("Refused"))
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(self.tr("Import"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("do_import")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.do_import)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.ambiguous)
        layout.addWidget(self.summary)
        layout.addWidget(self.progress)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self.items: list = []
        self.preview: CsvPreview | None = None
        self.alert: CapAlert | None = None
        self.path: Path | None = None
        self._loads = 0
        if path is not None:
            self.load(path)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.windowTitle(), str(Path.home()),
            self.tr("CSV, CAP, GeoJSON or KML (*.csv *.txt *.xml *.cap *.geojson *.json *.kml);;"
                    "All files (*)"))
        if path:
            self.load(Path(path))

    def _fill(self, accepted: list[tuple[str, object]], refused: list[tuple[str, str]]) -> None:
        self.accepted_table.setRowCount(len(accepted))
        for row, (label, item) in enumerate(accepted):
            draft = item.draft  # type: ignore[attr-defined]
            values = (label, draft.occurred_at.astimezone(self.zone).strftime("%d/%m/%Y %H:%M"),
                      draft.category, str(draft.severity), draft.title)
            for column, value in enumerate(values):
                self.accepted_table.setItem(row, column, QTableWidgetItem(value))
        self.refused_table.setRowCount(len(refused))
        for row, (label, why) in enumerate(refused):
            self.refused_table.setItem(row, 0, QTableWidgetItem(label))
            self.refused_table.setItem(row, 1, QTableWidgetItem(why))
        self.tabs.setTabText(0, self.tr("To import (%1)").replace("%1", str(len(accepted))))
        self.tabs.setTabText(1, self.tr("Refused (%1)").replace("%1", str(len(refused))))
        self.accepted_table.resizeColumnsToContents()

    def _show_progress(self, fraction: float, _text: str = "") -> None:
        self.progress.setValue(round(fraction * 100))

    def _reload(self) -> None:
        if self.path is not None and self.path.suffix.lower() not in CSV_ELSEWHERE:
            self.load(self.path)

    def load(self, path: Path) -> None:
        """Read and check the file; nothing is written until Import is pressed. A CSV file is
        checked off the GUI thread (the tables fill when it is done, ops.is_idle() then)."""
        self.path = path
        self._loads += 1
        self.path_edit.setText(str(path))
        self.items, self.preview, self.alert = [], None, None
        self.import_button.setEnabled(False)
        self.import_button.setText(self.tr("Import"))
        try:
            data = path.read_bytes()
            suffix = path.suffix.lower()
            if suffix in (".geojson", ".json", ".kml"):
                reader = read_kml_events if suffix == ".kml" else read_geojson_events
                self.items, refused = reader(data, Deployment.of_store(self.context.store))
                self._fill([(item.label, item) for item in self.items], refused)
                self.summary.setText(self.tr("%1 to import, %2 refused.")
                                     .replace("%1", str(len(self.items)))
                                     .replace("%2", str(len(refused))))
                self.import_button.setEnabled(bool(self.items))
                return
            if suffix in (".xml", ".cap"):
                self.alert = read_alert(data, exercise=self.context.exercise,
                                        deployment=Deployment.of_store(self.context.store))
                self.items = [self.alert.incoming]
                self._fill([(f"CAP {self.alert.identifier}", self.alert.incoming)], [])
                self.summary.setText(self.tr("CAP 1.2 alert from %1, valid.").replace(
                    "%1", self.alert.sender))
                self.import_button.setEnabled(True)
                return
        except (CapError, GeoError, OSError) as error:
            self._failed(error)
            return
        self._load_csv(data, source_label_for(path))

    def _load_csv(self, data: bytes, label: str) -> None:
        zone, ambiguous, load = self.zone, self.ambiguous.currentData(), self._loads

        def read(progress):  # noqa: ANN001, ANN202 - a runner thread
            return preview_csv(data, label, tz=zone, ambiguous=ambiguous, progress=progress)

        def previewed(preview: CsvPreview) -> None:
            if load == self._loads:  # else a file opened meanwhile made it stale
                self._previewed(preview)

        def failed(error: BaseException) -> None:
            if load == self._loads:
                self._failed(error)

        self._fill([], [])
        self.summary.setText(self.tr("Reading and checking the file..."))
        self._show_progress(0.0)
        self.progress.show()
        self.context.ops.read(read, on_done=previewed, on_error=failed,
                              on_progress=self._show_progress)

    def _failed(self, error: BaseException) -> None:
        self.progress.hide()
        self._fill([], [])
        self.summary.setText(str(error) if isinstance(error, (CapError, CsvError, GeoError,
                                                              OSError))
                             else self._error_text(error))

    def _error_text(self, error: BaseException) -> str:
        from console.views.shell.operations import error_text

        return error_text(error)

    def _previewed(self, preview: CsvPreview) -> None:
        self.progress.hide()
        self.preview = preview
        self.items = [line.item for line in preview.accepted]
        self._fill([(str(line.number), line.item) for line in preview.accepted],
                   [(str(n), why) for n, why in preview.refused])
        columns = ", ".join(f"{ours} \u2190 {theirs}" for ours, theirs in preview.columns.items())
        text = self.tr("%1 lines: %2 to import, %3 refused. Columns: %4.") \
            .replace("%1", str(preview.total)) \
            .replace("%2", str(len(preview.accepted))) \
            .replace("%3", str(len(preview.refused))).replace("%4", columns)
        if preview.ignored_columns:
            text += " " + self.tr("Ignored: %1.").replace(
                "%1", ", ".join(preview.ignored_columns))
        self.summary.setText(text)
        if preview.refused and preview.accepted:
            # The file is not imported whole: the button says so, pressing it is consent.
            self.import_button.setText(self.tr("Import the valid lines, leave out %n refused "
                                               "line(s)", "", len(preview.refused)))
        self.import_button.setEnabled(bool(self.items))

    def do_import(self) -> None:
        """Write the checked items through the runner; the summary follows when it is done."""
        eventlog, actor, items = self.context.eventlog, self.context.actor, list(self.items)
        preview = self.preview
        self.import_button.setEnabled(False)

        def run(progress):  # noqa: ANN001, ANN202 - a runner thread
            if preview is not None:  # a CSV file: all its accepted lines in one transaction
                report = write_lines(eventlog, actor, preview, progress=progress)
            else:
                report = import_items(eventlog, actor, items)
            return report, report.changes

        if preview is not None:
            self._show_progress(0.0)
            self.progress.show()
        self.context.ops.write(run, initiator=self, on_done=self._imported,
                               on_error=self._import_failed, on_progress=self._show_progress)

    def _import_failed(self, error: BaseException) -> None:
        self.progress.hide()
        self.summary.setText(self._error_text(error))
        self.import_button.setEnabled(bool(self.items))

    def _imported(self, report) -> None:  # noqa: ANN001 (ImportReport)
        self.progress.hide()
        self.summary.setText(self.tr("Done: %1.").replace("%1", report.summary())
                             + "".join(f"\n{label}: {why}" for label, why in report.refused)
                             + "".join("\n" + self.tr("Warning: %1: %2").replace("%1", label)
                                       .replace("%2", why) for label, why in report.warnings))
        self.import_button.setEnabled(False)
        self.last_report = report
