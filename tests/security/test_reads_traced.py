"""Reads in the hash chain; the pending queue cannot be forged; insecure keyrings are refused;
the offline sign-in record cannot be edited into a role."""
from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend
from sqlalchemy import text
from sync.tcp_proxy import CuttableProxy

from console.models.security import audit, trace
from console.models.security.signin import Authenticator, SignInError

PASSWORD = "c0rrect-h0rse-battery-9d2e"


@pytest.fixture
def link(secure_db):  # noqa: ANN001, ANN201
    proxy = CuttableProxy()
    yield proxy
    proxy.close()


def _auth(db, link, tmp_path: Path) -> Authenticator:  # noqa: ANN001
    return Authenticator(central_url=link.url_for(db.url), workstation="WS-R",
                         pending_path=tmp_path / "data" / "pending_audit.jsonl")


def _trail(db, actor: str) -> list:  # noqa: ANN001
    with db.owner.connect() as conn:
        return conn.execute(text("SELECT pos, action, details FROM audit_log WHERE actor = :a "
                                 "ORDER BY pos"), {"a": actor}).all()


def _accesses(db, actor: str, kind: str) -> list[dict]:  # noqa: ANN001
    return [r.details for r in _trail(db, actor)
            if r.details and r.details.get("access") == kind]


# -- reads are traced ----------------------------------------------------------------------------

def test_searches_opens_and_exports_are_chained(secure_db, link, tmp_path, memory_keyring) -> None:
    auth = _auth(secure_db, link, tmp_path)
    op_a = secure_db.users[("operator", "A")]
    session = auth.sign_in(op_a, PASSWORD)
    auth.trace(session, "search", {"text": "colis suspect"})
    auth.trace(session, "filter", {"centres": ["A"], "categories": ["security"]})
    auth.trace(session, "open", {"event": str(secure_db.events["A"][0])})
    trace.trace_access("export", {"format": "csv", "path": "/tmp/x.csv", "rows": 3}, session, auth)
    session.trace("audit_pane", {"text": "who read", "action": "export"})  # views hold a session
    assert _accesses(secure_db, op_a, "search")[-1]["text"] == "colis suspect"
    assert _accesses(secure_db, op_a, "open")[-1]["event"] == str(secure_db.events["A"][0])
    assert _accesses(secure_db, op_a, "filter")
    assert _accesses(secure_db, op_a, "audit_pane")[-1]["text"] == "who read"
    exports = [r for r in _trail(secure_db, op_a) if r.action == "export"]
    assert exports and exports[-1].details["rows"] == 3
    with secure_db.owner.connect() as conn:
        assert audit.verify(conn).ok  # in the same hash chain as the changes
    with pytest.raises(ValueError):
        auth.trace(session, "made-up kind", {})


def test_offline_reads_are_chained_at_reconnection(secure_db, link, tmp_path,
                                                   memory_keyring) -> None:
    auth = _auth(secure_db, link, tmp_path)
    sup_a = secure_db.users[("supervisor", "A")]
    auth.sign_out(auth.sign_in(sup_a, PASSWORD))
    link.cut()
    offline = auth.sign_in(sup_a, PASSWORD)
    assert offline.mode == "offline"
    auth.trace(offline, "search", {"text": "offline words"})
    assert all(line["writer"] == sup_a and line["mac"] for line in auth.pending.items())
    link.restore()
    auth.sign_in(sup_a, PASSWORD)
    assert _accesses(secure_db, sup_a, "search")[-1]["text"] == "offline words"
    assert auth.pending.items() == []


# -- the pending queue cannot be forged ----------------------------------------------------------

def test_a_planted_line_is_refused_and_reported_not_recorded(secure_db, link, tmp_path,
                                                             memory_keyring) -> None:
    auth = _auth(secure_db, link, tmp_path)
    victim = secure_db.users[("operator", "B")]
    auth.pending.path.parent.mkdir(parents=True, exist_ok=True)
    planted = [  # the old format, and the new one with a made-up or missing HMAC
        {"action": "export", "details": {"kind": "csv", "path": "/planted/all.csv", "rows": 1}},
        {"id": "1", "writer": victim, "action": "export",
         "details": {"path": "/planted/forged.csv"}, "mac": "00" * 32},
        {"id": "2", "writer": "", "action": "sign_in_failed",
         "details": {"username": "ghost", "path": "/planted/anon"}, "mac": None},
    ]
    auth.pending.path.write_text("".join(json.dumps(p) + "\n" for p in planted) + "garbage\n")
    session = auth.sign_in(victim, PASSWORD)
    trail = _trail(secure_db, victim)
    assert not [r for r in trail if "/planted/" in json.dumps(r.details)]
    refused = _accesses(secure_db, victim, "pending_refused")
    assert refused and refused[-1]["count"] == 4
    assert any("refused" in notice for notice in session.notices)
    assert auth.pending.items() == []


