"""The main courante: writing events and their follow-ups, append-only, each write queued for sync.

Every operation writes the new fact and its outbox entry in one SQLite transaction, so that a
crash keeps both or neither. Nothing here updates or deletes a typed fact: a correction is a
follow-up, a status change is a follow-up, and the event's status is derived from them.
"""
from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.models.actor import Actor
from console.models.base import utcnow
from console.models.changes import Changes
from console.models.entities import Event, EventLink, FollowUp, Zone
from console.models.enums import FollowUpKind, LinkKind, Status
from console.models.eventlog.bulk import (
    CheckedEvent,
    Progress,
    event_values,
    insert_events,
    present,
)
from console.models.outbox import enqueue
from console.models.records import to_record
from console.models.store import LocalStore
from console.models.validation import MAX_TEXT, EventDraft, ValidationError, check_text, validate_event

if TYPE_CHECKING:
    from console.models.roster.duty import DutyRow


# The central database's order (server_seq); rows still in the outbox last, as written here.
FOLLOW_UP_ORDER = (FollowUp.server_seq.is_(None), FollowUp.server_seq, FollowUp.pk)


def derive_state(session: Session, event: Event) -> None:
    """Recompute the event's status, acknowledgement and last activity from its follow-ups.

    Follow-ups are taken in the central database's order (server_seq); those still waiting in the
    outbox come last, in the order they were written here. Workstation clocks play no part.
    """
    follow_ups = session.scalars(
        select(FollowUp)
        .where(FollowUp.event_id == event.id)
        .order_by(*FOLLOW_UP_ORDER)
    ).all()
    _apply_follow_ups(event, follow_ups)


