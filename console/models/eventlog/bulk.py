"""Many new events in one transaction: the set-based twin of EventLog.create_event (imports).

The same invariants as one typed entry: values checked by validate_event, the event tagged with
the zone it falls in, one `insert:events` outbox entry per event in the same transaction, and
the full-text index kept by the events' own triggers. What differs is the cost: the zones are
read once, presence is looked up per 500 entries, rows are flushed per batch, and the whole
batch commits once, so a crash keeps all of it or none of it.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from console.models.entities import Event
from console.models.enums import Status
from console.models.outbox import enqueue_many
from console.models.records import values_record
from console.models.synced_tables import table_of
from console.models.validation import EventDraft, validate_event

BATCH = 500
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class CheckedEvent:
    """A new event whose values passed validate_event; make it with `CheckedEvent.check`."""

    values: dict[str, Any]
    event_id: uuid.UUID
    origin: str | None = None
    venue_code: str | None = None
    zone_id: uuid.UUID | None = None

    @classmethod
    def check(cls, draft: EventDraft, *, now: datetime, allow_past: bool, event_id: uuid.UUID,
              origin: str | None = None, venue_code: str | None = None,
              zone_id: uuid.UUID | None = None) -> CheckedEvent:
        """ValidationError naming every bad field, as for a typed entry."""
        return cls(validate_event(draft, now=now, allow_past=allow_past), event_id, origin,
                   venue_code, zone_id)


def event_values(values: dict[str, Any], *, event_id: uuid.UUID, centre_code: str, author: str,
                 recorded_at: datetime, zone_id: uuid.UUID | None, venue_code: str | None,
                 origin: str | None) -> dict[str, Any]:
    """Every column of a new event: open, not acknowledged, its last activity its recording
    (the one definition both paths use)."""
    return {"id": event_id, "centre_code": centre_code, "author": author,
            "recorded_at": recorded_at, "zone_id": zone_id, "venue_code": venue_code,
            "origin": origin, "status": Status.OPEN.value, "acknowledged_by": None,
            "acknowledged_at": None, "closed_at": None, "last_activity_at": recorded_at,
            **values}


def present(session: Session, entries: Sequence[CheckedEvent]) -> set[uuid.UUID]:
    """The ids of the entries already in the store, found by their id or by their origin."""
    found: set[uuid.UUID] = set()
    for start in range(0, len(entries), BATCH):
        chunk = entries[start:start + BATCH]
        by_origin = {e.origin: e.event_id for e in chunk if e.origin}
        ids = {e.event_id for e in chunk}
        for event_id, origin in session.execute(select(Event.id, Event.origin).where(
                or_(Event.id.in_(ids), Event.origin.in_(list(by_origin))))):
            if event_id in ids:
                found.add(event_id)
            if origin in by_origin:
                found.add(by_origin[origin])
    return found


def insert_events(session: Session, entries: Sequence[CheckedEvent], *, centre_code: str,
                  author: str, recorded_at: datetime,
                  progress: Progress | None = None) -> list[uuid.UUID]:
    """Add the entries and their outbox entries in the caller's transaction; their ids."""
    from console.models.map.zones import ZoneFinder

    zones = ZoneFinder(session)
    created: list[uuid.UUID] = []
    for start in range(0, len(entries), BATCH):
        rows = [event_values(
            entry.values, event_id=entry.event_id, centre_code=centre_code, author=author,
            recorded_at=recorded_at, venue_code=entry.venue_code, origin=entry.origin,
            zone_id=entry.zone_id or zones.zone_for(entry.values.get("latitude"),
                                                    entry.values.get("longitude")))
            for entry in entries[start:start + BATCH]]
        # Core executemany: the ORM would insert row by row to read back each primary key.
        session.execute(insert(table_of(Event)), rows)
        enqueue_many(session, "insert:events", [values_record(Event, row) for row in rows],
                     author)
        created.extend(row["id"] for row in rows)
        if progress is not None:
            progress(len(created) / len(entries), f"{len(created):,} / {len(entries):,} events written")
    return created
