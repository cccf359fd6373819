"""The event log service: append-only writes, derived status, outbox entries, queries and exports."""
from __future__ import annotations

import csv
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from console.models.actor import Actor
from console.models.entities import Event, FollowUp
from console.models.eventlog.log import EventLog
from console.models.eventlog.query import (
    EventFilter,
    count_events,
    fts_query,
    page_of_events,
    position_of,
    save_filter,
    saved_filters,
)
from console.models.exchange.export import export_csv
from console.models.exchange.geo import export_geojson
from console.models.local_tables import OutboxEntry
from console.models.store import LocalStore
from console.models.validation import EventDraft, ValidationError

ALICE = Actor("alice", "CNCS")
BOB = Actor("bob", "PP")


@pytest.fixture
def store(tmp_path) -> LocalStore:
    return LocalStore(tmp_path / "local.sqlite3")


@pytest.fixture
def log(store) -> EventLog:
    return EventLog(store)


def draft(**overrides) -> EventDraft:
    values = dict(title="Colis suspect", category="security", severity=3, place="Gare du Nord",
                  latitude="48.8809", longitude="2.3553", source="Patrouille")
    values.update(overrides)
    return EventDraft(**values)


def test_create_event_writes_fact_and_outbox_together(log, store):
    event, changes = log.create_event(ALICE, draft())
    assert changes.new_events == {event.id}
    with store.session() as session:
        stored = session.scalar(select(Event).where(Event.id == event.id))
        entry = session.scalar(select(OutboxEntry))
    assert stored.title == "Colis suspect" and stored.status == "open"
    assert stored.latitude == pytest.approx(48.8809) and stored.centre_code == "CNCS"
    assert entry.kind == "insert:events" and entry.state == "pending"
    assert json.loads(entry.payload)["id"] == str(event.id)


@pytest.mark.parametrize("field,overrides", [
    ("title", {"title": "   "}),
    ("title", {"title": "x" * 301}),
    ("title", {"title": "bell\x07"}),
    ("description", {"description": "bad \ud800 text"}),
    ("category", {"category": "weather"}),
    ("severity", {"severity": None}),
    ("severity", {"severity": "very"}),
    ("occurred_at", {"occurred_at": datetime.now(UTC) + timedelta(hours=1)}),
    ("latitude", {"latitude": "91"}),
    ("latitude", {"latitude": "north"}),
    ("longitude", {"longitude": "-181"}),
    ("longitude", {"longitude": ""}),
    ("place", {"place": "p" * 400}),
    ("source", {"source": "s" * 201}),
])
def test_bad_input_names_the_field_and_saves_nothing(log, store, field, overrides):
    with pytest.raises(ValidationError) as raised:
        log.create_event(ALICE, draft(**overrides))
    assert field in raised.value.errors
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Event)) == 0
        assert session.scalar(select(func.count()).select_from(OutboxEntry)) == 0


def test_sql_looking_text_is_stored_verbatim(log, store):
    hostile = "'); DROP TABLE events; -- \"quoted\" NEAR(a b) *"
    event, _ = log.create_event(ALICE, draft(title=hostile, description=hostile))
    assert log.event(event.id).title == hostile
    with store.session() as session:
        assert count_events(session, EventFilter(text=hostile)) == 1


def test_status_and_acknowledgement_derive_from_follow_ups(log):
    event, _ = log.create_event(ALICE, draft())
    with pytest.raises(ValidationError) as raised:
        log.add_follow_up(ALICE, event.id, "ack")
    assert "ack" in raised.value.errors  # the author cannot acknowledge their own entry
    log.add_follow_up(BOB, event.id, "ack")
    with pytest.raises(ValidationError):
        log.add_follow_up(BOB, event.id, "ack")  # only once per operator
    log.add_follow_up(BOB, event.id, "status", new_status="in_progress")
    log.add_follow_up(ALICE, event.id, "correction", "Finalement: bagage oublié")
    log.add_follow_up(ALICE, event.id, "status", new_status="closed")
    stored = log.event(event.id)
    assert (stored.status, stored.acknowledged_by) == ("closed", "bob")
    assert stored.closed_at is not None
    assert stored.title == "Colis suspect"  # the original entry is never rewritten
    kinds = [f.kind for f in log.thread(event.id)]
    assert kinds == ["ack", "status", "correction", "status"]
    with pytest.raises(ValidationError):
        log.add_follow_up(ALICE, event.id, "status", new_status="closed")
    with pytest.raises(ValidationError):
        log.add_follow_up(ALICE, event.id, "note", "  ")


