"""Hostile input in every field of the security capability: stored verbatim or refused with a
message; never executed, never a crash."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from console.models.security import audit, pg
from console.models.security.signin import Authenticator, SignInError

SQL = "x'); DROP TABLE users; --"
LONG = "é" * 25_000
CONTROL = "a\x07b\x1b[31mc\u202ed"
SURROGATE = "bad\udcffunicode"
NUL = "nul\x00byte"
HOSTILE = [SQL, LONG, CONTROL, SURROGATE, NUL, "%_\\", "Ω≈ç√∫ 🚨 Ｆｕｌｌ"]


def _users(db) -> int:  # noqa: ANN001
    with db.owner.connect() as conn:
        return conn.scalar(text("SELECT count(*) FROM users"))


@pytest.mark.parametrize("value", HOSTILE, ids=["sql", "long", "control", "surrogate", "nul",
                                                 "like", "unicode"])
def test_user_admin_fields(secure_db, value) -> None:
    admin = secure_db.users[("administrator", "A")]
    before = _users(secure_db)
    with secure_db.login(admin).connect() as conn:
        # As a user name: always refused with a message (only a-z0-9._- names are roles).
        with pytest.raises(pg.AdminError, match="invalid user name"):
            pg.create_user(conn, value, "x", secure_db.centre("A"), "operator", None)
        # As a centre or role: refused with a message.
        with pytest.raises(pg.AdminError):
            pg.create_user(conn, f"{secure_db.tid}c1", "x", value, "operator", None)
        with pytest.raises(pg.AdminError):
            pg.create_user(conn, f"{secure_db.tid}c2", "x", secure_db.centre("A"), value, None)
        conn.rollback()
    assert _users(secure_db) == before
    # As a display name or password: stored verbatim, or refused with a message.
    name = f"{secure_db.tid}d{abs(hash(value)) % 10_000}"
    with secure_db.login(admin).connect() as conn:
        try:
            pg.create_user(conn, name, value, secure_db.centre("A"), "operator", value)
            conn.commit()
        except pg.AdminError as error:
            conn.rollback()
            assert str(error)
            assert value in (LONG, SURROGATE, NUL), f"refused a storable value: {error}"
            return
    with secure_db.owner.connect() as conn:
        assert conn.scalar(text("SELECT display_name FROM users WHERE username = :u"),
                           {"u": name}) == value
        assert conn.scalar(text("SELECT count(*) FROM users")) == before + 1  # nothing executed


def test_audit_details_and_search(secure_db) -> None:
    op_a = secure_db.users[("operator", "A")]
    stored = []
    with secure_db.login(op_a).connect() as conn:
        for value in HOSTILE:
            try:
                with conn.begin_nested():
                    pos = audit.append(conn, "export", actor=op_a, details={"path": value})
                stored.append((pos, value))
            except Exception as error:  # noqa: BLE001 - must be a clear refusal
                assert value in (NUL, SURROGATE, LONG), error
        conn.commit()
    assert len(stored) >= 4
    auditor = secure_db.login(secure_db.users[("auditor", "A")])
    with auditor.connect() as conn:
        for pos, value in stored:
            got = conn.scalar(text("SELECT details FROM audit_log WHERE pos = :p"), {"p": pos})
            assert got == {"path": value}
        for value in HOSTILE:
            try:
                audit.search(conn, audit.AuditQuery(text=value))
            except ValueError as error:
                assert "invalid" in str(error) or "too long" in str(error)
        hits = audit.search(conn, audit.AuditQuery(text="%_\\"))
        # LIKE wildcards are matched literally: only records that contain them come back.
        assert {"path": "%_\\"} in [r.json("details") for r in hits]
        assert all("%_\\" in " ".join(filter(None, (r.old, r.new, r.details, r.row_key)))
                   for r in hits)
        assert len(hits) < 5
        assert audit.verify(conn).ok
    with secure_db.owner.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM users")) > 0


def test_sign_in_fields(secure_db, tmp_path, memory_keyring) -> None:
    auth = Authenticator(central_url=secure_db.url, workstation=CONTROL,
                         pending_path=tmp_path / "pending.jsonl")
    for value in HOSTILE:
        with pytest.raises(SignInError):
            auth.sign_in(value, value)
    pending = auth.pending.items()
    assert len(pending) == len(HOSTILE)
    json.dumps(pending)  # all of it is plain, storable text
    session = auth.sign_in(secure_db.users[("operator", "B")], "pw")
    assert session.mode == "online" and auth.pending.items() == []
    with secure_db.owner.connect() as conn:
        failed = conn.scalar(text("SELECT count(*) FROM audit_log WHERE action = "
                                  "'sign_in_failed' AND actor = :a"),
                             {"a": secure_db.users[("operator", "B")]})
    assert failed == len(HOSTILE)
