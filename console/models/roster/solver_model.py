"""The planner's CP-SAT model: who may hold each requirement, and the hard rules as constraints.

Whether two vacations may follow each other is decided by running the rule checker on the pair
(`conflict`), so the model cannot drift from the checker the tests use.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ortools.sat.python import cp_model

from console.models.roster.rules import (
    Key,
    PlanningData,
    Shift,
    _day_violations,
    _pair_violations,
    overlap_minutes,
)
from console.models.roster.solver_law import (
    average_rules,
    break_reason,
    recent_prior_by_operator,
    rolling_rules,
)

Slot = tuple[date, Key]  # (day, template)
Cell = tuple[Key, Key, Key, date]  # (operator, desk, template, day)
Requirement = tuple[date, Key, Key]  # (day, template, desk)
WorkKey = tuple[Key, date, Key]  # (operator, day, template)
SlotTimes = dict[Slot, tuple[datetime, datetime]]
Eligibility = dict[Requirement, list[Key]]


@dataclass
class RosterModel:
    """The CP-SAT model and the variables the planner reads back."""

    model: cp_model.CpModel
    x: dict[Cell, cp_model.IntVar]  # the operator holds this desk in this vacation
    works: dict[WorkKey, cp_model.IntVar]  # the operator works this vacation (at some desk)
    holes: dict[Requirement, cp_model.IntVar]  # places left empty (relaxed model only)
    kept_cells: set[Cell]


def conflict(data: PlanningData, a: Shift, b: Shift) -> bool:
    """Whether one operator may not hold both vacations, decided by the rule checker itself."""
    if b.start < a.start:
        a, b = b, a
    if _pair_violations(data, a, b):
        return True
    return bool(a.day == b.day and _day_violations(data, [a, b]))


def slot_times(data: PlanningData) -> SlotTimes:
    return {(d, t): data.slot_times(d, t) for d in data.days for t in data.templates}


def eligibility(data: PlanningData) -> tuple[Eligibility, dict[Requirement, list[str]]]:
    """For each requirement, the operators who may hold it, and why the others may not."""
    prior_by_op = recent_prior_by_operator(data)
    times = slot_times(data)
    # a previous vacation further away than this cannot clash (rest, overlap, same day)
    reach = timedelta(minutes=max(data.settings.min_daily_rest, data.settings.max_amplitude),
                      days=1)
    last_prior_end = {op: max(p.end for p in shifts) for op, shifts in prior_by_op.items()}
    eligible: Eligibility = {}
    reasons: dict[Requirement, list[str]] = {}
    for (day, tpl, desk), need in data.required.items():
        if need <= 0 or not (data.start_day <= day < data.end_day):
            continue
        start, end = times[(day, tpl)]
        requirement = (day, tpl, desk)
        if _day_violations(data, [Shift("probe", None, desk, tpl, day, start, end)]):
            reasons[requirement] = ["the shift alone breaks the day-work or amplitude rule"]
            eligible[requirement] = []
            continue
        no_break = break_reason(data, Shift("probe", None, desk, tpl, day, start, end))
        if no_break:
            reasons[requirement], eligible[requirement] = [no_break], []
            continue
        ok: list[Key] = []
        absent = unqualified = blocked = 0
        for key, op in data.operators.items():
            if not data.desks[desk].qualifications <= op.qualifications:
                unqualified += 1
                continue
            if any(start < a_end and end > a_start
                   for a_start, a_end, _ in data.absences.get(key, ())):
                absent += 1
                continue
            probe = Shift("probe", key, desk, tpl, day, start, end)
            if last_prior_end.get(key, start - reach) > start - reach and any(
                    p.start < end + reach and p.end + reach > start and conflict(data, p, probe)
                    for p in prior_by_op.get(key, ())):
                blocked += 1
                continue
            ok.append(key)
        eligible[requirement] = ok
        reasons[requirement] = [f"{len(ok)} eligible, {unqualified} unqualified, "
                                f"{absent} absent, {blocked} resting after the "
                                f"previous roster"]
    return eligible, reasons


def build_model(data: PlanningData, kept: list[Shift], eligible: Eligibility,
                allow_holes: bool) -> RosterModel:
    """Variables, coverage and every operator's rest and work rules (variables in a fixed order)."""
    model = cp_model.CpModel()
    kept_cells = {(k.operator, k.desk, k.template, k.day) for k in kept}
    x = _assignment_vars(model, eligible, kept_cells)
    by_work: dict[WorkKey, list[cp_model.IntVar]] = defaultdict(list)
    by_req: dict[Requirement, list[cp_model.IntVar]] = defaultdict(list)
    for (op, desk, tpl, day), var in x.items():
        by_work[(op, day, tpl)].append(var)
        by_req[(day, tpl, desk)].append(var)
    works = _work_vars(model, by_work)
    holes = _coverage(model, data, by_req, kept_cells, allow_holes)
    _operator_rules(model, data, works, kept_cells)
    return RosterModel(model, x, works, holes, kept_cells)


