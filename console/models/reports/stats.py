"""Figures of the situation: counts per hour and category, open load, response times, oversight lists.

Every figure is computed in SQL over the local store (SQLite) for an `EventFilter`, so the
dashboard, the oversight view and the situation report show the same numbers for the same scope.
Times are measured from `recorded_at` (when the centre learned of the event), not from
`occurred_at`: the time to acknowledge is the centre's reaction time.
"""
from __future__ import annotations

import importlib
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from console.models.entities import Event, FollowUp, User, Venue, Zone
from console.models.enums import Category, FollowUpKind, Severity, Status
from console.models.eventlog.query import EventFilter, filter_clause
from console.models.reports.asof import OPEN_STATUSES as OPEN_STATUSES  # re-exported
from console.models.reports.asof import Changed, changed_since, open_counts
from console.models.timezones import DEFAULT_TIMEZONE, centre_zone_name


@dataclass
class HourlyCounts:
    """Events per hour and category over a window that ends at `end` (hours[0] is the oldest)."""

    start: datetime
    hours: list[datetime]
    by_category: dict[str, list[int]]

    def total(self) -> int:
        return sum(sum(v) for v in self.by_category.values())


@dataclass
class ResponseTimes:
    mean_ack_s: float | None
    acknowledged: int
    mean_close_s: float | None
    closed: int


@dataclass
class Figures:
    """Headline figures of a scope; what the dashboard shows and a report prints."""

    flt: EventFilter
    total: int
    by_category: dict[str, int]
    by_severity: dict[int, int]
    open_by_severity: dict[int, int]
    open_total: int
    flagged: int
    decisions: int
    response: ResponseTimes
    per_zone: list[tuple[uuid.UUID | None, str, int]] = field(default_factory=list)
    per_venue: list[tuple[str, str, int]] = field(default_factory=list)


@dataclass
class OversightSettings:
    """Thresholds of the oversight alarms, in minutes."""

    unacknowledged_after_min: int = 15
    critical_silent_after_min: int = 30


@dataclass
class OversightItem:
    event_id: uuid.UUID
    occurred_at: datetime
    recorded_at: datetime
    last_activity_at: datetime
    centre_code: str
    category: str
    severity: int
    status: str
    title: str
    place: str
    waiting_min: int  # minutes since the reference time (recorded / last activity)


def _scoped(flt: EventFilter) -> Any:
    return filter_clause(flt)


def hourly_by_category(session: Session, end: datetime, flt: EventFilter | None = None,
                       hours: int = 24) -> HourlyCounts:
    """Events per hour by category over the `hours` hours ending at `end` (by occurred_at)."""
    end_hour = end.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    start = end_hour - timedelta(hours=hours)
    base = flt or EventFilter()
    scoped = replace(base, time_from=max(start, base.time_from or start),
                     time_to=min(end_hour, base.time_to or end_hour))
    # UTCDateTime stores naive UTC text: "YYYY-MM-DD HH..." sorts and buckets lexically.
    bucket = func.substr(Event.occurred_at, 1, 13)
    rows = session.execute(
        select(bucket, Event.category, func.count()).where(_scoped(scoped))
        .group_by(bucket, Event.category)).all()
    slots = [start + timedelta(hours=i) for i in range(hours)]
    index = {slot.strftime("%Y-%m-%d %H"): i for i, slot in enumerate(slots)}
    by_category = {c.value: [0] * hours for c in Category}
    for key, category, count in rows:
        i = index.get(key)
        if i is not None:
            by_category.setdefault(category, [0] * hours)[i] += count
    return HourlyCounts(start=start, hours=slots, by_category=by_category)


def counts_by(session: Session, flt: EventFilter, column: Any) -> dict[Any, int]:
    return dict(session.execute(
        select(column, func.count()).where(_scoped(flt)).group_by(column)).all())


