"""Settings: interface language, central database (URL, password to the keyring), time zone shown.

Language and connection changes apply at the next start: widgets read their texts when built,
and the sync engine is bound to one central database for its lifetime. The dialog says so.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from console.views.shell import i18n, preferences


def validate_central_url(url: str) -> str | None:
    """An error message for a URL the console cannot use, or None if it looks right."""
    from console.models.startup import central_url_parts

    tr = lambda text: QCoreApplication.translate("SettingsDialog", text)  # noqa: E731
    if not url.strip():
        return tr("Enter the URL of the central database.")
    parsed = central_url_parts(url.strip())
    if parsed is None:
        return tr("Not a database URL: write it as postgresql://user@host:5432/database")
    if parsed["backend"] != "postgresql":
        return tr("The central database is PostgreSQL: the URL starts with postgresql://")
    if parsed["password"]:
        return tr("Do not put the password in the URL: type it in the password field, "
                  "it goes to the system keyring.")
    if not parsed["host"] or not parsed["database"]:
        return tr("The URL needs a host and a database name.")
    return None


class SettingsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, centre_timezone: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settings_dialog")
        self.setWindowTitle(self.tr("Settings"))
        self.setup = preferences.load()

        self._build_language()
        self._build_link()
        self._build_timezone(centre_timezone)
        self._lay_out()

    def _build_language(self) -> None:
        self.language = QComboBox(self)
        self.language.setObjectName("language")
        self.language.addItem(self.tr("System language"), "")
        for code, name in i18n.LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        from PySide6.QtCore import QSettings

        current = str(QSettings().value(i18n.SETTINGS_KEY, "") or "")
        self.language.setCurrentIndex(max(0, self.language.findData(current)))
        self.language.setToolTip(self.tr("Language of the interface; applied at the next start"))

    def _build_link(self) -> None:
        """Demo or central database: the URL and password fields follow the demo box."""
        self.demo = QCheckBox(self.tr("Embedded demo (no central database)"), self)
        self.demo.setObjectName("demo")
        self.central_url = QLineEdit(self.setup.central_url, self)
        self.central_url.setObjectName("central_url")
        self.central_url.setPlaceholderText("postgresql://user@host:5432/console")
        self.central_url.setToolTip(self.tr("Central PostgreSQL database, without the password"))
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("unchanged"))
        self.password.setToolTip(self.tr("Kept in the system keyring, never in a file"))
        self.demo.toggled.connect(self._demo_toggled)
        self.demo.setChecked(self.setup.mode != "central")

    def _build_timezone(self, centre_timezone: str | None) -> None:
        zone_name = centre_timezone or i18n.DEFAULT_TIMEZONE
        self.timezone = QLabel(i18n.zone_label(zone_name), self)
        self.timezone.setObjectName("timezone")
        self.timezone.setToolTip(self.tr("Times are shown in the centre's time zone, named after "
                                         "each time (e.g. 14:05 CEST)"))
        self.example = QLabel(self)
        from datetime import UTC, datetime

        self.example.setText(self.tr("Now: %1").replace(
            "%1", i18n.format_datetime(datetime.now(UTC), zone_name)))

    def _lay_out(self) -> None:
        ui = QGroupBox(self.tr("Interface"), self)
        form = QFormLayout(ui)
        form.addRow(self.tr("&Language:"), self.language)
        form.addRow(self.tr("Centre time zone:"), self.timezone)
        form.addRow("", self.example)
        link = QGroupBox(self.tr("Central database"), self)
        form = QFormLayout(link)
        form.addRow(self.demo)
        form.addRow(self.tr("&URL:"), self.central_url)
        form.addRow(self.tr("&Password:"), self.password)

        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setStyleSheet("color:#d93025;")
        self.error.setWordWrap(True)
        note = QLabel(self.tr("Changes of language or database apply at the next start."), self)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (ui, link, note, self.error, buttons):
            layout.addWidget(widget)

    def _demo_toggled(self, demo: bool) -> None:
        self.central_url.setEnabled(not demo)
        self.password.setEnabled(not demo)

    def accept(self) -> None:  # noqa: D401 - Qt override
        if not self.save():
            return
        super().accept()

    def save(self) -> bool:
        """Validate and store; False (with the reason shown) if something must be fixed first."""
        url = self.central_url.text().strip()
        if not self.demo.isChecked():
            problem = validate_central_url(url)
            if problem:
                self.error.setText(problem)
                self.central_url.setFocus()
                return False
            if self.password.text():
                from console.models.security.credentials import CredentialError, set_password

                try:
                    set_password(url, self.password.text())
                except CredentialError as error:
                    self.error.setText(str(error))
                    return False
        self.setup.mode = "demo" if self.demo.isChecked() else "central"
        self.setup.central_url = "" if self.demo.isChecked() else url
        preferences.save(self.setup)
        i18n.save_language(str(self.language.currentData() or ""))
        return True


def install_settings(window: QMainWindow) -> None:
    """File > Settings... (Ctrl+,)."""
    menu = getattr(window, "file_menu", None)
    if menu is None:
        return
    action = QAction(QCoreApplication.translate("SettingsDialog", "&Settings..."), window)
    action.setObjectName("action_settings")
    action.setShortcut(QKeySequence("Ctrl+,"))
    action.setMenuRole(QAction.MenuRole.PreferencesRole)

    def show_settings(zone: str | None) -> None:
        dialog = SettingsDialog(window, centre_timezone=zone)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            QMessageBox.information(window, dialog.windowTitle(), dialog.tr(
                "Saved. Restart the console to apply a new language or database."))

    def open_settings() -> None:
        context = getattr(window, "context", None)
        if context is None:
            show_settings(None)
            return
        from console.models.eventlog.reads import centre_timezone_name

        store, centre = context.store, context.actor.centre_code
        context.ops.read(lambda: centre_timezone_name(store, centre), on_done=show_settings)

    action.triggered.connect(open_settings)
    first = menu.actions()[0] if menu.actions() else None
    menu.insertAction(first, action)
    if first is not None:
        menu.insertSeparator(first)
    setattr(window, "settings_action", action)  # noqa: B010 (tests and other code reach it)
