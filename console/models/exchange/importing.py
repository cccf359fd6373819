"""Writing imported entries into the log: once only, with their origin, queued for sync.

Every importer (CAP, CSV, GeoJSON) turns its input into `Incoming` items; this module writes them
through `EventLog.create_event`, so an imported event is queued for sync exactly like a typed
one. An item is identified by its `origin` (unique column, e.g. "cap:<sender>/<identifier>") and
by a deterministic id (uuid5 of the origin, or the id the producing console gave it): importing
the same file twice finds them and adds nothing.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from console.models.actor import Actor
from console.models.base import utcnow
from console.models.changes import Changes
from console.models.entities import Event
from console.models.eventlog.log import EventLog
from console.models.validation import EventDraft, ValidationError, validate_event

# Fixed namespace: the same origin gives the same event id on every workstation, for ever.
ORIGIN_NAMESPACE = uuid.UUID("6f1d7a52-3c0e-5b8e-9a51-2f4f0b6c1e07")


def origin_id(origin: str) -> uuid.UUID:
    return uuid.uuid5(ORIGIN_NAMESPACE, origin)


@dataclass
class Incoming:
    """One entry to import: what an operator would have typed, plus where it comes from."""

    draft: EventDraft
    origin: str
    event_id: uuid.UUID | None = None  # default: uuid5 of the origin
    zone_id: uuid.UUID | None = None
    venue_code: str | None = None
    label: str = ""  # how the report names it (file line, alert identifier)

    @property
    def id(self) -> uuid.UUID:
        return self.event_id or origin_id(self.origin)


@dataclass
class ImportReport:
    created: list[uuid.UUID] = field(default_factory=list)
    already_present: list[str] = field(default_factory=list)  # labels
    refused: list[tuple[str, str]] = field(default_factory=list)  # (label, why)
    changes: Changes = field(default_factory=Changes)

    def summary(self) -> str:
        return (f"{len(self.created)} imported, {len(self.already_present)} already present, "
                f"{len(self.refused)} refused")


def already_present(eventlog: EventLog, item: Incoming) -> bool:
    with eventlog.store.session() as session:
        return session.scalar(select(Event.pk).where(
            (Event.origin == item.origin) | (Event.id == item.id))) is not None


def check(item: Incoming, now: datetime | None = None) -> None:
    """Raise ValidationError if the entry would be refused (without writing anything)."""
    validate_event(item.draft, now=now or utcnow(), allow_past=True)


def write(eventlog: EventLog, actor: Actor, item: Incoming,
          now: datetime | None = None) -> tuple[Event, Changes]:
    """Create the event (queued for sync); ValidationError if invalid, IntegrityError if a twin
    was written meanwhile. Archives older than a year (e.g. the CAP specification's 2003
    examples) are legitimate imports."""
    return eventlog.create_event(actor, item.draft, now=now or utcnow(), zone_id=item.zone_id,
                                 venue_code=item.venue_code, origin=item.origin,
                                 event_id=item.id, allow_past=True)


def import_items(eventlog: EventLog, actor: Actor, items: list[Incoming],
                 dry_run: bool = False, now: datetime | None = None) -> ImportReport:
    """Import each item once; refused ones are reported with the reason, the others still go in."""
    report = ImportReport()
    seen: set[str] = set()
    for item in items:
        label = item.label or item.origin
        if item.origin in seen:
            report.already_present.append(label)
            continue
        seen.add(item.origin)
        if already_present(eventlog, item):
            report.already_present.append(label)
            continue
        try:
            if dry_run:
                check(item, now)
                report.created.append(item.id)
                continue
            event, changes = write(eventlog, actor, item, now)
        except ValidationError as error:
            report.refused.append((label, str(error)))
            continue
        except IntegrityError:
            report.already_present.append(label)
            continue
        report.created.append(event.id)
        report.changes.merge(changes)
    return report
