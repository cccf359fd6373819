"""The planner's soft goals (its second phase). Lower is better; by weight:

1. the spread of nights, then of weekends: the most held by one operator minus the fewest held
   by another, as two variables bounding every count (a sum of deviations would let the search
   trade one operator's excess against another's shortfall);
2. nights, weekends and public holidays in proportion to each operator's availability;
3. hours close to each contract, and (when re-planning) few changes.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import holidays
from ortools.sat.python import cp_model

from console.models.roster.rules import Key, PlanningData, Shift, overlap_minutes
from console.models.roster.solver_model import RosterModel

SlotPredicate = Callable[[date, Key], bool]  # (day, template) -> counts for this share
# the weight of one night (weekend) of spread: above what any other goal can gain by it;
# nights and weekends are the unsocial times a team compares, so they weigh the same
SPREAD_WEIGHTS = {"nights": 20_000, "weekends": 20_000}
# each operator's worked vacations: (day, template, boolean "works it")
OwnVacations = dict[Key, list[tuple[date, Key, cp_model.IntVar]]]


def french_holidays(days: Iterable[date]) -> set[date]:
    days = list(days)
    if not days:
        return set()
    known = holidays.country_holidays("FR", years=sorted({d.year for d in days}))
    return {d for d in days if d in known}


@dataclass
class Fairness:
    """The objective and the variables that tell its progress."""

    expr: cp_model.LinearExpr | int
    # name -> (most, fewest) held by one operator
    bounds: dict[str, tuple[cp_model.IntVar, cp_model.IntVar]] = field(default_factory=dict)
    # name -> operator -> the variables it counts (the exact spread of a solution, since the
    # bounds may be loose in a solution that is not optimal)
    counted: dict[str, dict[Key, list[cp_model.IntVar]]] = field(default_factory=dict)


def objective(data: PlanningData, built: RosterModel, existing: list[Shift]) -> Fairness:
    """The weighted sum of every soft goal, built on `built.model`."""
    avail = availability(data)
    own: OwnVacations = defaultdict(list)
    for (o, d, t), expr in built.works.items():
        own[o].append((d, t, expr))
    bounds, counted = _spread_bounds(built.model, data, own)
    terms: list[cp_model.LinearExpr | int] = [
        SPREAD_WEIGHTS[name] * (most - fewest) for name, (most, fewest) in bounds.items()]
    terms += _share_terms(built.model, data, own, avail)
    terms += _contract_terms(built.model, data, own, avail)
    # Re-planning: prefer keeping what the shift manager already had.
    previous = {(s.operator, s.desk, s.template, s.day) for s in existing}
    changes = [1 - built.x[c] for c in previous - built.kept_cells if c in built.x]
    if changes:
        terms.append(5 * sum(changes))
    return Fairness(sum(terms), bounds, counted)


def _spread_bounds(model: cp_model.CpModel, data: PlanningData, own: OwnVacations
                   ) -> tuple[dict[str, tuple[cp_model.IntVar, cp_model.IntVar]],
                              dict[str, dict[Key, list[cp_model.IntVar]]]]:
    """Most and fewest nights (weekend vacations) of any operator, as bounding variables."""
    nights = {t for t, info in data.templates.items() if info.is_night}
    kinds: dict[str, SlotPredicate] = {"nights": lambda d, t: t in nights,
                                       "weekends": lambda d, t: d.weekday() >= 5}
    top = 3 * len(data.days) + 1
    bounds = {}
    counted: dict[str, dict[Key, list[cp_model.IntVar]]] = {}
    for name, pred in kinds.items():
        most, fewest = model.new_int_var(0, top, name + "_most"), \
            model.new_int_var(0, top, name + "_fewest")
        counted[name] = {}
        for op in data.operators:
            held = [e for d, t, e in own[op] if pred(d, t)]
            counted[name][op] = held
            count = cp_model.LinearExpr.Sum(held)
            model.add(count <= most)
            model.add(count >= fewest)
        bounds[name] = (most, fewest)
    return bounds, counted


def availability(data: PlanningData) -> dict[Key, int]:
    """How many days each operator is not absent (whole-day approximation)."""
    avail: dict[Key, int] = {}
    for op in data.operators:
        free = 0
        for d in data.days:
            lo = data.local_midnight(d)
            hi = lo + timedelta(days=1)
            absent = sum(overlap_minutes(a, b, lo, hi) for a, b, _ in data.absences.get(op, ()))
            free += absent < 12 * 60
        avail[op] = free
    return avail


def _share_terms(model: cp_model.CpModel, data: PlanningData, own: OwnVacations,
                 avail: dict[Key, int]) -> list[cp_model.LinearExpr | int]:
    """Nights, weekends and public holidays shared in proportion to availability."""
    days = data.days
    holiday_days = french_holidays(days)
    weekend = {d for d in days if d.weekday() >= 5}
    nights = {t for t, info in data.templates.items() if info.is_night}
    total_avail = sum(avail.values()) or 1
    kinds: list[tuple[int, SlotPredicate]] = [(100, lambda d, t: t in nights),
                                              (40, lambda d, t: d in weekend),
                                              (40, lambda d, t: d in holiday_days)]
    terms: list[cp_model.LinearExpr | int] = []
    for weight, pred in kinds:
        need = sum(n for (d, t, _k), n in data.required.items()
                   if data.start_day <= d < data.end_day and pred(d, t))
        if need == 0:
            continue
        worst = model.new_int_var(0, 10 * len(days) * 3, "")
        devs: list[cp_model.IntVar] = []
        for op in data.operators:
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
    return terms


def _contract_terms(model: cp_model.CpModel, data: PlanningData, own: OwnVacations,
                    avail: dict[Key, int]) -> list[cp_model.LinearExpr | int]:
    """Hours close to each contract (in hours, prorated to availability and demand)."""
    days = data.days
    total_minutes = sum(n * data.templates[t].duration for (d, t, _k), n in
                        data.required.items() if data.start_day <= d < data.end_day)
    weight_sum = sum(data.operators[o].contract_minutes * avail[o] for o in data.operators) or 1
    worst_hours = model.new_int_var(0, 24 * len(days), "")
    hour_devs: list[cp_model.IntVar] = []
    for op in data.operators:
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
    return [20 * worst_hours, 2 * sum(hour_devs)]
