"""Evening out a legal roster by moves the rule checker approves, one at a time.

The constructive roster (`solver_greedy`) follows rotation cycles, which leave some operators
with more nights or weekends than others. This local search hands a night (weekend, public
holiday) from an operator who has the most to one who has the fewest, alone or against one of
the receiver's other vacations so that both keep their hours. A move is kept only when it lowers
the score (squared deviations from the mean, so the spread between the best and worst served
narrows) and the rule checker finds nothing wrong for either operator. Coverage never changes.
"""
from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from console.models.roster.rules import Key, PlanningData, Shift, broken, check
from console.models.roster.solver_fairness import availability, french_holidays
from console.models.roster.solver_model import Cell, Eligibility, conflict

# a kind of vacation to share fairly: (name, weight, predicate on a cell)
Metric = tuple[str, int, Callable[[Cell], bool]]
# (score change, giver, receiver, the vacations given, the vacations handed back)
Move = tuple[float, Key, Key, tuple[Cell, ...], tuple[Cell, ...]]
# per squared hour away from the contract's share: a lone transfer between two operators on
# target costs 2 * 8 * 8 * 0.5 = 64, less than one weekend of spread gained (2 * 40)
HOURS_WEIGHT = 0.5


def share_metrics(data: PlanningData) -> list[Metric]:
    """Nights, weekends and public holidays, with their weights (nights and weekends are the
    unsocial times a team compares: a weekend of spread counts as much as a night)."""
    nights = {t for t, info in data.templates.items() if info.is_night}
    holidays = french_holidays(data.days)
    return [("nights", 100, lambda c: c[2] in nights),
            ("weekends", 100, lambda c: c[3].weekday() >= 5),
            ("holidays", 40, lambda c: c[3] in holidays)]


def spreads(data: PlanningData, cells: set[Cell]) -> dict[str, int]:
    """Max minus min over every operator of the nights, weekends and holidays held."""
    result = {}
    for name, _weight, pred in share_metrics(data):
        counts = dict.fromkeys(data.operators, 0)
        for cell in cells:
            if pred(cell):
                counts[cell[0]] = counts.get(cell[0], 0) + 1
        values = list(counts.values()) or [0]
        result[name] = max(values) - min(values)
    return result


