"""A quick constructive roster the planner tries first (may be incomplete, never trusted).

Day by day, scarce desks first, each place goes to the least-loaded eligible operator whose
previous vacations leave the rest rules intact and who has a day off left this week. The rule
checker, not this construction, decides whether the result is a roster (`is_legal`).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from console.models.roster.rules import Key, PlanningData, Shift, broken, check
from console.models.roster.solver_model import Cell, Eligibility, Requirement

# the sort key of a candidate: nights held, weekends held, load per contract, a stable tie-break
_Rank = tuple[int, int, float, str]


def is_legal(data: PlanningData, cells: set[Cell]) -> bool:
    """Complete and breaking no rule, per the rule checker."""
    if any(data.required.get(k, 0) for k in data.required) and not cells:
        return False
    shifts = [data.make_shift(i, op, desk, tpl, day)
              for i, (op, desk, tpl, day) in enumerate(sorted(cells, key=str))]
    return not broken(check(data, shifts))


def greedy_roster(data: PlanningData, eligible: Eligibility, kept_cells: set[Cell]) -> set[Cell]:
    state = _GreedyState(data, kept_cells)
    kept_by_slot: dict[Requirement, int] = defaultdict(int)
    for _op, desk, tpl, day in kept_cells:
        kept_by_slot[(day, tpl, desk)] += 1
    slots = sorted(eligible, key=lambda k: (k[0], data.templates[k[1]].start_minute,
                                            len(eligible[k])))
    for day, tpl, desk in slots:
        need = data.required.get((day, tpl, desk), 0) - kept_by_slot[(day, tpl, desk)]
        if need <= 0:
            continue
        start, end = data.slot_times(day, tpl)
        options = [(state.rank(op, day, tpl), op) for op in eligible[(day, tpl, desk)]
                   if state.may_take(op, day, tpl, start)]
        options.sort()
        for _rank, op in options[:need]:
            state.take(op, desk, tpl, day, start, end)
    return state.chosen


@dataclass
class _GreedyState:
    """What the construction has given each operator so far."""

    data: PlanningData
    kept_cells: set[Cell]
    chosen: set[Cell] = field(init=False)
    last: dict[Key, Shift] = field(default_factory=dict)
    load: dict[Key, float] = field(default_factory=lambda: defaultdict(float))
    nights: dict[Key, int] = field(default_factory=lambda: defaultdict(int))
    weekends: dict[Key, int] = field(default_factory=lambda: defaultdict(int))
    week_days: dict[tuple[Key, date], int] = field(default_factory=lambda: defaultdict(int))
    week_minutes: dict[tuple[Key, date], int] = field(default_factory=lambda: defaultdict(int))
    days_off: dict[Key, set[int]] = field(init=False)

    def __post_init__(self) -> None:
        self.chosen = set(self.kept_cells)
        for p in sorted(self.data.prior, key=lambda p: p.start):
            self.last[p.operator] = p
        # staggered pairs of days off: two days off in a row give a 48 h weekly rest
        self.days_off = {op: {i % 7, (i + 1) % 7} for i, op in enumerate(self.data.operators)}

    def may_take(self, op: Key, day: date, tpl: Key, start: datetime) -> bool:
        s = self.data.settings
        prev = self.last.get(op)
        if prev is not None and (prev.day == day or
                                 start - prev.end < timedelta(minutes=s.min_daily_rest)):
            return False
        week = _monday(day)
        minutes = self.data.templates[tpl].duration
        return not (day.weekday() in self.days_off[op] or self.week_days[(op, week)] >= 5
                    or self.week_minutes[(op, week)] + minutes > s.max_week_work)

    def rank(self, op: Key, day: date, tpl: Key) -> _Rank:
        """Fairness first for the scarce kinds of vacation, then the load per contract."""
        contract = self.data.operators[op].contract_minutes or 1
        is_night, is_weekend = self.data.templates[tpl].is_night, day.weekday() >= 5
        return (self.nights[op] if is_night else 0, self.weekends[op] if is_weekend else 0,
                self.load[op] / contract, str(op))

    def take(self, op: Key, desk: Key, tpl: Key, day: date, start: datetime,
             end: datetime) -> None:
        minutes = self.data.templates[tpl].duration
        week = _monday(day)
        self.nights[op] += self.data.templates[tpl].is_night
        self.weekends[op] += day.weekday() >= 5
        self.chosen.add((op, desk, tpl, day))
        self.last[op] = Shift(None, op, desk, tpl, day, start, end)
        self.load[op] += minutes
        self.week_days[(op, week)] += 1
        self.week_minutes[(op, week)] += minutes


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())