def open_by_severity(session: Session, flt: EventFilter, at: datetime | None = None,
                     changed: dict[uuid.UUID, Changed] | None = None) -> dict[int, int]:
    """Events of the scope open or in progress at `at` (now when None), per severity (every
    severity present)."""
    counts = {int(s): 0 for s in Severity}
    for (_, severity), count in open_counts(session, flt, at, changed).items():
        counts[severity] = counts.get(severity, 0) + count
    return counts


def response_times(session: Session, flt: EventFilter, at: datetime | None = None,
                   changed: dict[uuid.UUID, Changed] | None = None) -> ResponseTimes:
    """Mean time from recording to the first acknowledgement, and to closing, in seconds.
    With `at`: only acknowledgements before it, and the events closed at that moment (an event
    closed then but reopened since counts, one closed since does not)."""
    def seconds(later: Any) -> Any:
        return (func.julianday(later) - func.julianday(Event.recorded_at)) * 86400.0

    acked: list[ColumnElement[bool]] = [Event.acknowledged_at.is_not(None)]
    closing: list[ColumnElement[bool]] = [Event.closed_at.is_not(None),
                                          Event.status == Status.CLOSED.value]
    if at is not None:
        changed = changed_since(session, flt, at) if changed is None else changed
        acked.append(Event.acknowledged_at < at)
        closing.append(Event.id.not_in(list(changed)))  # re-derived below
    ack = session.execute(select(func.avg(seconds(Event.acknowledged_at)), func.count())
                          .where(_scoped(flt), *acked)).one()
    closed_sum, closed = session.execute(select(func.sum(seconds(Event.closed_at)), func.count())
                                         .where(_scoped(flt), *closing)).one()
    closed_sum = float(closed_sum or 0.0)
    for change in (changed or {}).values():  # None unless `at` is given
        if change.status_then == Status.CLOSED and change.closed_at_then is not None:
            closed_sum += (change.closed_at_then - change.recorded_at).total_seconds()
            closed += 1
    return ResponseTimes(mean_ack_s=float(ack[0]) if ack[0] is not None else None,
                         acknowledged=int(ack[1]),
                         mean_close_s=closed_sum / closed if closed else None,
                         closed=int(closed))


def per_zone(session: Session, flt: EventFilter) -> list[tuple[uuid.UUID | None, str, int]]:
    """(zone id, zone name, count), most loaded first; events outside any zone are left out."""
    rows = session.execute(
        select(Event.zone_id, Zone.name, func.count())
        .join(Zone, Zone.id == Event.zone_id)
        .where(_scoped(flt)).group_by(Event.zone_id, Zone.name)
        .order_by(func.count().desc(), Zone.name)).all()
    return [(zone_id, name, count) for zone_id, name, count in rows]


def per_venue(session: Session, flt: EventFilter) -> list[tuple[str, str, int]]:
    """(venue code, venue name, count), most loaded first; events away from venues left out."""
    # Grouped on the events alone, named afterwards: the join made SQLite scan twice as long.
    counts = session.execute(
        select(Event.venue_code, func.count()).where(_scoped(flt), Event.venue_code.is_not(None))
        .group_by(Event.venue_code)).all()
    names = dict(session.execute(select(Venue.code, Venue.name)).all())
    rows = [(str(code), names[code], count) for code, count in counts if code in names]
    return sorted(rows, key=lambda row: (-row[2], row[0]))


def decision_condition(flt: EventFilter) -> Any:
    """Decisions on the scope's events recorded before the end of the period (a decision taken
    the next morning belongs to the next report). Written as IN (...) rather than a join:
    decisions are few, and SQLite otherwise walks the follow-ups of every event of the period
    (3x slower)."""
    condition = and_(FollowUp.kind == FollowUpKind.DECISION.value,
                     FollowUp.event_id.in_(select(Event.id).where(_scoped(flt))))
    if flt.time_to is not None:
        condition = and_(condition, FollowUp.recorded_at < flt.time_to)
    return condition


