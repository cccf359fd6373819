"""Main window: docked panes, status bar, layout kept across restarts, exercise marking."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel

from console.models.actor import Actor
from console.models.store import LocalStore
from console.views.eventlog.pane import EventLogPane
from console.views.shell.context import AppContext, ChangeHub
from console.views.shell.main_window import MainWindow

LEFT, RIGHT = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea


def panes():
    return [("event_log", "Event log", EventLogPane, LEFT),
            ("other", "Other", lambda ctx: QLabel("Other"), RIGHT)]


def make_context(tmp_path, **kw) -> AppContext:
    return AppContext(store=LocalStore(tmp_path / "l.sqlite3"), hub=ChangeHub(),
                      actor=Actor("alice", "CNCS", display_name="Alice Martin"), **kw)


def test_status_bar_shows_user_centre_and_connection(qtbot, tmp_path):
    context = make_context(tmp_path, mode="central")
    window = MainWindow(context, panes())
    qtbot.addWidget(window)
    assert "Alice Martin" in window.user_label.text()
    assert "CNCS" in window.centre_label.text()
    assert window.connection_label.text() == "Offline"
    from datetime import UTC, datetime

    context.hub.connection_changed.emit({"state": "online", "pending": 3,
                                         "last_sync": datetime.now(UTC)})
    assert window.connection_label.text().startswith("Online")
    assert "3" in window.connection_label.text()


def test_layout_is_restored_at_next_start(qtbot, tmp_path):
    QCoreApplication.setOrganizationName("console-test")
    QCoreApplication.setApplicationName(f"layout-{tmp_path.name}")
    context = make_context(tmp_path)
    first = MainWindow(context, panes())
    qtbot.addWidget(first)
    first.show()
    first.docks["other"].hide()
    first.close()  # saves geometry and dock state
    second = MainWindow(context, panes())
    qtbot.addWidget(second)
    second.show()
    assert not second.docks["other"].isVisible()
    assert second.docks["event_log"].isVisible()


def test_exercise_session_is_marked(qtbot, tmp_path):
    window = MainWindow(make_context(tmp_path, exercise=True), panes())
    qtbot.addWidget(window)
    assert "EXERCISE" in window.windowTitle()
    assert window.findChild(type(window.user_label), "exercise_banner") is not None


def test_refused_changes_are_visible_to_the_operator(qtbot, tmp_path):
    context = make_context(tmp_path, mode="central")
    window = MainWindow(context, panes())
    qtbot.addWidget(window)
    window.show()
    assert not window.refused_button.isVisible()
    context.hub.connection_changed.emit({"state": "online", "rejected": 2, "error": None})
    assert window.refused_button.isVisible() and "2" in window.refused_button.text()
    context.hub.connection_changed.emit({"state": "offline", "error": "connection refused"})
    assert window.connection_label.toolTip() == "connection refused"
    assert not window.refused_button.isVisible()
