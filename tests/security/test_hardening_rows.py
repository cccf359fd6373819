"""Review findings 5 to 8, under real logins: derived event state, origin per centre, server-side
limits, TRUNCATE. Each test failed before migration c0005_hardening."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import exc, select, text
from sqlalchemy.orm import Session

from security.conftest import make_event

EVENT_COLUMNS = ("status, acknowledged_by, acknowledged_at, closed_at, last_activity_at, "
                 "recorded_at")


def _sqlstate(error: exc.DBAPIError) -> str | None:
    return getattr(getattr(error, "orig", None), "sqlstate", None)


def _refused(conn, sql: str, params: dict | None = None) -> exc.DBAPIError:  # noqa: ANN001
    with pytest.raises(exc.DBAPIError) as raised:
        with conn.begin_nested():
            conn.execute(text(sql), params or {})
    return raised.value


def _state(conn, event: uuid.UUID):  # noqa: ANN001, ANN202
    return conn.execute(text(f"SELECT {EVENT_COLUMNS} FROM events WHERE id = :e"),
                        {"e": event}).one()


def _follow_up(conn, event: uuid.UUID, kind: str, status: str | None = None) -> None:  # noqa: ANN001
    conn.execute(text("INSERT INTO follow_ups (id, event_id, author, recorded_at, kind, text, "
                      "new_status) VALUES (:id, :e, session_user, '2001-01-01', :k, 'x', :s)"),
                 {"id": uuid.uuid4(), "e": event, "k": kind, "s": status})


def test_operator_cannot_write_derived_state(secure_db) -> None:
    """Finding 5: status, acknowledgement, closure and last activity are the database's."""
    db = secure_db
    operator, supervisor = db.users[("operator", "A")], db.users[("supervisor", "A")]
    before = datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=1)
    with db.login(operator).begin() as conn:
        event = make_event(conn, db.centre("A"), operator, "forged closed")
        forged = uuid.uuid4()
        conn.execute(text(
            "INSERT INTO events (id, centre_code, author, recorded_at, occurred_at, title, "
            "description, category, severity, place, source, flagged_for_authorities, status, "
            "acknowledged_by, acknowledged_at, closed_at, last_activity_at) VALUES (:id, :c, "
            "session_user, '2000-01-01', '2000-01-01', 'born closed', '', 'security', 2, '', '', "
            "false, 'closed', 'someone', '2000-01-01', '2000-01-01', '2000-01-01')"),
            {"id": forged, "c": db.centre("A")})
        state = _state(conn, forged)
        assert (state.status, state.acknowledged_by, state.closed_at) == ("open", None, None)
        assert state.recorded_at > before and state.last_activity_at == state.recorded_at
        for sql in ("UPDATE events SET acknowledged_by = 'someone', acknowledged_at = now() "
                    "WHERE id = :e", "UPDATE events SET status = 'bogus' WHERE id = :e"):
            error = _refused(conn, sql, {"e": event})
            assert _sqlstate(error) == "42501" and "derived" in str(error.orig), sql
        conn.execute(text("UPDATE events SET last_activity_at = '2000-01-01', "
                          "acknowledged_at = '2000-01-01', closed_at = '2000-01-01' "
                          "WHERE id = :e"), {"e": event})  # dates: replaced, not refused
        state = _state(conn, event)
        assert (state.status, state.acknowledged_by) == ("open", None)
        assert state.last_activity_at > before and state.closed_at is None
        assert state.acknowledged_at is None
        # Re-writing the derived values themselves (what the sync hook does) is harmless.
        conn.execute(text("UPDATE events SET status = 'open', server_seq = NULL WHERE id = :e"),
                     {"e": event})
    with db.login(supervisor).begin() as conn:
        _follow_up(conn, event, "status", "closed")
    with db.login(operator).connect() as conn:
        error = _refused(conn, "UPDATE events SET status = 'open', closed_at = NULL "
                               "WHERE id = :e", {"e": event})
        assert _sqlstate(error) == "42501"
        state = _state(conn, event)
        assert state.status == "closed" and state.closed_at is not None
        assert state.closed_at > before  # the server's clock, not the follow-up's 2001
        conn.rollback()


def test_database_derivation_matches_the_client_rule(secure_db) -> None:
    """The trigger and console.models.eventlog.log.derive_state agree on the same follow-ups."""
    from console.models.entities import Event
    from console.models.eventlog.log import derive_state

    db = secure_db
    operator, supervisor = db.users[("operator", "A")], db.users[("supervisor", "A")]
    with db.login(operator).begin() as conn:
        event = make_event(conn, db.centre("A"), operator, "derived")
        _follow_up(conn, event, "note")
        _follow_up(conn, event, "status", "in_progress")
    with db.login(supervisor).begin() as conn:
        _follow_up(conn, event, "ack")
        _follow_up(conn, event, "status", "closed")
    with db.login(operator).begin() as conn:
        _follow_up(conn, event, "ack")
    with Session(db.owner) as session:
        stored = session.scalars(select(Event).where(Event.id == event)).one()
        server = (stored.status, stored.acknowledged_by, stored.acknowledged_at,
                  stored.closed_at, stored.last_activity_at)
        derive_state(session, stored)
        client = (stored.status, stored.acknowledged_by, stored.acknowledged_at,
                  stored.closed_at, stored.last_activity_at)
        session.rollback()
    assert server == client
    assert server[0] == "closed" and server[1] == supervisor


