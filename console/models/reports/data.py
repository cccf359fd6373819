"""What a situation report contains, gathered from the store for a period and a scope (no Qt)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Integer, cast, func, or_, select
from sqlalchemy.orm import Session

from console.models.base import utcnow
from console.models.entities import Centre, Event, FollowUp, User, Venue, Zone
from console.models.enums import Category, Severity
from console.models.eventlog.query import EventFilter, filter_clause
from console.models.reports.stats import (
    OPEN_STATUSES,
    Figures,
    Staffing,
    decision_condition,
    figures,
    staffing,
)
from console.models.timezones import centre_zone_name

# Tables of a PDF stay readable: beyond this, the report says how many entries it left out.
MAX_LISTED_EVENTS = 300
MAX_LISTED_DECISIONS = 300


@dataclass
class ReportRequest:
    time_from: datetime
    time_to: datetime
    centre: str | None = None
    zone_id: uuid.UUID | None = None
    category: str | None = None
    exercise: bool = False
    author: str = ""
    title: str = "Point de situation / Situation report"

    def scope(self) -> EventFilter:
        return EventFilter(time_from=self.time_from, time_to=self.time_to,
                           centres={self.centre} if self.centre else set(),
                           zone_id=self.zone_id,
                           categories={self.category} if self.category else set())

    def validate(self) -> None:
        if self.time_from.tzinfo is None or self.time_to.tzinfo is None:
            raise ValueError("report period: give times with a time zone")
        if self.time_to <= self.time_from:
            raise ValueError("report period: the end must come after the start")
        if self.category and self.category not in {c.value for c in Category}:
            raise ValueError(f"unknown category {self.category!r} "
                             f"(one of {', '.join(c.value for c in Category)})")


@dataclass
class Series:
    """Events per time bucket and category over the period (bucket i starts at starts[i])."""

    step: timedelta
    starts: list[datetime]
    by_category: dict[str, list[int]]


@dataclass
class ListedEvent:
    id: uuid.UUID
    occurred_at: datetime
    centre_code: str
    category: str
    severity: int
    status: str
    title: str
    place: str
    flagged: bool
    last_follow_up: tuple[datetime, str, str, str] | None  # (when, author, kind, text)


@dataclass
class Decision:
    recorded_at: datetime
    author: str
    text: str
    event_title: str
    event_id: uuid.UUID


@dataclass
class VenuePoint:
    code: str
    name: str
    latitude: float
    longitude: float


@dataclass
class ReportData:
    request: ReportRequest
    generated_at: datetime
    centre_name: str
    zone_name: str | None
    timezone: str
    figures: Figures
    series: Series
    events: list[ListedEvent]
    events_total: int  # how many matched before the cap
    decisions: list[Decision]
    decisions_total: int
    staffing: Staffing
    points: list[tuple[float, float, int]]  # (latitude, longitude, severity) of the scope
    venues: list[VenuePoint] = field(default_factory=list)


def step_for(period: timedelta) -> timedelta:
    """Hourly bars up to two days, then 6-hour bars up to a week and a half, then daily bars."""
    if period <= timedelta(hours=48):
        return timedelta(hours=1)
    if period <= timedelta(days=10):
        return timedelta(hours=6)
    return timedelta(days=1)


def series(session: Session, flt: EventFilter, start: datetime, end: datetime,
           step: timedelta) -> Series:
    step_days = step.total_seconds() / 86400.0
    # Day difference between the stored naive-UTC text and the start, counted in steps.
    start_text = start.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    bucket = cast((func.julianday(Event.occurred_at) - func.julianday(start_text)) / step_days,
                  Integer)
    rows = session.execute(select(bucket, Event.category, func.count())
                           .where(filter_clause(flt)).group_by(bucket, Event.category)).all()
    count = max(1, int(-(-(end - start) // step)))
    by_category = {c.value: [0] * count for c in Category}
    for index, category, n in rows:
        if index is not None and 0 <= index < count:
            by_category.setdefault(category, [0] * count)[index] += n
    return Series(step=step, starts=[start + i * step for i in range(count)],
                  by_category=by_category)


def _last_follow_ups(session: Session, ids: list[uuid.UUID]
                     ) -> dict[uuid.UUID, tuple[datetime, str, str, str]]:
    """The latest follow-up of each event (central order, pending last), in one query."""
    if not ids:
        return {}
    ranked = (select(FollowUp.event_id, FollowUp.recorded_at, FollowUp.author, FollowUp.kind,
                     FollowUp.text, FollowUp.new_status,
                     func.row_number().over(
                         partition_by=FollowUp.event_id,
                         order_by=(FollowUp.server_seq.is_(None).desc(),
                                   FollowUp.server_seq.desc(), FollowUp.pk.desc()))
                     .label("rank"))
              .where(FollowUp.event_id.in_(ids)).subquery())
    result = {}
    for row in session.execute(select(ranked).where(ranked.c.rank == 1)):
        text = row.text or (f"-> {row.new_status}" if row.new_status else "")
        result[row.event_id] = (row.recorded_at, row.author, row.kind, text)
    return result


def listed_events(session: Session, flt: EventFilter) -> tuple[list[ListedEvent], int]:
    """Critical events of the period (any status) and open high ones, most severe first."""
    condition = (filter_clause(flt), or_(
        Event.severity == int(Severity.CRITICAL),
        (Event.severity >= int(Severity.HIGH)) & Event.status.in_(OPEN_STATUSES)))
    total = session.scalar(select(func.count()).select_from(Event).where(*condition)) or 0
    rows = session.scalars(select(Event).where(*condition).order_by(
        Event.severity.desc(), Event.status.in_(OPEN_STATUSES).desc(),
        Event.occurred_at.desc()).limit(MAX_LISTED_EVENTS)).all()
    last = _last_follow_ups(session, [e.id for e in rows])
    return [ListedEvent(id=e.id, occurred_at=e.occurred_at, centre_code=e.centre_code,
                        category=e.category, severity=e.severity, status=e.status,
                        title=e.title, place=e.place, flagged=e.flagged_for_authorities,
                        last_follow_up=last.get(e.id)) for e in rows], total


def decisions(session: Session, flt: EventFilter) -> tuple[list[Decision], int]:
    """Decisions (follow-ups of kind "decision") on the scope's events, oldest first."""
    condition = decision_condition(flt)
    joined = select(FollowUp, Event.title).join(Event, Event.id == FollowUp.event_id)
    total = session.scalar(select(func.count()).select_from(FollowUp).where(condition)) or 0
    rows = session.execute(joined.where(condition).order_by(FollowUp.recorded_at)
                           .limit(MAX_LISTED_DECISIONS)).all()
    names = dict(session.execute(select(User.username, User.display_name)).all())
    return [Decision(recorded_at=f.recorded_at, author=names.get(f.author, f.author),
                     text=f.text, event_title=title, event_id=f.event_id)
            for f, title in rows], total


