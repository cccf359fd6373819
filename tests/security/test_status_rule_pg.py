"""Closure wins in both derivations: the PostgreSQL trigger (c0007) and the Python derivation
(console.models.eventlog.log) reach the same status and closure time on random sequences of
status follow-ups, whatever order the central gave them."""
from __future__ import annotations

import uuid
from datetime import datetime

from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from console.models.entities import Event
from console.models.eventlog.log import EventLog, derive_state, status_conflicts
from console.models.migrations import _config, upgrade_central
from console.models.sync import CentralStore, local
from security.conftest import make_event
from security.test_sync_rls import _draft, _workstation

STATUSES = ("open", "in_progress", "closed")
# A follow-up: a status change, or a note (which must not disturb the status).
FOLLOW_UP = st.one_of(st.sampled_from(STATUSES), st.just(None))


@st.composite
def histories(draw):  # noqa: ANN001, ANN201
    """Follow-ups in insertion order and the central order (server_seq) given to each."""
    follow_ups = draw(st.lists(FOLLOW_UP, min_size=1, max_size=8))
    positions = draw(st.permutations(range(1, len(follow_ups) + 1)))
    return list(zip(follow_ups, positions, strict=True))


def _insert(conn, event: uuid.UUID, status: str | None, seq: int) -> None:  # noqa: ANN001
    conn.execute(text(
        "INSERT INTO follow_ups (id, event_id, author, recorded_at, kind, text, new_status, "
        "server_seq) VALUES (:id, :e, session_user, now(), :k, 'x', :s, :q)"),
        {"id": uuid.uuid4(), "e": event, "k": "status" if status else "note", "s": status,
         "q": seq})


def _naive(moment: datetime | None) -> datetime | None:
    """The ORM hands UTC datetimes aware; the raw SQL row has them naive (UTC)."""
    return moment.replace(tzinfo=None) if moment is not None else None


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=histories())
def test_trigger_and_python_derive_the_same_status(secure_db, history) -> None:
    db = secure_db
    supervisor = db.users[("supervisor", "A")]  # may close, as in the field
    engine = db.login(supervisor)
    with engine.begin() as conn:
        event = make_event(conn, db.centre("A"), supervisor, "random history")
    for status, seq in history:
        with engine.begin() as conn:  # one transaction each: distinct server times
            _insert(conn, event, status, seq)
    with engine.connect() as conn:
        by_trigger = conn.execute(text("SELECT status, closed_at, last_activity_at FROM events "
                                       "WHERE id = :e"), {"e": event}).one()
        with Session(bind=conn, autoflush=False) as session:
            stored = session.scalar(select(Event).where(Event.id == event))
            derive_state(session, stored)  # the same rows, derived in Python (never flushed)
            by_python = (stored.status, _naive(stored.closed_at), _naive(stored.last_activity_at))
            session.rollback()
    assert tuple(by_trigger) == by_python, history


def test_the_rule_is_closure_wins_in_the_database(secure_db) -> None:
    """The fixed case behind the random one: close, then in progress, stays closed."""
    db = secure_db
    supervisor = db.users[("supervisor", "A")]
    engine = db.login(supervisor)
    with engine.begin() as conn:
        event = make_event(conn, db.centre("A"), supervisor, "closed then in progress")
    for seq, status in enumerate(("closed", "in_progress"), start=1):
        with engine.begin() as conn:
            _insert(conn, event, status, seq)
    with engine.connect() as conn:
        status, closed_at = conn.execute(text("SELECT status, closed_at FROM events "
                                              "WHERE id = :e"), {"e": event}).one()
        first_close = conn.execute(text("SELECT recorded_at FROM follow_ups WHERE event_id = :e "
                                        "AND new_status = 'closed'"), {"e": event}).scalar_one()
    assert status == "closed" and closed_at == first_close


def test_upgrading_to_c0007_derives_existing_events_again(pg_url) -> None:
    """An event that c0005's rule left in progress after its closure is closed once c0007 runs;
    downgrading restores the old rule and the old state."""
    owner = create_engine(pg_url)
    try:
        upgrade_central(owner, "c0006_client_actions")
        with owner.begin() as conn:
            conn.execute(text("INSERT INTO centres (code, name, timezone) VALUES "
                              "('MIG', 'Migrated', 'Europe/Paris')"))
            event = make_event(conn, "MIG", "seed", "closed, then in progress offline")
        for seq, status in enumerate(("closed", "in_progress"), start=1):
            with owner.begin() as conn:
                _insert(conn, event, status, seq)

        def status() -> str:
            with owner.connect() as conn:
                return conn.execute(text("SELECT status FROM events WHERE id = :e"),
                                    {"e": event}).scalar_one()

        assert status() == "in_progress"  # the last status won under c0005
        upgrade_central(owner)
        assert status() == "closed"
        # No public downgrade in the application: alembic, with the application's configuration.
        command.downgrade(_config("central", owner), "c0006_client_actions")
        assert status() == "in_progress"
    finally:
        owner.dispose()


def test_an_operators_late_in_progress_is_kept_under_real_logins(secure_db, tmp_path) -> None:
    """The supervisor closes offline, an operator (who may not close) sets the entry in progress
    offline; the closure arrives first. The operator's push is accepted, not refused, and both
    workstations show the entry closed with the conflict."""
    db = secure_db
    CentralStore(db.owner).publish_unfed_rows()
    seats = [_workstation(db, tmp_path, role, "A") for role in ("operator", "supervisor")]
    (operator, op_store, _, op_sync), (supervisor, sup_store, _, sup_sync) = seats
    try:
        event, _ = EventLog(op_store).create_event(operator, _draft("late in progress"))
        op_sync.sync_once()
        sup_sync.sync_once()
        EventLog(sup_store).add_follow_up(supervisor, event.id, "status", new_status="closed")
        EventLog(op_store).add_follow_up(operator, event.id, "status", new_status="in_progress")
        sup_sync.sync_once()
        op_sync.sync_once()
        sup_sync.sync_once()
        assert local.rejected_entries(op_store) == []
        for store in (op_store, sup_store):
            assert EventLog(store).event(event.id).status == "closed"
            with store.session() as session:
                found = status_conflicts(session, [event.id])[event.id]
            assert [(c.author, c.status, c.closed_by) for c in found] == \
                [(operator.username, "in_progress", supervisor.username)]
        with db.owner.connect() as conn:
            assert conn.execute(text("SELECT status FROM events WHERE id = :e"),
                                {"e": event.id}).scalar_one() == "closed"
    finally:
        for _, store, central, _ in seats:
            store.close()
            central.dispose()
