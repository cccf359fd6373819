"""Collect every user-visible string of a window: labels, buttons, menus, actions, headers,
tooltips, placeholders, combo items, tab and dock titles, each with where it was found."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

Found = dict[str, set[str]]  # text -> places it was seen


def _add(found: Found, text: str | None, where: str) -> None:
    if text and text.strip():
        found.setdefault(text.strip(), set()).add(where)


def _name(widget: QWidget) -> str:
    return f"{type(widget).__name__}({widget.objectName() or '-'})"


def _collect_widget(widget: QWidget, found: Found) -> None:
    where = _name(widget)
    _add(found, widget.toolTip(), f"{where}.toolTip")
    if isinstance(widget, QLabel) and widget.textFormat() != Qt.TextFormat.RichText:
        _add(found, widget.text(), f"{where}.text")
    elif isinstance(widget, QLabel):
        from PySide6.QtGui import QTextDocumentFragment

        _add(found, QTextDocumentFragment.fromHtml(widget.text()).toPlainText(), f"{where}.html")
    if isinstance(widget, QAbstractButton):
        _add(found, widget.text(), f"{where}.text")
    if isinstance(widget, QGroupBox):
        _add(found, widget.title(), f"{where}.title")
    if isinstance(widget, QLineEdit):
        _add(found, widget.placeholderText(), f"{where}.placeholder")
    if isinstance(widget, (QPlainTextEdit, QTextEdit)):
        _add(found, widget.placeholderText(), f"{where}.placeholder")
    if isinstance(widget, QComboBox):
        for i in range(widget.count()):
            _add(found, widget.itemText(i), f"{where}.item")
        if widget.isEditable() and widget.lineEdit() is not None:
            _add(found, widget.lineEdit().placeholderText(), f"{where}.placeholder")
    if isinstance(widget, QTabBar):
        for i in range(widget.count()):
            _add(found, widget.tabText(i), f"{where}.tab")
            _add(found, widget.tabToolTip(i), f"{where}.tabToolTip")
    if isinstance(widget, QDockWidget):
        _add(found, widget.windowTitle(), f"{where}.title")
    if isinstance(widget, QHeaderView) and widget.model() is not None:
        model = widget.model()
        count = widget.count()
        for section in range(min(count, 50)):
            if widget.isSectionHidden(section):
                continue
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.headerData(section, widget.orientation(), role)
                if isinstance(value, str) and widget.orientation() == Qt.Orientation.Horizontal:
                    _add(found, value, f"{where}.header")
    if isinstance(widget, QMenu):
        _add(found, widget.title(), f"{where}.title")


def _collect_action(action: QAction, found: Found) -> None:
    where = f"QAction({action.objectName() or '-'})"
    _add(found, action.text(), f"{where}.text")
    if action.toolTip() != action.text().replace("&", ""):  # Qt derives the tooltip otherwise
        _add(found, action.toolTip(), f"{where}.toolTip")
    _add(found, action.statusTip(), f"{where}.statusTip")
    if action.menu() is not None:
        _add(found, action.menu().title(), f"{where}.menu")


def visible_texts(window: QMainWindow) -> Found:
    """Every text the user can see, raising each dock in turn so tabbed panes count too."""
    found: Found = {}
    _add(found, window.windowTitle(), "window.title")
    docks = window.findChildren(QDockWidget)
    for dock in docks or [None]:
        if dock is not None:
            dock.raise_()
        for _ in range(3):
            QCoreApplication.processEvents()
        for widget in window.findChildren(QWidget):
            if widget.isVisibleTo(window) or isinstance(widget, (QDockWidget, QMenu)):
                _collect_widget(widget, found)
    for action in window.findChildren(QAction):
        _collect_action(action, found)
    for action in window.menuBar().actions():
        _add(found, action.text(), "menubar")
        if action.menu() is not None:
            for sub in action.menu().actions():
                _collect_action(sub, found)
    for view in window.findChildren(QAbstractItemView):
        model = view.model()
        if model is not None:
            try:
                columns = model.columnCount(QModelIndex())
            except TypeError:  # list models hide columnCount
                columns = 1
            for column in range(min(columns, 50)):
                value = model.headerData(column, Qt.Orientation.Horizontal)
                if isinstance(value, str):
                    _add(found, value, f"{_name(view)}.header")
    return found


def dialog_texts(dialog: QWidget) -> Found:
    """Every text of a dialog, pages not shown yet included (wizard pages, tabs)."""
    found: Found = {}
    _add(found, dialog.windowTitle(), "dialog.title")
    for widget in [dialog, *dialog.findChildren(QWidget)]:
        _collect_widget(widget, found)
        for attr in ("title", "subTitle"):  # QWizardPage
            getter = getattr(widget, attr, None)
            if callable(getter) and type(widget).__name__.endswith("Page"):
                _add(found, getter(), f"{_name(widget)}.{attr}")
    for action in dialog.findChildren(QAction):
        _collect_action(action, found)
    return found