@dataclass
class Balancer:
    """The state of the local search over one roster."""

    data: PlanningData
    cells: set[Cell]
    kept: set[Cell]
    eligible: Eligibility
    metrics: list[Metric] = field(init=False)
    own: dict[Key, set[Cell]] = field(init=False)
    counts: dict[tuple[str, Key], int] = field(init=False)
    hist: dict[str, Counter[int]] = field(init=False)  # how many operators hold each count
    eligible_sets: dict[tuple[date, Key, Key], set[Key]] = field(init=False)
    target_hours: dict[Key, float] = field(init=False)
    checks: int = 0

    def __post_init__(self) -> None:
        self.metrics = share_metrics(self.data)
        self.own = defaultdict(set)
        self.counts = defaultdict(int)
        self.hist = {name: Counter({0: len(self.data.operators)}) for name, _w, _p in self.metrics}
        for cell in self.cells:
            self._add(cell[0], cell)
        self.eligible_sets = {k: set(v) for k, v in self.eligible.items()}
        self.target_hours = contract_targets(self.data, len(self.cells) and sum(
            self.data.templates[c[2]].duration for c in self.cells))
        self._rules_data = replace(self.data, required={})
        self._pairs: dict[tuple[date, Key, date, Key], bool] = {}
        self._prior: dict[Key, list[Shift]] = defaultdict(list)
        for shift in self.data.prior:
            self._prior[shift.operator].append(shift)

    def _add(self, op: Key, cell: Cell) -> None:
        self.own[op].add(cell)
        for name, _w, pred in self.metrics:
            self._count(name, op, int(pred(cell)))

    def _remove(self, op: Key, cell: Cell) -> None:
        self.own[op].discard(cell)
        for name, _w, pred in self.metrics:
            self._count(name, op, -int(pred(cell)))

    def _count(self, name: str, op: Key, step: int) -> None:
        if step:
            hist = self.hist[name]
            hist[self.counts[(name, op)]] -= 1
            self.counts[(name, op)] += step
            hist[self.counts[(name, op)]] += 1

    def _spread_after(self, name: str, changes: list[tuple[Key, int]]) -> int:
        """The spread of `name` if each (operator, step) were applied."""
        hist = self.hist[name]
        for op, step in changes:
            hist[self.counts[(name, op)]] -= 1
            hist[self.counts[(name, op)] + step] += 1
        held = [value for value, n in hist.items() if n > 0]
        for op, step in changes:
            hist[self.counts[(name, op)] + step] -= 1
            hist[self.counts[(name, op)]] += 1
        return max(held) - min(held)

    def run(self, deadline: float, stop: Callable[[], bool],
            improved: Callable[[set[Cell]], None] | None = None) -> set[Cell]:
        """Moves until none helps, the deadline passes or `stop()`; returns the roster."""
        while time.perf_counter() < deadline and not stop():
            if not self._one_move():
                break
            if improved is not None:
                improved(self.cells)
        return self.cells

    def fill_holes(self, stop: Callable[[], bool]) -> set[Cell]:
        """Staff the places the construction left empty, each with the least-loaded eligible
        operator free that day whose roster the checker still accepts with it."""
        held: dict[tuple[date, Key, Key], int] = defaultdict(int)
        for cell in self.cells:
            held[(cell[3], cell[2], cell[1])] += 1
        busy = {(c[0], c[3]) for c in self.cells}
        for (day, tpl, desk), need in sorted(self.data.required.items(),
                                             key=lambda kv: (kv[0][0], str(kv[0][1]),
                                                             str(kv[0][2]))):
            for _missing in range(need - held[(day, tpl, desk)]):
                if stop():
                    return self.cells
                cell = (None, desk, tpl, day)
                for op in sorted(self.eligible.get((day, tpl, desk), []),
                                 key=lambda o: (self._hours_off(o), str(o))):
                    mine = _as(cell, op)
                    if (op, day) in busy or not self._neighbours_fit(self.own[op], mine) \
                            or not self._legal(op, self.own[op] | {mine}):
                        continue
                    self._add(op, mine)
                    self.cells.add(mine)
                    busy.add((op, day))
                    break
        return self.cells

    def _one_move(self) -> bool:
        ops = list(self.data.operators)
        for name, _weight, pred in self.metrics:
            ordered = sorted(ops, key=lambda o: (self.counts[(name, o)], str(o)))
            least = self.counts[(name, ordered[0])]
            for giver in reversed(ordered):
                if self.counts[(name, giver)] - least < 2:
                    break  # no later giver can help either
                for receiver in ordered:
                    if self.counts[(name, giver)] - self.counts[(name, receiver)] < 2:
                        break
                    if self._try_pair(giver, receiver, pred):
                        return True
        return False

    def _try_pair(self, giver: Key, receiver: Key, pred: Callable[[Cell], bool]) -> bool:
        moves: list[Move] = []
        for given in sorted(self.own[giver], key=str):
            if not pred(given):
                continue
            if self._may_hold(receiver, given):
                for back in self._backs(giver, receiver, given):
                    moves.append(self._move(giver, receiver, (given,), back))
            moves += self._block_swaps(giver, receiver, given[3])
        for move in sorted((m for m in moves if m[0] < 0), key=lambda m: (m[0], str(m[3:]))):
            if self._apply_if_legal(move):
                return True
        return False

    def _may_hold(self, op: Key, cell: Cell) -> bool:
        return cell not in self.kept and op in self.eligible_sets.get(
            (cell[3], cell[2], cell[1]), ())

    def _backs(self, giver: Key, receiver: Key, given: Cell) -> list[tuple[Cell, ...]]:
        """What the receiver may hand back: nothing, one other vacation, or the vacations that
        stand in the way of the one it receives (same day, or too close before or after)."""
        mine = sorted(self.own[receiver], key=str)
        in_way = tuple(c for c in mine if c[3] == given[3] or (
            abs((c[3] - given[3]).days) == 1 and self._clash(given, c)))
        options: list[tuple[Cell, ...]] = [in_way] if in_way else \
            [(), *((c,) for c in mine)]
        return [back for back in options if all(
            self._may_hold(giver, c) and _as(c, giver) not in self.own[giver]
            and c[1:] != given[1:] for c in back)]

    def _block_swaps(self, giver: Key, receiver: Key, day: date) -> list[Move]:
        """The two operators exchange everything they hold over one to three days around
        `day` (the classic block swap: only the edges of the block meet new neighbours)."""
        moves = []
        for before, after in ((0, 0), (1, 0), (0, 1), (1, 1)):
            lo, hi = day - timedelta(days=before), day + timedelta(days=after)
            given = tuple(sorted((c for c in self.own[giver] if lo <= c[3] <= hi), key=str))
            back = tuple(sorted((c for c in self.own[receiver] if lo <= c[3] <= hi), key=str))
            if {c[1:] for c in given} & {c[1:] for c in back}:
                continue  # both hold the same place: swapping it changes nothing
            if all(self._may_hold(receiver, c) for c in given) and \
                    all(self._may_hold(giver, c) for c in back):
                moves.append(self._move(giver, receiver, given, back))
        return moves

    def _move(self, giver: Key, receiver: Key, given: tuple[Cell, ...],
              back: tuple[Cell, ...]) -> Move:
        """The move with its score change: the spreads first (each step of spread outweighs
        any squared deviation), then weighted squared counts (the mean does not move), then
        hours away from each contract's share."""
        change = 0.0
        for name, weight, pred in self.metrics:
            step = sum(int(pred(c)) for c in given) - sum(int(pred(c)) for c in back)
            if step:
                g, r = self.counts[(name, giver)], self.counts[(name, receiver)]
                change += weight * ((g - step) ** 2 + (r + step) ** 2 - g * g - r * r)
                spread_now = self._spread_after(name, [])
                spread_then = self._spread_after(name, [(giver, -step), (receiver, step)])
                change += weight * len(self.data.operators) * (spread_then - spread_now)
        hours = (sum(self.data.templates[c[2]].duration for c in given)
                 - sum(self.data.templates[c[2]].duration for c in back)) / 60
        if hours:
            gh, rh = self._hours_off(giver), self._hours_off(receiver)
            change += HOURS_WEIGHT * ((gh - hours) ** 2 + (rh + hours) ** 2 - gh * gh - rh * rh)
        return change, giver, receiver, given, back

    def _hours_off(self, op: Key) -> float:
        worked = sum(self.data.templates[c[2]].duration for c in self.own[op]) / 60
        return worked - self.target_hours.get(op, 0.0)

    def _apply_if_legal(self, move: Move) -> bool:
        _delta, giver, receiver, given, back = move
        to_giver = {_as(c, giver) for c in back}
        to_receiver = {_as(c, receiver) for c in given}
        new_giver = (self.own[giver] - set(given)) | to_giver
        new_receiver = (self.own[receiver] - set(back)) | to_receiver
        if not (all(self._neighbours_fit(new_giver, c) for c in to_giver)
                and all(self._neighbours_fit(new_receiver, c) for c in to_receiver)
                and self._legal(giver, new_giver) and self._legal(receiver, new_receiver)):
            return False
        moved = [(giver, c, receiver) for c in given] + [(receiver, c, giver) for c in back]
        for source, cell, _to in moved:
            self._remove(source, cell)
            self.cells.discard(cell)
        for _source, cell, to in moved:
            self._add(to, _as(cell, to))
            self.cells.add(_as(cell, to))
        return True

    def _neighbours_fit(self, cells: set[Cell], arriving: Cell) -> bool:
        """A quick pre-check (the checker's own pair rule, cached) of the arriving vacation
        against the operator's vacations of the day before, the same day and the day after."""
        day = arriving[3]
        for cell in cells:
            if cell == arriving:
                continue
            if abs((cell[3] - day).days) <= 1 and self._clash(arriving, cell):
                return False
        return True

    def _clash(self, a: Cell, b: Cell) -> bool:
        key = (a[3], a[2], b[3], b[2])
        if key not in self._pairs:
            self._pairs[key] = conflict(self.data, self.data.make_shift(1, None, None, a[2], a[3]),
                                        self.data.make_shift(2, None, None, b[2], b[3]))
        return self._pairs[key]

    def _legal(self, op: Key, cells: set[Cell]) -> bool:
        """The whole rule checker on one operator's roster (coverage aside)."""
        self.checks += 1
        shifts = self._prior[op] + [self.data.make_shift(i, *c) for i, c in
                                    enumerate(sorted(cells, key=lambda c: c[3]))]
        return not [v for v in broken(check(self._rules_data, shifts))
                    if not v.rule.startswith("coverage")]


def contract_targets(data: PlanningData, total_minutes: int) -> dict[Key, float]:
    """Each operator's share of the worked hours, by contract and availability."""
    avail = availability(data)
    weights = {o: data.operators[o].contract_minutes * avail[o] for o in data.operators}
    total = sum(weights.values()) or 1
    return {o: total_minutes * w / total / 60 for o, w in weights.items()}


def _as(cell: Cell, op: Key) -> Cell:
    return (op, cell[1], cell[2], cell[3])