def test_origin_is_unique_per_centre_only(secure_db) -> None:
    """Finding 6: B's import of an alert neither leaks to A nor can be pre-empted by A."""
    db = secure_db
    origin = f"cap:{uuid.uuid4()}"
    params = {"o": origin}
    set_origin = "UPDATE events SET origin = :o WHERE id = :e"
    with db.owner.begin() as conn:  # origin is not client-updatable: set it as an import would
        conn.execute(text(set_origin), {**params, "e": make_event(conn, db.centre("A"), "imp")})
        conn.execute(text(set_origin), {**params, "e": make_event(conn, db.centre("B"), "imp")})
        second = make_event(conn, db.centre("B"), "imp")
        error = _refused(conn, set_origin, {**params, "e": second})
        assert _sqlstate(error) == "23505"


def test_server_limits_mirror_the_client(secure_db) -> None:
    """Finding 7: oversized texts and bidirectional overrides in titles are refused."""
    from console.models.validation import MAX_TEXT, EventDraft, ValidationError, validate_event

    db = secure_db
    operator = db.users[("operator", "A")]
    insert = ("INSERT INTO events (id, centre_code, author, recorded_at, occurred_at, title, "
              "description, category, severity, place, source, flagged_for_authorities, status, "
              "last_activity_at) VALUES (gen_random_uuid(), :c, session_user, now(), now(), :t, "
              ":d, 'security', 2, :p, '', false, 'open', now())")
    ok = {"c": db.centre("A"), "t": "fine", "d": "", "p": ""}
    with db.login(operator).connect() as conn:
        for bad in ({"d": "x" * (MAX_TEXT + 1)}, {"t": "invoice \u202egpj.exe"},
                    {"t": "isolate \u2066x\u2069"}, {"p": "p" * 301}):
            error = _refused(conn, insert, {**ok, **bad})
            assert _sqlstate(error) in ("23514", "22001"), (bad, error)
        conn.execute(text(insert), {**ok, "d": "x" * MAX_TEXT})
        event = db.events["A"][0]
        error = _refused(conn, "INSERT INTO follow_ups (id, event_id, author, recorded_at, kind, "
                               "text) VALUES (gen_random_uuid(), :e, session_user, now(), "
                               "'note', :x)", {"e": event, "x": "y" * (MAX_TEXT + 1)})
        assert _sqlstate(error) == "23514"
        conn.rollback()
    draft = EventDraft(title="invoice \u202egpj.exe", category="security", severity=2)
    with pytest.raises(ValidationError) as raised:
        validate_event(draft)
    assert "bidirectional" in raised.value.errors["title"]


def test_truncate_is_the_owners_and_audited(secure_db) -> None:
    """Finding 8: TRUNCATE of an audited table by anyone else is refused, even when granted by
    mistake; the owner's leaves an audit record."""
    db = secure_db
    admin = db.users[("administrator", "A")]
    for login in (db.users[("operator", "A")], admin):
        with db.login(login).connect() as conn:
            error = _refused(conn, "TRUNCATE events CASCADE")
            assert _sqlstate(error) == "42501"
            conn.rollback()
    with db.owner.begin() as conn:
        conn.execute(text("DO $$ BEGIN EXECUTE format('GRANT TRUNCATE ON roster_absences TO %I', "
                          "console_role('administrator')); END $$"))
    try:
        with db.login(admin).connect() as conn:
            error = _refused(conn, "TRUNCATE roster_absences")
            assert _sqlstate(error) == "42501" and "owner" in str(error.orig)
            conn.rollback()
    finally:
        with db.owner.begin() as conn:
            conn.execute(text("DO $$ BEGIN EXECUTE format('REVOKE TRUNCATE ON roster_absences "
                              "FROM %I', console_role('administrator')); END $$"))
    with db.owner.begin() as conn:
        conn.execute(text("TRUNCATE roster_absences"))
    with db.owner.connect() as conn:
        record = conn.execute(text("SELECT actor, table_name FROM audit_log WHERE action = "
                                   "'truncate' ORDER BY pos DESC LIMIT 1")).first()
        from console.models.security import audit

        verdict = audit.verify(conn)
    assert record is not None and record.table_name == "roster_absences"
    assert verdict.ok, verdict
