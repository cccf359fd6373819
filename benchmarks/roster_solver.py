"""Benchmark of the planner: a roster with no hole and no broken rule, and how fair it gets, when.

60 operators, 6 desks, 3 shifts a day, 28 days, 2 operators per desk and shift (1,008
places), qualifications, 8% absences, 2 workers: one run with a 5 s budget (the target: night
and weekend spreads <= 2 within 5 s) and one with 10 s that prints the spreads reached at 1, 2,
5 and 10 s; then 200 operators on the same demand with 30 s. Every final roster is verified by
the rule checker, independently of the planner, and the spreads are recounted from its cells.
**Baseline**, same run: the first legal roster (before any balancing), its time and spreads;
the ratio is the time to the fair roster over the time to that first roster. The load average
is printed because the machine may be shared. Ends with one JSON line.

    python benchmarks/roster_solver.py [--update-docs]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

from docs_figures import markdown_table, run_stamp, write_section

from console.models.roster.generate import generate_instance
from console.models.roster.rules import PlanningData, broken, check
from console.models.roster.solver import Cell, Planner, Progress, cells_to_shifts, spread

TARGET_SPREAD = 2
CHECKPOINTS = (1.0, 2.0, 5.0, 10.0, 30.0)


def spreads(data: PlanningData, cells: list[Cell]) -> tuple[int, int]:
    """(night spread, weekend spread) recounted from the cells, not from the planner."""
    nights = {t for t, info in data.templates.items() if info.is_night}
    lo, hi = spread(cells, data, lambda d, t: t in nights)
    wlo, whi = spread(cells, data, lambda d, t: d.weekday() >= 5)
    return hi - lo, whi - wlo


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run(operators: int, time_limit: float) -> dict:
    data = generate_instance(operators=operators, desks=6, days=28, per_desk=2,
                             absence_rate=0.08, seed=1)
    timeline: list[Progress] = []
    load_before = load()
    started = time.perf_counter()
    result = Planner(data, time_limit=time_limit, workers=2).solve(timeline.append)
    wall = time.perf_counter() - started
    violations = broken(check(data, cells_to_shifts(data, result.cells)))
    night, weekend = spreads(data, result.cells)
    first_night, first_weekend = spreads(data, result.first_cells)
    holes = sum(data.required.values()) - len(result.cells)
    fair_at = next((p.elapsed for p in timeline if p.spreads and
                    max(p.spreads.values()) <= TARGET_SPREAD), None)
    reached = {}
    for t in CHECKPOINTS:
        if t <= time_limit + 0.5:
            best = [p for p in timeline if p.elapsed <= t and p.spreads]
            reached[f"{t:g}s"] = [best[-1].spreads["nights"], best[-1].spreads["weekends"]] \
                if best else None
    first = result.first_solution_time or 0.0
    row = {
        "operators": operators, "budget_s": time_limit, "status": result.status,
        "wall_s": round(wall, 2), "assignments": len(result.cells), "holes": holes,
        "broken_rules": len(violations), "night_spread": night, "weekend_spread": weekend,
        "fair_at_s": round(fair_at, 2) if fair_at is not None else None,
        "spreads_at": reached,  # [night, weekend] of the best roster found by then
        "baseline_first_roster_s": round(first, 2),
        "baseline_first_roster_spreads": [first_night, first_weekend],
        "ratio_fair_over_first": round(fair_at / first, 2) if fair_at and first else None,
        "load_before": load_before, "load_after": load(),
    }
    row["meets_target"] = (holes == 0 and not violations and night <= TARGET_SPREAD
                           and weekend <= TARGET_SPREAD and wall <= time_limit + 1.0)
    print(f"{operators} operators, {time_limit:g} s budget: {row}", flush=True)
    for p in timeline:
        print(f"    {p.elapsed:6.2f} s  {p.message:<13} nights {p.spreads.get('nights')}  "
              f"weekends {p.spreads.get('weekends')}  objective {p.objective}", flush=True)
    return row


def figures_markdown(result: dict) -> str:
    """The figures of one run as the markdown of docs/benchmarks.md (section roster_solver)."""
    def at(r: dict, t: str) -> str:
        v = r["spreads_at"].get(t)
        return f"{v[0]} / {v[1]}" if v else "-"
    rows = [[f"{r['operators']} operators, {r['budget_s']:g} s", r["status"],
             f"{r['baseline_first_roster_s']} s",
             "{} / {}".format(*r["baseline_first_roster_spreads"]),
             at(r, "1s"), at(r, "2s"), at(r, "5s"), at(r, "10s"), at(r, "30s"),
             f"{r['night_spread']} / {r['weekend_spread']}",
             f"{r['fair_at_s']} s" if r["fair_at_s"] is not None else "never",
             r["ratio_fair_over_first"], f"{r['holes']} / {r['broken_rules']}",
             "yes" if r["meets_target"] else "no", r["load_before"]]
            for r in result["runs"]]
    headers = ["run", "status", "first legal roster (baseline)", "its spreads night / weekend",
               "at 1 s", "at 2 s", "at 5 s", "at 10 s", "at 30 s", "final", "spreads <= 2 at",
               "ratio to baseline", "holes / broken rules", "target met", "load average"]
    return "\n\n".join([
        run_stamp("python benchmarks/roster_solver.py"),
        markdown_table(headers, rows),
        f"Target: no hole, no broken rule, night and weekend spreads <= {TARGET_SPREAD} within "
        f"5 s for 60 operators and 30 s for 200; met in this run: "
        f"{'yes' if result['meets_target'] else 'no'}."])


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--update-docs", action="store_true",
                        help="write the figures into docs/benchmarks.md (section roster_solver)")
    return parser.parse_args(argv)


def main() -> int:
    args = parse_args()
    runs = [run(60, 5.0), run(60, 10.0), run(200, 30.0)]
    ok = runs[0]["meets_target"] and runs[2]["meets_target"]
    result = {"benchmark": "roster_solver", "meets_target": ok, "runs": runs}
    print(json.dumps(result))
    if args.update_docs:
        write_section("roster_solver", figures_markdown(result))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
