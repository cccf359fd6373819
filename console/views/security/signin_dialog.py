"""The sign-in dialog shown before the main window: user name, password, remember in the keyring."""
from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from console.models.security.signin import Authenticator, SignedIn, SignInError
from console.views.shell.operations import OperationHandle, OperationRunner


def sign_in_failure(error: BaseException) -> str:
    """What the dialog says when a sign-in fails: the refusal itself, or the first line."""
    if isinstance(error, SignInError):
        return str(error)
    first = (str(error).splitlines() or [type(error).__name__])[0]
    return f"Sign-in failed: {first[:300]}"


class SignInDialog(QDialog):
    """Asks for the user name and password; `session` holds the result once accepted."""

    def __init__(self, authenticator: Authenticator, parent: QWidget | None = None, *,
                 title: str = "", username: str = "", hint: str = "") -> None:
        super().__init__(parent)
        self.authenticator = authenticator
        self.session: SignedIn | None = None
        # Shown before any AppContext: the dialog has its own runner for the network round-trip
        # (up to the connect timeout), which never runs on the GUI thread.
        self.ops = OperationRunner(parent=self)
        self._job: OperationHandle | None = None
        self.setObjectName("signin_dialog")
        self.setWindowTitle(title or self.tr("Console - sign in"))
        self.setModal(True)
        self.username = QLineEdit(username or str(QSettings().value("signin/last_user", "")))
        self.username.setObjectName("signin_username")
        self.username.setMaxLength(63)
        self.password = QLineEdit()
        self.password.setObjectName("signin_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(1024)
        self.remember = QCheckBox(self.tr("Remember the password in the system keyring"))
        self.remember.setObjectName("signin_remember")
        self.remember.setVisible(bool(authenticator.central_url))
        self.message = QLabel(hint)
        self.message.setObjectName("signin_message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # user text is never rich text
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.remember)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.username.editingFinished.connect(self._fill_remembered)
        self.password.returnPressed.connect(self.submit)
        (self.password if self.username.text() else self.username).setFocus()
        self._fill_remembered()

    def _fill_remembered(self) -> None:
        try:
            remembered = self.authenticator.remembered_password(self.username.text().strip())
        except Exception:  # noqa: BLE001 - no keyring: the user types it
            remembered = None
        if remembered and not self.password.text():
            self.password.setText(remembered)
            self.remember.setChecked(True)

    def submit(self) -> None:
        if self._job is not None:
            return
        username, password = self.username.text().strip(), self.password.text()
        remember = self.remember.isChecked()
        self.message.setText(self.tr("Signing in..."))
        self.buttons.setEnabled(False)
        authenticator = self.authenticator
        self._job = self.ops.read(
            lambda: authenticator.sign_in(username, password, remember=remember),
            on_done=self._done, on_error=lambda error: self._failed(sign_in_failure(error)))

    def _done(self, session: SignedIn) -> None:
        self._job = None
        self.session = session
        self.password.clear()
        QSettings().setValue("signin/last_user", session.actor.username)  # never the password
        self.accept()

    def _failed(self, message: str) -> None:
        self._job = None
        self.buttons.setEnabled(True)
        self.password.clear()
        self.password.setFocus()
        self.message.setText(message)


def demo_hint() -> str:
    return ("Demo: demo.operator, demo.supervisor, demo.manager, demo.auditor, demo.admin "
            "(no password)")


class SecurityService(QObject):
    """The signed-in session of the running window: sign-out, audit records, admin/audit windows."""

    signed_out = Signal()

    def __init__(self, authenticator: Authenticator, session: SignedIn) -> None:
        super().__init__()
        self.authenticator = authenticator
        self.session = session
        self.did_sign_out = False

    def record(self, action: str, details: dict | None = None) -> None:
        try:
            self.authenticator.record(self.session, action, details)
        except Exception:  # noqa: BLE001 - an audit hiccup must not break the operator's work
            import logging

            logging.getLogger(__name__).exception("audit record %s failed", action)

    def trace(self, kind: str, detail: dict | None = None) -> None:
        """A read of this session in the audit trail (called off the GUI thread: it may wait
        for the central database)."""
        self.authenticator.trace(self.session, kind, detail)

    def sign_out(self) -> None:
        if self.did_sign_out:
            return
        self.did_sign_out = True
        self.authenticator.sign_out(self.session)
        self.signed_out.emit()

    def open_admin(self, parent: QWidget) -> None:
        from console.views.security.admin_dialog import AdminDialog

        AdminDialog(self.session, parent).exec()

    def open_audit(self, parent: QWidget) -> None:
        from console.views.security.audit_pane import AuditDialog

        AuditDialog(self.session, parent).exec()


def sign_in_at_start(*, demo: bool, central_url: str | None,
                     embedded_url: str | None = None) -> tuple[Authenticator, SignedIn | None]:
    """Show the sign-in dialog (or sign in CONSOLE_AUTO_SIGNIN's demo user through the same code)."""
    import os

    authenticator = Authenticator(central_url=None if demo else central_url,
                                  embedded_url=embedded_url, demo=demo)
    auto = os.environ.get("CONSOLE_AUTO_SIGNIN")
    if demo and auto:
        return authenticator, authenticator.sign_in(auto, "")
    dialog = SignInDialog(authenticator, username="demo.operator" if demo else "",
                          hint=demo_hint() if demo else "")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return authenticator, None
    return authenticator, dialog.session
