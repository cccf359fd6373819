"""The audit pane: an auditor searches the trail (who, what, when, where, old and new values)."""
from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.models.security import audit
from console.models.security.admin import AuditReader
from console.models.security.signin import SignedIn
from console.views.shell.operations import OperationRunner

COLUMNS = ("#", "When (UTC)", "Who", "Workstation", "Action", "Table", "Key")
PERIODS = (("Last 24 hours", 1), ("Last 7 days", 7), ("Last 30 days", 30), ("All", 0))


class AuditPane(QWidget):
    def __init__(self, session: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("audit_pane")
        self.reader: AuditReader | None = None
        self.records: list[audit.AuditRecord] = []
        self.text = QLineEdit()
        self.text.setObjectName("audit_text")
        self.text.setPlaceholderText(self.tr("Words in values or details"))
        self.text.setMaxLength(200)
        self.actor = QLineEdit()
        self.actor.setObjectName("audit_actor")
        self.actor.setPlaceholderText(self.tr("User"))
        self.action = QComboBox()
        self.action.setObjectName("audit_action")
        self.action.addItems(["", "insert", "update", "delete", *audit.ACTIONS, "user_add",
                              "user_disable", "user_enable", "role_grant", "role_revoke"])
        self.period = QComboBox()
        for label, _days in PERIODS:
            self.period.addItem(self.tr(label))
        search = QPushButton(self.tr("Search"))
        search.setObjectName("audit_search")
        search.clicked.connect(self.search)
        self.text.returnPressed.connect(self.search)
        verify = QPushButton(self.tr("Verify chain"))
        verify.setObjectName("audit_verify")
        verify.clicked.connect(self.verify)
        bar = QHBoxLayout()
        for widget in (self.text, self.actor, self.action, self.period, search, verify):
            bar.addWidget(widget)
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table = QTableView()
        self.table.setObjectName("audit_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.selectionModel().currentRowChanged.connect(self._show)
        self.detail = QPlainTextEdit()
        self.detail.setObjectName("audit_detail")
        self.detail.setReadOnly(True)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setSizes([400, 200])
        self.message = QLabel("")
        self.message.setObjectName("audit_message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter)
        layout.addWidget(self.message)
        # The trail lives in the central database: searches run off the GUI thread.
        self.ops = OperationRunner(parent=self)
        try:
            self.reader = AuditReader(session)
        except Exception as error:  # noqa: BLE001
            self.message.setText(str(error))

    def query(self) -> audit.AuditQuery:
        days = PERIODS[self.period.currentIndex()][1]
        since = datetime.now(UTC) - timedelta(days=days) if days else None
        return audit.AuditQuery(text=self.text.text().strip(), actor=self.actor.text().strip(),
                                action=self.action.currentText(), since=since, limit=1000)

    def search(self) -> None:
        if self.reader is None:
            return
        reader, query, session = self.reader, self.query(), self.session
        detail = {"text": query.text, "actor": query.actor, "action": query.action,
                  "since": query.since.isoformat() if query.since else None}

        def search() -> list:
            _trace(session, "audit_pane", detail)  # reading the trail is itself traced
            return reader.search(query)
        self.ops.read(search, on_done=self._show_records, on_error=self._refused)

    def _refused(self, error: BaseException) -> None:
        # e.g. the database refuses a non-auditor
        self.message.setText(self.tr("Refused: %1").replace("%1", str(error).splitlines()[0]))

    def _show_records(self, records: list) -> None:
        self.records = records
        self.model.removeRows(0, self.model.rowCount())
        for r in self.records:
            self.model.appendRow([QStandardItem(str(v or "")) for v in (
                r.pos, audit.format_at(r.at), r.actor, r.workstation, r.action, r.table_name,
                r.row_key)])
        self.table.resizeColumnsToContents()
        self.message.setText(self.tr("%1 record(s)").replace("%1", str(len(self.records))))

    def _show(self, current, _previous=None) -> None:  # noqa: ANN001
        if not current.isValid() or current.row() >= len(self.records):
            self.detail.clear()
            return
        r = self.records[current.row()]
        parts = []
        for name in ("old", "new", "details"):
            value = r.json(name)
            if value is not None:
                parts.append(f"{name}:\n{json.dumps(value, ensure_ascii=False, indent=2)}")
        parts.append(f"hash: {r.hash}\nprevious: {r.prev_hash}")
        self.detail.setPlainText("\n\n".join(parts))

    def verify(self) -> None:
        if self.reader is None:
            return
        reader, session = self.reader, self.session

        def verify():  # noqa: ANN202 - a Verdict
            _trace(session, "audit_verify", {"via": "audit pane"})
            return reader.verify()
        self.ops.read(verify, on_done=lambda result: self.message.setText(result.message()),
                      on_error=self._refused)


class AuditDialog(QDialog):
    def __init__(self, session: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Audit trail"))
        self.resize(1000, 640)
        self.pane = AuditPane(session, self)
        QVBoxLayout(self).addWidget(self.pane)
        self.pane.search()


def _trace(session: SignedIn, kind: str, detail: dict) -> None:
    try:
        session.trace(kind, detail)
    except Exception:  # noqa: BLE001 - logged loudly; the auditor still sees the trail
        logging.getLogger(__name__).exception("audit read not traced")
