"""The audit trail on PostgreSQL: written by triggers, append-only, chained; tampering is named."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, exc, text

from console.models.security import audit
from console.models.security.connect import open_central
from security.conftest import make_event


@pytest.fixture(scope="module")
def trail(secure_db):  # noqa: ANN001, ANN201
    """Some committed activity: events, follow-ups, a derived update, sign-ins."""
    db = secure_db
    op_a = db.users[("operator", "A")]
    engine = open_central(db.url.replace("postgres@", f"{op_a}@", 1), workstation="WS-TEST-1")
    try:
        with engine.begin() as conn:
            audit.append(conn, "sign_in", actor=op_a, details={"mode": "online"})
            event_id = make_event(conn, db.centre("A"), op_a, "Colis suspect ' OR 1=1 --")
        with engine.begin() as conn:
            # One statement: the database derives the event's new state once (c0005).
            conn.execute(text("INSERT INTO follow_ups (id, event_id, author, recorded_at, kind, "
                              "text, new_status) VALUES (:id, :e, session_user, :now, 'note', "
                              "'vu', NULL), (:id2, :e, session_user, :now, 'status', '', "
                              "'in_progress')"),
                         {"id": uuid.uuid4(), "id2": uuid.uuid4(), "e": event_id,
                          "now": datetime.now(UTC).replace(tzinfo=None)})
        for i in range(5):
            with engine.begin() as conn:
                audit.append(conn, "export", actor=op_a, details={"kind": "csv", "rows": i})
    finally:
        engine.dispose()
    return event_id


def _auditor(db):  # noqa: ANN001, ANN202
    return db.login(db.users[("auditor", "A")])


def test_triggers_record_who_when_where_old_new(secure_db, trail) -> None:
    db = secure_db
    with _auditor(db).connect() as conn:
        records = audit.search(conn, audit.AuditQuery(table_name="events", limit=10_000))
    mine = [r for r in records if r.row_key == str(trail)]
    assert [r.action for r in reversed(mine)] == ["insert", "update"]
    insert, update = reversed(mine)
    assert insert.actor == db.users[("operator", "A")]
    assert insert.workstation == "WS-TEST-1"
    assert abs(insert.at - datetime.now(UTC)) < timedelta(minutes=5)
    assert insert.old is None and insert.json("new")["title"] == "Colis suspect ' OR 1=1 --"
    assert update.json("old")["status"] == "open" and update.json("new")["status"] == "in_progress"
    with _auditor(db).connect() as conn:
        sign_ins = audit.search(conn, audit.AuditQuery(action="sign_in"))
        follow = audit.search(conn, audit.AuditQuery(table_name="follow_ups", text="vu"))
    assert sign_ins and sign_ins[0].json("details") == {"mode": "online"}
    assert follow and follow[0].json("new")["author"] == db.users[("operator", "A")]


def test_chain_verifies(secure_db, trail) -> None:
    with _auditor(secure_db).connect() as conn:
        verdict = audit.verify(conn)
    assert verdict.ok, verdict.message()
    assert verdict.checked >= 10


def test_client_cannot_choose_action_author_or_time(secure_db, trail) -> None:
    op_a = secure_db.users[("operator", "A")]
    with secure_db.login(op_a).connect() as conn:
        with pytest.raises(exc.DBAPIError, match="unknown audit action"):
            audit.append(conn, "user_add", actor="someone.else")
        conn.rollback()
        pos = audit.append(conn, "report", actor="someone.else", details={"name": "x"})
        conn.commit()
    with _auditor(secure_db).connect() as conn:
        row = conn.execute(text("SELECT actor, at FROM audit_log WHERE pos = :p"),
                           {"p": pos}).one()
    assert row.actor == op_a  # the server's session_user, not what the client said


def test_append_only_even_for_the_owner(secure_db, trail) -> None:
    for sql in ("UPDATE audit_log SET actor = 'x' WHERE pos = 1", "DELETE FROM audit_log",
                "TRUNCATE audit_log"):
        with secure_db.owner.connect() as conn:
            with pytest.raises(exc.DBAPIError, match="append-only"):
                conn.execute(text(sql))
            conn.rollback()


def _tampered(db, statements: list[str], anchors=None) -> audit.Verdict:  # noqa: ANN001
    """Tamper as the database owner (triggers off), verify in the same transaction, roll back."""
    with db.owner.connect() as conn:
        trans = conn.begin()
        try:
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
            for sql in statements:
                conn.execute(text(sql))
            return audit.verify(conn, anchors=anchors)
        finally:
            trans.rollback()


def test_altered_record_is_named(secure_db, trail) -> None:
    verdict = _tampered(secure_db, ["UPDATE audit_log SET new = jsonb_set(new, '{title}', "
                                    "'\"nothing happened\"') WHERE pos = (SELECT min(pos) FROM "
                                    "audit_log WHERE table_name = 'events')"])
    with _auditor(secure_db).connect() as conn:
        first_event = conn.scalar(text("SELECT min(pos) FROM audit_log WHERE table_name = 'events'"))
    assert not verdict.ok and verdict.first_bad == first_event
    assert "altered" in verdict.problem


def test_altered_time_or_actor_is_named(secure_db, trail) -> None:
    verdict = _tampered(secure_db, ["UPDATE audit_log SET at = at - interval '1 hour' WHERE pos = 3"])
    assert not verdict.ok and verdict.first_bad == 3
    verdict = _tampered(secure_db, ["UPDATE audit_log SET actor = 'nobody' WHERE pos = 4"])
    assert not verdict.ok and verdict.first_bad == 4


def test_removed_record_is_named(secure_db, trail) -> None:
    verdict = _tampered(secure_db, ["DELETE FROM audit_log WHERE pos = 5"])
    assert not verdict.ok and verdict.first_bad == 5 and "removed" in verdict.problem
    # Removing and renumbering the rest to close the gap is caught too.
    verdict = _tampered(secure_db, ["DELETE FROM audit_log WHERE pos = 5",
                                    "UPDATE audit_log SET pos = pos - 1 WHERE pos > 5"])
    assert not verdict.ok and verdict.first_bad == 5


def test_inserted_record_is_named(secure_db, trail) -> None:
    # A forged record slipped in at position 4, chained to record 3 as the real trigger would.
    with secure_db.owner.connect() as conn:
        prev = conn.scalar(text("SELECT hash FROM audit_log WHERE pos = 3"))
    at = datetime(2024, 7, 26, 18, 0, tzinfo=UTC)
    forged = audit.chain_hash(prev, audit.canonical(4, at, "postgres", "", "sign_in", None, None,
                                                    None, None, None))
    verdict = _tampered(secure_db, [
        "UPDATE audit_log SET pos = -pos WHERE pos >= 4",
        "UPDATE audit_log SET pos = -pos + 1 WHERE pos < 0",
        f"INSERT INTO audit_log (pos, at, actor, workstation, action, prev_hash, hash) VALUES "
        f"(4, '2024-07-26T18:00:00+00', 'postgres', '', 'sign_in', '{prev}', '{forged}')"])
    assert not verdict.ok and verdict.first_bad == 5  # the record after the forged one


def test_reordered_records_are_named(secure_db, trail) -> None:
    verdict = _tampered(secure_db, ["UPDATE audit_log SET pos = -1 WHERE pos = 6",
                                    "UPDATE audit_log SET pos = 6 WHERE pos = 7",
                                    "UPDATE audit_log SET pos = 7 WHERE pos = -1"])
    assert not verdict.ok and verdict.first_bad == 6


def test_truncated_tail_is_caught_by_an_anchor(secure_db, trail) -> None:
    with _auditor(secure_db).connect() as conn:
        head = audit.verify(conn)
    assert head.ok
    verdict = _tampered(secure_db, [f"DELETE FROM audit_log WHERE pos >= {head.head_pos - 1}"],
                        anchors={head.head_pos: head.head_hash})
    assert not verdict.ok and verdict.first_bad == head.head_pos and "truncated" in verdict.problem


def test_cli_verify_names_the_first_bad_record(pg_url, capsys) -> None:
    """`console audit verify` on committed tampering, as an auditor login."""
    from console.cli import main
    from console.models.migrations import upgrade_central
    from console.models.security import pg

    owner = create_engine(pg_url)
    tid = f"t{uuid.uuid4().hex[:6]}_"
    auditor = f"{tid}audit"  # not *_auditor: reserved for group roles
    try:
        upgrade_central(owner)
        with owner.begin() as conn:
            conn.execute(text("INSERT INTO centres (code, name, timezone) VALUES "
                              "('X', 'X', 'Europe/Paris')"))
            pg.create_user(conn, auditor, "Auditor", "X", "auditor", None)
            for i in range(4):
                audit.append(conn, "report", actor="postgres", details={"n": i})
        url = pg_url.replace("postgres@", f"{auditor}@", 1)
        assert main(["--central", url, "audit", "verify"]) == 0
        out = capsys.readouterr().out
        assert "intact" in out and "--anchor" in out
        with owner.begin() as conn:
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
            conn.execute(text("UPDATE audit_log SET details = '{\"n\": 99}' WHERE pos = 3"))
            conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER USER"))
        assert main(["--central", url, "audit", "verify"]) == 1
        out = capsys.readouterr().out
        assert "BROKEN at record 3" in out
        assert main(["--central", url, "audit", "search", "--text", "99"]) == 0
        assert '"n": 99' in capsys.readouterr().out
    finally:
        owner.dispose()
        admin = create_engine(pg_url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{pg_url.rsplit("/", 1)[1]}" WITH (FORCE)'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{auditor}"'))
        pg.drop_console_roles(admin, pg_url.rsplit("/", 1)[1])
        admin.dispose()