def test_an_altered_or_replayed_line_is_refused(secure_db, link, tmp_path,
                                                memory_keyring) -> None:
    auth = _auth(secure_db, link, tmp_path)
    sup_b = secure_db.users[("supervisor", "B")]
    auth.sign_out(auth.sign_in(sup_b, PASSWORD))
    link.cut()
    session = auth.sign_in(sup_b, PASSWORD)
    auth.record(session, "export", {"kind": "csv", "rows": 2})
    lines = auth.pending.items()
    export = next(line for line in lines if line["action"] == "export")
    altered = {**export, "details": {**export["details"], "rows": 2000}}
    tampered = [line for line in lines if line is not export] + [altered, lines[0]]
    auth.pending.path.write_text("".join(json.dumps(line) + "\n" for line in tampered))
    link.restore()
    auth.sign_in(sup_b, PASSWORD)
    assert not [r for r in _trail(secure_db, sup_b) if r.action == "export"]
    assert _accesses(secure_db, sup_b, "pending_refused")[-1]["count"] == 2


def test_another_users_lines_wait_for_that_user(secure_db, link, tmp_path,
                                                memory_keyring) -> None:
    auth = _auth(secure_db, link, tmp_path)
    op_a, sup_b = secure_db.users[("operator", "A")], secure_db.users[("supervisor", "B")]
    auth.sign_out(auth.sign_in(op_a, PASSWORD))
    link.cut()
    auth.trace(auth.sign_in(op_a, PASSWORD), "open", {"event": "read offline by op_a"})
    link.restore()
    auth.sign_in(sup_b, PASSWORD)  # someone else signs in next: op_a's reads are not theirs
    assert not _accesses(secure_db, sup_b, "open")
    assert any(line["writer"] == op_a for line in auth.pending.items())
    auth.sign_in(op_a, PASSWORD)
    assert _accesses(secure_db, op_a, "open")[-1]["event"] == "read offline by op_a"


# -- insecure keyrings are refused ----------------------------------------------------------------

class FileKeyring(KeyringBackend):
    """Like keyrings.alt's PlaintextKeyring: base64 in a file, priority 0.5."""

    priority = 0.5  # type: ignore[assignment]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def _load(self) -> dict:
        return json.loads(self.path.read_text()) if self.path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        value = self._load().get(f"{service}/{username}")
        return base64.b64decode(value).decode() if value else None

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}/{username}"] = base64.b64encode(password.encode()).decode()
        self.path.write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        data.pop(f"{service}/{username}", None)
        self.path.write_text(json.dumps(data))


def _with_keyring(backend):  # noqa: ANN001, ANN202
    import keyring

    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    return previous


@pytest.mark.parametrize("kind", ["low priority", "keyrings.alt"])
def test_an_insecure_keyring_keeps_nothing_and_says_why(secure_db, link, tmp_path, kind) -> None:
    import keyring

    if kind == "keyrings.alt":
        alt = pytest.importorskip("keyrings.alt.file")
        backend = alt.PlaintextKeyring()
        backend.file_path = str(tmp_path / "keyring_pass.cfg")  # type: ignore[misc]
        stored_at = Path(backend.file_path)
    else:
        stored_at = tmp_path / "file_keyring.json"
        backend = FileKeyring(stored_at)
    previous = _with_keyring(backend)
    try:
        auth = _auth(secure_db, link, tmp_path)
        op_a = secure_db.users[("operator", "A")]
        session = auth.sign_in(op_a, PASSWORD, remember=True)
        assert session.mode == "online"
        assert any("password is asked for each time" in n for n in session.notices)
        assert auth.remembered_password(op_a) is None
        written = stored_at.read_text() if stored_at.exists() else ""
        assert base64.b64encode(PASSWORD.encode()).decode() not in written
        assert PASSWORD not in written and "console-offline" not in written
    finally:
        keyring.set_keyring(previous)


def test_the_fail_backend_is_refused(secure_db, link, tmp_path) -> None:
    import keyring
    from keyring.backends.fail import Keyring as NoKeyring

    from console.models.security.credentials import keyring_refusal

    previous = _with_keyring(NoKeyring())
    try:
        assert "no system keyring" in (keyring_refusal() or "")
    finally:
        keyring.set_keyring(previous)


# -- the offline record cannot be edited into a role -------------------------------------------------

def test_an_edited_offline_record_grants_no_role(secure_db, link, tmp_path,
                                                 memory_keyring) -> None:
    auth = _auth(secure_db, link, tmp_path)
    op_a = secure_db.users[("operator", "A")]
    auth.sign_out(auth.sign_in(op_a, PASSWORD))
    account = next(k for k in memory_keyring.items if k[0] == "console-offline")
    original = memory_keyring.items[account]
    record = json.loads(original)
    record["actor"]["role"] = "administrator"
    record["centres"] = [secure_db.centre("A"), secure_db.centre("B")]
    memory_keyring.items[account] = json.dumps(record)
    link.cut()
    with pytest.raises(SignInError, match="altered"):
        auth.sign_in(op_a, PASSWORD)
    del record["mac"]  # a record without an HMAC (older format, or stripped) is refused too
    memory_keyring.items[account] = json.dumps(record)
    with pytest.raises(SignInError, match="altered"):
        auth.sign_in(op_a, PASSWORD)
    memory_keyring.items[account] = original
    session = auth.sign_in(op_a, PASSWORD)
    assert session.actor.role == "operator" and session.policy.centres == {secure_db.centre("A")}
    assert auth.check_again(session, PASSWORD)
    memory_keyring.items[account] = json.dumps(record)
    assert not auth.check_again(session, PASSWORD)  # unlock refuses the edited record too
