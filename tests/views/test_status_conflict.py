"""Closure wins, as the operator sees it: the detail panel names the status change that came
after the closure, the log table marks the row, and a reopen settles it."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from console.models.actor import Actor
from console.models.store import LocalStore
from console.models.validation import EventDraft
from console.views.eventlog.pane import EventLogPane
from console.views.shell.context import AppContext, ChangeHub

OPERATOR = Actor("alice", "CNCS", display_name="Alice")
COLLEAGUE = Actor("bob", "CNCS", display_name="Bob")
STATUS_COLUMN = 3
CONFLICT = "conflict: bob set In progress after it was closed by alice"


@pytest.fixture
def context(tmp_path) -> AppContext:
    return AppContext(store=LocalStore(tmp_path / "local.sqlite3"), actor=OPERATOR, hub=ChangeHub())


@pytest.fixture
def pane(qtbot, context) -> EventLogPane:
    widget = EventLogPane(context)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitUntil(context.ops.is_idle, timeout=5000)
    return widget


def test_a_status_change_after_the_closure_is_shown_as_a_conflict(qtbot, pane, context):
    log = context.eventlog
    event, changes = log.create_event(COLLEAGUE, EventDraft(title="Colis suspect",
                                                            category="security", severity=3))
    context.hub.publish(changes)
    log.add_follow_up(OPERATOR, event.id, "status", new_status="closed")
    # bob, who had not seen the closure (offline), sets the entry in progress.
    _, changes = log.add_follow_up(COLLEAGUE, event.id, "status", new_status="in_progress")
    context.hub.publish(changes)
    assert pane.select_event(event.id)
    qtbot.waitUntil(context.ops.is_idle, timeout=5000)
    detail = pane.detail
    qtbot.waitUntil(lambda: CONFLICT in detail.header.text())
    assert "Closed" in detail.header.text()
    assert "not applied" in detail.thread_view.toPlainText()
    assert not detail.start_button.isEnabled()  # closure wins: reopen first
    status_cell = pane.model.index(0, STATUS_COLUMN)
    assert pane.model.data(status_cell) == "Closed ⚠"
    assert pane.model.data(status_cell, Qt.ItemDataRole.ToolTipRole) == CONFLICT
    # alice agrees it is still in progress: a reopen, then in progress, as before.
    qtbot.mouseClick(detail.reopen_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(context.ops.is_idle, timeout=5000)
    qtbot.waitUntil(lambda: "conflict" not in detail.header.text())
    qtbot.mouseClick(detail.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(context.ops.is_idle, timeout=5000)
    qtbot.waitUntil(lambda: pane.model.data(status_cell) == "In progress")
    assert pane.model.data(status_cell, Qt.ItemDataRole.ToolTipRole) is None
    assert "conflict" not in detail.header.text()
