"""The automatic planner: OR-Tools CP-SAT fills a period (or its holes) under every hard rule.

Hard rules come from `rules.py` itself (see `solver_model`). Soft goals (`solver_fairness`):
nights, weekends and French public holidays shared in proportion to each operator's
availability, working hours close to each contract, and (when re-planning) few changes.

A run has two phases: any legal roster first (a greedy construction from `solver_greedy` when the
rule checker accepts it, CP-SAT otherwise), then CP-SAT balances it. When no roster satisfies
the rules, the planner first names the requirements no eligible operator can hold (absent,
unqualified, blocked by the previous roster), then solves a relaxed model that may leave holes
and reports exactly which requirements it had to leave unmet.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from ortools.sat.python import cp_model

from console.models.roster.rules import Key, PlanningData, Shift
from console.models.roster.solver_fairness import french_holidays, objective
from console.models.roster.solver_greedy import greedy_roster, is_legal
from console.models.roster.solver_model import (
    Cell,
    Eligibility,
    Requirement,
    RosterModel,
    Slot,
    build_model,
    eligibility,
)
from console.models.roster.solver_search import (
    Progress,
    ProgressReport,
    Search,
    SolutionCallback,
    Values,
    status_name,
)

__all__ = ["Cell", "Planner", "Progress", "Slot", "SolveResult", "cells_to_shifts",
           "french_holidays", "spread"]

_SOLVED = (cp_model.OPTIMAL, cp_model.FEASIBLE)


@dataclass
class SolveResult:
    status: str  # optimal | feasible | infeasible | stopped | unknown
    cells: list[Cell] = field(default_factory=list)  # the whole roster of the period
    unmet: list[str] = field(default_factory=list)  # requirements that cannot be met
    explanation: list[str] = field(default_factory=list)
    wall_time: float = 0.0
    first_solution_time: float | None = None
    objective: float | None = None
    stats: dict[str, int] = field(default_factory=dict)
    first_cells: list[Cell] = field(default_factory=list)  # phase 1: legal, not yet balanced

    @property
    def ok(self) -> bool:
        return self.status in ("optimal", "feasible", "stopped") and not self.unmet and \
            bool(self.cells or self.status != "stopped")


@dataclass
class _Phase:
    """Where a solver phase ended."""

    code: cp_model.CpSolverStatus
    values: Values | None
    greedy_time: float | None = None  # set when the greedy roster was taken as phase 1


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
        self.greedy_hint = True
        self._search = Search(time_limit, workers, seed)

    @property
    def time_limit(self) -> float:
        return self._search.time_limit

    def stop(self) -> None:
        self._search.stop()

    def solve(self, progress: ProgressReport | None = None) -> SolveResult:
        started = time.perf_counter()
        data = self.data
        eligible, reasons = eligibility(data)
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

    def _describe(self, slot: Requirement) -> str:
        day, tpl, desk = slot
        return (f"{self.data.desks[desk].code} {self.data.templates[tpl].code} "
                f"{day:%a %d/%m}")

    def _run(self, eligible: Eligibility, started: float, progress: ProgressReport | None,
             allow_holes: bool) -> SolveResult:
        built = build_model(self.data, self.kept, eligible, allow_holes)
        fairness = objective(self.data, built, self.existing)
        hole_total = sum(built.holes.values()) if built.holes else 0
        callback = SolutionCallback(started, progress, self._search.stopped)
        first = self._legal_phase(built, eligible, hole_total, callback, started, progress,
                                  allow_holes)
        final = self._fairness_phase(built, fairness, hole_total, callback, started, first)
        return self._result(built, first, final, callback)

    def _legal_phase(self, built: RosterModel, eligible: Eligibility,
                     hole_total: cp_model.LinearExpr | int, callback: SolutionCallback,
                     started: float, progress: ProgressReport | None,
                     allow_holes: bool) -> _Phase:
        """Phase 1: any legal roster (fewest holes), without the fairness objective.

        A greedy construction usually is one: when the rule checker (not the solver) finds it
        complete and legal it is taken as is; otherwise it only hints CP-SAT's phase 1.
        """
        if self.greedy_hint:
            chosen = greedy_roster(self.data, eligible, built.kept_cells)
            if not allow_holes and is_legal(self.data, chosen):
                greedy_time = time.perf_counter() - started
                values = [0] * len(built.model.proto.variables)
                for cell, var in built.x.items():
                    values[var.index] = 1 if cell in chosen else 0
                if progress is not None:
                    progress(Progress(greedy_time, 1, None, None, "greedy roster"))
                return _Phase(cp_model.FEASIBLE, values, greedy_time)
            for cell, var in built.x.items():
                built.model.add_hint(var, 1 if cell in chosen else 0)
        code, found = self._search.phase(built.model, hole_total, callback, started,
                                         share=1.0 if not built.holes else 0.6)
        return _Phase(code, found)

    def _fairness_phase(self, built: RosterModel, fairness: cp_model.LinearExpr | int,
                        hole_total: cp_model.LinearExpr | int, callback: SolutionCallback,
                        started: float, first: _Phase) -> _Phase:
        """Phase 2: balance the legal roster of phase 1, which hints the search."""
        if first.code not in _SOLVED or first.values is None or self._search.stopped.is_set():
            return first
        values: Values = first.values
        model = built.model
        model.proto.clear_solution_hint()  # CpModel.clear_hints is not annotated in OR-Tools
        for var in built.x.values():
            model.add_hint(var, values[var.index])
        if built.holes:
            # never trade a staffed requirement for fairness
            model.add(hole_total <= sum(values[h.index] for h in built.holes.values()))
        code, balanced = self._search.phase(model, fairness, callback, started, share=1.0)
        if code in _SOLVED:
            return _Phase(code, balanced)
        return _Phase(cp_model.FEASIBLE if code == cp_model.UNKNOWN else first.code, values)

    def _result(self, built: RosterModel, first: _Phase, final: _Phase,
                callback: SolutionCallback) -> SolveResult:
        stopped = self._search.stopped.is_set()
        status = status_name(final.code)
        if stopped and status in ("feasible", "unknown"):
            status = "stopped"
        result = SolveResult(status, first_solution_time=first.greedy_time or callback.first)
        if first.values is not None:
            first_values = first.values
            result.first_cells = [c for c, var in built.x.items() if first_values[var.index]]
        result.stats = {"variables": len(built.x), "solutions": callback.solutions}
        if final.values is not None and final.code in _SOLVED:
            values = final.values
            result.objective = callback.last_objective
            result.cells = [cell for cell, var in built.x.items() if values[var.index]]
            for slot, var in sorted(built.holes.items(),
                                    key=lambda kv: (kv[0][0], str(kv[0][1]), str(kv[0][2]))):
                missing = values[var.index]
                if missing:
                    result.unmet.append(f"{self._describe(slot)}: {missing} of "
                                        f"{self.data.required.get(slot, 0)} cannot be staffed")
        elif final.code == cp_model.UNKNOWN and not stopped:
            result.explanation.append(f"no roster found within {self.time_limit:.0f} s")
        return result


def spread(cells: Iterable[Cell], data: PlanningData,
           pred: Callable[[date, Key], bool]) -> tuple[int, int]:
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
