"""Closure wins, end to end: two workstations change one event's status offline against the real
PostgreSQL central; whatever the arrival order, everyone ends on "closed", and a status change
that reached the central after the closure is kept and shown as a conflict."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from console.models.eventlog.log import status_conflicts
from console.models.eventlog.reads import event_detail
from sync.conftest import OTHER, assert_converged


def conflicts(session: Session, event_id: uuid.UUID) -> list[tuple[str, str, str]]:
    found = status_conflicts(session, [event_id]).get(event_id, [])
    return [(c.author, c.status, c.closed_by) for c in found]


@pytest.mark.parametrize("close_arrives_first", [True, False])
def test_offline_close_and_in_progress_end_closed_everywhere(central, workstations,
                                                             close_arrives_first):
    a, b = workstations("a"), workstations("b", OTHER)
    event_id = a.write("crowd at gate 4")
    a.sync()
    b.sync()
    # Both offline: a closes the event, b (who has not seen that) sets it in progress.
    a.log.add_follow_up(a.actor, event_id, "status", new_status="closed")
    b.log.add_follow_up(b.actor, event_id, "status", new_status="in_progress")
    first, second = (a, b) if close_arrives_first else (b, a)
    first.sync()
    second.sync()
    first.sync()
    expected = [("op.b", "in_progress", "op.a")] if close_arrives_first else []
    with central.engine.connect() as conn:
        # The trigger's derivation (c0007), not a value a client sent.
        assert conn.execute(text("SELECT status FROM events WHERE id = :e"),
                            {"e": event_id}).scalar_one() == "closed"
        statuses = conn.execute(text("SELECT new_status FROM follow_ups WHERE event_id = :e "
                                     "ORDER BY server_seq"), {"e": event_id}).scalars().all()
        assert sorted(statuses) == ["closed", "in_progress"]  # the loser is kept
        with Session(bind=conn) as session:
            assert conflicts(session, event_id) == expected
    for ws in (a, b):
        assert ws.log.event(event_id).status == "closed"
        with ws.store.session() as session:
            assert conflicts(session, event_id) == expected
        detail = event_detail(ws.log, event_id, "CNCS")
        assert [(c.author, c.status, c.closed_by) for c in detail.conflicts] == expected
    assert_converged(central, a, b)


def test_a_reopen_then_a_new_status_syncs_as_before(central, workstations):
    a, b = workstations("a"), workstations("b", OTHER)
    event_id = a.write("lost child")
    a.log.add_follow_up(a.actor, event_id, "status", new_status="closed")
    a.sync()
    b.sync()
    b.log.add_follow_up(b.actor, event_id, "status", new_status="open")
    b.log.add_follow_up(b.actor, event_id, "status", new_status="in_progress")
    b.sync()
    a.sync()
    with central.engine.connect() as conn:
        assert conn.execute(select(text("status")).select_from(text("events")).where(
            text("id = :e")), {"e": event_id}).scalar_one() == "in_progress"
    for ws in (a, b):
        assert ws.log.event(event_id).status == "in_progress"
        with ws.store.session() as session:
            assert conflicts(session, event_id) == []
    assert_converged(central, a, b)
