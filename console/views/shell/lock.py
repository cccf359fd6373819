"""Locking the workstation (Ctrl+L): an opaque cover hides the data until the password is given again.

Also installs the security entries of the main window: Lock, Sign out, Administration (for
administrators) and the audit trail pane (for auditors).
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class LockCover(QWidget):
    """Covers the whole window; only this widget stays enabled while locked."""

    unlock_requested = Signal(str)
    sign_out_requested = Signal()

    def __init__(self, parent: QWidget, who: str) -> None:
        super().__init__(parent)
        self.setObjectName("lock_cover")
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#lock_cover { background: #1f2a36; } QLabel { color: white; }")
        title = QLabel(self.tr("Workstation locked"))
        title.setStyleSheet("font-size: 20pt; font-weight: bold;")
        self.who = QLabel(self.tr("Signed in: %1").replace("%1", who))
        self.who.setTextFormat(Qt.TextFormat.PlainText)
        self.password = QLineEdit()
        self.password.setObjectName("lock_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Password"))
        self.password.setMaxLength(1024)
        self.password.returnPressed.connect(self._submit)
        self.message = QLabel("")
        self.message.setObjectName("lock_message")
        unlock = QPushButton(self.tr("Unlock"))
        unlock.clicked.connect(self._submit)
        sign_out = QPushButton(self.tr("Sign out"))
        sign_out.clicked.connect(self.sign_out_requested)
        self.password.setMaximumWidth(320)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.password)
        row.addWidget(unlock)
        row.addWidget(sign_out)
        row.addStretch(1)
        box = QVBoxLayout(self)
        box.addStretch(1)
        for widget in (title, self.who):
            box.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addLayout(row)
        box.addWidget(self.message, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addStretch(2)

    def _submit(self) -> None:
        text = self.password.text()
        self.password.clear()
        self.unlock_requested.emit(text)


class WorkstationLock(QObject):
    """Locks and unlocks one main window; `check(password) -> bool` verifies the password."""

    locked_changed = Signal(bool)
    sign_out_requested = Signal()

    def __init__(self, window: QMainWindow, check: Any, who: str) -> None:
        super().__init__(window)
        self.window = window
        self.check = check
        self.who = who
        self.cover: LockCover | None = None
        self._disabled: list[QWidget] = []
        self._title = ""

    @property
    def locked(self) -> bool:
        return self.cover is not None

    def lock(self) -> None:
        if self.locked:
            return
        # Disabled widgets take no input and no shortcuts; the cover hides what they show.
        self._disabled = [w for w in self.window.findChildren(QWidget)
                          if w.parent() is self.window and w.isEnabled()]
        for widget in self._disabled:
            widget.setEnabled(False)
        for dock in self._docks():
            dock.widget() and dock.widget().setVisible(False)
        self._title = self.window.windowTitle()
        self.window.setWindowTitle(self.tr("Console - locked"))
        self.cover = LockCover(self.window, self.who)
        self.cover.unlock_requested.connect(self._try)
        self.cover.sign_out_requested.connect(self.sign_out_requested)
        self.cover.setGeometry(self.window.rect())
        self.cover.show()
        self.cover.raise_()
        self.cover.password.setFocus()
        self.window.installEventFilter(self)
        self.locked_changed.emit(True)

    def _docks(self) -> list:
        from PySide6.QtWidgets import QDockWidget

        return self.window.findChildren(QDockWidget)

    def _try(self, password: str) -> None:
        if self.cover is None:
            return
        if self.check(password):
            self.unlock()
        else:
            self.cover.message.setText(self.tr("Wrong password."))

    def unlock(self) -> None:
        if self.cover is None:
            return
        self.window.removeEventFilter(self)
        self.cover.hide()
        self.cover.deleteLater()
        self.cover = None
        for widget in self._disabled:
            widget.setEnabled(True)
        for dock in self._docks():
            dock.widget() and dock.widget().setVisible(True)
        self._disabled = []
        self.window.setWindowTitle(self._title)
        self.locked_changed.emit(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.window and event.type() == QEvent.Type.Resize and self.cover:
            self.cover.setGeometry(self.window.rect())
        return False


class IdleLocker(QObject):
    """Locks after `minutes` without keyboard or mouse input in the main window.

    The filter sits on the window's QWindow, where every key and mouse event of the window
    passes, not on the QApplication: an application-wide Python filter is called for every
    event of every object, including objects still being built (QtWebEngine's request jobs),
    and wrapping those crashed PySide (infinite recursion on ChildAdded).
    """

    INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
             QEvent.Type.Wheel, QEvent.Type.TouchBegin}

    def __init__(self, lock: WorkstationLock, minutes: float) -> None:
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        super().__init__(lock)
        self.lock = lock
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(1, int(minutes * 60_000)))
        self.timer.timeout.connect(lock.lock)
        window = lock.window
        if QApplication.instance() is not None and minutes > 0:
            window.winId()  # creates the native window now, so its QWindow exists
            handle = window.windowHandle()
            if handle is not None:
                handle.installEventFilter(self)
                self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in self.INPUT and not self.lock.locked:
            self.timer.start()  # restart the countdown
        return False


def install_security(window: QMainWindow) -> WorkstationLock | None:
    """Lock / sign-out actions and role-dependent entries; nothing without a signed-in session."""
    context = window.context  # type: ignore[attr-defined]
    security = context.services.get("security")
    if security is None:
        return None
    auth, session = security.authenticator, security.session
    lock = WorkstationLock(window, lambda pw: auth.check_again(session, pw),
                           session.actor.label)
    lock.locked_changed.connect(lambda on: auth.record(session, "lock") if on else None)
    lock.sign_out_requested.connect(security.sign_out)
    lock_action = QAction(window.tr("&Lock workstation"), window)
    lock_action.setObjectName("action_lock")
    lock_action.setShortcut(QKeySequence("Ctrl+L"))
    lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
    lock_action.triggered.connect(lock.lock)
    sign_out_action = QAction(window.tr("Sign &out"), window)
    sign_out_action.setObjectName("action_sign_out")
    sign_out_action.triggered.connect(security.sign_out)
    menu = window.menuBar().addMenu(window.tr("&Security"))
    menu.setObjectName("menu_security")
    menu.addAction(lock_action)
    menu.addAction(sign_out_action)
    window.addAction(lock_action)  # the shortcut works whatever pane has the focus
    from console.models.security import Role, roles_of

    roles = roles_of(session.actor)
    if Role.ADMINISTRATOR in roles:
        admin = QAction(window.tr("&Users and roles..."), window)
        admin.setObjectName("action_admin")
        admin.triggered.connect(lambda: security.open_admin(window))
        menu.addAction(admin)
    if Role.AUDITOR in roles:
        trail = QAction(window.tr("&Audit trail"), window)
        trail.setObjectName("action_audit")
        trail.triggered.connect(lambda: security.open_audit(window))
        menu.addAction(trail)
    from PySide6.QtCore import QSettings

    # Unattended screens lock themselves (0 turns it off; a setting, not a secret).
    minutes = float(QSettings().value("security/idle_lock_minutes", 10) or 0)
    lock.locked_changed.connect(lambda on: None if on else idle.timer.start())
    idle = IdleLocker(lock, minutes)
    window.idle_locker = idle  # type: ignore[attr-defined]
    window.workstation_lock = lock  # type: ignore[attr-defined]
    return lock
