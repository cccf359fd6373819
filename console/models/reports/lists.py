"""The lists of a situation report: serious events still open, incidents by category, decisions.

Everything is seen as of the report's moment (`at`, the end of the period or now if earlier):
statuses through `asof`, and only the follow-ups recorded before it.
"""
from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from console.models.entities import Event, FollowUp, User, Venue
from console.models.enums import Severity
from console.models.eventlog.query import EventFilter, filter_clause
from console.models.reports.asof import Changed, open_at_clause
from console.models.reports.stats import decision_condition

# Tables of a PDF stay readable: beyond this, the report says how many entries it left out.
MAX_LISTED_EVENTS = 300
MAX_LISTED_DECISIONS = 300
MAX_PER_CATEGORY = 12  # serious events listed under each category
SERIOUS = int(Severity.HIGH)  # high and critical


@dataclass
class LastFollowUp:
    recorded_at: datetime
    author: str  # display name
    kind: str
    text: str
    new_status: str | None


@dataclass
class ListedEvent:
    id: uuid.UUID
    occurred_at: datetime
    centre_code: str
    category: str
    severity: int
    status: str  # as of the report's moment
    title: str
    place: str  # the venue's name when the event is at a venue, else the place as typed
    flagged: bool
    last_follow_up: LastFollowUp | None


@dataclass
class CategorySection:
    category: str
    total: int
    by_severity: dict[int, int]
    open_at_end: int
    serious: list[ListedEvent]
    serious_total: int


@dataclass
class Decision:
    recorded_at: datetime
    author: str
    text: str
    event_title: str
    event_id: uuid.UUID


class Names:
    """Display names of users and venues, read once per report."""

    def __init__(self, session: Session) -> None:
        self.users = dict(session.execute(select(User.username, User.display_name)).all())
        self.venues = dict(session.execute(select(Venue.code, Venue.name)).all())

    def user(self, username: str) -> str:
        return self.users.get(username) or username

    def place(self, venue_code: str | None, place: str) -> str:
        return self.venues.get(venue_code or "", "") or place


def _last_follow_ups(session: Session, ids: list[uuid.UUID], at: datetime, names: Names
                     ) -> dict[uuid.UUID, LastFollowUp]:
    """The latest follow-up recorded before `at` of each event (central order, pending last)."""
    result: dict[uuid.UUID, LastFollowUp] = {}
    for start in range(0, len(ids), 500):
        ranked = (select(FollowUp.event_id, FollowUp.recorded_at, FollowUp.author, FollowUp.kind,
                         FollowUp.text, FollowUp.new_status,
                         func.row_number().over(
                             partition_by=FollowUp.event_id,
                             order_by=(FollowUp.server_seq.is_(None).desc(),
                                       FollowUp.server_seq.desc(), FollowUp.pk.desc()))
                         .label("rank"))
                  .where(FollowUp.event_id.in_(ids[start:start + 500]), FollowUp.recorded_at < at)
                  .subquery())
        for row in session.execute(select(ranked).where(ranked.c.rank == 1)):
            result[row.event_id] = LastFollowUp(row.recorded_at, names.user(row.author), row.kind,
                                                row.text or "", row.new_status)
    return result


def _listed(session: Session, events: list[Event], at: datetime, names: Names,
            changed: dict[uuid.UUID, Changed]) -> list[ListedEvent]:
    last = _last_follow_ups(session, [e.id for e in events], at, names)
    return [ListedEvent(id=e.id, occurred_at=e.occurred_at, centre_code=e.centre_code,
                        category=e.category, severity=e.severity,
                        status=changed[e.id].status_then if e.id in changed else e.status,
                        title=e.title, place=names.place(e.venue_code, e.place),
                        flagged=e.flagged_for_authorities, last_follow_up=last.get(e.id))
            for e in events]


def open_serious(session: Session, flt: EventFilter, at: datetime, names: Names,
                 changed: dict[uuid.UUID, Changed]) -> tuple[list[ListedEvent], int]:
    """Critical and high events of the scope still open at `at`, most severe then newest first."""
    condition = (filter_clause(flt), Event.severity >= SERIOUS, open_at_clause(changed))
    total = session.scalar(select(func.count()).select_from(Event).where(*condition)) or 0
    rows = list(session.scalars(select(Event).where(*condition).order_by(
        Event.severity.desc(), Event.occurred_at.desc()).limit(MAX_LISTED_EVENTS)))
    return _listed(session, rows, at, names, changed), total


def by_category(session: Session, flt: EventFilter, at: datetime, names: Names,
                changed: dict[uuid.UUID, Changed], open_counts: Counter[tuple[str, int]]
                ) -> list[CategorySection]:
    """Each category of the scope, most loaded first: counts per severity, how many were still
    open at `at`, and its critical and high events (any status), most severe then newest."""
    counts: dict[str, dict[int, int]] = {}
    for category, severity, n in session.execute(
            select(Event.category, Event.severity, func.count()).where(filter_clause(flt))
            .group_by(Event.category, Event.severity)):
        counts.setdefault(category, {})[int(severity)] = n
    ranked = (select(Event.pk, func.row_number().over(
        partition_by=Event.category,
        order_by=(Event.severity.desc(), Event.occurred_at.desc())).label("rank"))
        .where(filter_clause(flt), Event.severity >= SERIOUS).subquery())
    top = list(session.scalars(select(Event).join(ranked, ranked.c.pk == Event.pk)
                               .where(ranked.c.rank <= MAX_PER_CATEGORY)
                               .order_by(Event.severity.desc(), Event.occurred_at.desc())))
    listed = _listed(session, top, at, names, changed)
    sections = []
    for category, severities in sorted(counts.items(), key=lambda kv: (-sum(kv[1].values()),
                                                                        kv[0])):
        sections.append(CategorySection(
            category=category, total=sum(severities.values()), by_severity=severities,
            open_at_end=sum(n for (c, _), n in open_counts.items() if c == category),
            serious=[e for e in listed if e.category == category],
            serious_total=sum(n for s, n in severities.items() if s >= SERIOUS)))
    return sections


def decisions(session: Session, flt: EventFilter, names: Names) -> tuple[list[Decision], int]:
    """Decisions on the scope's events recorded before the period's end, oldest first."""
    condition = decision_condition(flt)
    joined = select(FollowUp, Event.title).join(Event, Event.id == FollowUp.event_id)
    total = session.scalar(select(func.count()).select_from(FollowUp).where(condition)) or 0
    rows = session.execute(joined.where(condition).order_by(FollowUp.recorded_at)
                           .limit(MAX_LISTED_DECISIONS)).all()
    return [Decision(recorded_at=f.recorded_at, author=names.user(f.author), text=f.text,
                     event_title=title, event_id=f.event_id) for f, title in rows], total
