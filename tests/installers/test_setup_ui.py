"""First-run wizard, settings dialog and F1 help, driven headless."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from console.views.shell import i18n, preferences


@pytest.fixture(autouse=True)
def own_settings(tmp_path):
    """Each test gets its own QSettings file, never the developer's."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qs"))
    QCoreApplication.setOrganizationName("console-test")
    QCoreApplication.setApplicationName(f"setup-{tmp_path.name}")
    yield


def test_first_run_demo_path_saves_the_setup(qtbot):
    from console.views.shell.first_run import PAGE_IDENTITY, FirstRunWizard

    assert not preferences.load().configured
    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.mode_page.demo.isChecked()
    wizard.next()
    assert wizard.currentId() == PAGE_IDENTITY  # demo skips the database page
    assert wizard.identity_page.user.text() == "demo.operator"
    wizard.identity_page.centre.setCurrentIndex(1)  # PP
    wizard.accept()
    setup = preferences.load()
    assert setup.configured and setup.mode == "demo" and setup.centre == "PP"
    assert QSettings().value("signin/last_user") == "demo.operator"


def test_first_run_central_path_validates_and_tests_the_link(qtbot, pg_url):
    from console.views.shell.first_run import PAGE_CENTRAL, FirstRunWizard

    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.mode_page.central.setChecked(True)
    wizard.next()
    assert wizard.currentId() == PAGE_CENTRAL
    page = wizard.central_page
    page.url.setText("postgresql://alice:secret@db/console")
    assert not page.isComplete()  # a password in the URL is refused
    page.url.setText(pg_url.replace("+psycopg", ""))
    assert page.isComplete()
    page.test_connection()
    qtbot.waitUntil(lambda: page.test_button.isEnabled(), timeout=20_000)
    assert page.result.text().startswith("Connected (PostgreSQL"), page.result.text()
    page.url.setText("postgresql://postgres@127.0.0.1:1/postgres")
    page.test_connection()
    qtbot.waitUntil(lambda: page.test_button.isEnabled(), timeout=20_000)
    assert page.result.text().startswith("Cannot connect"), page.result.text()
    wizard.next()
    wizard.identity_page.user.setText("alice")
    wizard.accept()
    setup = preferences.load()
    assert setup.mode == "central" and setup.central_url.endswith(":1/postgres")
    assert preferences.effective_central_url() == setup.central_url


def test_settings_dialog_saves_language_and_refuses_bad_urls(qtbot):
    from console.views.shell.settings_dialog import SettingsDialog

    dialog = SettingsDialog(centre_timezone="Europe/Paris")
    qtbot.addWidget(dialog)
    assert "Europe/Paris (CE" in dialog.timezone.text()
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    dialog.demo.setChecked(False)
    dialog.central_url.setText("mysql://db/console")
    assert not dialog.save()
    assert "PostgreSQL" in dialog.error.text()
    dialog.central_url.setText("postgresql://console@db.example:5432/console")
    assert dialog.save()
    assert i18n.chosen_language() == "fr"
    assert preferences.load().central_url == "postgresql://console@db.example:5432/console"


def test_f1_lists_every_shortcut_of_the_window(qtbot):
    from console.views.shell.help import HelpDialog, install_help, shortcuts_of

    window = QMainWindow()
    qtbot.addWidget(window)
    window.file_menu = window.menuBar().addMenu("&File")
    window.help_menu = window.menuBar().addMenu("&Help")
    new = QAction("&New entry", window)
    new.setShortcut(QKeySequence("Ctrl+N"))
    window.file_menu.addAction(new)
    install_help(window)
    rows = dict(shortcuts_of(window))
    assert rows["New entry"] == QKeySequence("Ctrl+N").toString(QKeySequence.SequenceFormat.NativeText)
    assert rows["Keyboard shortcuts and help"] == "F1"
    assert "Settings" in rows
    dialog = HelpDialog(window)
    qtbot.addWidget(dialog)
    table = dialog.shortcuts
    texts = {table.item(r, 0).text() for r in range(table.rowCount())}
    assert {"New entry", "Keyboard shortcuts and help", "Settings"} <= texts
    assert window.help_action.shortcut() == QKeySequence(Qt.Key.Key_F1)


def test_f1_on_the_real_window_covers_the_panes(qtbot, tmp_path):
    from console.models.store import LocalStore
    from console.views.shell.app import DEMO_ACTOR
    from console.views.shell.context import AppContext, ChangeHub
    from console.views.shell.help import HelpDialog, shortcuts_of
    from console.views.shell.main_window import MainWindow

    context = AppContext(store=LocalStore(tmp_path / "l.sqlite3"), actor=DEMO_ACTOR,
                         hub=ChangeHub())
    window = MainWindow(context)
    qtbot.addWidget(window)
    keys = dict(shortcuts_of(window))
    assert "F1" in keys.values()
    assert len(keys) >= 5, keys  # quit, new entry, search, lock, help at least
    dialog = HelpDialog(window, "map")
    qtbot.addWidget(dialog)
    html = dialog.pages.toHtml()
    for key in window.panes:
        if key in ("event_log", "map", "dashboard", "roster"):
            assert window.docks[key].toggleViewAction().statusTip()
    assert "console doctor" in html