def _prior_by_operator(data: PlanningData) -> dict[Key, list[Shift]]:
    prior_by_op: dict[Key, list[Shift]] = defaultdict(list)
    for shift in data.prior:
        prior_by_op[shift.operator].append(shift)
    return prior_by_op


def _assignment_vars(model: cp_model.CpModel, eligible: Eligibility,
                     kept_cells: set[Cell]) -> dict[Cell, cp_model.IntVar]:
    x: dict[Cell, cp_model.IntVar] = {}
    for (day, tpl, desk), ops in eligible.items():
        for op in ops:
            x[(op, desk, tpl, day)] = model.new_bool_var("")
    for cell in kept_cells:
        if cell not in x:
            x[cell] = model.new_bool_var("")
        model.add(x[cell] == 1)
    return x


def _work_vars(model: cp_model.CpModel, by_work: dict[WorkKey, list[cp_model.IntVar]]
               ) -> dict[WorkKey, cp_model.IntVar]:
    """An explicit boolean per worked vacation, so that rest rules become clauses (fast in SAT)."""
    works: dict[WorkKey, cp_model.IntVar] = {}
    for key, vars_ in by_work.items():
        if len(vars_) == 1:
            works[key] = vars_[0]
        else:
            works[key] = model.new_bool_var("")
            model.add(sum(vars_) == works[key])
    return works


def _coverage(model: cp_model.CpModel, data: PlanningData,
              by_req: dict[Requirement, list[cp_model.IntVar]], kept_cells: set[Cell],
              allow_holes: bool) -> dict[Requirement, cp_model.IntVar]:
    """Each requirement staffed exactly (or, relaxed, with a counted hole)."""
    holes: dict[Requirement, cp_model.IntVar] = {}
    for slot in set(data.required) | set(by_req):
        day, _tpl, _desk = slot
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
    return holes


def _operator_rules(model: cp_model.CpModel, data: PlanningData,
                    works: dict[WorkKey, cp_model.IntVar], kept_cells: set[Cell]) -> None:
    ops_slots: dict[Key, list[Slot]] = defaultdict(list)
    for (op, day, tpl) in works:
        ops_slots[op].append((day, tpl))
    times = slot_times(data)
    kept_by_op: dict[Key, set[Slot]] = defaultdict(set)
    for c in kept_cells:
        kept_by_op[c[0]].add((c[3], c[2]))
    prior_by_op = _prior_by_operator(data)
    pair_cache: dict[tuple[Slot, Slot], bool] = {}
    for op, slots in ops_slots.items():
        slots.sort(key=lambda sl: times[sl][0])
        kept = kept_by_op.get(op, set())
        work = {sl: works[(op, sl[0], sl[1])] for sl in slots}
        _pair_rules(model, data, op, slots, kept, times, work, pair_cache)
        _day_rules(model, data, slots, kept, work)
        for _monday, lo, hi in data.weeks():
            _week_rules(model, data, slots, kept, prior_by_op.get(op, []), times, lo, hi, work)
        rolling_rules(model, data, slots, kept, prior_by_op.get(op, []), times, work)
        average_rules(model, data, slots, kept, prior_by_op.get(op, []), times, work)


