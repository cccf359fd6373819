"""The automatic planner: OR-Tools CP-SAT fills a period (or its holes) under every hard rule.

Hard rules come from `rules.py` itself (see `solver_model`). Soft goals (`solver_fairness`):
nights, weekends and French public holidays shared in proportion to each operator's
availability, working hours close to each contract, and (when re-planning) few changes.

A run has three steps: any legal roster first (a construction on rotation cycles from
`solver_greedy` when the rule checker accepts it, CP-SAT otherwise); then moves approved by the
rule checker even out nights and weekends (`solver_balance`); then CP-SAT, started from exactly
that roster, minimises the spreads and the other goals for the time left. Each better roster is
reported with its spreads; `stop()` ends the run with the best legal roster so far. When no roster satisfies
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
from console.models.roster.solver_balance import Balancer, spreads
from console.models.roster.solver_fairness import Fairness, french_holidays, objective
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
    set_hint,
    status_name,
    unless_stopped,
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
        self.balance = True  # even out the first roster by checked moves before CP-SAT
        self._reported = 0.0
        self._search = Search(time_limit, workers, seed)

    @property
    def time_limit(self) -> float:
        return self._search.time_limit

    def stop(self) -> None:
        """Stop as soon as possible; `solve` then returns the best legal roster found so far."""
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
        """A legal roster, evened out by checked moves, then balanced further by CP-SAT."""
        kept = {(k.operator, k.desk, k.template, k.day) for k in self.kept}
        chosen = greedy_roster(self.data, eligible, kept) if self.greedy_hint else None
        if chosen is not None and not allow_holes and not is_legal(self.data, chosen):
            # the cycles left places empty (a tight team): staff them by checked additions
            chosen = Balancer(self.data, set(chosen), kept, eligible).fill_holes(
                self._search.stopped.is_set)
        first = _Phase(cp_model.UNKNOWN, None)
        first_cells: set[Cell] = set()
        best: set[Cell] | None = None
        if chosen is not None and not allow_holes and is_legal(self.data, chosen):
            first = _Phase(cp_model.FEASIBLE, None, time.perf_counter() - started)
            first_cells = set(chosen)
            self._report(progress, started, 1, "first roster", chosen, force=True)
            best = self._balanced(first_cells, kept, eligible, started, progress)
            # CP-SAT only if its model is ready with a second left to use it
            ready = unless_stopped(lambda: self._model(eligible, allow_holes),
                                   started + self.time_limit - 1.0, self._search.stopped)
            if ready is None:
                return self._without_model(best, first, first_cells, started)
            built, fairness = ready
        else:
            built, fairness = self._model(eligible, allow_holes)
        hole_total = sum(built.holes.values()) if built.holes else 0
        callback = SolutionCallback(started, progress, self._search.stopped)
        callback.counted = fairness.counted
        if best is None:
            if chosen is not None:
                for cell, var in built.x.items():
                    built.model.add_hint(var, 1 if cell in chosen else 0)
            callback.message = "first roster"
            code, found = self._search.phase(built.model, hole_total, callback, started,
                                             share=1.0 if not built.holes else 0.6)
            first = _Phase(code, found)
            if code not in _SOLVED or found is None:
                return self._result(built, first, first, set(), callback)
            first_cells = {c for c, var in built.x.items() if found[var.index]}
            best = first_cells if allow_holes else \
                self._balanced(first_cells, kept, eligible, started, progress)
        final = self._fairness_phase(built, fairness, hole_total, callback, started, best)
        return self._result(built, first, final, first_cells, callback, best)

    def _model(self, eligible: Eligibility, allow_holes: bool) -> tuple[RosterModel, Fairness]:
        built = build_model(self.data, self.kept, eligible, allow_holes)
        return built, objective(self.data, built, self.existing)

    def _left(self, started: float) -> float:
        return self.time_limit - (time.perf_counter() - started)

    def _without_model(self, best: set[Cell], first: _Phase, first_cells: set[Cell],
                       started: float) -> SolveResult:
        """The balanced roster as the result, when stopped or when CP-SAT has no time left."""
        status = "stopped" if self._search.stopped.is_set() else "feasible"
        result = SolveResult(status, sorted(best, key=str), first_solution_time=first.greedy_time,
                             first_cells=sorted(first_cells, key=str))
        result.stats = {"variables": 0, "solutions": 0}
        result.wall_time = time.perf_counter() - started
        return result

    def _balanced(self, cells: set[Cell], kept: set[Cell], eligible: Eligibility,
                  started: float, progress: ProgressReport | None) -> set[Cell]:
        """The first roster evened out by moves the rule checker approves (`solver_balance`),
        within half the time left; kept only if the whole roster still passes the checker."""
        if not self.balance or self._search.stopped.is_set():
            return cells
        balancer = Balancer(self.data, set(cells), kept, eligible)
        remaining = self.time_limit - (time.perf_counter() - started)
        moves = [0]

        def improved(now: set[Cell]) -> None:
            moves[0] += 1
            self._report(progress, started, 1 + moves[0], "balancing", now)

        balanced = balancer.run(time.perf_counter() + remaining / 2,
                                self._search.stopped.is_set, improved)
        if not moves[0] or not is_legal(self.data, balanced):
            return cells
        self._report(progress, started, 1 + moves[0], "balancing", balanced, force=True)
        return balanced

    def _report(self, progress: ProgressReport | None, started: float, count: int,
                message: str, cells: set[Cell], force: bool = False) -> None:
        """Progress of the steps before CP-SAT, at most every 0.2 s unless forced."""
        now = time.perf_counter()
        if progress is None or (not force and now - self._reported < 0.2):
            return
        self._reported = now
        found = spreads(self.data, cells)
        progress(Progress(now - started, count, None, None, message,
                          {k: found[k] for k in ("nights", "weekends")}))

    def _fairness_phase(self, built: RosterModel, fairness: Fairness,
                        hole_total: cp_model.LinearExpr | int, callback: SolutionCallback,
                        started: float, best: set[Cell]) -> _Phase:
        """CP-SAT balances further, starting from exactly the best roster so far."""
        model = built.model
        fixed = {var.index: int(cell in best) for cell, var in built.x.items()}
        if built.holes:
            # never trade a staffed requirement for fairness
            model.add(hole_total <= sum(self.data.required.get(slot, 0) for slot in built.holes)
                      - sum(1 for c in best if (c[3], c[2], c[1]) in built.holes))
        if self._search.stopped.is_set() or self._left(started) < 1.0:
            return _Phase(cp_model.FEASIBLE, None)
        model.proto.clear_objective()
        model.minimize(fairness.expr)
        remaining = self.time_limit - (time.perf_counter() - started)
        values = self._search.complete_hint(model, fixed, remaining / 4)
        if values is not None:
            set_hint(model, values)
        callback.message = "balancing"
        code, balanced = self._search.phase(model, fairness.expr, callback, started, share=1.0,
                                            presolve=values is None, floor=0.05)
        if code in _SOLVED:
            return _Phase(code, balanced)
        return _Phase(cp_model.FEASIBLE, None)

    def _result(self, built: RosterModel, first: _Phase, final: _Phase, first_cells: set[Cell],
                callback: SolutionCallback, best: set[Cell] | None = None) -> SolveResult:
        """From CP-SAT's last solution, or (without one) the best roster found before it."""
        stopped = self._search.stopped.is_set()
        status = status_name(final.code)
        if stopped and status in ("feasible", "unknown"):
            status = "stopped"
        result = SolveResult(status, first_solution_time=first.greedy_time or callback.first)
        result.first_cells = sorted(first_cells, key=str)
        result.stats = {"variables": len(built.x), "solutions": callback.solutions}
        cells: set[Cell] | None = None
        if final.values is not None and final.code in _SOLVED:
            values = final.values
            result.objective = callback.last_objective
            cells = {cell for cell, var in built.x.items() if values[var.index]}
        elif best is not None and final.code in _SOLVED:
            cells = best
        if cells is not None:
            result.cells = sorted(cells, key=str)
            self._name_holes(result, built, cells)
        elif final.code == cp_model.UNKNOWN and not stopped:
            result.explanation.append(f"no roster found within {self.time_limit:.0f} s")
        return result

    def _name_holes(self, result: SolveResult, built: RosterModel, cells: set[Cell]) -> None:
        staffed: dict[Requirement, int] = {}
        for c in cells:
            staffed[(c[3], c[2], c[1])] = staffed.get((c[3], c[2], c[1]), 0) + 1
        for slot in sorted(built.holes, key=lambda k: (k[0], str(k[1]), str(k[2]))):
            need = self.data.required.get(slot, 0)
            missing = need - staffed.get(slot, 0)
            if missing > 0:
                result.unmet.append(f"{self._describe(slot)}: {missing} of {need} "
                                    "cannot be staffed")


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
