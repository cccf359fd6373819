"""Running CP-SAT for the planner: one phase at a time, stoppable from another thread."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ortools.sat.python import cp_model

# values of every model variable, by variable index
Values = list[int]
T = TypeVar("T")


# name -> operator -> the variables counted (see solver_fairness.Fairness.counted)
Counted = dict[str, dict[Any, list[cp_model.IntVar]]]


@dataclass
class Progress:
    """One better roster found: when, and how fair (the spreads the shift manager sees)."""

    elapsed: float
    solutions: int
    objective: float | None
    bound: float | None
    message: str = ""
    spreads: dict[str, int] = field(default_factory=dict)  # "nights", "weekends": max - min


ProgressReport = Callable[[Progress], None]


class SolutionCallback(cp_model.CpSolverSolutionCallback):
    """Counts solutions, reports each one and stops the search once asked to."""

    def __init__(self, started: float, report: ProgressReport | None,
                 stop: threading.Event | None) -> None:
        super().__init__()
        self.started = started
        self.report = report
        self.stop = stop
        self.solutions = 0
        self.first: float | None = None
        self.last_objective: float | None = None
        self.counted: Counted = {}  # set once the fairness objective exists
        self.message = ""

    def on_solution_callback(self) -> None:
        self.solutions += 1
        elapsed = time.perf_counter() - self.started
        if self.first is None:
            self.first = elapsed
        self.last_objective = self.objective_value
        if self.report is not None:
            spreads = {}
            for name, per_op in self.counted.items():
                counts = [sum(self.value(v) for v in held) for held in per_op.values()] or [0]
                spreads[name] = max(counts) - min(counts)
            self.report(Progress(elapsed, self.solutions, self.objective_value,
                                 self.best_objective_bound, self.message, spreads))
        if self.stop is not None and self.stop.is_set():
            self.stop_search()


class Search:
    """The solver runs of one planning run; `stop()` may be called from another thread."""

    def __init__(self, time_limit: float, workers: int, seed: int) -> None:
        self.time_limit = time_limit
        self.workers = workers
        self.seed = seed
        self.stopped = threading.Event()
        self._solver: cp_model.CpSolver | None = None
        self._lock = threading.Lock()

    def stop(self) -> None:
        self.stopped.set()
        with self._lock:
            if self._solver is not None:
                self._solver.stop_search()

    def complete_hint(self, model: cp_model.CpModel, fixed: dict[int, int],
                      seconds: float) -> Values | None:
        """Values of every variable for a roster given by its assignment variables (index ->
        value), the auxiliary ones at their best, so that CP-SAT starts from exactly it."""
        probe = model.clone()
        probe.proto.clear_solution_hint()
        for index, value in fixed.items():
            domain = probe.proto.variables[index].domain
            domain.clear()
            domain.extend([value, value])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = max(0.05, seconds)
        code = self._solve(solver, probe, None)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        return list(solver.response_proto.solution)

    def _solve(self, solver: cp_model.CpSolver, model: cp_model.CpModel,
               callback: SolutionCallback | None) -> cp_model.CpSolverStatus:
        """One stoppable CP-SAT run: `stop()` reaches the solver while it runs."""
        with self._lock:
            if self.stopped.is_set():
                return cp_model.UNKNOWN
            self._solver = solver
        try:
            return solver.solve(model, callback)
        finally:
            with self._lock:
                self._solver = None

    def phase(self, model: cp_model.CpModel, objective: cp_model.LinearExpr | int,
              callback: SolutionCallback, started: float, share: float,
              presolve: bool = True, floor: float = 0.5
              ) -> tuple[cp_model.CpSolverStatus, Values | None]:
        """Solve with `objective` for `share` of the remaining time; values by variable index.

        `presolve=False` when a complete hint is given: on a loaded two-core machine the
        presolve of a 60-operator month took seconds before the hint was even looked at."""
        # the proto calls: CpModel.clear_objective is not annotated in OR-Tools
        model.proto.clear_objective()
        model.proto.clear_floating_point_objective()
        model.minimize(objective)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = self.workers
        remaining = self.time_limit - (time.perf_counter() - started)
        solver.parameters.max_time_in_seconds = max(floor, remaining * share)
        solver.parameters.random_seed = self.seed
        solver.parameters.cp_model_presolve = presolve
        code = self._solve(solver, model, callback)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return code, None
        return code, list(solver.response_proto.solution)


def unless_stopped(work: Callable[[], T], deadline: float, stopped: threading.Event) -> T | None:
    """`work()` on a helper thread; None as soon as `stopped` is set or the deadline passes
    (the work then finishes unseen). Building the model is plain Python that cannot be
    interrupted: seconds for 200 operators on a loaded machine, too long to keep Stop waiting
    when a legal roster is already at hand."""
    box: list[T] = []
    failure: list[BaseException] = []
    done = threading.Event()

    def run() -> None:
        try:
            box.append(work())
        except BaseException as exc:  # noqa: BLE001 - raised again on the caller's thread
            failure.append(exc)
        finally:
            done.set()

    threading.Thread(target=run, name="roster-model", daemon=True).start()
    while not done.wait(0.05):
        if stopped.is_set() or time.perf_counter() >= deadline:
            return None
    if failure:
        raise failure[0]
    return box[0]


def set_hint(model: cp_model.CpModel, values: Values) -> None:
    model.proto.clear_solution_hint()
    model.proto.solution_hint.vars.extend(range(len(values)))
    model.proto.solution_hint.values.extend(values)


def status_name(code: cp_model.CpSolverStatus) -> str:
    names: dict[cp_model.CpSolverStatus, str] = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible",
            cp_model.INFEASIBLE: "infeasible", cp_model.MODEL_INVALID: "invalid"}
    return names.get(code, "unknown")
