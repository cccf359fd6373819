"""Detail panel of one entry: its facts, its follow-up thread, and the actions of a follow-up."""
from __future__ import annotations

import html
import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from console.models.enums import SEVERITY_COLOURS, FollowUpKind, LinkKind, Severity, Status
from console.models.eventlog.reads import EventDetail, event_detail, search_titles
from console.views.eventlog.table_model import (
    CONFLICT_MARK,
    category_label,
    conflict_text,
    severity_label,
    status_label,
)
from console.views.shell.context import AppContext


def kind_label(kind: str) -> str:
    return {
        FollowUpKind.NOTE: QWidget.tr("Follow-up"),
        FollowUpKind.CORRECTION: QWidget.tr("Correction"),
        FollowUpKind.STATUS: QWidget.tr("Status"),
        FollowUpKind.ACKNOWLEDGEMENT: QWidget.tr("Acknowledged"),
        FollowUpKind.DECISION: QWidget.tr("Decision"),
    }.get(kind, kind)


def link_label(kind: str) -> str:
    return {
        LinkKind.DUPLICATE_OF: QWidget.tr("duplicate of"),
        LinkKind.CAUSED_BY: QWidget.tr("caused by"),
        LinkKind.RELATED_TO: QWidget.tr("related to"),
    }.get(kind, kind)


