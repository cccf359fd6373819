"""Benchmark of the CP-SAT planner: time to a roster with no hole and no broken rule, night fairness.

60 operators, 6 desks, 3 vacations a day, 28 days, 2 operators per desk and vacation,
qualifications, 8% absences (2 workers); then 200 operators on the same demand. The baseline
measured in the same run is the first legal roster (phase 1, no fairness objective): its night
spread shows what the fairness phase buys. Both rosters are verified by the rule checker,
independently of the solver. Ends with one JSON line.

    python benchmarks/roster_solver.py [TIME_LIMIT] [--update-docs]
"""
from __future__ import annotations

import argparse
import json
import sys
import time

from docs_figures import markdown_table, run_stamp, write_section

from console.models.roster.generate import generate_instance
from console.models.roster.rules import broken, check
from console.models.roster.solver import Planner, cells_to_shifts, spread


def run(operators: int, time_limit: float) -> dict:
    data = generate_instance(operators=operators, desks=6, days=28, per_desk=2,
                             absence_rate=0.08, seed=1)
    started = time.perf_counter()
    result = Planner(data, time_limit=time_limit, workers=2).solve()
    wall = time.perf_counter() - started
    violations = broken(check(data, cells_to_shifts(data, result.cells)))
    nights = {t for t, info in data.templates.items() if info.is_night}
    lo, hi = spread(result.cells, data, lambda d, t: t in nights)
    wlo, whi = spread(result.cells, data, lambda d, t: d.weekday() >= 5)
    # baseline of the same run: the first legal roster, before the fairness phase
    blo, bhi = spread(result.first_cells, data, lambda d, t: t in nights)
    first_broken = len(broken(check(data, cells_to_shifts(data, result.first_cells))))
    row = {
        "operators": operators, "status": result.status,
        "first_legal_roster_s": round(result.first_solution_time or -1, 2),
        "wall_s": round(wall, 2), "assignments": len(result.cells),
        "broken_rules": len(violations), "night_min": lo, "night_max": hi,
        "night_spread": hi - lo, "weekend_spread": whi - wlo,
        "baseline_first_roster_night_spread": bhi - blo,
        "baseline_first_roster_broken_rules": first_broken,
    }
    print(f"{operators} operators: {row}", flush=True)
    return row


def figures_markdown(result: dict) -> str:
    """The figures of one run as the markdown of docs/benchmarks.md (section roster_solver)."""
    rows = [[f"{r['operators']} operators", r["status"], f"{r['first_legal_roster_s']} s",
             f"{r['wall_s']} s", r["assignments"], r["broken_rules"], r["night_spread"],
             r["baseline_first_roster_night_spread"], r["weekend_spread"]]
            for r in (result["op60"], result["op200"])]
    headers = ["instance", "status", "first legal roster", "wall time", "assignments",
               "broken rules", "night spread", "night spread of the first roster (baseline)",
               "weekend spread"]
    return "\n\n".join([
        run_stamp("python benchmarks/roster_solver.py"),
        markdown_table(headers, rows),
        f"Target: a legal roster for 60 operators in < {result['target_s']} s; "
        f"met in this run: {'yes' if result['meets_target'] else 'no'}."])


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("time_limit", nargs="?", type=float, default=9.0,
                        help="solver budget in seconds for the 60-operator instance (default 9)")
    parser.add_argument("--update-docs", action="store_true",
                        help="write the figures into docs/benchmarks.md (section roster_solver)")
    return parser.parse_args(argv)


def main() -> int:
    args = parse_args()
    small = run(60, args.time_limit)
    large = run(200, 25.0)
    ok = small["broken_rules"] == 0 and small["status"] in ("optimal", "feasible") \
        and small["wall_s"] < 10
    result = {"benchmark": "roster_solver", "target_s": 10, "meets_target": ok,
              "op60": small, "op200": large}
    print(json.dumps(result))
    if args.update_docs:
        write_section("roster_solver", figures_markdown(result))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