def decisions_count(session: Session, flt: EventFilter) -> int:
    return session.scalar(select(func.count()).select_from(FollowUp)
                          .where(decision_condition(flt))) or 0


def figures(session: Session, flt: EventFilter, at: datetime | None = None,
            changed: dict[uuid.UUID, Changed] | None = None) -> Figures:
    """Every headline figure of a scope in one call (a handful of grouped queries); statuses
    and response times as of `at` (now when None; `changed`: `changed_since(flt, at)`)."""
    if at is not None and changed is None:
        changed = changed_since(session, flt, at)
    by_category = counts_by(session, flt, Event.category)
    by_severity = {int(k): v for k, v in counts_by(session, flt, Event.severity).items()}
    open_sev = open_by_severity(session, flt, at, changed)
    flagged = session.scalar(select(func.count()).select_from(Event).where(
        _scoped(flt), Event.flagged_for_authorities.is_(True))) or 0
    return Figures(
        flt=flt, total=sum(by_category.values()), by_category=by_category,
        by_severity=by_severity, open_by_severity=open_sev, open_total=sum(open_sev.values()),
        flagged=flagged, decisions=decisions_count(session, flt),
        response=response_times(session, flt, at, changed),
        per_zone=per_zone(session, flt), per_venue=per_venue(session, flt))


# -- oversight ------------------------------------------------------------------------------------