class LinkDialog(QDialog):
    """Find another entry by text and link this one to it."""

    def __init__(self, context: AppContext, event_id: uuid.UUID, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.event_id = event_id
        self.setWindowTitle(self.tr("Link to another entry"))
        self.kind_combo = QComboBox()
        for kind in LinkKind:
            self.kind_combo.addItem(link_label(kind.value), kind.value)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("Search the log (words of the title, place...)"))
        self.results = QListWidget()
        self.error = QLabel()
        self.error.setStyleSheet("color: #d93025;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.kind_combo)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.results)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.search_edit.textChanged.connect(self.search)
        self.search("")

    def search(self, text: str) -> None:
        store = self.context.store
        self._searched = text
        self.context.ops.read(lambda: search_titles(store, text),
                              on_done=lambda rows: self._show_results(text, rows))

    def _show_results(self, text: str, rows: list) -> None:
        if text != self._searched:
            return  # the operator typed on since: a newer search is under way
        self.results.clear()
        for row in rows:
            if row.id == self.event_id:
                continue
            item = QListWidgetItem(f"{row.occurred_at.astimezone():%d/%m %H:%M}  {row.title}"
                                   f"  ({row.place})")
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def submit(self) -> None:
        item = self.results.currentItem()
        if item is None:
            self.error.setText(self.tr("Choose the entry to link to."))
            return
        eventlog, actor, event_id = self.context.eventlog, self.context.actor, self.event_id
        target, kind = item.data(Qt.ItemDataRole.UserRole), self.kind_combo.currentData()
        self.context.ops.write(lambda: eventlog.link(actor, event_id, target, kind),
                               initiator=self.parent(), on_done=lambda _link: self.accept(),
                               on_error=self._refused)

    def _refused(self, error: BaseException) -> None:
        from console.views.shell.operations import error_text

        self.error.setText(error_text(error))


class EventDetailPanel(QWidget):
    """Shows the selected entry; every action adds a follow-up, nothing is edited in place."""

    link_activated = Signal(object)  # uuid of the linked event

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.event_id: uuid.UUID | None = None
        self.detail: EventDetail | None = None  # what is shown, read off the GUI thread
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.thread_view = QTextBrowser()
        self.thread_view.setOpenLinks(False)
        self.thread_view.anchorClicked.connect(
            lambda url: self.link_activated.emit(uuid.UUID(url.toString().split(":", 1)[1])))
        self.kind_combo = QComboBox()
        for kind in (FollowUpKind.NOTE, FollowUpKind.CORRECTION, FollowUpKind.DECISION):
            self.kind_combo.addItem(kind_label(kind.value), kind.value)
        self.follow_up_edit = QPlainTextEdit()
        self.follow_up_edit.setPlaceholderText(self.tr("Add a follow-up (Ctrl+Enter)"))
        self.follow_up_edit.setFixedHeight(60)
        self.add_button = QPushButton(self.tr("Add"))
        self.ack_button = QPushButton(self.tr("Acknowledge"))
        self.start_button = QPushButton(self.tr("In progress"))
        self.close_button = QPushButton(self.tr("Close"))
        self.reopen_button = QPushButton(self.tr("Reopen"))
        self.link_button = QPushButton(self.tr("Link..."))
        self.message = QLabel()
        self.message.setObjectName("detail_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #d93025;")

        actions = QHBoxLayout()
        for button in (self.ack_button, self.start_button, self.close_button,
                       self.reopen_button, self.link_button):
            actions.addWidget(button)
        entry = QHBoxLayout()
        entry.addWidget(self.kind_combo)
        entry.addWidget(self.follow_up_edit, 1)
        entry.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.header)
        layout.addWidget(self.thread_view, 1)
        layout.addLayout(actions)
        layout.addLayout(entry)
        layout.addWidget(self.message)

        self.add_button.clicked.connect(self.add_follow_up)
        QShortcut(QKeySequence("Ctrl+Return"), self.follow_up_edit, self.add_follow_up)
        self.ack_button.clicked.connect(self.acknowledge)
        self.start_button.clicked.connect(lambda: self.change_status(Status.IN_PROGRESS))
        self.close_button.clicked.connect(lambda: self.change_status(Status.CLOSED))
        self.reopen_button.clicked.connect(lambda: self.change_status(Status.OPEN))
        self.link_button.clicked.connect(self.open_link_dialog)
        self.show_event(None)

    # -- display -----------------------------------------------------------------------------------

    def show_event(self, event_id: uuid.UUID | None) -> None:
        """Show an entry (None: nothing); its facts and thread are read off the GUI thread."""
        self.event_id = event_id
        if event_id is None:
            self._display(None)
            return
        eventlog, centre = self.context.eventlog, self.context.actor.centre_code
        self.context.ops.read(lambda: event_detail(eventlog, event_id, centre),
                              on_done=lambda detail: self._shown(event_id, detail))

    def _shown(self, event_id: uuid.UUID, detail: EventDetail | None) -> None:
        if event_id == self.event_id:  # else another entry was selected meanwhile
            self._display(detail)

    def _display(self, detail: EventDetail | None) -> None:
        self.detail = detail
        event = detail.event if detail is not None else None
        for widget in (self.add_button, self.ack_button, self.start_button, self.close_button,
                       self.reopen_button, self.link_button, self.follow_up_edit,
                       self.kind_combo):
            widget.setEnabled(event is not None)
        self.message.clear()
        if detail is None or event is None:
            self.header.setText(self.tr("<i>Select an entry to see its follow-ups.</i>"))
            self.thread_view.clear()
            return
        # Closure wins: a closed entry is reopened first (Reopen), not set in progress.
        self.start_button.setEnabled(event.status == Status.OPEN)
        self.close_button.setEnabled(event.status != Status.CLOSED)
        self.reopen_button.setEnabled(event.status == Status.CLOSED)
        self.ack_button.setEnabled(event.author != self.context.actor.username)
        colour = SEVERITY_COLOURS.get(Severity(event.severity), "#ccc")
        esc = html.escape
        time = lambda moment: self._time(moment, detail.timezone)  # noqa: E731
        coordinates = (f"{event.latitude:.5f}, {event.longitude:.5f}"
                       if event.latitude is not None and event.longitude is not None else "")
        self.header.setText(
            f"<div style='font-size:14px'><b>{esc(event.title)}</b></div>"
            f"<span style='background:{colour};padding:2px 6px'>{esc(severity_label(event.severity))}"
            f"</span> &nbsp; {esc(category_label(event.category))} &nbsp;·&nbsp; "
            f"<b>{esc(status_label(event.status))}</b><br>"
            + self.tr("Occurred %1 · written %2 by %3 (%4)")
            .replace("%1", time(event.occurred_at)).replace("%2", time(event.recorded_at))
            .replace("%3", esc(event.author)).replace("%4", esc(event.centre_code))
            + "<br>" + esc(" · ".join(p for p in (event.place, coordinates, event.source) if p))
            + self._conflicts_html(detail)
        )
        self._show_thread(detail)

    @staticmethod
    def _conflicts_html(detail: EventDetail) -> str:
        """Closure wins: each status change written after the closure, named where it shows."""
        return "".join(f"<br><span style='color:#b06000'>{CONFLICT_MARK} "
                       f"{html.escape(conflict_text(conflict))}</span>"
                       for conflict in detail.conflicts)

    def _show_thread(self, detail: EventDetail) -> None:
        esc, event = html.escape, detail.event
        time = lambda moment: self._time(moment, detail.timezone)  # noqa: E731
        parts = [f"<p style='white-space:pre-wrap'>{esc(event.description)}</p>"]
        if detail.on_duty:
            names = ", ".join(f"{esc(row.display_name)} ({esc(row.desk_code)})"
                              for row in detail.on_duty)
            parts.append(f"<p style='color:#555'>{esc(self.tr('On duty when written:'))} {names}</p>")
        for link, other in detail.links:
            outgoing = link.event_id == event.id
            text = (link_label(link.kind) if outgoing
                    else self.tr("linked as %1 by").replace("%1", link_label(link.kind)))
            parts.append(f"<p>🔗 {esc(text)} <a href='event:{other.id}'>{esc(other.title)}</a>"
                         f" ({time(other.occurred_at)})</p>")
        parts.append("<hr>")
        not_applied = {conflict.follow_up_id for conflict in detail.conflicts}
        for follow_up in detail.thread:
            pending = "" if follow_up.server_seq is not None else " ⏳"
            body = esc(follow_up.text)
            if follow_up.kind == FollowUpKind.STATUS:
                body = "→ " + esc(status_label(follow_up.new_status or ""))
                if follow_up.id in not_applied:
                    body += f" {CONFLICT_MARK} " + esc(self.tr("(not applied: the event was closed)"))
            parts.append(
                f"<p><span style='color:#555'>{time(follow_up.recorded_at)}</span> "
                f"<b>{esc(follow_up.author)}</b> · <i>{esc(kind_label(follow_up.kind))}</i>"
                f"{pending}<br><span style='white-space:pre-wrap'>{body}</span></p>")
        self.thread_view.setHtml("".join(parts))

    @staticmethod
    def _time(moment, zone_name: str) -> str:  # noqa: ANN001
        """In the centre's time zone, named, in the user's locale: '26/07/2024 14:05:07 CEST'."""
        from console.views.shell.i18n import format_datetime

        return format_datetime(moment, zone_name, seconds=True)

    # -- actions -----------------------------------------------------------------------------------

    def _run(self, operation, on_done=None) -> None:  # noqa: ANN001
        """Write a follow-up through the runner; refused input shows under the buttons."""
        def done(_row) -> None:  # noqa: ANN001
            if on_done is not None:
                on_done()
            self.show_event(self.event_id)

        self.context.ops.write(operation, initiator=self, on_done=done, on_error=self._refused)

    def _refused(self, error: BaseException) -> None:
        from console.views.shell.operations import error_text

        self.message.setText(error_text(error, self.tr))

    def add_follow_up(self) -> None:
        if self.event_id is None:
            return
        eventlog, actor, event_id = self.context.eventlog, self.context.actor, self.event_id
        kind, text = self.kind_combo.currentData(), self.follow_up_edit.toPlainText()
        self._run(lambda: eventlog.add_follow_up(actor, event_id, kind, text),
                  on_done=self.follow_up_edit.clear)

    def acknowledge(self) -> None:
        if self.event_id is not None:
            eventlog, actor, event_id = self.context.eventlog, self.context.actor, self.event_id
            self._run(lambda: eventlog.add_follow_up(actor, event_id,
                                                     FollowUpKind.ACKNOWLEDGEMENT))

    def change_status(self, status: Status) -> None:
        if self.event_id is not None:
            eventlog, actor, event_id = self.context.eventlog, self.context.actor, self.event_id
            self._run(lambda: eventlog.add_follow_up(actor, event_id, FollowUpKind.STATUS,
                                                     new_status=status.value))

    def open_link_dialog(self) -> None:
        if self.event_id is not None:
            dialog = LinkDialog(self.context, self.event_id, self)
            if dialog.exec():
                self.show_event(self.event_id)
