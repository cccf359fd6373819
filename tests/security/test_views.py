"""Sign-in dialog, workstation lock (Ctrl+L), admin dialog and audit pane, driven with pytest-qt."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QLabel
from sqlalchemy.orm import Session

from console.models.entities import Centre, Event, User
from console.models.security.signin import Authenticator
from console.models.store import LocalStore
from console.models.sync import CentralStore
from console.views.security.signin_dialog import SecurityService, SignInDialog
from console.views.shell.context import AppContext, ChangeHub
from console.views.shell.main_window import MainWindow

SECRET = "c0rrect-horse-9d1e"


@pytest.fixture
def embedded(tmp_path, memory_keyring):  # noqa: ANN001, ANN201
    path = tmp_path / "central.sqlite3"
    central = CentralStore.embedded(path)
    central.migrate()
    with Session(central.engine) as s, s.begin():
        s.add_all([Centre(code="CNCS", name="CNCS"), Centre(code="PP", name="PP")])
        s.flush()
        s.add_all([User(username="demo.operator", display_name="Camille Martin",
                        centre_code="CNCS", role="operator", active=True),
                   User(username="demo.admin", display_name="Julien Morel", centre_code="CNCS",
                        role="administrator", active=True),
                   User(username="demo.auditor", display_name="Hélène Roussel",
                        centre_code="CNCS", role="auditor", active=True)])
        now = datetime.now(UTC)
        s.add(Event(centre_code="CNCS", author="x", recorded_at=now, occurred_at=now,
                    title="Secret event title", description="", category="security",
                    severity=3, place="", source="", status="open", last_activity_at=now))
    central.dispose()
    auth = Authenticator(embedded_url=f"sqlite:///{path}", demo=True, workstation="WS-Q",
                         pending_path=tmp_path / "pending.jsonl")
    return auth


def test_sign_in_dialog_accepts_a_demo_user(qtbot, embedded) -> None:
    dialog = SignInDialog(embedded, username="demo.operator")
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.session.actor.username == "demo.operator"
    assert dialog.session.mode == "embedded"
    assert QSettings().value("signin/last_user") == "demo.operator"


def test_sign_in_dialog_refuses_and_stays_open(qtbot, embedded) -> None:
    embedded.set_local_password("demo.admin", SECRET)
    dialog = SignInDialog(embedded)
    qtbot.addWidget(dialog)
    dialog.show()
    for username, password in (("nobody'; DROP TABLE users; --", "x"), ("demo.admin", "wrong"),
                               ("\x00\x1b[31m", "\udcff")):
        dialog.username.setText(username)
        dialog.password.setText(password)
        dialog.submit()
        qtbot.waitUntil(lambda: dialog.buttons.isEnabled(), timeout=10_000)
        assert dialog.result() != QDialog.DialogCode.Accepted
        assert "Wrong user name or password" in dialog.message.text()
        assert dialog.password.text() == ""
    dialog.username.setText("demo.admin")
    dialog.password.setText(SECRET)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.submit()
    assert dialog.session.actor.role == "administrator"


def _window(qtbot, tmp_path, auth, username: str, password: str = "") -> MainWindow:  # noqa: ANN001
    session = auth.sign_in(username, password)
    context = AppContext(store=LocalStore(tmp_path / f"{username}.sqlite3"), hub=ChangeHub(),
                         actor=session.actor, mode="demo")
    context.services["security"] = SecurityService(auth, session)
    secret = QLabel("Secret event title")
    secret.setObjectName("secret_label")
    window = MainWindow(context, [("log", "Log", lambda ctx: secret,
                                   Qt.DockWidgetArea.LeftDockWidgetArea),
                                  ("other", "Other", lambda ctx: QLabel("Other"),
                                   Qt.DockWidgetArea.RightDockWidgetArea)])
    qtbot.addWidget(window)
    window.resize(900, 600)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_ctrl_l_locks_until_the_password_is_given(qtbot, tmp_path, embedded) -> None:
    embedded.set_local_password("demo.operator", SECRET)
    window = _window(qtbot, tmp_path, embedded, "demo.operator", SECRET)
    secret = window.findChild(QLabel, "secret_label")
    assert secret.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    lock = window.workstation_lock
    assert lock.locked
    assert not secret.isVisible()                 # the data is hidden...
    assert not window.menuBar().isEnabled()       # ...and nothing behind takes input
    assert lock.cover.geometry() == window.rect()
    grab = window.grab().toImage()
    assert grab.pixelColor(window.width() // 2, window.height() - 40).name() == "#1f2a36"
    qtbot.keyClicks(lock.cover.password, "wrong")
    qtbot.keyClick(lock.cover.password, Qt.Key.Key_Return)
    assert lock.locked and "Wrong password" in lock.cover.message.text()
    qtbot.keyClicks(lock.cover.password, SECRET)
    qtbot.keyClick(lock.cover.password, Qt.Key.Key_Return)
    assert not lock.locked and secret.isVisible() and window.menuBar().isEnabled()
    with Session(CentralStore(embedded.embedded_url).engine) as s:
        from sqlalchemy import text

        actions = [a for (a,) in s.execute(text("SELECT action FROM audit_log ORDER BY pos"))]
    assert actions[-4:] == ["sign_in", "lock", "sign_in_failed", "unlock"]


def test_security_menu_depends_on_role(qtbot, tmp_path, embedded) -> None:
    from PySide6.QtGui import QAction

    operator = _window(qtbot, tmp_path, embedded, "demo.operator")
    names = {a.objectName() for a in operator.findChildren(QAction)}
    assert {"action_lock", "action_sign_out"} <= names
    assert "action_admin" not in names and "action_audit" not in names
    admin = _window(qtbot, tmp_path, embedded, "demo.admin")
    assert "action_admin" in {a.objectName() for a in admin.findChildren(QAction)}


def test_admin_dialog_adds_and_disables_a_user(qtbot, embedded) -> None:
    from console.views.security.admin_dialog import AdminDialog

    session = embedded.sign_in("demo.admin", "")
    dialog = AdminDialog(session)
    qtbot.addWidget(dialog)
    settle = lambda d: qtbot.waitUntil(d.ops.is_idle, timeout=10_000)  # noqa: E731
    settle(dialog)
    assert dialog.model.rowCount() == 3
    assert dialog._do(lambda: dialog.directory.add("pp.new", "New <b>one</b>", "PP", "operator",
                                                   None), "created", then=dialog.refresh)
    settle(dialog)
    assert dialog.model.rowCount() == 4 and dialog.message.text() == "created"
    dialog.table.selectRow(next(r for r in range(4) if dialog.model.item(r, 0).text() == "pp.new"))
    dialog.set_active(False)
    settle(dialog)
    row = next(r for r in range(4) if dialog.model.item(r, 0).text() == "pp.new")
    assert dialog.model.item(row, 4).text() == "disabled"
    dialog._do(lambda: dialog.directory.add("Bad Name!", "x", "PP", "operator", None))
    settle(dialog)
    assert "Refused" in dialog.message.text() and dialog.model.rowCount() == 4
    # An operator opening it gets the refusal, not the list.
    refused = AdminDialog(embedded.sign_in("demo.operator", ""))
    qtbot.addWidget(refused)
    settle(refused)
    assert refused.model.rowCount() == 0 and "may not" in refused.message.text()


def test_audit_pane_searches_and_verifies(qtbot, embedded) -> None:
    from console.views.security.audit_pane import AuditPane

    embedded.sign_in("demo.operator", "")
    pane = AuditPane(embedded.sign_in("demo.auditor", ""))
    qtbot.addWidget(pane)
    pane.actor.setText("demo.operator")
    pane.search()
    qtbot.waitUntil(pane.ops.is_idle, timeout=10_000)
    assert pane.model.rowCount() >= 1
    assert all(pane.model.item(r, 2).text() == "demo.operator" for r in range(pane.model.rowCount()))
    pane.table.selectRow(0)
    assert "hash:" in pane.detail.toPlainText()
    pane.verify()
    qtbot.waitUntil(pane.ops.is_idle, timeout=10_000)
    assert "intact" in pane.message.text()
    refused = AuditPane(embedded.sign_in("demo.operator", ""))
    qtbot.addWidget(refused)
    refused.search()
    qtbot.waitUntil(refused.ops.is_idle, timeout=10_000)
    assert "may not" in refused.message.text()


def test_idle_workstation_locks_itself(qtbot, tmp_path, embedded) -> None:
    QSettings().setValue("security/idle_lock_minutes", 0.005)  # 0.3 s
    try:
        window = _window(qtbot, tmp_path, embedded, "demo.operator")
        lock = window.workstation_lock
        qtbot.waitUntil(lambda: lock.locked, timeout=5_000)
        assert not window.findChild(QLabel, "secret_label").isVisible()
    finally:
        QSettings().remove("security/idle_lock_minutes")


def test_input_in_the_window_postpones_the_idle_lock(qtbot, tmp_path, embedded) -> None:
    from PySide6.QtCore import Qt

    QSettings().setValue("security/idle_lock_minutes", 0.02)  # 1.2 s
    try:
        window = _window(qtbot, tmp_path, embedded, "demo.operator")
        window.show()
        lock = window.workstation_lock
        for _ in range(8):  # 2.4 s of activity: longer than the idle delay
            qtbot.wait(300)
            qtbot.keyClick(window.windowHandle(), Qt.Key.Key_Shift)
        assert not lock.locked
        qtbot.waitUntil(lambda: lock.locked, timeout=5_000)  # then idle: it locks
    finally:
        QSettings().remove("security/idle_lock_minutes")
