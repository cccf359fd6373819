"""Working-time rules of a roster, checked on plain values (no database): the single source of truth.

The same checker runs live while a shift manager edits, on the planner's output in the tests (so
the solver is verified independently of itself), and before a swap is approved. Rule values are
settings (`RuleSettings`, stored on each roster) because security services work under
derogations; a recorded `DerogationRule` marks a matching violation as accepted, with its reason,
but never hides it.

Definitions (French public service, decree 2000-815 art. 3-I), times in real elapsed minutes
(vacations are read on the centre's wall clock, see rule_types):
- a shift's "day" is the day of its vacation (a night 23:00-07:00 belongs to the day it starts);
- daily rest: between two consecutive shifts of different days, at least `min_daily_rest`
  (exactly 11 h passes, 10 h 59 fails);
- day work / amplitude: shifts of the same day sum to at most `max_day_work`, and span at most
  `max_amplitude` from the first start to the last end;
- break: a vacation longer than `break_after` (6 h) has a recorded break of `min_break` (20 min)
  per `break_after` of work, counted on its template;
- weekly rules (rules_week): 48 h per civil week (or rolling 7 days), 44 h on average over 12
  weeks, 35 h weekly rest;
- soft rules (rules_soft, advice that blocks nothing): consecutive nights, forward rotation.
Shifts of the previous published rosters (`prior=True`) take part in every rule, so the boundary
of the period is checked, but a violation is reported only if it involves the period.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from console.models.roster.rule_types import (
    RULES,
    SOFT_RULES,
    DerogationRule,
    DeskInfo,
    Key,
    OperatorInfo,
    PlanningData,
    RuleSettings,
    Shift,
    TemplateInfo,
    Violation,
    overlap_minutes,
    wall_to_utc,
)
from console.models.roster.rule_types import fmt_minutes as _fmt
from console.models.roster.rule_types import minutes_of as _minutes
from console.models.roster.rules_soft import soft_violations
from console.models.roster.rules_week import week_violations

__all__ = ["RULES", "SOFT_RULES", "DerogationRule", "DeskInfo", "Key", "OperatorInfo",
           "PlanningData", "RuleSettings", "Shift", "TemplateInfo", "Violation", "advice",
           "break_needed", "break_violations", "broken", "check", "check_coverage",
           "check_operator", "overlap_minutes", "wall_to_utc"]


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


def break_needed(data: PlanningData, shift: Shift) -> int:
    """Minutes of break the vacation needs: `min_break` per started `break_after` of work beyond
    the first (8 h or 12 h: 20 min; 12 h 01: 40 min); exactly `break_after` needs none."""
    s = data.settings
    if s.break_after <= 0 or shift.minutes <= s.break_after:
        return 0
    return s.min_break * ((shift.minutes - 1) // s.break_after)


def break_violations(data: PlanningData, shift: Shift) -> list[Violation]:
    """A vacation whose template records less break than its real length needs."""
    info = data.templates.get(shift.template)
    need = break_needed(data, shift)
    if info is None or info.break_minutes >= need:
        return []
    return [Violation("break", f"{info.code} lasts {_fmt(shift.minutes)} with "
                      f"{info.break_minutes} min of break recorded (needs {need} min)",
                      shift.day, shift.operator, shift.desk, shift.template, (shift.key,))]


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
    found.extend(week_violations(data, ordered))
    found.extend(soft_violations(data, ordered))
    info = data.operators.get(ordered[0].operator)
    for shift in ordered:
        if shift.prior:
            continue
        found.extend(break_violations(data, shift))
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
    """The violations of a hard rule no derogation accepts (what blocks publication)."""
    return [v for v in violations if not v.accepted and not v.soft]


def advice(violations: Iterable[Violation]) -> list[Violation]:
    """The soft rules not followed and not accepted by a derogation."""
    return [v for v in violations if not v.accepted and v.soft]