def test_central_order_decides_status_not_local_clocks(log, store):
    event, _ = log.create_event(ALICE, draft())
    log.add_follow_up(BOB, event.id, "status", new_status="closed")
    log.add_follow_up(ALICE, event.id, "status", new_status="open")
    from console.models.eventlog.log import derive_state

    with store.transaction() as session:
        first, second = session.scalars(select(FollowUp).order_by(FollowUp.pk)).all()
        # The central database ordered them the other way round.
        first.server_seq, second.server_seq = 20, 10
        stored = session.scalar(select(Event).where(Event.id == event.id))
        derive_state(session, stored)
    assert log.event(event.id).status == "closed"


def test_links_between_events(log):
    first, _ = log.create_event(ALICE, draft(title="Malaise"))
    second, _ = log.create_event(ALICE, draft(title="Malaise (doublon)"))
    log.link(BOB, second.id, first.id, "duplicate_of")
    with pytest.raises(ValidationError):
        log.link(BOB, second.id, first.id, "duplicate_of")
    with pytest.raises(ValidationError):
        log.link(BOB, first.id, first.id, "caused_by")
    with pytest.raises(ValidationError):
        log.link(BOB, first.id, uuid.uuid4(), "caused_by")
    assert [(link.kind, other.id) for link, other in log.links(first.id)] == \
        [("duplicate_of", second.id)]


def test_filters_combine_and_order_newest_first(log, store):
    now = datetime.now(UTC)
    log.create_event(ALICE, draft(title="Rixe devant le stade", occurred_at=now - timedelta(hours=3)))
    log.create_event(BOB, draft(title="Rixe en gare", category="transport", severity=2,
                                occurred_at=now - timedelta(hours=1)))
    log.create_event(BOB, draft(title="Malaise", category="health", severity=2,
                                occurred_at=now - timedelta(minutes=5)))
    with store.session() as session:
        titles = [r.title for r in page_of_events(session, EventFilter(), 0, 10)]
        assert titles == ["Malaise", "Rixe en gare", "Rixe devant le stade"]
        assert count_events(session, EventFilter(text="rixe")) == 2
        assert count_events(session, EventFilter(text="rix", centres={"PP"})) == 1
        assert count_events(session, EventFilter(severities={2}, categories={"health"})) == 1
        assert count_events(session, EventFilter(time_from=now - timedelta(hours=2))) == 2
        assert count_events(session, EventFilter(text="rixe", statuses={"closed"})) == 0
        malaise = page_of_events(session, EventFilter(), 0, 1)[0]
        assert position_of(session, EventFilter(), malaise.id) == 0
        assert position_of(session, EventFilter(categories={"security"}), malaise.id) is None


def test_fts_query_quotes_user_syntax():
    assert fts_query('gare "nord') == '"gare"* "nord"*'
    assert fts_query("  ;; ") is None


def test_saved_filters_round_trip(store):
    flt = EventFilter(categories={"cyber"}, severities={4}, text="billetterie",
                      time_from=datetime(2024, 7, 26, tzinfo=UTC))
    with store.transaction() as session:
        save_filter(session, "alice", "Cyber critique", flt)
    with store.session() as session:
        assert saved_filters(session, "alice") == {"Cyber critique": flt}
        assert saved_filters(session, "bob") == {}


def test_exports_of_the_filtered_view(log, store, tmp_path):
    log.create_event(ALICE, draft(title="=HYPERLINK(\"http://x\")"))
    log.create_event(ALICE, draft(title="Sans coordonnées", latitude="", longitude="",
                                  category="media"))
    with store.session() as session:
        assert export_csv(session, EventFilter(categories={"security"}), tmp_path / "a.csv") == 1
        assert export_geojson(session, EventFilter(), tmp_path / "a.geojson") == (2, 0)
    rows = list(csv.DictReader((tmp_path / "a.csv").open(encoding="utf-8-sig")))
    assert rows[0]["title"].startswith("'=")  # no formula injection in spreadsheets
    collection = json.loads((tmp_path / "a.geojson").read_text())
    geometries = {f["properties"]["title"]: f["geometry"] for f in collection["features"]}
    assert geometries["Sans coordonnées"] is None
    assert geometries['=HYPERLINK("http://x")']["coordinates"] == [2.3553, 48.8809]


def test_store_reopens_and_migrations_are_idempotent(tmp_path, log):
    path = tmp_path / "again.sqlite3"
    first = LocalStore(path)
    EventLog(first).create_event(ALICE, draft())
    first.close()
    second = LocalStore(path)
    with second.session() as session:
        assert count_events(session, EventFilter(text="colis")) == 1
