"""The main window: dockable panes, menus with shared actions, and the status bar."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QSizePolicy,
    QToolBar,
    QToolButton,
    QWidget,
)

from console.views.shell.context import AppContext

PaneFactory = Callable[[AppContext], QWidget]


def default_panes() -> list[tuple[str, str, PaneFactory, Qt.DockWidgetArea]]:
    """(key, title, factory, area) of every pane, in menu order."""
    from console.views.eventlog.pane import EventLogPane
    from console.views.map.pane import MapPane
    from console.views.reports.dashboard import DashboardPane
    from console.views.roster.pane import RosterPane

    tr = QMainWindow.tr
    return [
        ("event_log", tr("Event log"), EventLogPane, Qt.DockWidgetArea.LeftDockWidgetArea),
        ("map", tr("Map"), MapPane,
         Qt.DockWidgetArea.RightDockWidgetArea),
        ("roster", tr("Shift planning"), RosterPane,
         Qt.DockWidgetArea.RightDockWidgetArea),
        ("dashboard", tr("Dashboard"), DashboardPane, Qt.DockWidgetArea.RightDockWidgetArea),
    ]


class ConnectionIndicator(QLabel):
    """Status-bar text of the link to the central database, fed by ChangeHub.connection_changed."""

    zone_name: str | None = None  # the centre's time zone, set by the window
    COLOURS = {"online": "#1e8e3e", "degraded": "#e37400", "offline": "#d93025",
               "fault": "#d93025", "embedded": "#1a73e8"}

    def show_state(self, state: dict) -> None:
        name = state.get("state", "offline")
        text = {"online": self.tr("Online"), "degraded": self.tr("Degraded"),
                "offline": self.tr("Offline"), "fault": self.tr("Central fault"),
                "embedded": self.tr("Embedded (demo)")}.get(name, name)
        pending = state.get("pending", 0)
        if pending:
            text += " · " + self.tr("%n change(s) waiting", "", pending)
        failed = state.get("rejected", 0)
        if failed:
            text += " · " + self.tr("%n change(s) refused", "", failed)
        conflicts = state.get("conflicts", 0)
        if conflicts:
            text += " · " + self.tr("%n conflict(s) to resolve", "", conflicts)
        last = state.get("last_sync")
        if last:
            from console.views.shell.i18n import format_time

            # The centre's clock, zone named ("14:05:07 CEST"), whatever the workstation's zone.
            when = format_time(last, getattr(self, "zone_name", None), seconds=True)
            text += " · " + self.tr("last sync %1").replace("%1", when)
        self.setText(text)
        self.setToolTip(state.get("error") or "")  # why the link is degraded or offline
        self.setStyleSheet(f"color: {self.COLOURS.get(name, '#000')}; font-weight: bold;")


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext, panes: list | None = None) -> None:
        super().__init__()
        self.context = context
        self.setObjectName("MainWindow")
        self.setWindowTitle(self.tr("Console - %1").replace("%1", context.actor.centre_code))
        self.setDockNestingEnabled(True)
        self.panes: dict[str, QWidget] = {}
        self.docks: dict[str, QDockWidget] = {}
        self._build_menus()
        for key, title, factory, area in panes if panes is not None else default_panes():
            self._add_pane(key, title, factory(context), area)
        self._build_status_bar()
        if context.exercise:
            self._mark_exercise()
        from console.views.shell.lock import install_security

        install_security(self)  # lock (Ctrl+L), sign-out, admin/audit entries when signed in
        from console.views.shell.help import install_help

        install_help(self)  # F1 shortcut list and pane help, File > Settings
        self._restore_layout()


    def _show_operation_error(self, text: str) -> None:
        self.statusBar().showMessage(text, 15_000)
    def _add_pane(self, key: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> None:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{key}")  # the name QSettings restores the layout by
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        others = [d for k, d in self.docks.items() if self.dockWidgetArea(d) == area]
        if others:
            self.tabifyDockWidget(others[0], dock)
            others[0].raise_()
        self.panes[key] = widget
        self.docks[key] = dock
        self.view_menu.addAction(dock.toggleViewAction())

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.file_menu = file_menu
        report_action = QAction(self.tr("Situation &report..."), self)
        report_action.setShortcut(QKeySequence("Ctrl+R"))
        report_action.triggered.connect(self.open_report_dialog)
        import_action = QAction(self.tr("&Import (CAP, CSV, GeoJSON, KML)..."), self)
        import_action.setShortcut(QKeySequence("Ctrl+I"))
        import_action.triggered.connect(self.open_import_dialog)
        file_menu.addActions([report_action, import_action])
        file_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self.view_menu = self.menuBar().addMenu(self.tr("&View"))
        self.help_menu = self.menuBar().addMenu(self.tr("&Help"))

    def _build_status_bar(self) -> None:
        actor = self.context.actor
        self.user_label = QLabel(self.tr("User: %1").replace("%1", actor.label))
        self.centre_label = QLabel(self.tr("Centre: %1").replace("%1", actor.centre_code))
        self.connection_label = ConnectionIndicator()
        self.connection_label.setObjectName("connection_state")
        from console.models.eventlog.reads import centre_timezone_name

        store = self.context.store
        self.context.ops.read(lambda: centre_timezone_name(store, actor.centre_code),
                              on_done=lambda zone: setattr(self.connection_label, "zone_name",
                                                           zone))
        bar = self.statusBar()
        # Errors of operations that no pane handled itself land here, in one place.
        # A bound method, not a lambda: Qt drops the connection when this window is destroyed.
        self.context.ops.error_message.connect(self._show_operation_error)
        bar.addPermanentWidget(self.user_label)
        bar.addPermanentWidget(self.centre_label)
        bar.addPermanentWidget(self.connection_label)
        initial = "embedded" if self.context.mode == "demo" else "offline"
        self.connection_label.show_state({"state": initial})
        self.context.hub.connection_changed.connect(self.connection_label.show_state)
        # Changes the central database refused for good: the operator must see them and why.
        self.refused_button = QToolButton()
        self.refused_button.setObjectName("refused_changes")
        self.refused_button.setStyleSheet("color:#d93025;font-weight:bold;")
        self.refused_button.hide()
        self.refused_button.clicked.connect(self.show_refused_changes)
        bar.addPermanentWidget(self.refused_button)
        self.context.hub.connection_changed.connect(self._show_refused_count)
        sync = self.context.services.get("sync")
        if sync is not None:
            from console.views.sync.controller import SyncProgressBar

            self.sync_progress = SyncProgressBar(sync)
            bar.addPermanentWidget(self.sync_progress)

    def open_report_dialog(self) -> None:
        from console.views.reports.report_dialog import ReportDialog

        ReportDialog(self.context, self).exec()

    def open_import_dialog(self) -> None:
        from console.views.exchange.import_dialog import ImportDialog

        ImportDialog(self.context, self).exec()

    def _show_refused_count(self, state: dict) -> None:
        refused = state.get("rejected", 0)
        self.refused_button.setText(self.tr("⚠ %n refused", "", refused))
        self.refused_button.setVisible(bool(refused))

    def show_refused_changes(self) -> None:
        from console.views.sync.refused_dialog import RefusedChangesDialog

        RefusedChangesDialog(self.context, self).exec()

    def _mark_exercise(self) -> None:
        """An exercise session is marked on every screen, so nobody mistakes it for real events."""
        text = self.tr("EXERCISE - exercise data only, no real events")
        banner = QLabel(text)
        banner.setObjectName("exercise_banner")
        banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        banner.setStyleSheet("background:#ff9800;color:black;font-weight:bold;padding:4px;")
        bar = QToolBar(self.tr("Exercise"), self)
        bar.setObjectName("exercise_bar")
        bar.setMovable(False)
        bar.addWidget(banner)
        banner.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.setWindowTitle(self.tr("[EXERCISE]") + " " + self.windowTitle())
        exercise_label = QLabel(self.tr("EXERCISE"))
        exercise_label.setStyleSheet("background:#ff9800;color:black;font-weight:bold;padding:0 6px;")
        self.statusBar().insertPermanentWidget(0, exercise_label)

    def _restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("main_window/geometry")
        state = settings.value("main_window/state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1600, 950)
            # First start: the log gets the larger share of the width.
            left = [d for d in self.docks.values()
                    if self.dockWidgetArea(d) == Qt.DockWidgetArea.LeftDockWidgetArea]
            right = [d for d in self.docks.values()
                     if self.dockWidgetArea(d) == Qt.DockWidgetArea.RightDockWidgetArea]
            if left and right:
                self.resizeDocks([left[0], right[0]], [1000, 600], Qt.Orientation.Horizontal)
        if state is not None:
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.context.ops.wait(5_000)  # a write under way is finished before the store closes
        settings = QSettings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.setValue("main_window/state", self.saveState())
        super().closeEvent(event)
