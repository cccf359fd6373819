"""The automatic planner: OR-Tools CP-SAT fills a period (or its holes) under every hard rule.

Hard rules come from `rules.py` itself: whether two vacations may follow each other is decided by
running the checker on the pair, so the model cannot drift from the checker the tests use.
Soft goals: nights, weekends and French public holidays shared in proportion to each operator's
availability, working hours close to each contract, and (when re-planning) few changes.

When no roster satisfies the rules, the planner first names the requirements no eligible
operator can hold (absent, unqualified, blocked by the previous roster), then solves a relaxed
model that may leave holes and reports exactly which requirements it had to leave unmet.
"""
from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import holidays
from ortools.sat.python import cp_model

from console.models.roster.rules import (
    Key,
    PlanningData,
    Shift,
    _day_violations,
    _pair_violations,
    overlap_minutes,
)

Slot = tuple[date, Key]  # (day, template)
Cell = tuple[Key, Key, Key, date]  # (operator, desk, template, day)


@dataclass
class Progress:
    elapsed: float
    solutions: int
    objective: float | None
    bound: float | None
    message: str = ""


@dataclass
class SolveResult:
    status: str  # optimal | feasible | infeasible | stopped | unknown
    cells: list[Cell] = field(default_factory=list)  # the whole roster of the period
    unmet: list[str] = field(default_factory=list)  # requirements that cannot be met
    explanation: list[str] = field(default_factory=list)
    wall_time: float = 0.0
    first_solution_time: float | None = None
    objective: float | None = None
    stats: dict = field(default_factory=dict)
    first_cells: list[Cell] = field(default_factory=list)  # phase 1: legal, not yet balanced

    @property
    def ok(self) -> bool:
        return self.status in ("optimal", "feasible", "stopped") and not self.unmet and \
            bool(self.cells or self.status != "stopped")


def french_holidays(days: Iterable[date]) -> set[date]:
    days = list(days)
    if not days:
        return set()
    known = holidays.country_holidays("FR", years=sorted({d.year for d in days}))
    return {d for d in days if d in known}


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, started: float, report: Callable[[Progress], None] | None,
                 stop: threading.Event | None) -> None:
        super().__init__()
        self.started = started
        self.report = report
        self.stop = stop
        self.solutions = 0
        self.first: float | None = None
        self.last_objective: float | None = None

    def on_solution_callback(self) -> None:
        self.solutions += 1
        elapsed = time.perf_counter() - self.started
        if self.first is None:
            self.first = elapsed
        self.last_objective = self.objective_value
        if self.report is not None:
            self.report(Progress(elapsed, self.solutions, self.objective_value,
                                 self.best_objective_bound))
        if self.stop is not None and self.stop.is_set():
            self.stop_search()


