"""Writing imported entries into the log: once only, with their origin, queued for sync.

Every importer (CAP, CSV, GeoJSON) turns its input into `Incoming` items; this module writes them
through `EventLog.create_event`, so an imported event is queued for sync exactly like a typed
one. An item is identified by its `origin` (unique column, e.g. "cap:<sender>/<identifier>") and
by a deterministic id (uuid5 of the origin, or the id the producing console gave it): importing
the same file twice finds them and adds nothing.

An entry from a trusted console export (console.models.exchange.trust) keeps its author, centre
and status: the event and, when it was not open at the source, the status follow-up that gives
it that status (dated when the source closed it) are written in one transaction.
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
from console.models.entities import Event, FollowUp
from console.models.enums import FollowUpKind, Status
from console.models.eventlog.log import EventLog, derive_state
from console.models.exchange.trust import Provenance
from console.models.outbox import NotAllowed, enqueue
from console.models.records import to_record
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
    provenance: Provenance | None = None  # set only for a trusted console export
    # The id a foreign file gives: not believed as ours, only used to recognise an event that is
    # already here (an export of this deployment whose author is no longer a user, say).
    source_id: uuid.UUID | None = None
    notices: list[str] = field(default_factory=list)  # what the reader changed (truncations...)

    @property
    def id(self) -> uuid.UUID:
        return self.event_id or origin_id(self.origin)


@dataclass
class ImportReport:
    created: list[uuid.UUID] = field(default_factory=list)
    already_present: list[str] = field(default_factory=list)  # labels
    refused: list[tuple[str, str]] = field(default_factory=list)  # (label, why)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (label, what was changed)
    changes: Changes = field(default_factory=Changes)

    def summary(self) -> str:
        text = (f"{len(self.created)} imported, {len(self.already_present)} already present, "
                f"{len(self.refused)} refused")
        return text + (f", {len(self.warnings)} warnings" if self.warnings else "")


def already_present(eventlog: EventLog, item: Incoming) -> bool:
    with eventlog.store.session() as session:
        ids = [item.id] if item.source_id is None else [item.id, item.source_id]
        return session.scalar(select(Event.pk).where(
            (Event.origin == item.origin) | Event.id.in_(ids))) is not None


def check(item: Incoming, now: datetime | None = None) -> None:
    """Raise ValidationError if the entry would be refused (without writing anything)."""
    validate_event(item.draft, now=now or utcnow(), allow_past=True)


def write(eventlog: EventLog, actor: Actor, item: Incoming,
          now: datetime | None = None) -> tuple[Event, Changes]:
    """Create the event (queued for sync); ValidationError if invalid, IntegrityError if a twin
    was written meanwhile. Archives older than a year (e.g. the CAP specification's 2003
    examples) are legitimate imports."""
    if item.provenance is not None:
        return _restore(eventlog, actor, item, item.provenance, now or utcnow())
    return eventlog.create_event(actor, item.draft, now=now or utcnow(), zone_id=item.zone_id,
                                 venue_code=item.venue_code, origin=item.origin,
                                 event_id=item.id, allow_past=True)


def _restore(eventlog: EventLog, actor: Actor, item: Incoming, provenance: Provenance,
             now: datetime) -> tuple[Event, Changes]:
    """A trusted export's event with its own author, centre and status, in one transaction.

    The importing user needs the right to create (and to close) in that centre; the status
    follow-up is theirs, dated when the source closed the event, and says where it came from.
    """
    if eventlog.access is not None:  # the embedded mode's checks, as for a typed entry
        from console.models.security.roles import Action

        eventlog.access.require(actor, Action.CREATE, provenance.centre_code)
        if provenance.status == Status.CLOSED:
            eventlog.access.require(actor, Action.CLOSE, provenance.centre_code)
    values = validate_event(item.draft, now=now, allow_past=True)
    with eventlog.store.transaction() as session:
        zone_id = item.zone_id
        if zone_id is None:
            from console.models.map.zones import zone_for_point

            zone_id = zone_for_point(session, values.get("latitude"), values.get("longitude"))
        event = Event(id=item.id, centre_code=provenance.centre_code, author=provenance.author,
                      recorded_at=now, zone_id=zone_id, venue_code=item.venue_code,
                      origin=item.origin, status=Status.OPEN.value, last_activity_at=now,
                      **values)
        session.add(event)
        session.flush()
        enqueue(session, "insert:events", to_record(event), actor.username)
        if provenance.status != Status.OPEN:
            when = provenance.closed_at if provenance.status == Status.CLOSED else None
            follow_up = FollowUp(
                id=uuid.uuid5(item.id, "imported-status"), event_id=event.id,
                author=actor.username, recorded_at=min(when or now, now),
                kind=FollowUpKind.STATUS.value, new_status=provenance.status,
                text=f"{provenance.status} at the source / à la source ({item.origin})")
            session.add(follow_up)
            session.flush()
            derive_state(session, event)
            enqueue(session, "insert:follow_ups", to_record(follow_up), actor.username)
    return event, Changes(new_events={event.id})


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
                report.warnings += [(label, notice) for notice in item.notices]
                continue
            event, changes = write(eventlog, actor, item, now)
        except (ValidationError, NotAllowed) as error:
            report.refused.append((label, str(error)))
            continue
        except IntegrityError:
            report.already_present.append(label)
            continue
        report.created.append(event.id)
        report.warnings += [(label, notice) for notice in item.notices]  # about what went in
        report.changes.merge(changes)
    return report
