"""What a situation report contains, gathered from the store for a period and a scope (no Qt)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import Session

from console.models.base import utcnow
from console.models.entities import Centre, Event, Venue, Zone
from console.models.enums import Category
from console.models.eventlog.query import EventFilter, filter_clause
from console.models.reports.asof import changed_since, open_counts
from console.models.reports.lists import (
    CategorySection,
    Decision,
    ListedEvent,
    Names,
    by_category,
    decisions,
    open_serious,
)
from console.models.reports.stats import Figures, Staffing, figures, staffing
from console.models.reports.wording import check_language, word
from console.models.timezones import centre_zone_name


@dataclass
class ReportRequest:
    time_from: datetime
    time_to: datetime
    centre: str | None = None
    zone_id: uuid.UUID | None = None
    category: str | None = None
    exercise: bool = False
    author: str = ""
    title: str = ""  # empty: "Point de situation" or "Situation report" by the language
    language: str = "fr"  # "fr" or "en": every word of the report, whatever the interface's

    def heading(self) -> str:
        return self.title or word("title", self.language)

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
        check_language(self.language)
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
    as_of: datetime  # statuses, response times and follow-ups are the ones of this moment
    figures: Figures
    series: Series
    open_events: list[ListedEvent]  # critical and high events still open at `as_of`
    open_events_total: int  # how many matched before the cap
    categories: list[CategorySection]
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


def collect(session: Session, request: ReportRequest, now: datetime | None = None) -> ReportData:
    request.validate()
    flt = request.scope()
    centre = session.get(Centre, request.centre) if request.centre else None
    zone = session.scalar(select(Zone).where(Zone.id == request.zone_id)) \
        if request.zone_id else None
    # The report sees the log as it stood at the end of the period (or now, if that is earlier).
    at = min(now or utcnow(), request.time_to)
    changed = changed_since(session, flt, at)
    open_now = open_counts(session, flt, at, changed)
    names = Names(session)
    open_events, open_total = open_serious(session, flt, at, names, changed)
    decided, decisions_total = decisions(session, flt, names)
    points = [(float(lat or 0), float(lon or 0), int(sev)) for lat, lon, sev in session.execute(
        select(Event.latitude, Event.longitude, Event.severity)
        .where(filter_clause(flt), Event.latitude.is_not(None)))]
    venues = [VenuePoint(v.code, v.name, v.latitude, v.longitude)
              for v in session.scalars(select(Venue).order_by(Venue.code))]
    return ReportData(
        request=request, generated_at=now or utcnow(),
        centre_name=f"{centre.code} - {centre.name}" if centre
        else word("all_centres", request.language),
        zone_name=zone.name if zone else None,
        timezone=centre_zone_name(session, request.centre), as_of=at,
        figures=figures(session, flt, at, changed),
        series=series(session, flt, request.time_from, request.time_to,
                      step_for(request.time_to - request.time_from)),
        open_events=open_events, open_events_total=open_total,
        categories=by_category(session, flt, at, names, changed, open_now),
        decisions=decided, decisions_total=decisions_total,
        staffing=staffing(session, at, request.centre),
        points=points, venues=venues)
