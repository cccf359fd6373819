"""Hard rules of decree 2000-815 added to the planner's model: the rolling 7-day window (when the
roster's settings ask for it), the 44 h average over 12 weeks, and the break.

Each rule counts the same real elapsed minutes as the checker (rules_week), with the published
vacations before the period as fixed work; kept (fixed) vacations may exceed a limit only if
they already do on their own, so that the model stays solvable and the checker reports it.
The soft rules (consecutive nights, forward rotation) are not in the model: the checker lists
them as advice.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from ortools.sat.python import cp_model

from console.models.roster.rules import Key, PlanningData, Shift, break_needed, overlap_minutes
from console.models.roster.rules_week import WEEK, rolling_windows

Slot = tuple[date, Key]  # (day, template)
SlotTimes = dict[Slot, tuple[datetime, datetime]]


def recent_prior_by_operator(data: PlanningData) -> dict[Key, list[Shift]]:
    """Each operator's published vacations close enough before the period to conflict with one
    of its vacations (daily rest, same day); the older ones only count in the weekly sums."""
    horizon = data.local_midnight(data.start_day) - timedelta(
        minutes=data.settings.min_daily_rest) - timedelta(days=1)
    recent: dict[Key, list[Shift]] = defaultdict(list)
    for shift in data.prior:
        if shift.end > horizon:
            recent[shift.operator].append(shift)
    return recent


def break_reason(data: PlanningData, probe: Shift) -> str | None:
    """Why nobody may hold a vacation whose template records too short a break, or None."""
    need = break_needed(data, probe)
    info = data.templates[probe.template]
    if info.break_minutes >= need:
        return None
    return (f"the shift lasts {probe.minutes // 60} h {probe.minutes % 60:02d} and records "
            f"{info.break_minutes} min of break (the law requires {need} min): record the "
            f"break on the shift template")


def _cap(model: cp_model.CpModel, slots: list[Slot], kept: set[Slot], prior: list[Shift],
         times: SlotTimes, work: dict[Slot, cp_model.IntVar], lo: datetime, hi: datetime,
         limit: int, seen: set[tuple[object, ...]]) -> None:
    """Minutes worked in [lo, hi) at most `limit`, counting the prior vacations as fixed."""
    terms = [(overlap_minutes(times[sl][0], times[sl][1], lo, hi), sl) for sl in slots]
    terms = [(minutes, sl) for minutes, sl in terms if minutes]
    if not terms:
        return
    prior_work = sum(overlap_minutes(p.start, p.end, lo, hi) for p in prior)
    kept_work = sum(minutes for minutes, sl in terms if sl in kept)
    bound = max(limit - prior_work, kept_work)
    if sum(minutes for minutes, _sl in terms) <= bound:
        return  # cannot be exceeded
    key = (bound, *terms)
    if key in seen:
        return  # the same constraint from another window
    seen.add(key)
    model.add(sum(minutes * work[sl] for minutes, sl in terms) <= bound)


def rolling_rules(model: cp_model.CpModel, data: PlanningData, slots: list[Slot],
                  kept: set[Slot], prior: list[Shift], times: SlotTimes,
                  work: dict[Slot, cp_model.IntVar]) -> None:
    """`max_week_work` in every 7-day window (only when the roster's settings ask for it)."""
    if not data.settings.rolling_week or not slots:
        return
    candidates = [Shift(None, None, None, tpl, day, *times[(day, tpl)]) for day, tpl in slots]
    earliest = data.local_midnight(data.start_day) - WEEK
    seen: set[tuple[object, ...]] = set()
    for lo in rolling_windows(candidates + prior):
        if lo > earliest:
            _cap(model, slots, kept, prior, times, work, lo, lo + WEEK,
                 data.settings.max_week_work, seen)


def average_rules(model: cp_model.CpModel, data: PlanningData, slots: list[Slot],
                  kept: set[Slot], prior: list[Shift], times: SlotTimes,
                  work: dict[Slot, cp_model.IntVar]) -> None:
    """`max_average_work` a week on average over the `average_weeks` weeks ending in each week
    of the period (the earlier weeks from the published rosters)."""
    s = data.settings
    count = max(1, s.average_weeks)
    seen: set[tuple[object, ...]] = set()
    for monday, _lo, hi in data.weeks():
        lo = data.local_midnight(monday - timedelta(days=7 * (count - 1)))
        _cap(model, slots, kept, prior, times, work, lo, hi, s.max_average_work * count, seen)
