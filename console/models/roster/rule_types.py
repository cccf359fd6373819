"""Plain values the working-time rules read: settings, reference data, shifts, violations.

Vacations are defined in the centre's wall-clock time (its zone, `PlanningData.tz`): a vacation
starts at its local start time on its day and ends at its local end time (the next day when it
runs past midnight), each read in that zone and turned into UTC. Its length is the real time
elapsed between the two, so the night of the autumn clock change (last Sunday of October in
Europe) lasts an hour more and the spring one an hour less. A wall time the clock skips (02:30
on the last Sunday of March) is read as the instant the clock then shows 03:30; a wall time that
occurs twice (02:30 on the last Sunday of October) is read as its second occurrence. Both are
"the later of the two readings", the choice PostgreSQL makes for the same local times.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

Key = Any  # row ids in the app (UUIDs), strings in generated instances and tests

# rule code -> English label; the views show them translated (views/roster/rule_texts.py)
RULES: dict[str, str] = {
    "coverage_hole": "Coverage hole",
    "coverage_excess": "Coverage excess",
    "qualification": "Missing qualification",
    "absence": "Assigned during an absence",
    "overlap": "Two shifts at once",
    "daily_rest": "Daily rest too short",
    "weekly_rest": "Weekly rest too short",
    "week_work": "Too many hours in a week",
    "average_work": "Average weekly hours too high",
    "day_work": "Too many hours in a day",
    "amplitude": "Amplitude of the day too long",
    "break": "Break missing",
    "consecutive_nights": "Too many nights in a row",
    "backward_rotation": "Backward rotation",
}

# Advice rather than law: listed, but they neither block publication nor a swap.
SOFT_RULES = frozenset({"consecutive_nights", "backward_rotation"})


@dataclass(frozen=True)
class RuleSettings:
    """Rule values in minutes (counts for nights and weeks, 0/1 for a switch); the defaults are
    the French public-service guarantees (decree 2000-815 art. 3-I)."""

    min_daily_rest: int = 11 * 60
    min_weekly_rest: int = 35 * 60
    max_week_work: int = 48 * 60
    # 0: the 48 h count per civil week (Monday-Sunday, local), as the decree says; 1: in every
    # rolling 7-day window, a stricter reading some services adopt
    rolling_week: int = 0
    max_average_work: int = 44 * 60  # per week, on average over `average_weeks` weeks
    average_weeks: int = 12
    max_day_work: int = 10 * 60
    max_amplitude: int = 12 * 60
    break_after: int = 6 * 60  # work longer than this needs a break ...
    min_break: int = 20  # ... of at least this many minutes (one per `break_after` of work)
    max_consecutive_nights: int = 3
    rotation_reset: int = 48 * 60  # a backward rotation after a shorter rest is flagged

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> RuleSettings:
        """Settings from a roster's JSON; unknown keys are ignored, missing keys keep defaults."""
        try:
            data = json.loads(text or "{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        known = {f.name for f in fields(cls)}
        values = {}
        for key, value in data.items():
            try:
                if key in known:
                    values[key] = int(value)
            except (TypeError, ValueError):
                continue  # a damaged value keeps its default
        return cls(**values)


@dataclass(frozen=True)
class OperatorInfo:
    key: Key
    name: str
    qualifications: frozenset[str] = frozenset()
    contract_minutes: int = 35 * 60
    team: str = ""
    username: str | None = None


@dataclass(frozen=True)
class DeskInfo:
    key: Key
    code: str
    name: str
    qualifications: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TemplateInfo:
    key: Key
    code: str
    start_minute: int  # local wall-clock start, minutes after midnight
    duration: int  # wall-clock minutes from start to end (the elapsed time differs at DST)
    break_minutes: int = 0  # break recorded for the vacation (decree: 20 min before 6 h of work)

    @property
    def is_night(self) -> bool:
        """Mostly inside 22:00-05:00 (the legal night), e.g. 23:00-07:00 or 19:00-07:00."""
        night = 0
        for minute in range(self.start_minute, self.start_minute + self.duration, 15):
            m = minute % 1440
            night += 15 if (m >= 22 * 60 or m < 5 * 60) else 0
        return night * 2 >= min(self.duration, 7 * 60)

    @property
    def rotation_rank(self) -> int:
        """0 morning, 1 afternoon, 2 night: the forward order of a rotation."""
        if self.is_night:
            return 2
        return 0 if self.start_minute < 12 * 60 else 1


@dataclass(frozen=True)
class Shift:
    """One operator at one desk in one vacation."""

    key: Key
    operator: Key
    desk: Key
    template: Key
    day: date
    start: datetime  # aware UTC
    end: datetime
    prior: bool = False  # from the previous published roster: context for the boundary

    @property
    def minutes(self) -> int:
        """Real elapsed minutes (9 h for a 23:00-07:00 night when the clocks go back)."""
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True)
class DerogationRule:
    rule: str
    reason: str
    operator: Key | None = None  # None: every operator
    day: date | None = None  # None: the whole roster

    def covers(self, violation: Violation) -> bool:
        return (self.rule == violation.rule
                and (self.operator is None or self.operator == violation.operator)
                and (self.day is None or self.day == violation.day))


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str
    day: date | None = None
    operator: Key | None = None
    desk: Key | None = None
    template: Key | None = None
    shifts: tuple[Key, ...] = ()
    derogation: str | None = None  # the recorded reason when a derogation accepts it

    @property
    def label(self) -> str:
        return RULES.get(self.rule, self.rule)

    @property
    def accepted(self) -> bool:
        return self.derogation is not None

    @property
    def soft(self) -> bool:
        return self.rule in SOFT_RULES


