"""Weekly working-time rules of one operator: hours per week, the 12-week average, weekly rest.

Decree 2000-815 art. 3-I: at most 48 h "in one week" (the civil week, Monday to Sunday on the
centre's clock; `RuleSettings.rolling_week` applies it to every 7-day window instead), 44 h on
average over any 12 consecutive weeks, and a weekly rest of 35 consecutive hours. Hours are real
elapsed time; a vacation across a week boundary counts in each week for the part inside it.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from console.models.roster.rule_types import (
    PlanningData,
    Shift,
    Violation,
    fmt_minutes,
    minutes_of,
    overlap_minutes,
)

WEEK = timedelta(days=7)


def week_violations(data: PlanningData, shifts: list[Shift]) -> list[Violation]:
    """Every weekly rule for one operator's shifts (current and prior, sorted by start)."""
    found = weekly_rest_violations(data, shifts)
    if data.settings.rolling_week:
        found += rolling_work_violations(data, shifts)
    else:
        found += civil_work_violations(data, shifts)
    found += average_work_violations(data, shifts)
    return found


def _current_keys(shifts: list[Shift]) -> tuple[object, ...]:
    return tuple(x.key for x in shifts if not x.prior)


def work_between(shifts: list[Shift], lo: datetime, hi: datetime) -> int:
    return sum(overlap_minutes(x.start, x.end, lo, hi) for x in shifts)


def civil_work_violations(data: PlanningData, shifts: list[Shift]) -> list[Violation]:
    """At most `max_week_work` inside each Monday-Sunday local week."""
    limit = data.settings.max_week_work
    found = []
    for monday, lo, hi in data.weeks():
        in_week = [x for x in shifts if x.start < hi and x.end > lo]
        if not any(not x.prior for x in in_week):
            continue
        work = work_between(in_week, lo, hi)
        if work > limit:
            found.append(Violation("week_work", f"{fmt_minutes(work)} in the week of "
                                   f"{monday:%d/%m} (maximum {fmt_minutes(limit)})", monday,
                                   shifts[0].operator, shifts=_current_keys(in_week)))
    return found


def rolling_windows(shifts: list[Shift]) -> list[datetime]:
    """Starts of the 7-day windows where the work can peak: a window's work only changes slope
    when one of its ends crosses a vacation's start or end, so its maximum is found at a window
    starting on a vacation start or ending on a vacation end."""
    return sorted({x.start for x in shifts} | {x.end - WEEK for x in shifts})


def rolling_work_violations(data: PlanningData, shifts: list[Shift]) -> list[Violation]:
    """At most `max_week_work` in every 7 consecutive days; overlapping windows over the limit
    are reported once, by the worst of them (its local start day names it)."""
    limit = data.settings.max_week_work
    over: list[tuple[datetime, int, list[Shift]]] = []
    earliest = data.local_midnight(data.start_day) - WEEK
    for lo in (w for w in rolling_windows(shifts) if w > earliest):
        hi = lo + WEEK
        inside = [x for x in shifts if x.start < hi and x.end > lo]
        if not any(not x.prior for x in inside):
            continue
        work = work_between(inside, lo, hi)
        if work > limit:
            over.append((lo, work, inside))
    found = []
    i = 0
    while i < len(over):
        j = i
        while j < len(over) and over[j][0] < over[i][0] + WEEK:
            j += 1
        lo, work, inside = max(over[i:j], key=lambda w: w[1])  # the earliest of equal peaks
        # named by the first vacation that counts in it, not by an empty hour before
        first = max(lo, min(x.start for x in inside)).astimezone(data.tz)
        found.append(Violation("week_work", f"{fmt_minutes(work)} in the 7 days from "
                               f"{first:%d/%m %H:%M} (maximum {fmt_minutes(limit)})",
                               first.date(), shifts[0].operator, shifts=_current_keys(inside)))
        i = j
    return found


def average_work_violations(data: PlanningData, shifts: list[Shift]) -> list[Violation]:
    """At most `max_average_work` a week on average over each run of `average_weeks` civil
    weeks that ends in a week of the period; earlier weeks come from the published rosters
    (a week with no published vacation counts as not worked)."""
    s = data.settings
    count = max(1, s.average_weeks)
    limit = s.max_average_work * count
    found = []
    for monday, _lo, hi in data.weeks():
        first = monday - timedelta(days=7 * (count - 1))
        lo = data.local_midnight(first)
        inside = [x for x in shifts if x.start < hi and x.end > lo]
        if not any(not x.prior and x.start < hi and x.end > data.local_midnight(monday)
                   for x in inside):
            continue
        work = work_between(inside, lo, hi)
        if work > limit:
            found.append(Violation("average_work", f"{fmt_minutes(work // count)} a week on "
                                   f"average over the {count} weeks {first:%d/%m}-"
                                   f"{monday + timedelta(days=6):%d/%m} (maximum "
                                   f"{fmt_minutes(s.max_average_work)})", monday,
                                   shifts[0].operator, shifts=_current_keys(inside)))
    return found


def _free_intervals(shifts: list[Shift]) -> list[tuple[datetime | None, datetime | None]]:
    """Gaps between the union of shifts; before the first and after the last is open (None)."""
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
    return free


def weekly_rest_violations(data: PlanningData, shifts: list[Shift]) -> list[Violation]:
    """Every local week touches one rest of at least `min_weekly_rest` consecutive minutes."""
    need = data.settings.min_weekly_rest
    free = _free_intervals(shifts)
    found = []
    for monday, lo, hi in data.weeks():
        in_week = [x for x in shifts if x.start < hi and x.end > lo]
        if not any(not x.prior for x in in_week):
            continue
        longest = 0
        for f_start, f_end in free:
            if (f_start is None or f_start < hi) and (f_end is None or f_end > lo):
                if f_start is None or f_end is None:
                    longest = max(longest, need)
                else:
                    longest = max(longest, minutes_of(f_end - f_start))
        if longest < need:
            found.append(Violation("weekly_rest", f"longest rest in the week of {monday:%d/%m} "
                                   f"is {fmt_minutes(longest)} (minimum {fmt_minutes(need)})",
                                   monday, shifts[0].operator, shifts=_current_keys(in_week)))
    return found
