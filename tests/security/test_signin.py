"""Sign-in online (PostgreSQL checks the login), offline (keyring hash), failures audited later."""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest
from sqlalchemy import text
from sync.tcp_proxy import CuttableProxy  # tests/sync: a TCP proxy a test can cut

from console.models.security import offline
from console.models.security.signin import Authenticator, SignInError

PASSWORD = "Tr0ub4dor&3-unique-7f3a"


@pytest.fixture
def link(secure_db):  # noqa: ANN001, ANN201
    proxy = CuttableProxy()
    yield proxy
    proxy.close()


def _auth(db, link, tmp_path: Path) -> Authenticator:  # noqa: ANN001
    return Authenticator(central_url=link.url_for(db.url), workstation="WS-7",
                         pending_path=tmp_path / "data" / "pending_audit.jsonl")


def _trail(db, **where) -> list:  # noqa: ANN001, ANN003
    clause = " AND ".join(f"{k} = :{k}" for k in where) or "true"
    with db.owner.connect() as conn:
        return conn.execute(text(f"SELECT pos, actor, workstation, action, details FROM audit_log "
                                 f"WHERE {clause} ORDER BY pos"), where).all()


def test_offline_hash_round_trip() -> None:
    stored = offline.hash_password(PASSWORD)
    assert PASSWORD not in stored and stored.startswith("scrypt$")
    assert offline.check_password(PASSWORD, stored)
    assert not offline.check_password(PASSWORD + "x", stored)
    assert not offline.check_password(PASSWORD, "garbage")
    assert offline.hash_password(PASSWORD) != stored  # salted


def test_online_sign_in_is_audited_by_the_server(secure_db, link, tmp_path, memory_keyring) -> None:
    op_a = secure_db.users[("operator", "A")]
    session = _auth(secure_db, link, tmp_path).sign_in(op_a, PASSWORD)
    assert session.mode == "online"
    assert (session.actor.username, session.actor.centre_code, session.actor.role) == (
        op_a, secure_db.centre("A"), "operator")
    assert session.policy.centres == {secure_db.centre("A")}
    rows = _trail(secure_db, actor=op_a, action="sign_in")
    assert rows and rows[-1].workstation == "WS-7"
    # The keyring holds a salted hash, not the password (not remembered: not asked to).
    assert all(PASSWORD not in value for value in memory_keyring.items.values())
    assert any(k[0] == "console-offline" for k in memory_keyring.items)


def test_failed_sign_in_is_written_at_the_next_connection(secure_db, link, tmp_path,
                                                          memory_keyring) -> None:
    auth = _auth(secure_db, link, tmp_path)
    with pytest.raises(SignInError, match="Wrong user name or password"):
        auth.sign_in(f"{secure_db.tid}nobody", PASSWORD)
    assert auth.pending.items()[0]["details"]["username"] == f"{secure_db.tid}nobody"
    assert PASSWORD not in auth.pending.path.read_text()
    sup_b = secure_db.users[("supervisor", "B")]
    auth.sign_in(sup_b, PASSWORD)
    failed = [r for r in _trail(secure_db, action="sign_in_failed")
              if r.details.get("username") == f"{secure_db.tid}nobody"]
    assert failed and failed[0].actor == sup_b  # written by the next session that could
    assert auth.pending.items() == []


def test_disabled_user_is_refused(secure_db, link, tmp_path, memory_keyring) -> None:
    from console.models.security import pg

    victim = f"{secure_db.tid}gone"
    with secure_db.owner.begin() as conn:
        pg.create_user(conn, victim, "Gone", secure_db.centre("A"), "operator", None)
        pg.set_active(conn, victim, False)
    with pytest.raises(SignInError):
        _auth(secure_db, link, tmp_path).sign_in(victim, PASSWORD)


