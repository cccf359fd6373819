"""The batch form of the feed check (migration c0008), under real logins: what the row trigger
refuses, the batch refuses too; a push of many changes goes through it."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import exc, text

from security.test_hardening_feed import BIGINT_MAX

APPEND = ("SELECT console_feed_append(CAST(:s AS bigint[]), CAST(:c AS uuid[]), "
          "CAST(:t AS text[]), CAST(:k AS text[]), CAST(:ce AS text[]), CAST(:m AS uuid[]))")


def _append(conn, rows: list[tuple]) -> int:  # noqa: ANN001
    """rows: (seq, table, key, centre)."""
    return conn.execute(text(APPEND), {
        "s": [r[0] for r in rows], "c": [uuid.uuid4() for _ in rows],
        "t": [r[1] for r in rows], "k": [r[2] for r in rows], "ce": [r[3] for r in rows],
        "m": [None for _ in rows]}).scalar_one()


def _refused(conn, rows: list[tuple]) -> str:  # noqa: ANN001
    with pytest.raises(exc.DBAPIError) as raised, conn.begin_nested():
        _append(conn, rows)
    assert getattr(raised.value.orig, "sqlstate", None) in ("42501", "22023")
    return str(raised.value.orig)


def test_the_batch_refuses_what_the_row_trigger_refuses(secure_db) -> None:
    a_event, b_event = secure_db.events["A"][0], secure_db.events["B"][0]
    centre_a, centre_b = secure_db.centre("A"), secure_db.centre("B")
    operator = secure_db.users[("operator", "A")]
    with secure_db.login(operator).begin() as conn:
        top = conn.scalar(text("SELECT console_feed_max_seq()"))
        ok = (top + 1, "events", str(a_event), centre_a)
        assert "next position" in _refused(conn, [ok, (BIGINT_MAX, "events", str(a_event), None)])
        assert "not a synced table" in _refused(conn, [ok, (top + 2, "audit_log", "1", None)])
        assert "not a valid key" in _refused(conn, [ok, (top + 2, "events", "not-a-uuid", centre_a)])
        assert "of that centre" in _refused(conn, [ok, (top + 2, "events", str(a_event), None)])
        # B's event: A's operator may not publish a row of a centre it cannot see.
        assert "not yours" in _refused(conn, [ok, (top + 2, "events", str(b_event), centre_b)])
        assert "positions refused" in _refused(conn, [(top + 2, "events", str(a_event), centre_a),
                                                      ok])  # not in increasing order
        assert _append(conn, [ok, (top + 3, "events", str(a_event), centre_a)]) == 2
    with secure_db.owner.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM change_feed_log WHERE seq > :t"),
                           {"t": top}) == 2


def test_a_push_of_many_changes_uses_the_batch(pg_url) -> None:
    """500 events in one push through the real sync code: one call, every row in the feed."""
    from sync.conftest import draft

    from console.models.actor import Actor
    from console.models.eventlog.log import EventLog
    from console.models.migrations import upgrade_central
    from console.models.store import LocalStore
    from console.models.sync import CentralStore, SyncEngine

    central = CentralStore(pg_url)
    upgrade_central(central.engine)
    calls = []
    from sqlalchemy import event

    @event.listens_for(central.engine, "before_cursor_execute")
    def count(conn, cursor, statement, *args):  # noqa: ANN001, ANN202
        if "console_feed_append" in statement or "INSERT INTO change_feed " in statement:
            calls.append(statement.split("(")[0])

    import tempfile
    from pathlib import Path

    store = LocalStore(Path(tempfile.mkdtemp()) / "l.sqlite3")
    actor = Actor(username="op.a", centre_code="CNCS", role="operator")
    log = EventLog(store)
    for n in range(500):
        log.create_event(actor, draft(f"event {n}"))
    engine = SyncEngine(store, central, username=actor.username)
    engine.push_all()
    with central.engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM change_feed_log "
                                "WHERE table_name = 'events'")) == 500
    assert calls == ["SELECT console_feed_append"]
    store.close()
    central.dispose()
