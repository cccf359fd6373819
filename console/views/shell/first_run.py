"""First start: a short wizard for the central database (or the embedded demo), centre and user.

It runs once, when neither --demo nor --central is given and nothing was saved before; the
answers go to QSettings (console/views/shell/preferences.py) and the password to the system keyring. The
connection test runs off the GUI thread: a workstation must not freeze on an unreachable server.
"""
from __future__ import annotations

import getpass

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from console.models.startup import probe_central
from console.views.shell import preferences
from console.views.shell.operations import OperationRunner
from console.views.shell.settings_dialog import validate_central_url

PAGE_MODE, PAGE_CENTRAL, PAGE_IDENTITY = 0, 1, 2


def probe_advice(error: BaseException) -> str:
    """The first line of a connection error and console doctor's advice for it."""
    from console.cli.doctor_checks import _reach_advice

    message = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    return f"{message}\n{_reach_advice(message)}"


class ModePage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Welcome"))
        self.setSubTitle(self.tr("Where does this workstation keep its log?"))
        self.demo = QRadioButton(self.tr("Embedded &demo: the Paris 2024 scenario, nothing to "
                                         "configure (training, evaluation)"), self)
        self.demo.setObjectName("mode_demo")
        self.central = QRadioButton(self.tr("&Central database of the command centre "
                                            "(PostgreSQL)"), self)
        self.central.setObjectName("mode_central")
        self.demo.setChecked(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.demo)
        layout.addWidget(self.central)

    def nextId(self) -> int:  # noqa: N802 (Qt API)
        return PAGE_CENTRAL if self.central.isChecked() else PAGE_IDENTITY


class CentralPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Central database"))
        self.setSubTitle(self.tr("Ask your administrator for the address. The password is kept "
                                 "in the system keyring, never in a file."))
        self.url = QLineEdit(self)
        self.url.setObjectName("central_url")
        self.url.setPlaceholderText("postgresql://user@host:5432/console")
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.test_button = QPushButton(self.tr("&Test the connection"), self)
        self.test_button.setObjectName("test_connection")
        self.test_button.clicked.connect(self.test_connection)
        self.result = QLabel(self)
        self.result.setObjectName("test_result")
        self.result.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("&URL:"), self.url)
        form.addRow(self.tr("&Password:"), self.password)
        form.addRow("", self.test_button)
        form.addRow(self.result)
        self.url.textChanged.connect(lambda _t: self.completeChanged.emit())
        # The wizard runs before any AppContext: it has its own runner for the connection test.
        self.ops = OperationRunner(parent=self)

    def isComplete(self) -> bool:  # noqa: N802 (Qt API)
        return validate_central_url(self.url.text()) is None

    def validatePage(self) -> bool:  # noqa: N802 (Qt API)
        problem = validate_central_url(self.url.text())
        if problem:
            self.result.setText(problem)
        return problem is None

    def test_connection(self) -> None:
        problem = validate_central_url(self.url.text())
        if problem:
            self.result.setText(problem)
            return
        self.result.setText(self.tr("Connecting..."))
        self.test_button.setEnabled(False)
        url, password = self.url.text().strip(), self.password.text() or None
        self.ops.read(lambda: probe_central(url, password),
                      on_done=lambda version: self._show_result(True, version),
                      on_error=lambda error: self._show_result(False, probe_advice(error)))

    def _show_result(self, ok: bool, detail: str) -> None:
        self.test_button.setEnabled(True)
        if ok:
            self.result.setStyleSheet("color:#1e8e3e;")
            self.result.setText(self.tr("Connected (PostgreSQL %1).").replace("%1", detail))
        else:
            self.result.setStyleSheet("color:#d93025;")
            self.result.setText(self.tr("Cannot connect: %1").replace("%1", detail))


class IdentityPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Centre and user"))
        self.setSubTitle(self.tr("The centre this workstation belongs to and who usually signs "
                                 "in on it (each operator still signs in with their own account)."))
        from console.models.demo import CENTRES

        self.centre = QComboBox(self)
        self.centre.setObjectName("centre")
        self.centre.setEditable(True)  # a real centre may not be in the demo list
        for code, name, *_rest in CENTRES:
            self.centre.addItem(f"{code} - {name}", code)
        self.user = QLineEdit(self)
        self.user.setObjectName("user")
        self.user.setPlaceholderText(self.tr("user name"))
        form = QFormLayout(self)
        form.addRow(self.tr("&Centre:"), self.centre)
        form.addRow(self.tr("&User:"), self.user)

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
        wizard = self.wizard()
        demo = isinstance(wizard, FirstRunWizard) and wizard.mode_page.demo.isChecked()
        if not self.user.text():
            self.user.setText("demo.operator" if demo else _login_name())

    def centre_code(self) -> str:
        data = self.centre.currentData()
        text = self.centre.currentText().strip()
        if data and text.startswith(str(data)):
            return str(data)
        return text.split(" - ", 1)[0].strip().upper()


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on some kiosk set-ups
        return ""


class FirstRunWizard(QWizard):
    """Demo or central, then centre and user; `result_setup()` is what was chosen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("first_run")
        self.setWindowTitle(self.tr("Console - first start"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.mode_page = ModePage(self)
        self.central_page = CentralPage(self)
        self.identity_page = IdentityPage(self)
        self.setPage(PAGE_MODE, self.mode_page)
        self.setPage(PAGE_CENTRAL, self.central_page)
        self.setPage(PAGE_IDENTITY, self.identity_page)
        self.error = ""

    def result_setup(self) -> preferences.Setup:
        demo = self.mode_page.demo.isChecked()
        return preferences.Setup(mode="demo" if demo else "central",
                                 central_url="" if demo else self.central_page.url.text().strip(),
                                 centre=self.identity_page.centre_code(),
                                 user=self.identity_page.user.text().strip())

    def accept(self) -> None:
        setup = self.result_setup()
        password = self.central_page.password.text()
        if setup.mode == "central" and password:
            from console.models.security.credentials import CredentialError, set_password

            try:
                set_password(setup.central_url, password)
            except CredentialError as error:
                # Saved anyway: trust or certificate logins need no password; doctor will tell.
                self.error = str(error)
        preferences.save(setup)
        if setup.user:
            QSettings().setValue("signin/last_user", setup.user)  # the sign-in dialog's default
        super().accept()


def ensure_configured(force: bool = False) -> preferences.Setup | None:
    """The saved set-up; runs the wizard first if there is none. None if the user cancelled."""
    setup = preferences.load()
    if setup.configured and not force:
        return setup
    wizard = FirstRunWizard()
    if wizard.exec() != QWizard.DialogCode.Accepted:
        return None
    if wizard.error:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(None, wizard.windowTitle(), wizard.error)
    return preferences.load()