def test_offline_sign_in_after_an_online_one(secure_db, link, tmp_path, memory_keyring) -> None:
    auth = _auth(secure_db, link, tmp_path)
    sup_a = secure_db.users[("supervisor", "A")]
    online = auth.sign_in(sup_a, PASSWORD)
    auth.sign_out(online)
    link.cut()
    session = auth.sign_in(sup_a, PASSWORD)
    assert session.mode == "offline" and session.actor.username == sup_a
    assert session.actor.role == "supervisor"
    assert secure_db.centre("A1") in session.policy.centres
    with pytest.raises(SignInError, match="Wrong"):
        auth.sign_in(sup_a, PASSWORD + "!")
    with pytest.raises(SignInError, match="not signed in on this workstation before"):
        auth.sign_in(secure_db.users[("auditor", "B")], PASSWORD)
    assert auth.check_again(session, PASSWORD) is True      # unlock without the network
    assert auth.check_again(session, "nope") is False
    actions = [i["action"] for i in auth.pending.items()]
    assert "offline_sign_in" in actions and "unlock" in actions and "sign_in_failed" in actions
    link.restore()
    auth.sign_in(sup_a, PASSWORD)  # back online: the offline session's records reach the trail
    written = {r.action for r in _trail(secure_db, actor=sup_a)}
    assert {"offline_sign_in", "unlock", "sign_in_failed", "sign_out"} <= written


def test_no_password_in_files_logs_or_cache(secure_db, link, tmp_path, memory_keyring,
                                            caplog) -> None:
    """Sign in (password remembered), sync a cache, log at DEBUG: the password is only in the
    keyring."""
    from console.models.store import LocalStore
    from console.models.sync import CentralStore, SyncEngine

    data = Path(os.environ["CONSOLE_DATA_DIR"])
    config = Path(os.environ["XDG_CONFIG_HOME"])
    log_file = tmp_path / "console.log"
    handler = logging.FileHandler(log_file)
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
    try:
        auth = Authenticator(central_url=link.url_for(secure_db.url), workstation="WS-8")
        op_b = secure_db.users[("operator", "B")]
        session = auth.sign_in(op_b, PASSWORD, remember=True)
        with pytest.raises(SignInError):
            auth.sign_in(f"{secure_db.tid}typo", PASSWORD)
        store = LocalStore(data / "local.sqlite3")
        central = CentralStore(session.central_url, password=session.password)
        SyncEngine(store, central, username=op_b).sync_once()
        store.close()
        central.dispose()
        from PySide6.QtCore import QSettings

        settings = QSettings("console", "console")
        settings.setValue("central/url", session.central_url)
        settings.setValue("signin/last_user", op_b)
        settings.sync()
        auth.sign_out(session)
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    assert auth.remembered_password(op_b) == PASSWORD  # in the keyring, where it belongs
    needles = [PASSWORD.encode("utf-8"), PASSWORD.encode("utf-16-le")]
    scanned = 0
    for root in (data, config, tmp_path):
        for path in root.rglob("*"):
            if path.is_file():
                scanned += 1
                content = path.read_bytes()
                assert not any(n in content for n in needles), f"password found in {path}"
    assert scanned >= 4 and log_file.stat().st_size > 0
    assert PASSWORD not in caplog.text
    assert json.dumps(PASSWORD) not in caplog.text


def test_without_a_keyring_the_user_is_told(secure_db, link, tmp_path) -> None:
    """No keyring backend: sign-in still works online, the user is told why nothing is kept;
    offline sign-in is refused with a clear message."""
    import keyring
    from keyring.backends.fail import Keyring as NoKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    try:
        auth = _auth(secure_db, link, tmp_path)
        op_a = secure_db.users[("operator", "A")]
        session = auth.sign_in(op_a, PASSWORD, remember=True)
        assert session.mode == "online"
        assert session.notices and "no system keyring" in session.notices[0]
        link.cut()
        with pytest.raises(SignInError, match="no system keyring"):
            auth.sign_in(op_a, PASSWORD)
        link.restore()
    finally:
        keyring.set_keyring(previous)
