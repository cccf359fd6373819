"""The event log's tables in the sync registry, and the state it derives after a pull."""
from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.models.changes import Changes
from console.models.entities import Event, EventLink, FollowUp, Zone
from console.models.eventlog.log import derive_states
from console.models.synced_tables import Parent, register_synced_table

EVENT_PARENT = Parent(table="events", key="event_id")


def _event(changes: Changes, record: dict[str, Any], is_new: bool) -> None:
    (changes.new_events if is_new else changes.events).add(uuid.UUID(str(record["id"])))


def _about_event(changes: Changes, record: dict[str, Any], is_new: bool) -> None:
    changes.events.add(uuid.UUID(str(record["event_id"])))
    if record.get("target_id"):
        changes.events.add(uuid.UUID(str(record["target_id"])))


def _zone(changes: Changes, record: dict[str, Any], is_new: bool) -> None:
    changes.zones = True


def _derive_with_pending(session: Session, event_ids: set[Any]) -> None:
    """A pulled event row carries the central's derived state; where follow-ups written here are
    still on their way, they count last, so those events are derived again."""
    ids = [uuid.UUID(str(i)) for i in event_ids]
    pending: set[uuid.UUID] = set()
    for start in range(0, len(ids), 500):
        pending |= set(session.scalars(select(FollowUp.event_id).where(
            FollowUp.event_id.in_(ids[start:start + 500]), FollowUp.server_seq.is_(None))))
    if pending:
        derive_states(session, pending)


def _derive_parents(session: Session, event_ids: set[Any]) -> None:
    """A pulled follow-up changes its event's state; the event row is not sent again."""
    derive_states(session, {uuid.UUID(str(i)) for i in event_ids})


def register() -> None:
    register_synced_table(Event, "insert", changes_of=_event, after_apply=_derive_with_pending)
    register_synced_table(FollowUp, "insert", changes_of=_about_event, parent=EVENT_PARENT,
                          after_apply=_derive_parents)
    register_synced_table(EventLink, "insert", changes_of=_about_event, parent=EVENT_PARENT)
    register_synced_table(Zone, "insert", changes_of=_zone)