def wall_to_utc(day: date, minute: int, tz: ZoneInfo) -> datetime:
    """The UTC instant of `minute` minutes of wall-clock time after local midnight of `day`
    (1440 and more fall on the next days); skipped and repeated wall times read as the later
    of their two readings (see the module's docstring)."""
    day += timedelta(days=minute // 1440)
    minute %= 1440
    wall = datetime.combine(day, time(minute // 60, minute % 60), tz)
    return max(wall.astimezone(UTC), wall.replace(fold=1).astimezone(UTC))


@dataclass
class PlanningData:
    """Everything the rules need about a period, as plain values."""

    tz: ZoneInfo
    start_day: date
    end_day: date  # exclusive
    settings: RuleSettings = field(default_factory=RuleSettings)
    operators: dict[Key, OperatorInfo] = field(default_factory=dict)
    desks: dict[Key, DeskInfo] = field(default_factory=dict)
    templates: dict[Key, TemplateInfo] = field(default_factory=dict)
    # (day, template, desk) -> operators required; a missing key requires nobody
    required: dict[tuple[date, Key, Key], int] = field(default_factory=dict)
    absences: dict[Key, list[tuple[datetime, datetime, str]]] = field(default_factory=dict)
    # published vacations before the period (12 weeks back): the rules see across the boundary
    prior: list[Shift] = field(default_factory=list)
    derogations: list[DerogationRule] = field(default_factory=list)

    @property
    def days(self) -> list[date]:
        return [self.start_day + timedelta(days=i)
                for i in range((self.end_day - self.start_day).days)]

    def local_midnight(self, day: date) -> datetime:
        return wall_to_utc(day, 0, self.tz)

    def slot_times(self, day: date, template: Key) -> tuple[datetime, datetime]:
        """UTC start and end of a vacation, both read on the centre's wall clock."""
        info = self.templates[template]
        return (wall_to_utc(day, info.start_minute, self.tz),
                wall_to_utc(day, info.start_minute + info.duration, self.tz))

    def make_shift(self, key: Key, operator: Key, desk: Key, template: Key,
                   day: date, prior: bool = False) -> Shift:
        start, end = self.slot_times(day, template)
        return Shift(key, operator, desk, template, day, start, end, prior)

    def weeks(self) -> list[tuple[date, datetime, datetime]]:
        """(Monday, UTC start, UTC end) of every local week that intersects the period."""
        return self.weeks_between(self.start_day, self.end_day)

    def weeks_between(self, first: date, end: date) -> list[tuple[date, datetime, datetime]]:
        """(Monday, UTC start, UTC end) of every local week that intersects [first, end)."""
        monday = first - timedelta(days=first.weekday())
        result = []
        while monday < end:
            nxt = monday + timedelta(days=7)
            result.append((monday, self.local_midnight(monday), self.local_midnight(nxt)))
            monday = nxt
        return result


def minutes_of(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def fmt_minutes(minutes: int) -> str:
    return f"{minutes // 60} h {minutes % 60:02d}" if minutes % 60 else f"{minutes // 60} h"


def overlap_minutes(start: datetime, end: datetime, lo: datetime, hi: datetime) -> int:
    return max(0, minutes_of(min(end, hi) - max(start, lo)))
