"""Help (F1): every keyboard shortcut of the window, read from its actions, and a page per pane.

The shortcut list is built from the live window (QActions and QShortcuts), never typed by hand,
so it cannot drift from what the keys really do.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)


def pane_help() -> dict[str, tuple[str, str]]:
    """key -> (title, short help) of each pane; translated when called."""
    translate = QCoreApplication.translate  # lupdate reads the context from each call
    return {
        "event_log": (translate("HelpDialog", "Event log"), translate(
            "HelpDialog",
            "The main courante: every event of the centre, newest first. Ctrl+N writes a new "
            "entry; Ctrl+F searches titles, descriptions and places; the period and category "
            "filters also drive the map. Select an entry to read and add its follow-ups "
            "(Ctrl+Enter). Entries are never edited or deleted: add a correction instead.")),
        "map": (translate("HelpDialog", "Map"), translate(
            "HelpDialog",
            "The events of the log's current filter, the venues and the drawn zones. Click a "
            "marker to select its entry; right-click on the map to start an entry at that point; "
            "use the drawing tools to add a zone. The map works offline from the tile cache "
            "(console tiles prefetch).")),
        "roster": (translate("HelpDialog", "Shift planning"), translate(
            "HelpDialog",
            "Who is on duty at which desk for each shift. Rest and working-time rules are "
            "checked on every change; an override needs a reason and is recorded.")),
        "dashboard": (translate("HelpDialog", "Dashboard"), translate(
            "HelpDialog",
            "Figures of the last 24 hours, open events by severity, events per venue and zone, "
            "and the oversight lists (entries not acknowledged, critical entries without "
            "follow-up).")),
    }


def _label(action_text: str) -> str:
    return action_text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(".…")


def shortcuts_of(window: QWidget) -> list[tuple[str, str]]:
    """(what, keys) for every action and QShortcut of the window that has a key, sorted."""
    rows: dict[tuple[str, str], None] = {}
    for action in window.findChildren(QAction):
        keys = [k for k in action.shortcuts() if not k.isEmpty()]
        text = _label(action.text() or action.toolTip())
        if keys and text:
            rows[(text, ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText)
                                  for k in keys))] = None
    for shortcut in window.findChildren(QShortcut):
        key = shortcut.key()
        if key.isEmpty():
            continue
        text = shortcut.whatsThis() or shortcut.objectName().replace("_", " ")
        if text:
            rows[(text, key.toString(QKeySequence.SequenceFormat.NativeText))] = None
    return sorted(rows, key=lambda row: row[0].lower())


class HelpDialog(QDialog):
    """Two tabs: the keyboard shortcuts of the window, and a short help per pane."""

    def __init__(self, window: QMainWindow, pane: str | None = None) -> None:
        super().__init__(window)
        self.setObjectName("help_dialog")
        self.setWindowTitle(self.tr("Help"))
        self.resize(720, 560)
        self.tabs = QTabWidget(self)

        rows = shortcuts_of(window)
        self.shortcuts = QTableWidget(len(rows), 2, self)
        self.shortcuts.setObjectName("shortcut_table")
        self.shortcuts.setHorizontalHeaderLabels([self.tr("Action"), self.tr("Keys")])
        self.shortcuts.verticalHeader().hide()
        self.shortcuts.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.shortcuts.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.shortcuts.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents)
        for row, (what, keys) in enumerate(rows):
            self.shortcuts.setItem(row, 0, QTableWidgetItem(what))
            self.shortcuts.setItem(row, 1, QTableWidgetItem(keys))
        self.tabs.addTab(self.shortcuts, self.tr("Keyboard shortcuts"))

        self.pages = QTextBrowser(self)
        self.pages.setObjectName("pane_help")
        panes = getattr(window, "panes", {})
        parts = []
        for key, (title, text) in pane_help().items():
            if key in panes or not panes:
                parts.append(f"<h3 id='{key}'>{title}</h3><p>{text}</p>")
        parts.append("<h3>" + self.tr("Diagnostics") + "</h3><p>" + self.tr(
            "Run <tt>console doctor</tt> in a terminal to check the configuration, the keyring, "
            "the local store, the tile cache and the link to the central database; "
            "<tt>console --self-test</tt> checks the installation.") + "</p>")
        self.pages.setHtml("".join(parts))
        self.tabs.addTab(self.pages, self.tr("Panes"))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Press F1 at any time to open this help."), self))
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        if pane:
            self.tabs.setCurrentWidget(self.pages)
            self.pages.scrollToAnchor(pane)


def current_pane(window: QMainWindow) -> str | None:
    """The pane holding the keyboard focus, to open its help page first."""
    focus = window.focusWidget()
    for key, widget in getattr(window, "panes", {}).items():
        if focus is not None and (focus is widget or widget.isAncestorOf(focus)):
            return key
    return None


def install_help(window: QMainWindow) -> None:
    """F1 help in the Help menu, pane descriptions on the View menu, Settings in the File menu."""
    help_menu = getattr(window, "help_menu", None) or window.menuBar().addMenu(
        QCoreApplication.translate("MainWindow", "&Help"))
    action = QAction(QCoreApplication.translate("HelpDialog", "Keyboard shortcuts and &help"), window)
    action.setObjectName("action_help")
    action.setShortcut(QKeySequence(Qt.Key.Key_F1))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda: HelpDialog(window, current_pane(window)).exec())
    help_menu.addAction(action)
    setattr(window, "help_action", action)  # noqa: B010 (tests and other code reach it)
    # The View menu entry of each pane says what the pane is for (menus show status tips).
    for key, (_title, text) in pane_help().items():
        dock = getattr(window, "docks", {}).get(key)
        if dock is not None:
            dock.toggleViewAction().setStatusTip(text)
            dock.toggleViewAction().setToolTip(text)
    from console.views.shell.settings_dialog import install_settings

    install_settings(window)