class Planner:
    """One planning run; `stop()` may be called from another thread (the GUI)."""

    def __init__(self, data: PlanningData, existing: Iterable[Shift] = (), *,
                 keep: str = "fixed", fixed_keys: Iterable[Key] = (),
                 time_limit: float = 10.0, workers: int = 2, seed: int = 0) -> None:
        """`keep`: "fixed" re-plans everything but the fixed shifts; "all" only fills holes."""
        self.data = data
        self.existing = [s for s in existing if not s.prior
                         and data.start_day <= s.day < data.end_day]
        fixed = set(fixed_keys)
        self.kept = [s for s in self.existing if keep == "all" or s.key in fixed]
        self.time_limit = time_limit
        self.workers = workers
        self.seed = seed
        self.greedy_hint = True
        self._stop = threading.Event()
        self._solver: cp_model.CpSolver | None = None
        self._lock = threading.Lock()

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            if self._solver is not None:
                self._solver.stop_search()

    # -- model -------------------------------------------------------------------------------------

    def _eligibility(self) -> tuple[dict, dict[tuple, list[str]]]:
        """For each requirement, the operators who may hold it, and why the others may not."""
        data = self.data
        prior_by_op: dict[Key, list[Shift]] = defaultdict(list)
        for shift in data.prior:
            prior_by_op[shift.operator].append(shift)
        slot_times = {(d, t): data.slot_times(d, t) for d in data.days for t in data.templates}
        eligible: dict[tuple, list[Key]] = {}
        reasons: dict[tuple, list[str]] = {}
        for (day, tpl, desk), need in data.required.items():
            if need <= 0 or not (data.start_day <= day < data.end_day):
                continue
            start, end = slot_times[(day, tpl)]
            ok, absent, unqualified, blocked = [], 0, 0, 0
            probe_single = Shift("probe", None, desk, tpl, day, start, end)
            if _day_violations(data, [probe_single]):
                reasons[(day, tpl, desk)] = ["the vacation alone breaks the day-work or "
                                             "amplitude rule"]
                eligible[(day, tpl, desk)] = []
                continue
            for key, op in data.operators.items():
                if not data.desks[desk].qualifications <= op.qualifications:
                    unqualified += 1
                    continue
                if any(start < a_end and end > a_start
                       for a_start, a_end, _ in data.absences.get(key, ())):
                    absent += 1
                    continue
                probe = Shift("probe", key, desk, tpl, day, start, end)
                if any(_conflict(data, p, probe) for p in prior_by_op.get(key, ())):
                    blocked += 1
                    continue
                ok.append(key)
            eligible[(day, tpl, desk)] = ok
            reasons[(day, tpl, desk)] = [f"{len(ok)} eligible, {unqualified} unqualified, "
                                         f"{absent} absent, {blocked} resting after the "
                                         f"previous roster"]
        return eligible, reasons

    def solve(self, progress: Callable[[Progress], None] | None = None) -> SolveResult:
        started = time.perf_counter()
        data = self.data
        eligible, reasons = self._eligibility()
        impossible = []
        for slot, ops in eligible.items():
            kept_here = sum(1 for s in self.kept if (s.day, s.template, s.desk) == slot)
            if len(ops) + kept_here < data.required[slot]:
                impossible.append(slot)
        explanation = [self._describe(slot) + ": needs " + str(data.required[slot]) + "; "
                       + "; ".join(reasons.get(slot, [])) for slot in sorted(
                           impossible, key=lambda s: (s[0], str(s[1]), str(s[2])))]
        if not impossible:
            result = self._run(eligible, started, progress, allow_holes=False)
            if result.status != "infeasible":
                result.wall_time = time.perf_counter() - started
                return result
            explanation.append("every requirement has enough eligible operators on its own, "
                               "but the rest and weekly rules cannot all be met together")
        relaxed = self._run(eligible, started, progress, allow_holes=True)
        relaxed.explanation = explanation + relaxed.explanation
        relaxed.status = "infeasible" if relaxed.unmet or relaxed.status == "infeasible" \
            else relaxed.status
        relaxed.wall_time = time.perf_counter() - started
        return relaxed

    def _describe(self, slot: tuple) -> str:
        day, tpl, desk = slot
        return (f"{self.data.desks[desk].code} {self.data.templates[tpl].code} "
                f"{day:%a %d/%m}")

    def _run(self, eligible: dict, started: float, progress, allow_holes: bool) -> SolveResult:
        data, s = self.data, self.data.settings
        model = cp_model.CpModel()
        x: dict[Cell, cp_model.IntVar] = {}
        kept_cells = {(k.operator, k.desk, k.template, k.day) for k in self.kept}
        for (day, tpl, desk), ops in eligible.items():
            for op in ops:
                x[(op, desk, tpl, day)] = model.new_bool_var("")
        for cell in kept_cells:
            if cell not in x:
                x[cell] = model.new_bool_var("")
            model.add(x[cell] == 1)
        # y[op, day, tpl]: the operator works this vacation (at some desk)
        by_op_slot: dict[tuple, list] = defaultdict(list)
        by_req: dict[tuple, list] = defaultdict(list)
        for (op, desk, tpl, day), var in x.items():
            by_op_slot[(op, day, tpl)].append(var)
            by_req[(day, tpl, desk)].append(var)
        # y[op, day, tpl]: an explicit boolean, so that rest rules become clauses (fast in SAT)
        y_var: dict[tuple, cp_model.IntVar] = {}
        for key, vars_ in by_op_slot.items():
            if len(vars_) == 1:
                y_var[key] = vars_[0]
            else:
                y_var[key] = model.new_bool_var("")
                model.add(sum(vars_) == y_var[key])
        holes: dict[tuple, cp_model.IntVar] = {}
        for slot in set(data.required) | set(by_req):
            day, tpl, desk = slot
            if not (data.start_day <= day < data.end_day):
                continue
            need = data.required.get(slot, 0)
            kept_here = sum(1 for c in kept_cells if (c[3], c[2], c[1]) == slot)
            target = max(need, kept_here)
            total = sum(by_req.get(slot, []))
            if allow_holes and target > kept_here:
                holes[slot] = model.new_int_var(0, target, "")
                model.add(total + holes[slot] == target)
            else:
                model.add(total == target)

        ops_slots: dict[Key, list[tuple[date, Key]]] = defaultdict(list)
        for (op, day, tpl) in by_op_slot:
            ops_slots[op].append((day, tpl))
        times = {(d, t): data.slot_times(d, t) for d in data.days for t in data.templates}
        kept_by_op: dict[Key, set] = defaultdict(set)
        for c in kept_cells:
            kept_by_op[c[0]].add((c[3], c[2]))
        prior_by_op: dict[Key, list[Shift]] = defaultdict(list)
        for p in data.prior:
            prior_by_op[p.operator].append(p)

        def y(op, slot):
            return y_var[(op, slot[0], slot[1])]

        pair_cache: dict[tuple, bool] = {}
        for op, slots in ops_slots.items():
            slots.sort(key=lambda sl: times[sl][0])
            kept = kept_by_op.get(op, set())
            # pairs of vacations this operator may not hold both
            for i, a in enumerate(slots):
                a_start, a_end = times[a]
                for b in slots[i + 1:]:
                    b_start, _ = times[b]
                    if b_start - a_end >= timedelta(minutes=s.min_daily_rest) and a[0] != b[0]:
                        break
                    key = (a, b)
                    if key not in pair_cache:
                        pair_cache[key] = _conflict(
                            data, Shift(1, op, None, a[1], a[0], *times[a]),
                            Shift(2, op, None, b[1], b[0], *times[b]))
                    if pair_cache[key] and not (a in kept and b in kept):
                        model.add_bool_or([y(op, a).negated(), y(op, b).negated()])
            # work per day (three short vacations can break it without any pair doing so)
            per_day: dict[date, list] = defaultdict(list)
            for sl in slots:
                per_day[sl[0]].append(sl)
            for day_slots in per_day.values():
                if len(day_slots) > 2:
                    fixed_work = sum(data.templates[t].duration for d, t in day_slots
                                     if (d, t) in kept)
                    model.add(sum(data.templates[t].duration * y(op, (d, t))
                                  for d, t in day_slots) <= max(s.max_day_work, fixed_work))
            for _monday, lo, hi in data.weeks():
                self._week_constraints(model, op, slots, kept, prior_by_op.get(op, []), times,
                                       lo, hi, y)

        objective = self._objective(model, x, y_var, kept_cells)
        hole_total = sum(holes.values()) if holes else 0
        callback = _Callback(started, progress, self._stop)
        # Phase 1 needs any legal roster (fewest holes), without the fairness objective. A greedy
        # construction usually is one: when the rule checker (not the solver) finds it complete
        # and legal it is taken as is; otherwise it only hints CP-SAT's phase 1.
        greedy_first: float | None = None
        code, values = cp_model.UNKNOWN, None
        if self.greedy_hint:
            chosen = self._greedy(eligible, kept_cells)
            if not allow_holes and self._legal(chosen):
                greedy_first = time.perf_counter() - started
                values = [0] * len(model.proto.variables)
                for cell, var in x.items():
                    values[var.index] = 1 if cell in chosen else 0
                code = cp_model.FEASIBLE
                if progress is not None:
                    progress(Progress(greedy_first, 1, None, None, "greedy roster"))
            else:
                for cell, var in x.items():
                    model.add_hint(var, 1 if cell in chosen else 0)
        if values is None:
            code, values = self._solve_phase(model, hole_total, callback, started,
                                             share=1.0 if not holes else 0.6)
        first_values = values
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) and not self._stop.is_set():
            model.clear_hints()
            for var in x.values():
                model.add_hint(var, values[var.index])
            if holes:
                # never trade a staffed requirement for fairness
                model.add(hole_total <= sum(values[h.index] for h in holes.values()))
            code2, values2 = self._solve_phase(model, objective, callback, started, share=1.0)
            if code2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                code, values = code2, values2
            elif code2 == cp_model.UNKNOWN:
                code = cp_model.FEASIBLE
        status = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible",
                  cp_model.INFEASIBLE: "infeasible", cp_model.MODEL_INVALID: "invalid"}.get(
                      code, "unknown")
        if self._stop.is_set() and status in ("feasible", "unknown"):
            status = "stopped"
        result = SolveResult(status, first_solution_time=greedy_first or callback.first)
        if first_values is not None:
            result.first_cells = [c for c, var in x.items() if first_values[var.index]]
        result.stats = {"variables": len(x), "solutions": callback.solutions}
        if values is not None and code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            result.objective = callback.last_objective
            result.cells = [cell for cell, var in x.items() if values[var.index]]
            for slot, var in sorted(holes.items(), key=lambda kv: (kv[0][0], str(kv[0][1]),
                                                                    str(kv[0][2]))):
                missing = values[var.index]
                if missing:
                    result.unmet.append(f"{self._describe(slot)}: {missing} of "
                                        f"{data.required.get(slot, 0)} cannot be staffed")
        elif code == cp_model.UNKNOWN and not self._stop.is_set():
            result.explanation.append(f"no roster found within {self.time_limit:.0f} s")
        return result

    def _legal(self, cells: set) -> bool:
        """Complete and breaking no rule, per the rule checker."""
        from console.models.roster.rules import broken, check
        if any(self.data.required.get(k, 0) for k in self.data.required) and not cells:
            return False
        shifts = [self.data.make_shift(i, op, desk, tpl, day)
                  for i, (op, desk, tpl, day) in enumerate(sorted(cells, key=str))]
        return not broken(check(self.data, shifts))

    def _greedy(self, eligible: dict, kept_cells: set) -> set:
        """A quick constructive roster used as a search hint (may be incomplete, never trusted).

        Day by day, scarce desks first, each place goes to the least-loaded eligible operator
        whose previous vacations leave the rest rules intact and who has a day off left this week.
        """
        data = self.data
        s = data.settings
        chosen = set(kept_cells)
        last: dict[Key, Shift] = {}
        load: dict[Key, float] = defaultdict(float)
        nights: dict[Key, int] = defaultdict(int)
        weekends: dict[Key, int] = defaultdict(int)
        week_days: dict[tuple, int] = defaultdict(int)
        week_minutes: dict[tuple, int] = defaultdict(int)
        for p in sorted(data.prior, key=lambda p: p.start):
            last[p.operator] = p
        kept_by_slot: dict[tuple, int] = defaultdict(int)
        for _op, desk, tpl, day in kept_cells:
            kept_by_slot[(day, tpl, desk)] += 1
        # staggered pairs of days off: two days off in a row give a 48 h weekly rest
        days_off = {op: {i % 7, (i + 1) % 7} for i, op in enumerate(data.operators)}
        slots = sorted(eligible, key=lambda k: (k[0], data.templates[k[1]].start_minute,
                                                len(eligible[k])))
        for day, tpl, desk in slots:
            need = data.required.get((day, tpl, desk), 0) - kept_by_slot[(day, tpl, desk)]
            if need <= 0:
                continue
            start, end = data.slot_times(day, tpl)
            week = day - timedelta(days=day.weekday())
            minutes = data.templates[tpl].duration
            is_night, is_weekend = data.templates[tpl].is_night, day.weekday() >= 5
            options = []
            for op in eligible[(day, tpl, desk)]:
                prev = last.get(op)
                if prev is not None and (prev.day == day or
                                         start - prev.end < timedelta(minutes=s.min_daily_rest)):
                    continue
                if day.weekday() in days_off[op] or week_days[(op, week)] >= 5 or \
                        week_minutes[(op, week)] + minutes > s.max_week_work:
                    continue
                contract = data.operators[op].contract_minutes or 1
                # fairness first for the scarce kinds of vacation, then the load per contract
                options.append((nights[op] if is_night else 0, weekends[op] if is_weekend else 0,
                                load[op] / contract, str(op), op))
            options.sort()
            for *_rank, op in options[:need]:
                nights[op] += is_night
                weekends[op] += is_weekend
                chosen.add((op, desk, tpl, day))
                last[op] = Shift(None, op, desk, tpl, day, start, end)
                load[op] += minutes
                week_days[(op, week)] += 1
                week_minutes[(op, week)] += minutes
        return chosen

    def _solve_phase(self, model, objective, callback, started, share: float):
        """Solve with `objective` for `share` of the remaining time; values by variable index."""
        model.clear_objective()
        model.minimize(objective)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = self.workers
        remaining = self.time_limit - (time.perf_counter() - started)
        solver.parameters.max_time_in_seconds = max(0.5, remaining * share)
        solver.parameters.random_seed = self.seed
        with self._lock:
            if self._stop.is_set():
                return cp_model.UNKNOWN, None
            self._solver = solver
        code = solver.solve(model, callback)
        with self._lock:
            self._solver = None
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return code, None
        proto = model.proto
        values = [solver.value(model.get_int_var_from_proto_index(i)) for i in
                  range(len(proto.variables))]
        return code, values

    def _week_constraints(self, model, op, slots, kept, prior, times, lo, hi, y) -> None:
        s = self.data.settings
        in_week = [sl for sl in slots if times[sl][0] < hi and times[sl][1] > lo]
        if not in_week:
            return
        prior_work = sum(overlap_minutes(p.start, p.end, lo, hi) for p in prior)
        fixed_work = prior_work + sum(overlap_minutes(times[sl][0], times[sl][1], lo, hi) for sl in in_week
                                      if sl in kept)
        model.add(sum(overlap_minutes(times[sl][0], times[sl][1], lo, hi) * y(op, sl) for sl in in_week)
                  <= max(s.max_week_work - prior_work, fixed_work - prior_work))
        # Weekly rest: one window of `min_weekly_rest` touching the week must stay free. A free
        # interval starts at a vacation end, or began before the week (the window ending just
        # after the week starts stands for that case).
        rest = timedelta(minutes=s.min_weekly_rest)
        starts = {lo - rest + timedelta(minutes=1)}
        starts |= {times[sl][1] for sl in slots if lo - rest < times[sl][1] < hi}
        starts |= {p.end for p in prior if lo - rest < p.end < hi}
        options = []
        for start in sorted(starts):
            end = start + rest
            if any(p.start < end and p.end > start for p in prior):
                continue
            blocking = [sl for sl in slots if times[sl][0] < end and times[sl][1] > start]
            if any(sl in kept for sl in blocking):
                continue
            r = model.new_bool_var("")
            for sl in blocking:
                model.add_implication(r, y(op, sl).negated())
            options.append(r)
        if options:
            model.add_bool_or(options)

    def _objective(self, model, x, y_expr, kept_cells):
        data = self.data
        ops = list(data.operators)
        days = data.days
        holiday_days = french_holidays(days)
        weekend = {d for d in days if d.weekday() >= 5}
        nights = {t for t, info in data.templates.items() if info.is_night}
        # Availability: how many days each operator is not absent (whole-day approximation).
        avail = {}
        for op in ops:
            free = 0
            for d in days:
                lo = data.local_midnight(d)
                hi = lo + timedelta(days=1)
                absent = sum(overlap_minutes(a, b, lo, hi) for a, b, _ in
                             data.absences.get(op, ()))
                free += absent < 12 * 60
            avail[op] = free
        total_avail = sum(avail.values()) or 1

        def demand(pred) -> int:
            return sum(n for (d, t, _k), n in data.required.items()
                       if data.start_day <= d < data.end_day and pred(d, t))

        own: dict[Key, list] = defaultdict(list)
        for (o, d, t), expr in y_expr.items():
            own[o].append((d, t, expr))
        terms = []
        for weight, pred in ((100, lambda d, t: t in nights),
                             (40, lambda d, t: d in weekend),
                             (40, lambda d, t: d in holiday_days)):
            need = demand(pred)
            if need == 0:
                continue
            worst = model.new_int_var(0, 10 * len(days) * 3, "")
            devs = []
            for op in ops:
                count = cp_model.LinearExpr.Sum([e for d, t, e in own[op] if pred(d, t)])
                share = round(10 * need * avail[op] / total_avail)
                dev = model.new_int_var(0, 10 * len(days) * 3, "")
                model.add(dev >= 10 * count - share)
                model.add(dev >= share - 10 * count)
                model.add(worst >= dev)
                devs.append(dev)
            # the worst case is what fairness means; the sum gives the search a gradient
            terms.append(weight * worst)
            terms.append(weight // 10 * sum(devs))
        # Hours close to each contract (in hours, prorated to availability and demand).
        total_minutes = sum(n * data.templates[t].duration for (d, t, _k), n in
                            data.required.items() if data.start_day <= d < data.end_day)
        weight_sum = sum(data.operators[o].contract_minutes * avail[o] for o in ops) or 1
        worst_hours = model.new_int_var(0, 24 * len(days), "")
        hour_devs = []
        for op in ops:
            target = round(total_minutes * data.operators[op].contract_minutes * avail[op]
                           / weight_sum / 60)
            hours = cp_model.LinearExpr.WeightedSum(
                [e for _d, _t, e in own[op]],
                [data.templates[t].duration // 60 for _d, t, _e in own[op]])
            dev = model.new_int_var(0, 24 * len(days), "")
            model.add(dev >= hours - target)
            model.add(dev >= target - hours)
            model.add(worst_hours >= dev)
            hour_devs.append(dev)
        terms.append(20 * worst_hours)
        terms.append(2 * sum(hour_devs))
        # Re-planning: prefer keeping what the shift manager already had.
        previous = {(s.operator, s.desk, s.template, s.day) for s in self.existing}
        changes = [1 - x[c] for c in previous - kept_cells if c in x]
        if changes:
            terms.append(5 * sum(changes))
        return sum(terms)


def _conflict(data: PlanningData, a: Shift, b: Shift) -> bool:
    """Whether one operator may not hold both vacations, decided by the rule checker itself."""
    if b.start < a.start:
        a, b = b, a
    if _pair_violations(data, a, b):
        return True
    return bool(a.day == b.day and _day_violations(data, [a, b]))


def spread(cells: Iterable[Cell], data: PlanningData, pred) -> tuple[int, int]:
    """(min, max) over operators of the number of vacations matching pred(day, template)."""
    counts = dict.fromkeys(data.operators, 0)
    for op, _desk, tpl, day in cells:
        if pred(day, tpl):
            counts[op] = counts.get(op, 0) + 1
    values = list(counts.values()) or [0]
    return min(values), max(values)


def cells_to_shifts(data: PlanningData, cells: Iterable[Cell]) -> list[Shift]:
    return [data.make_shift(i, op, desk, tpl, day) for i, (op, desk, tpl, day) in
            enumerate(cells)]