def _items(session: Session, query: Any, reference: Any, now: datetime) -> list[OversightItem]:
    result = []
    for event in session.scalars(query):
        ref = getattr(event, reference)
        result.append(OversightItem(
            event_id=event.id, occurred_at=event.occurred_at, recorded_at=event.recorded_at,
            last_activity_at=event.last_activity_at, centre_code=event.centre_code,
            category=event.category, severity=event.severity, status=event.status,
            title=event.title, place=event.place,
            waiting_min=int((now - ref).total_seconds() // 60)))
    return result


def not_acknowledged(session: Session, now: datetime, minutes: int,
                     flt: EventFilter | None = None, limit: int = 500) -> list[OversightItem]:
    """Open events nobody has acknowledged `minutes` after they were recorded, oldest first."""
    cutoff = now - timedelta(minutes=minutes)
    query = (select(Event).where(_scoped(flt or EventFilter()), Event.status.in_(OPEN_STATUSES),
                                 Event.acknowledged_at.is_(None), Event.recorded_at <= cutoff)
             .order_by(Event.recorded_at).limit(limit))
    return _items(session, query, "recorded_at", now)


def critical_without_follow_up(session: Session, now: datetime, minutes: int,
                               flt: EventFilter | None = None,
                               limit: int = 500) -> list[OversightItem]:
    """Open critical events whose last activity is more than `minutes` old, most silent first."""
    cutoff = now - timedelta(minutes=minutes)
    query = (select(Event).where(_scoped(flt or EventFilter()), Event.status.in_(OPEN_STATUSES),
                                 Event.severity == int(Severity.CRITICAL),
                                 Event.last_activity_at <= cutoff)
             .order_by(Event.last_activity_at).limit(limit))
    return _items(session, query, "last_activity_at", now)


def flagged_for_authorities(session: Session, now: datetime, flt: EventFilter | None = None,
                            open_only: bool = True, limit: int = 500) -> list[OversightItem]:
    """Events flagged for the authorities (still open by default), most recent first."""
    conditions = [_scoped(flt or EventFilter()), Event.flagged_for_authorities.is_(True)]
    if open_only:
        conditions.append(Event.status.in_(OPEN_STATUSES))
    query = select(Event).where(and_(*conditions)).order_by(Event.occurred_at.desc()).limit(limit)
    return _items(session, query, "last_activity_at", now)


# -- staffing (from the roster helper's module when it is installed) ---------------------------

@dataclass
class Staffing:
    available: bool
    on_duty: list[str] = field(default_factory=list)  # display labels
    required: int | None = None
    message: str = ""


def _label(session: Session, item: Any) -> str:
    """A readable name for whatever on_duty() returns (a row, a dict, a username)."""
    for attr in ("display_name", "name", "label"):
        value = item.get(attr) if isinstance(item, dict) else getattr(item, attr, None)
        if isinstance(value, str) and value:
            desk = getattr(item, "desk_name", None) or getattr(item, "desk_code", None)
            centre = getattr(item, "centre_code", None)
            where = " - ".join(str(x) for x in (centre, desk) if x)
            return f"{value} ({where})" if where else value
    username = item if isinstance(item, str) else (
        item.get("username") if isinstance(item, dict) else getattr(item, "username", None))
    if isinstance(username, str):
        user = session.get(User, username)
        return user.display_name if user else username
    return str(item)


def staffing(session: Session, at: datetime, centre_code: str | None) -> Staffing:
    """Who is on duty at `at`, and the required coverage, if the roster module provides them."""
    try:
        duty = importlib.import_module("console.models.roster.duty")
    except ImportError:
        return Staffing(available=False, message="roster not available")
    on_duty = getattr(duty, "on_duty", None)
    if on_duty is None:
        return Staffing(available=False, message="roster not available")
    try:
        people = list(on_duty(session, at, centre_code))
        # Required coverage of the vacations running at `at` (published roster of the centre).
        staffing_rows = getattr(duty, "staffing", None)
        required = None
        if staffing_rows is not None and centre_code:
            rows = staffing_rows(session, centre_code, at, at + timedelta(seconds=1))
            required = sum(row.required for row in rows) if rows else None
    except Exception as exc:  # the roster tables may be missing or empty in this store
        return Staffing(available=False, message=f"roster not available ({exc.__class__.__name__})")
    if not people and required is None:
        return Staffing(available=False, message="no published roster covers this moment")
    return Staffing(available=True, on_duty=[_label(session, p) for p in people],
                    required=int(required) if isinstance(required, (int, float)) else None)


# -- one call for the dashboard -------------------------------------------------------------------

@dataclass
class DashboardData:
    now: datetime
    scope: EventFilter
    hourly: HourlyCounts
    day: Figures  # figures over the last 24 hours
    open_by_severity: dict[int, int]  # whole log, not only the last 24 hours
    unacknowledged: list[OversightItem]
    critical_silent: list[OversightItem]
    flagged: list[OversightItem]
    staffing: Staffing
    timezone: str = DEFAULT_TIMEZONE


def centre_timezone(session: Session, centre_code: str | None) -> str:
    return centre_zone_name(session, centre_code)


def dashboard_data(session: Session, now: datetime, scope: EventFilter | None = None,
                   settings: OversightSettings | None = None,
                   centre_code: str | None = None, limit: int = 2000) -> DashboardData:
    """Everything the dashboard pane shows, for the scope (e.g. a centre) at `now`."""
    scope = scope or EventFilter()
    settings = settings or OversightSettings()
    day = replace(scope, time_from=now - timedelta(hours=24), time_to=now + timedelta(minutes=5))
    return DashboardData(
        now=now, scope=scope,
        hourly=hourly_by_category(session, now, scope),
        day=figures(session, day),
        open_by_severity=open_by_severity(session, scope),
        unacknowledged=not_acknowledged(session, now, settings.unacknowledged_after_min, scope,
                                        limit=limit),
        critical_silent=critical_without_follow_up(session, now,
                                                   settings.critical_silent_after_min, scope,
                                                   limit=limit),
        flagged=flagged_for_authorities(session, now, scope, limit=limit),
        staffing=staffing(session, now, centre_code),
        timezone=centre_timezone(session, centre_code))


def format_duration(seconds: float | None) -> str:
    """'6 min', '3 h 47' - how operators say durations; '-' when there is nothing to measure."""
    if seconds is None:
        return "-"
    minutes = int(round(seconds / 60))
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d}"
