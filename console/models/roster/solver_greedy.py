"""A quick constructive roster the planner tries first (may be incomplete, never trusted).

Each operator follows a forward-rotating cycle (e.g. M M A A N N off off) from a staggered
offset, so every day offers each vacation to a share of the team and the off days give the
weekly rest. Day by day, vacation by vacation, the places go first to the operators whose
cycle holds that vacation, the fewest nights (weekends) first, through a matching that respects
qualifications. The rule checker, not this construction, decides whether the result is a roster
(`is_legal`); `solver_balance` then evens out what the cycles left uneven.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from console.models.roster.rules import Key, PlanningData, Shift, broken, check
from console.models.roster.solver_model import Cell, Eligibility, Requirement, conflict

# a candidate's sort key: off its cycle, nights held, weekends held, load per contract, tie-break
_Rank = tuple[bool, int, int, int, int]
Cycle = list[Key | None]  # one entry per day: the vacation, or None for a day off


def is_legal(data: PlanningData, cells: set[Cell]) -> bool:
    """Complete and breaking no rule, per the rule checker."""
    if any(data.required.get(k, 0) for k in data.required) and not cells:
        return False
    shifts = [data.make_shift(i, op, desk, tpl, day)
              for i, (op, desk, tpl, day) in enumerate(sorted(cells, key=str))]
    return not broken(check(data, shifts))


def rotation_cycle(data: PlanningData) -> Cycle:
    """Two days of each vacation in start order, then days off (at least two, for the weekly
    rest, more while any seven days of the cycle hold more than the weekly maximum)."""
    used = sorted({t for (_d, t, _k), n in data.required.items() if n > 0 and t in
                   data.templates}, key=lambda t: data.templates[t].start_minute)
    day = data.start_day
    cycle: Cycle = []
    for tpl in used:
        block = 2 if not _follows_badly(data, day, tpl, tpl) else 1
        if cycle and cycle[-1] is not None and _follows_badly(data, day, cycle[-1], tpl):
            cycle.append(None)
        cycle += [tpl] * block
    cycle += [None, None]
    while len(cycle) < 60 and _max_week_minutes(data, cycle) > data.settings.max_week_work:
        cycle.append(None)
    return cycle


def _follows_badly(data: PlanningData, day: date, first: Key, then: Key) -> bool:
    """Whether `then` on the day after `first` breaks a rule for one operator."""
    a = data.make_shift(1, None, None, first, day)
    b = data.make_shift(2, None, None, then, day + timedelta(days=1))
    return conflict(data, a, b)


def _max_week_minutes(data: PlanningData, cycle: Cycle) -> int:
    minutes = [data.templates[t].duration if t is not None else 0 for t in cycle]
    doubled = minutes * 2
    return max(sum(doubled[i:i + 7]) for i in range(len(minutes)))


def greedy_roster(data: PlanningData, eligible: Eligibility, kept_cells: set[Cell]) -> set[Cell]:
    state = _GreedyState(data, kept_cells)
    desks_of: dict[tuple[date, Key], set[Key]] = defaultdict(set)
    for day, tpl, desk in eligible:
        desks_of[(day, tpl)].add(desk)
    kept_by_slot: dict[Requirement, list[Cell]] = defaultdict(list)
    for cell in kept_cells:
        kept_by_slot[(cell[3], cell[2], cell[1])].append(cell)
        desks_of[(cell[3], cell[2])].add(cell[1])
    for day, tpl in sorted(desks_of, key=lambda s: (s[0], data.templates[s[1]].start_minute)):
        start, end = data.slot_times(day, tpl)
        free: dict[Key, int] = {}
        for desk in sorted(desks_of[(day, tpl)], key=str):
            kept_here = kept_by_slot.get((day, tpl, desk), [])
            for op, _desk, _tpl, _day in kept_here:
                state.take(op, desk, tpl, day, start, end)
            free[desk] = data.required.get((day, tpl, desk), 0) - len(kept_here)
        candidates: dict[Key, list[Key]] = defaultdict(list)
        for desk, places in free.items():
            if places > 0:
                for op in eligible.get((day, tpl, desk), []):
                    candidates[op].append(desk)
        ranked = sorted((state.rank(op, day, tpl), op) for op in candidates
                        if state.may_take(op, day, tpl, start))
        for op, desk in _match(ranked, candidates, free).items():
            state.take(op, desk, tpl, day, start, end)
    return state.chosen


def _match(ranked: list[tuple[_Rank, Key]], candidates: dict[Key, list[Key]],
           free: dict[Key, int]) -> dict[Key, Key]:
    """Operators to desks, best ranked first: each is added if a matching still holds everyone
    chosen so far (augmenting paths), so a scarce qualification never blocks a desk."""
    assigned: dict[Key, Key] = {}
    holders: dict[Key, list[Key]] = defaultdict(list)
    places = sum(max(0, n) for n in free.values())

    def place(op: Key, seen: set[Key]) -> bool:
        for desk in candidates[op]:
            if desk in seen:
                continue
            seen.add(desk)
            if len(holders[desk]) < free[desk]:
                holders[desk].append(op)
                assigned[op] = desk
                return True
            for other in list(holders[desk]):
                holders[desk].remove(other)
                if place(other, seen):
                    holders[desk].append(op)
                    assigned[op] = desk
                    return True
                holders[desk].append(other)
        return False

    for _rank, op in ranked:
        if len(assigned) >= places:
            break
        place(op, set())
    return assigned


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
    week_minutes: dict[tuple[Key, date], int] = field(default_factory=lambda: defaultdict(int))
    cycle: Cycle = field(init=False)
    offset: dict[Key, int] = field(init=False)
    index: dict[Key, int] = field(init=False)

    def __post_init__(self) -> None:
        self.chosen = set(self.kept_cells)
        for p in sorted(self.data.prior, key=lambda p: p.start):
            self.last[p.operator] = p
            self.week_minutes[(p.operator, _monday(p.day))] += p.minutes
        self.cycle = rotation_cycle(self.data)
        # staggered offsets, dealt out by qualification so that every offset mixes them
        ops = sorted(self.data.operators, key=lambda o: (
            sorted(self.data.operators[o].qualifications), str(o)))
        self.offset = {op: i % len(self.cycle) for i, op in enumerate(ops)}
        self.index = {op: i for i, op in enumerate(ops)}

    def planned(self, op: Key, day: date) -> Key | None:
        return self.cycle[((day - self.data.start_day).days + self.offset[op]) % len(self.cycle)]

    def may_take(self, op: Key, day: date, tpl: Key, start: datetime) -> bool:
        """Not on a day off of the cycle (the weekly rest), rested, under the weekly maximum."""
        s = self.data.settings
        if self.planned(op, day) is None:
            return False
        prev = self.last.get(op)
        if prev is not None and (prev.day == day or
                                 start - prev.end < timedelta(minutes=s.min_daily_rest)):
            return False
        minutes = self.data.templates[tpl].duration
        return self.week_minutes[(op, _monday(day))] + minutes <= s.max_week_work

    def rank(self, op: Key, day: date, tpl: Key) -> _Rank:
        """Its own cycle first, then fairness for the scarce kinds of vacation, then the load."""
        contract = self.data.operators[op].contract_minutes or 1
        is_night, is_weekend = self.data.templates[tpl].is_night, day.weekday() >= 5
        return (self.planned(op, day) != tpl, self.nights[op] if is_night else 0,
                self.weekends[op] if is_weekend else 0, round(10 * self.load[op] / contract),
                (self.index[op] - 7 * day.toordinal()) % len(self.index))

    def take(self, op: Key, desk: Key, tpl: Key, day: date, start: datetime,
             end: datetime) -> None:
        minutes = self.data.templates[tpl].duration
        self.nights[op] += self.data.templates[tpl].is_night
        self.weekends[op] += day.weekday() >= 5
        self.chosen.add((op, desk, tpl, day))
        self.last[op] = Shift(None, op, desk, tpl, day, start, end)
        self.load[op] += minutes
        self.week_minutes[(op, _monday(day))] += minutes


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())