def collect(session: Session, request: ReportRequest, now: datetime | None = None) -> ReportData:
    request.validate()
    flt = request.scope()
    centre = session.get(Centre, request.centre) if request.centre else None
    zone = session.scalar(select(Zone).where(Zone.id == request.zone_id)) \
        if request.zone_id else None
    events, events_total = listed_events(session, flt)
    decided, decisions_total = decisions(session, flt)
    at = min(now or utcnow(), request.time_to)
    points = [(float(lat or 0), float(lon or 0), int(sev)) for lat, lon, sev in session.execute(
        select(Event.latitude, Event.longitude, Event.severity)
        .where(filter_clause(flt), Event.latitude.is_not(None)))]
    venues = [VenuePoint(v.code, v.name, v.latitude, v.longitude)
              for v in session.scalars(select(Venue).order_by(Venue.code))]
    return ReportData(
        request=request, generated_at=now or utcnow(),
        centre_name=f"{centre.code} - {centre.name}" if centre else "Tous centres / all centres",
        zone_name=zone.name if zone else None,
        timezone=centre_zone_name(session, request.centre),
        figures=figures(session, flt),
        series=series(session, flt, request.time_from, request.time_to,
                      step_for(request.time_to - request.time_from)),
        events=events, events_total=events_total,
        decisions=decided, decisions_total=decisions_total,
        staffing=staffing(session, at, request.centre),
        points=points, venues=venues)
