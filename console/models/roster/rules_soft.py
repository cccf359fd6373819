"""Soft rules of one operator's sequence of vacations: advice on health, not law.

- at most `max_consecutive_nights` nights on consecutive days;
- forward rotation: morning -> afternoon -> night. Going back (night -> afternoon or morning,
  afternoon -> morning) after a rest shorter than `rotation_reset` is flagged; a longer rest
  starts a new cycle.
They are listed like the other rules and may be derogated, but they block neither publication
nor a swap, and the planner leaves them to this checker.
"""
from __future__ import annotations

from datetime import date, timedelta

from console.models.roster.rule_types import (
    PlanningData,
    Shift,
    Violation,
    fmt_minutes,
    minutes_of,
)

NAMES = ("morning", "afternoon", "night")


def soft_violations(data: PlanningData, shifts: list[Shift]) -> list[Violation]:
    """Both soft rules for one operator's shifts (current and prior, sorted by start)."""
    return night_run_violations(data, shifts) + rotation_violations(data, shifts)


def night_run_violations(data: PlanningData, shifts: list[Shift]) -> list[Violation]:
    """One violation per run of consecutive nights longer than the limit, on its first night
    over the limit."""
    limit = data.settings.max_consecutive_nights
    nights: dict[date, list[Shift]] = {}
    for x in shifts:
        info = data.templates.get(x.template)
        if info is not None and info.is_night:
            nights.setdefault(x.day, []).append(x)
    found = []
    days = sorted(nights)
    run: list[date] = []
    for d in days + [date.max]:
        if run and d != run[-1] + timedelta(days=1):
            in_run = [x for day in run for x in nights[day]]
            if len(run) > limit and any(not x.prior for x in in_run):
                over = run[limit]
                found.append(Violation(
                    "consecutive_nights", f"{len(run)} nights in a row from {run[0]:%d/%m} "
                    f"(maximum {limit})", over, shifts[0].operator,
                    shifts=tuple(x.key for x in in_run if not x.prior)))
            run = []
        if d != date.max:
            run.append(d)
    return found


def rotation_violations(data: PlanningData, shifts: list[Shift]) -> list[Violation]:
    """A vacation earlier in the rotation than the one before it, after too short a rest."""
    reset = data.settings.rotation_reset
    found = []
    for a, b in zip(shifts, shifts[1:], strict=False):
        if (a.prior and b.prior) or a.day == b.day:
            continue
        ta, tb = data.templates.get(a.template), data.templates.get(b.template)
        if ta is None or tb is None or tb.rotation_rank >= ta.rotation_rank:
            continue
        rest = minutes_of(b.start - a.end)
        if rest < reset:
            found.append(Violation(
                "backward_rotation", f"{NAMES[tb.rotation_rank]} on {b.day:%d/%m} follows the "
                f"{NAMES[ta.rotation_rank]} of {a.day:%d/%m} after {fmt_minutes(rest)} of rest "
                f"(forward rotation unless {fmt_minutes(reset)})", b.day, b.operator,
                shifts=tuple(x.key for x in (a, b) if not x.prior)))
    return found
