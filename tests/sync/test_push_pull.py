"""Push, pull and idempotency between workstations and a real PostgreSQL central database."""
from __future__ import annotations

import json
import uuid

from sqlalchemy import func, select

from console.models.central_tables import AppliedMutation, ChangeFeedEntry
from console.models.entities import Event
from console.models.local_tables import OutboxEntry
from console.models.sync import local
from sync.conftest import OTHER, assert_converged, snapshot


def test_event_written_at_one_workstation_arrives_at_the_other(central, workstations):
    a, b = workstations("a"), workstations("b", OTHER)
    event_id = a.write("road closed at Concorde")
    a.sync()
    changes = b.sync()
    assert event_id in changes.new_events
    with b.store.session() as session:
        event = session.scalar(select(Event).where(Event.id == event_id))
        assert event.title == "road closed at Concorde" and event.server_seq is not None
    assert local.pending_count(a.store) == 0
    a.log.add_follow_up(OTHER, event_id, "note", "units on site")
    b.log.add_follow_up(OTHER, event_id, "status", new_status="in_progress")
    for ws in (a, b, a):
        ws.sync()
    assert_converged(central, a, b)


def test_same_batch_pushed_twice_creates_nothing_twice(central, workstations):
    a = workstations("a")
    for i in range(5):
        a.write(f"event {i}")
    batch = local.next_batch(a.store, 100)
    client_id, token = local.identity(a.store)
    first = central.push(client_id, token, "op.a", batch)
    # The answer was lost (timeout): the client still holds the old token and re-sends.
    second = central.push(client_id, token, "op.a", batch)
    assert [(x.mutation_id, x.status, x.seq) for x in first.acks] == \
        [(x.mutation_id, x.status, x.seq) for x in second.acks]
    with central.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Event)) == 5
        assert conn.scalar(select(func.count()).select_from(ChangeFeedEntry)) == 5
        assert conn.scalar(select(func.count()).select_from(AppliedMutation)) == 5
    local.record_acks(a.store, second.acks, second.token)
    a.sync()
    assert_converged(central, a)


def test_a_batch_carrying_one_mutation_twice_applies_it_once(central, workstations):
    a = workstations("a")
    a.write("once")
    batch = local.next_batch(a.store, 10)
    client_id, token = local.identity(a.store)
    result = central.push(client_id, token, "op.a", batch + batch)
    assert result.acks[0] == result.acks[1]
    assert snapshot(central.engine)["events"].__len__() == 1


def test_always_failing_mutation_does_not_block_the_queue(central, workstations):
    a, b = workstations("a"), workstations("b", OTHER)
    a.write("before")
    with a.store.transaction() as session:  # a follow-up of an event nobody has: FK refuses it
        from console.models.outbox import enqueue

        enqueue(session, "insert:follow_ups", {
            "id": str(uuid.uuid4()), "event_id": str(uuid.uuid4()), "author": "op.a",
            "recorded_at": "2026-07-26T10:00:00+00:00", "kind": "note", "text": "orphan",
            "new_status": None}, "op.a")
        enqueue(session, "frobnicate:events", {"id": str(uuid.uuid4())}, "op.a")
    a.write("after")
    for _ in range(2):
        a.sync()
        b.sync()
    assert local.pending_count(a.store) == 0
    refused = local.rejected_entries(a.store)
    assert len(refused) == 2 and all(entry.last_error for entry in refused)
    a.engine._report()
    assert a.engine.status.rejected == 2
    with central.engine.connect() as conn:
        assert sorted(conn.scalars(select(Event.title))) == ["after", "before"]
    assert_converged(central, a, b)


def test_previous_schema_version_client_is_upgraded(central, workstations):
    a, b = workstations("a"), workstations("b", OTHER)
    event_id = a.write("from a pilot console")
    with a.store.transaction() as session:  # rewrite the entry as the previous release wrote it
        entry = session.scalar(select(OutboxEntry))
        payload = json.loads(entry.payload)
        payload["location"] = "Pont Alexandre III"
        payload.pop("place")
        payload.pop("flagged_for_authorities")
        entry.payload = json.dumps(payload)
        entry.schema_version = 0
    a.sync()
    b.sync()
    with b.store.session() as session:
        assert session.scalar(select(Event.place).where(Event.id == event_id)) == \
            "Pont Alexandre III"


def test_newer_client_against_older_central_is_refused_clearly(central, workstations):
    import pytest
    from sqlalchemy import update

    from console.models.central_tables import CentralMeta
    from console.models.sync import SchemaMismatch

    with central.engine.begin() as conn:
        conn.execute(update(CentralMeta).where(CentralMeta.key == "mutation_schema_version")
                     .values(value="0"))
    a = workstations("a")
    a.write("kept locally")
    with pytest.raises(SchemaMismatch, match="init-central"):
        a.sync()
    assert local.pending_count(a.store) == 1


def test_embedded_sqlite_central_runs_the_same_code(embedded_central, workstations):
    a = workstations("a", central_store=embedded_central)
    b = workstations("b", OTHER, central_store=embedded_central)
    event_id = a.write("embedded")
    a.sync()
    b.sync()
    b.log.add_follow_up(OTHER, event_id, "ack")
    b.sync()
    a.sync()
    assert_converged(embedded_central, a, b)
