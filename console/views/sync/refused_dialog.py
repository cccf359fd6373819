"""The changes the central database refused: what, by whom, why; retry, export, or discard."""
from __future__ import annotations

import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.models.sync import refused
from console.views.shell.context import AppContext
from console.views.shell.i18n import centre_timezone


class RefusedChangesDialog(QDialog):
    """Nothing here is lost by the machine: a person decides. Discarding is a supervisor's
    decision and is recorded in the audit trail."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(self.tr("Changes refused by the central database"))
        self.resize(900, 360)
        self.changes: list[refused.RefusedChange] = []
        intro = QLabel(self.tr(
            "These changes are kept on this workstation exactly as they were written. Retry "
            "once the cause is fixed, export them to pass them on another way, or (supervisor) "
            "discard them."))
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("refused_table")
        self.table.setHorizontalHeaderLabels([self.tr("Written"), self.tr("Author"),
                                              self.tr("Change"), self.tr("Refused because")])
        header = self.table.horizontalHeader()
        for column in (0, 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        # Times in the centre's zone, as everywhere in the console, not the workstation's.
        self.zone = ZoneInfo(centre_timezone(context.store, context.actor.centre_code))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.retry_button = QPushButton(self.tr("Retry"))
        self.export_button = QPushButton(self.tr("Export..."))
        self.discard_button = QPushButton(self.tr("Discard"))
        self.discard_button.setEnabled(refused.may_discard(context.actor.role))
        if not self.discard_button.isEnabled():
            self.discard_button.setToolTip(self.tr("Only a supervisor may discard a change"))
        for button in (self.retry_button, self.export_button, self.discard_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.retry_button.clicked.connect(self.retry)
        self.export_button.clicked.connect(self.export)
        self.discard_button.clicked.connect(self.discard)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        store = self.context.store
        self.context.ops.read(lambda: refused.refused_changes(store), on_done=self._show)

    def _show(self, changes: list[refused.RefusedChange]) -> None:
        self.changes = changes
        self.table.setRowCount(len(changes))
        for row, change in enumerate(changes):
            what = f"{change.kind}: {change.summary}" if change.summary else change.kind
            written = change.written_at.astimezone(self.zone)
            for column, text in enumerate((f"{written:%d/%m %H:%M:%S %Z}",
                                           change.author, what, change.reason)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        self.table.selectAll()

    def selected_ids(self) -> list[uuid.UUID]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.changes[row].mutation_id for row in rows]

    def retry(self) -> None:
        ids, store = self.selected_ids(), self.context.store
        self.context.ops.write(lambda: (refused.retry(store, ids), _nudged(self.context)),
                               initiator=self, on_done=lambda _: self.reload())

    def export(self, path: str | None = None) -> None:
        ids = self.selected_ids()
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export refused changes"),
                                                  str(Path.home() / "refused_changes.json"),
                                                  "JSON (*.json)")
        if not path:
            return
        store, target = self.context.store, Path(path)
        self.context.ops.read(lambda: refused.export(store, ids, target),
                              on_done=lambda count: self._exported(target, count))

    def _exported(self, path: Path, count: int) -> None:
        self.context.hub.export_done.emit("refused_changes", str(path), count)

    def discard(self, confirmed: bool = False) -> None:
        ids = self.selected_ids()
        sync = self.context.services.get("sync")
        if not ids or sync is None or not refused.may_discard(self.context.actor.role):
            return
        if not confirmed and QMessageBox.question(
                self, self.tr("Discard refused changes"),
                self.tr("Discard %n change(s)? They are put back as the central database has "
                        "them; this decision is recorded in the audit trail.", "", len(ids)),
        ) != QMessageBox.StandardButton.Yes:
            return
        engine, actor = sync.engine, self.context.actor.username
        summaries = [f"{c.kind} {c.key} {c.summary}" for c in self.changes if c.mutation_id in ids]
        self.context.ops.write(lambda: (None, engine.discard_refused(ids, by=actor)),
                               initiator=self, on_done=lambda _: self._discarded(summaries))

    def _discarded(self, summaries: list[str]) -> None:
        security = self.context.services.get("security")
        if security is not None:  # the supervisor's decision goes to the audit trail
            security.record("discard_refused", {"count": len(summaries),
                                                "changes": summaries[:50]})
        self.reload()


def _nudged(context: AppContext):  # noqa: ANN202 - Changes
    """Retried changes are sent now, not at the next poll."""
    from console.models.changes import Changes

    sync = context.services.get("sync")
    if sync is not None:
        sync.engine.nudge(force=True)
    return Changes()