def derive_states(session: Session, event_ids: Iterable[uuid.UUID]) -> None:
    """derive_state for many events with one query per 500 events (the sync engine's pulls)."""
    ids = list(event_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        by_event: dict[uuid.UUID, list[FollowUp]] = {}
        for follow_up in session.scalars(
                select(FollowUp).where(FollowUp.event_id.in_(chunk))
                .order_by(*FOLLOW_UP_ORDER)):
            by_event.setdefault(follow_up.event_id, []).append(follow_up)
        for event in session.scalars(select(Event).where(Event.id.in_(chunk))):
            _apply_follow_ups(event, by_event.get(event.id, []))


@dataclass(frozen=True)
class StatusConflict:
    """A status change that came after the event was closed: kept, shown, not applied."""

    follow_up_id: uuid.UUID
    author: str
    status: str
    closed_by: str


@dataclass
class StatusOutcome:
    status: str = Status.OPEN.value
    closed_at: datetime | None = None
    closed_by: str | None = None
    conflicts: list[StatusConflict] = field(default_factory=list)


def status_outcome(follow_ups: Sequence[FollowUp]) -> StatusOutcome:
    """The status rule, closure wins (the same rule as console_event_derive in c0007).

    Follow-ups come in server order. Once closed, only an explicit reopen (new_status "open")
    changes the status; any other status follow-up is a conflict: kept, listed, not applied.
    A second close is no conflict (both wanted it closed) and the first closure's time stays.
    A reopen settles the conflicts before it: the operator has decided.
    """
    outcome = StatusOutcome()
    for follow_up in follow_ups:
        new_status = follow_up.new_status
        if follow_up.kind != FollowUpKind.STATUS or not new_status:
            continue
        if outcome.status == Status.CLOSED and new_status != Status.OPEN:
            if new_status != Status.CLOSED:
                outcome.conflicts.append(StatusConflict(
                    follow_up.id, follow_up.author, new_status, outcome.closed_by or ""))
            continue
        if new_status == Status.OPEN:
            outcome.conflicts = []
        outcome.status = new_status
        closing = new_status == Status.CLOSED
        outcome.closed_at = follow_up.recorded_at if closing else None
        outcome.closed_by = follow_up.author if closing else None
    return outcome


def _apply_follow_ups(event: Event, follow_ups: Sequence[FollowUp]) -> None:
    outcome = status_outcome(follow_ups)
    acknowledged_by, acknowledged_at = None, None
    last_activity = event.recorded_at
    for follow_up in follow_ups:
        last_activity = max(last_activity, follow_up.recorded_at)
        if follow_up.kind == FollowUpKind.ACKNOWLEDGEMENT and acknowledged_by is None:
            acknowledged_by, acknowledged_at = follow_up.author, follow_up.recorded_at
    event.status = outcome.status
    event.closed_at = outcome.closed_at
    event.acknowledged_by = acknowledged_by
    event.acknowledged_at = acknowledged_at
    event.last_activity_at = last_activity


def status_conflicts(session: Session, event_ids: Iterable[uuid.UUID],
                     ) -> dict[uuid.UUID, list[StatusConflict]]:
    """The status conflicts of some events (those with none are left out), derived on read."""
    ids = list(event_ids)
    by_event: dict[uuid.UUID, list[FollowUp]] = {}
    for start in range(0, len(ids), 500):
        for follow_up in session.scalars(
                select(FollowUp).where(FollowUp.event_id.in_(ids[start:start + 500]),
                                       FollowUp.kind == FollowUpKind.STATUS.value)
                .order_by(*FOLLOW_UP_ORDER)):
            by_event.setdefault(follow_up.event_id, []).append(follow_up)
    conflicts = {event_id: status_outcome(rows).conflicts for event_id, rows in by_event.items()}
    return {event_id: found for event_id, found in conflicts.items() if found}


class EventLog:
    """Operations of the event log on a workstation's local store."""

    def __init__(self, store: LocalStore) -> None:
        self.store = store
        # Set at sign-in (console.models.security.AccessPolicy): the embedded mode's role checks.
        # None = no application checks (PostgreSQL enforces the rules itself).
        self.access: Any = None

    def _require(self, actor: Actor, action: str, *centres: str | None) -> None:
        if self.access is not None:
            from console.models.security.roles import Action

            self.access.require_all(actor, Action(action), centres)

    # -- writing -------------------------------------------------------------------------------

    def create_event(self, actor: Actor, draft: EventDraft, *, now: datetime | None = None,
                     zone_id: uuid.UUID | None = None, venue_code: str | None = None,
                     origin: str | None = None, event_id: uuid.UUID | None = None,
                     centre_code: str | None = None, allow_past: bool = False,
                     ) -> tuple[Event, Changes]:
        centre_code = centre_code or actor.centre_code
        self._require(actor, "create", centre_code)
        values = validate_event(draft, now=now, allow_past=allow_past)
        recorded_at = now or utcnow()
        with self.store.transaction() as session:
            if zone_id is None:
                # Tag the event with the perimeter it falls in, so the log can filter by zone.
                from console.models.map.zones import zone_for_point

                zone_id = zone_for_point(session, values.get("latitude"), values.get("longitude"))
            event = Event(**event_values(
                values, event_id=event_id or uuid.uuid4(), centre_code=centre_code,
                author=actor.username, recorded_at=recorded_at, zone_id=zone_id,
                venue_code=venue_code, origin=origin))
            session.add(event)
            session.flush()
            enqueue(session, "insert:events", to_record(event), actor.username)
        return event, Changes(new_events={event.id})

    def create_events(self, actor: Actor, entries: Sequence[CheckedEvent], *,
                      now: datetime | None = None, progress: Progress | None = None,
                      ) -> tuple[list[uuid.UUID], set[uuid.UUID], Changes]:
        """Many checked events of the actor's centre in ONE transaction: all of them or none.

        Entries already in the store (same id or origin) and repeats within `entries` are
        left out. Returns (created ids, ids already present, Changes).
        """
        self._require(actor, "create", actor.centre_code)
        seen: set[object] = set()
        unique = []
        for entry in entries:
            if entry.event_id not in seen and (entry.origin is None or entry.origin not in seen):
                seen.update((entry.event_id, entry.origin))
                unique.append(entry)
        with self.store.transaction() as session:
            already = present(session, unique)
            created = insert_events(
                session, [entry for entry in unique if entry.event_id not in already],
                centre_code=actor.centre_code, author=actor.username,
                recorded_at=now or utcnow(), progress=progress)
        return created, already, Changes(new_events=set(created))

    def add_follow_up(self, actor: Actor, event_id: uuid.UUID, kind: FollowUpKind | str,
                      text: str = "", new_status: Status | str | None = None,
                      ) -> tuple[FollowUp, Changes]:
        kind = FollowUpKind(kind)
        errors: dict[str, str] = {}
        text = check_text("text", text, MAX_TEXT, errors,
                          required=kind in (FollowUpKind.NOTE, FollowUpKind.CORRECTION,
                                            FollowUpKind.DECISION))
        with self.store.transaction() as session:
            event = session.scalar(select(Event).where(Event.id == event_id))
            if event is None:
                raise ValidationError({"event": "unknown event"})
            self._require(actor, "close" if new_status == Status.CLOSED else "update",
                          event.centre_code)
            if kind == FollowUpKind.STATUS:
                if new_status not in {s.value for s in Status}:
                    errors["status"] = "choose a status"
                elif new_status == event.status:
                    errors["status"] = f"the event is already {new_status}"
            elif new_status is not None:
                errors["status"] = "only a status change carries a status"
            if kind == FollowUpKind.ACKNOWLEDGEMENT:
                if actor.username == event.author:
                    errors["ack"] = "an entry is acknowledged by another operator than its author"
                elif session.scalar(select(FollowUp.pk).where(
                        FollowUp.event_id == event_id, FollowUp.author == actor.username,
                        FollowUp.kind == FollowUpKind.ACKNOWLEDGEMENT.value)):
                    errors["ack"] = "you have already acknowledged this entry"
            if errors:
                raise ValidationError(errors)
            follow_up = FollowUp(
                id=uuid.uuid4(), event_id=event_id, author=actor.username,
                recorded_at=utcnow(), kind=kind.value, text=text,
                new_status=str(new_status) if new_status else None,
            )
            session.add(follow_up)
            session.flush()
            derive_state(session, event)
            enqueue(session, "insert:follow_ups", to_record(follow_up), actor.username)
        return follow_up, Changes(events={event_id})

    def link(self, actor: Actor, event_id: uuid.UUID, target_id: uuid.UUID,
             kind: LinkKind | str) -> tuple[EventLink, Changes]:
        kind = LinkKind(kind)
        if event_id == target_id:
            raise ValidationError({"link": "an event cannot be linked to itself"})
        with self.store.transaction() as session:
            known = set(session.scalars(select(Event.id).where(Event.id.in_([event_id, target_id]))))
            if known != {event_id, target_id}:
                raise ValidationError({"link": "unknown event"})
            if self.access is not None:
                self._require(actor, "link", *session.scalars(
                    select(Event.centre_code).where(Event.id.in_([event_id, target_id]))))
            if session.scalar(select(EventLink.pk).where(
                    EventLink.event_id == event_id, EventLink.target_id == target_id,
                    EventLink.kind == kind.value)):
                raise ValidationError({"link": "these events are already linked that way"})
            link = EventLink(id=uuid.uuid4(), event_id=event_id, target_id=target_id,
                             kind=kind.value, author=actor.username, recorded_at=utcnow())
            session.add(link)
            session.flush()
            enqueue(session, "insert:event_links", to_record(link), actor.username)
        return link, Changes(events={event_id, target_id})

    def create_zone(self, actor: Actor, name: str, kind: str, geometry: dict[str, Any],
                    radius_m: float | None = None) -> tuple[Zone, Changes]:
        errors: dict[str, str] = {}
        name = check_text("name", name, 200, errors, required=True)
        if kind not in ("polygon", "circle"):
            errors["kind"] = "a zone is a polygon or a circle"
        elif kind == "circle" and not (radius_m and radius_m > 0):
            errors["radius"] = "a circle needs a positive radius"
        if errors:
            raise ValidationError(errors)
        self._require(actor, "create", actor.centre_code)
        with self.store.transaction() as session:
            zone = Zone(id=uuid.uuid4(), centre_code=actor.centre_code, name=name, kind=kind,
                        geometry=json.dumps(geometry), radius_m=radius_m,
                        author=actor.username, recorded_at=utcnow())
            session.add(zone)
            session.flush()
            enqueue(session, "insert:zones", to_record(zone), actor.username)
        return zone, Changes(zones=True)

    # -- reading -------------------------------------------------------------------------------

    def event(self, event_id: uuid.UUID) -> Event | None:
        with self.store.session() as session:
            return session.scalar(select(Event).where(Event.id == event_id))

    def thread(self, event_id: uuid.UUID) -> list[FollowUp]:
        """Follow-ups of an event in their authoritative order (central order, then pending)."""
        with self.store.session() as session:
            return list(session.scalars(
                select(FollowUp).where(FollowUp.event_id == event_id)
                .order_by(FollowUp.server_seq.is_(None), FollowUp.server_seq, FollowUp.pk)))

    def on_duty_when_written(self, event: Event) -> list[DutyRow]:
        """Who held which desk of the event's centre when the entry was written (published roster)."""
        from console.models.roster.duty import on_duty

        with self.store.session() as session:
            return on_duty(session, event.recorded_at, event.centre_code)

    def links(self, event_id: uuid.UUID) -> list[tuple[EventLink, Event]]:
        """Links from and to an event, each with the event at its other end."""
        with self.store.session() as session:
            rows = session.scalars(select(EventLink).where(
                (EventLink.event_id == event_id) | (EventLink.target_id == event_id))).all()
            def other_end(link: EventLink) -> uuid.UUID:
                return link.target_id if link.event_id == event_id else link.event_id

            # One query for the events at the other ends, not one per link.
            others = {e.id: e for e in session.scalars(
                select(Event).where(Event.id.in_({other_end(link) for link in rows})))}
            return [(link, others[other_end(link)]) for link in rows
                    if other_end(link) in others]
