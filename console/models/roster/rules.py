"""Working-time rules of a roster, checked on plain values (no database): the single source of truth.

The same checker runs live while a shift manager edits, on the planner's output in the tests (so
the solver is verified independently of itself), and before a swap is approved. Rule values are
settings (`RuleSettings`, stored on each roster) because security services work under
derogations; a recorded `DerogationRule` marks a matching violation as accepted, with its reason,
but never hides it.

Definitions (French public service, decree 2000-815 art. 3-I), times in minutes:
- a shift's "day" is the day of its vacation (a night 23:00-07:00 belongs to the day it starts);
- daily rest: between two consecutive shifts of different days, at least `min_daily_rest`
  (exactly 11 h passes, 10 h 59 fails);
- day work / amplitude: shifts of the same day sum to at most `max_day_work`, and span at most
  `max_amplitude` from the first start to the last end;
- weekly rest: every Monday-to-Monday local week touches one rest of at least `min_weekly_rest`
  consecutive hours (a rest across Sunday midnight counts for both weeks);
- weekly work: the minutes worked inside each local week (a night is split at midnight Sunday)
  are at most `max_week_work`.
Shifts of the previous published roster (`prior=True`) take part in every rule, so the boundary
of the period is checked, but a violation is reported only if it involves the period.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

Key = Any  # row ids in the app (UUIDs), strings in generated instances and tests

# rule code -> human label (shown in the violation list and the derogation dialog)
RULES: dict[str, str] = {
    "coverage_hole": "Coverage hole",
    "coverage_excess": "Coverage excess",
    "qualification": "Missing qualification",
    "absence": "Assigned during an absence",
    "overlap": "Two shifts at once",
    "daily_rest": "Daily rest too short",
    "weekly_rest": "Weekly rest too short",
    "week_work": "Too many hours in a week",
    "day_work": "Too many hours in a day",
    "amplitude": "Amplitude of the day too long",
}


@dataclass(frozen=True)
class RuleSettings:
    """Rule values in minutes; the defaults are the French public-service guarantees."""

    min_daily_rest: int = 11 * 60
    min_weekly_rest: int = 35 * 60
    max_week_work: int = 48 * 60
    max_day_work: int = 10 * 60
    max_amplitude: int = 12 * 60

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> RuleSettings:
        """Settings from a roster's JSON; unknown keys are ignored, missing keys keep defaults."""
        try:
            data = json.loads(text or "{}")
        except ValueError:
            data = {}
        known = {f.name for f in fields(cls)}
        return cls(**{k: int(v) for k, v in data.items() if k in known})


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
    start_minute: int
    duration: int  # minutes

    @property
    def is_night(self) -> bool:
        """Mostly inside 22:00-05:00 (the legal night), e.g. 23:00-07:00 or 19:00-07:00."""
        night = 0
        for minute in range(self.start_minute, self.start_minute + self.duration, 15):
            m = minute % 1440
            night += 15 if (m >= 22 * 60 or m < 5 * 60) else 0
        return night * 2 >= min(self.duration, 7 * 60)


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
    prior: list[Shift] = field(default_factory=list)
    derogations: list[DerogationRule] = field(default_factory=list)

    @property
    def days(self) -> list[date]:
        return [self.start_day + timedelta(days=i)
                for i in range((self.end_day - self.start_day).days)]

    def local_midnight(self, day: date) -> datetime:
        return datetime.combine(day, time(0), self.tz)

    def slot_times(self, day: date, template: Key) -> tuple[datetime, datetime]:
        """UTC start and end of a vacation; the local start time holds across DST changes."""
        info = self.templates[template]
        local = datetime.combine(day, time(info.start_minute // 60, info.start_minute % 60),
                                 self.tz)
        start = local.astimezone(ZoneInfo("UTC"))
        return start, start + timedelta(minutes=info.duration)

    def make_shift(self, key: Key, operator: Key, desk: Key, template: Key,
                   day: date, prior: bool = False) -> Shift:
        start, end = self.slot_times(day, template)
        return Shift(key, operator, desk, template, day, start, end, prior)

    def weeks(self) -> list[tuple[date, datetime, datetime]]:
        """(Monday, UTC start, UTC end) of every local week that intersects the period."""
        monday = self.start_day - timedelta(days=self.start_day.weekday())
        result = []
        while monday < self.end_day:
            nxt = monday + timedelta(days=7)
            result.append((monday, self.local_midnight(monday), self.local_midnight(nxt)))
            monday = nxt
        return result


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def _fmt(minutes: int) -> str:
    return f"{minutes // 60} h {minutes % 60:02d}" if minutes % 60 else f"{minutes // 60} h"


def overlap_minutes(start: datetime, end: datetime, lo: datetime, hi: datetime) -> int:
    return max(0, _minutes(min(end, hi) - max(start, lo)))


# -- per-operator rules ----------------------------------------------------------------------------

def _pair_violations(data: PlanningData, a: Shift, b: Shift) -> list[Violation]:
    """Overlap and daily rest between two shifts of one operator, `a` starting first."""
    s = data.settings
    keys = tuple(x.key for x in (a, b) if not x.prior)
    if b.start < a.end:
        return [Violation("overlap", f"shifts overlap ({a.day:%d/%m} and {b.day:%d/%m})",
                          b.day, b.operator, shifts=keys)]
    rest = _minutes(b.start - a.end)
    if a.day != b.day and rest < s.min_daily_rest:
        return [Violation("daily_rest", f"rest of {_fmt(rest)} before {b.day:%d/%m} "
                          f"(minimum {_fmt(s.min_daily_rest)})", b.day, b.operator, shifts=keys)]
    return []


def _day_violations(data: PlanningData, same_day: list[Shift]) -> list[Violation]:
    s = data.settings
    day, operator = same_day[0].day, same_day[0].operator
    keys = tuple(x.key for x in same_day if not x.prior)
    found = []
    work = sum(x.minutes for x in same_day)
    if work > s.max_day_work:
        found.append(Violation("day_work", f"{_fmt(work)} of work on {day:%d/%m} "
                               f"(maximum {_fmt(s.max_day_work)})", day, operator, shifts=keys))
    span = _minutes(max(x.end for x in same_day) - min(x.start for x in same_day))
    if span > s.max_amplitude:
        found.append(Violation("amplitude", f"amplitude of {_fmt(span)} on {day:%d/%m} "
                               f"(maximum {_fmt(s.max_amplitude)})", day, operator, shifts=keys))
    return found


def _week_violations(data: PlanningData, shifts: list[Shift]) -> list[Violation]:
    """Weekly work and weekly rest of one operator's shifts (sorted by start)."""
    s = data.settings
    operator = shifts[0].operator
    found = []
    # Free intervals between the union of shifts; before the first and after the last is open.
    free: list[tuple[datetime | None, datetime | None]] = []
    busy_end: datetime | None = None
    for shift in shifts:
        if busy_end is None:
            free.append((None, shift.start))
            busy_end = shift.end
        elif shift.start > busy_end:
            free.append((busy_end, shift.start))
            busy_end = shift.end
        else:
            busy_end = max(busy_end, shift.end)
    free.append((busy_end, None))
    for monday, lo, hi in data.weeks():
        in_week = [x for x in shifts if x.start < hi and x.end > lo]
        if not any(not x.prior for x in in_week):
            continue
        keys = tuple(x.key for x in in_week if not x.prior)
        work = sum(overlap_minutes(x.start, x.end, lo, hi) for x in in_week)
        if work > s.max_week_work:
            found.append(Violation("week_work", f"{_fmt(work)} in the week of {monday:%d/%m} "
                                   f"(maximum {_fmt(s.max_week_work)})", monday, operator,
                                   shifts=keys))
        longest = 0
        for f_start, f_end in free:
            if (f_start is None or f_start < hi) and (f_end is None or f_end > lo):
                if f_start is None or f_end is None:
                    longest = max(longest, s.min_weekly_rest)
                else:
                    longest = max(longest, _minutes(f_end - f_start))
        if longest < s.min_weekly_rest:
            found.append(Violation("weekly_rest", f"longest rest in the week of {monday:%d/%m} is "
                                   f"{_fmt(longest)} (minimum {_fmt(s.min_weekly_rest)})",
                                   monday, operator, shifts=keys))
    return found


def check_operator(data: PlanningData, shifts: Iterable[Shift]) -> list[Violation]:
    """Every time rule for one operator's shifts (current and prior)."""
    ordered = sorted(shifts, key=lambda x: (x.start, x.end))
    if not ordered:
        return []
    found: list[Violation] = []
    for a, b in zip(ordered, ordered[1:], strict=False):
        if not (a.prior and b.prior):
            found.extend(_pair_violations(data, a, b))
    # Overlaps with a non-neighbour (a long shift containing two short ones).
    for i, a in enumerate(ordered):
        for b in ordered[i + 2:]:
            if b.start >= a.end:
                break
            if not (a.prior and b.prior):
                found.append(Violation("overlap", f"shifts overlap ({a.day:%d/%m} and "
                                       f"{b.day:%d/%m})", b.day, b.operator,
                                       shifts=tuple(x.key for x in (a, b) if not x.prior)))
    by_day: dict[date, list[Shift]] = defaultdict(list)
    for shift in ordered:
        by_day[shift.day].append(shift)
    for same_day in by_day.values():
        if any(not x.prior for x in same_day):
            found.extend(_day_violations(data, same_day))
    found.extend(_week_violations(data, ordered))
    info = data.operators.get(ordered[0].operator)
    for shift in ordered:
        if shift.prior:
            continue
        desk = data.desks.get(shift.desk)
        if desk is not None and info is not None:
            missing = desk.qualifications - info.qualifications
            if missing:
                found.append(Violation("qualification", f"{desk.code} requires "
                                       f"{', '.join(sorted(missing))}", shift.day,
                                       shift.operator, shift.desk, shift.template, (shift.key,)))
        for a_start, a_end, kind in data.absences.get(shift.operator, ()):
            if shift.start < a_end and shift.end > a_start:
                found.append(Violation("absence", f"absent ({kind}) on {shift.day:%d/%m}",
                                       shift.day, shift.operator, shift.desk, shift.template,
                                       (shift.key,)))
                break
    return found


def check_coverage(data: PlanningData, shifts: Iterable[Shift]) -> list[Violation]:
    counts: dict[tuple[date, Key, Key], list[Key]] = defaultdict(list)
    for shift in shifts:
        if not shift.prior and data.start_day <= shift.day < data.end_day:
            counts[(shift.day, shift.template, shift.desk)].append(shift.key)
    found = []
    for slot in sorted(set(data.required) | set(counts), key=lambda k: (k[0], str(k[1]),
                                                                        str(k[2]))):
        day, template, desk = slot
        need, have = data.required.get(slot, 0), len(counts.get(slot, ()))
        if have == need:
            continue
        desk_code = data.desks[desk].code if desk in data.desks else "?"
        tpl_code = data.templates[template].code if template in data.templates else "?"
        rule = "coverage_hole" if have < need else "coverage_excess"
        found.append(Violation(rule, f"{desk_code} {tpl_code} {day:%d/%m}: {have} of {need}",
                               day, None, desk, template, tuple(counts.get(slot, ()))))
    return found


def check(data: PlanningData, shifts: Iterable[Shift]) -> list[Violation]:
    """All violations of a roster, each marked with its derogation when one was recorded."""
    current = [x for x in shifts if not x.prior]
    by_operator: dict[Key, list[Shift]] = defaultdict(list)
    for shift in data.prior:
        by_operator[shift.operator].append(replace(shift, prior=True))
    for shift in current:
        by_operator[shift.operator].append(shift)
    found = check_coverage(data, current)
    for own in by_operator.values():
        if any(not x.prior for x in own):
            found.extend(check_operator(data, own))
    if data.derogations:
        found = [_accept(v, data.derogations) for v in found]
    return found


def _accept(violation: Violation, derogations: list[DerogationRule]) -> Violation:
    for derogation in derogations:
        if derogation.covers(violation):
            return replace(violation, derogation=derogation.reason)
    return violation


def broken(violations: Iterable[Violation]) -> list[Violation]:
    """The violations no derogation accepts."""
    return [v for v in violations if not v.accepted]