def _pair_rules(model: cp_model.CpModel, data: PlanningData, op: Key, slots: list[Slot],
                kept: set[Slot], times: SlotTimes, work: dict[Slot, cp_model.IntVar],
                pair_cache: dict[tuple[Slot, Slot], bool]) -> None:
    """Pairs of vacations this operator may not hold both (slots sorted by start)."""
    min_rest = timedelta(minutes=data.settings.min_daily_rest)
    for i, a in enumerate(slots):
        _a_start, a_end = times[a]
        for b in slots[i + 1:]:
            b_start, _ = times[b]
            if b_start - a_end >= min_rest and a[0] != b[0]:
                break
            key = (a, b)
            if key not in pair_cache:
                pair_cache[key] = conflict(
                    data, Shift(1, op, None, a[1], a[0], *times[a]),
                    Shift(2, op, None, b[1], b[0], *times[b]))
            if pair_cache[key] and not (a in kept and b in kept):
                model.add_bool_or([work[a].negated(), work[b].negated()])


def _day_rules(model: cp_model.CpModel, data: PlanningData, slots: list[Slot], kept: set[Slot],
               work: dict[Slot, cp_model.IntVar]) -> None:
    """Work per day (three short vacations can break it without any pair doing so)."""
    per_day: dict[date, list[Slot]] = defaultdict(list)
    for sl in slots:
        per_day[sl[0]].append(sl)
    for day_slots in per_day.values():
        if len(day_slots) > 2:
            fixed_work = sum(data.templates[t].duration for d, t in day_slots if (d, t) in kept)
            model.add(sum(data.templates[t].duration * work[(d, t)] for d, t in day_slots)
                      <= max(data.settings.max_day_work, fixed_work))


def _week_rules(model: cp_model.CpModel, data: PlanningData, slots: list[Slot], kept: set[Slot],
                prior: list[Shift], times: SlotTimes, lo: datetime, hi: datetime,
                work: dict[Slot, cp_model.IntVar]) -> None:
    s = data.settings
    in_week = [sl for sl in slots if times[sl][0] < hi and times[sl][1] > lo]
    if not in_week:
        return
    prior_work = sum(overlap_minutes(p.start, p.end, lo, hi) for p in prior)
    fixed_work = prior_work + sum(overlap_minutes(times[sl][0], times[sl][1], lo, hi)
                                  for sl in in_week if sl in kept)
    model.add(sum(overlap_minutes(times[sl][0], times[sl][1], lo, hi) * work[sl]
                  for sl in in_week)
              <= max(s.max_week_work - prior_work, fixed_work - prior_work))
    # Weekly rest: one window of `min_weekly_rest` touching the week must stay free. A free
    # interval starts at a vacation end, or began before the week (the window ending just
    # after the week starts stands for that case).
    rest = timedelta(minutes=s.min_weekly_rest)
    starts = {lo - rest + timedelta(minutes=1)}
    starts |= {times[sl][1] for sl in slots if lo - rest < times[sl][1] < hi}
    starts |= {p.end for p in prior if lo - rest < p.end < hi}
    options: list[cp_model.IntVar] = []
    for start in sorted(starts):
        end = start + rest
        if any(p.start < end and p.end > start for p in prior):
            continue
        blocking = [sl for sl in slots if times[sl][0] < end and times[sl][1] > start]
        if any(sl in kept for sl in blocking):
            continue
        r = model.new_bool_var("")
        for sl in blocking:
            model.add_implication(r, work[sl].negated())
        options.append(r)
    if options:
        model.add_bool_or(options)
