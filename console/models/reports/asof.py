"""The status of events at a past moment: what was still open at the end of a report's period.

An event's stored status is its status now. A report on yesterday must say what was open at
the end of yesterday, so the events whose status changed since that moment get their status
re-derived from the follow-ups recorded before it (the log's own rule, `status_outcome`).
Those events are few next to the scope (only the ones touched since), so the counts stay
grouped SQL over the stored status, corrected event by event.
"""
from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import Session

from console.models.entities import Event, FollowUp
from console.models.enums import FollowUpKind, Status
from console.models.eventlog.log import FOLLOW_UP_ORDER, status_outcome
from console.models.eventlog.query import EventFilter, filter_clause

OPEN_STATUSES = (Status.OPEN.value, Status.IN_PROGRESS.value)


@dataclass(frozen=True)
class Changed:
    """An event whose status changed after the moment: its status then, and now."""

    status_then: str
    closed_at_then: datetime | None  # when it was closed, if it was closed at the moment
    open_now: bool
    category: str
    severity: int
    recorded_at: datetime

    @property
    def open_then(self) -> bool:
        return self.status_then in OPEN_STATUSES


def changed_since(session: Session, flt: EventFilter, at: datetime) -> dict[uuid.UUID, Changed]:
    """Events of the scope with a status follow-up recorded at or after `at`, and their
    status at `at` (derived from the follow-ups recorded before it)."""
    touched = select(FollowUp.event_id).where(
        FollowUp.kind == FollowUpKind.STATUS.value, FollowUp.new_status.is_not(None),
        FollowUp.recorded_at >= at)
    events = session.execute(select(Event.id, Event.status, Event.category, Event.severity,
                                    Event.recorded_at)
                             .where(filter_clause(flt), Event.id.in_(touched))).all()
    if not events:
        return {}
    before: dict[uuid.UUID, list[FollowUp]] = {event_id: [] for event_id, *_ in events}
    ids = list(before)
    for start in range(0, len(ids), 500):
        for follow_up in session.scalars(
                select(FollowUp).where(FollowUp.event_id.in_(ids[start:start + 500]),
                                       FollowUp.recorded_at < at).order_by(*FOLLOW_UP_ORDER)):
            before[follow_up.event_id].append(follow_up)
    result = {}
    for event_id, status, category, severity, recorded_at in events:
        then = status_outcome(before[event_id])
        result[event_id] = Changed(status_then=then.status, closed_at_then=then.closed_at,
                                   open_now=status in OPEN_STATUSES, category=category,
                                   severity=int(severity), recorded_at=recorded_at)
    return result


def open_counts(session: Session, flt: EventFilter, at: datetime | None,
                changed: dict[uuid.UUID, Changed] | None = None) -> Counter[tuple[str, int]]:
    """Events of the scope open at `at` (now when None), per (category, severity)."""
    rows = session.execute(select(Event.category, Event.severity, func.count())
                           .where(filter_clause(flt), Event.status.in_(OPEN_STATUSES))
                           .group_by(Event.category, Event.severity))
    counts: Counter[tuple[str, int]] = Counter()
    for category, severity, count in rows:
        counts[(category, int(severity))] = count
    if at is not None:
        for change in (changed if changed is not None else changed_since(session, flt, at)
                       ).values():
            counts[(change.category, change.severity)] += change.open_then - change.open_now
    return counts


def open_at_clause(changed: dict[uuid.UUID, Changed]) -> ColumnElement[bool]:
    """Events open at the moment `changed` was computed for: open now and not closed since
    the moment, or closed now but open then."""
    closed_since = [i for i, c in changed.items() if c.open_now and not c.open_then]
    reopened_since = [i for i, c in changed.items() if c.open_then and not c.open_now]
    open_now: ColumnElement[bool] = Event.status.in_(OPEN_STATUSES)
    if closed_since:
        open_now = and_(open_now, Event.id.not_in(closed_since))
    return or_(open_now, Event.id.in_(reopened_since) if reopened_since else false())
