"""Benchmark: a situation report (PDF + HTML) over the 7 days of the demo scenario; target < 5 s.

Baseline, measured in the same run on the same store: reading every event of the period once as
full rows (iter_events), the floor of any report that looks at each event.
Usage: python benchmarks/report_7days.py [--runs N] [--update-docs]. Ends with one JSON line.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CONSOLE_DATA_DIR", tempfile.mkdtemp(prefix="bench-report-"))

from docs_figures import markdown_table, run_stamp, write_section  # noqa: E402

TARGET_S = 5.0


def figures_markdown(result: dict) -> str:
    """The figures of one run as the markdown of docs/benchmarks.md (section report_7days)."""
    r = result
    steps = ", ".join(f"{step} {seconds:.2f} s" for step, seconds in r["timings_last_run"].items())
    rows = [
        [f"situation report, {r['events']:,} events, {r['pages']} pages, PDF + HTML: median of "
         f"{len(r['runs'])}", f"{r['median_s']:.2f} s", f"< {r['target_s']:g} s"],
        ["baseline: reading every event of the period once",
         f"{r['baseline_read_all_events_s']:.2f} s (report = {r['ratio_to_baseline']}x)", ""],
        ["steps of the last run", steps, ""],
    ]
    return "\n\n".join([run_stamp("python benchmarks/report_7days.py"),
                         markdown_table(["figure", "measured", "target"], rows)])


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--update-docs", action="store_true",
                        help="write the figures into docs/benchmarks.md (section report_7days)")
    return parser.parse_args(argv)


def main() -> int:
    args = parse_args()

    from console.models.base import utcnow
    from console.models.demo import seed_demo
    from console.models.eventlog.query import EventFilter, iter_events
    from console.models.reports.data import ReportRequest
    from console.models.store import LocalStore
    from console.views.reports.builder import build_report, ensure_application

    ensure_application()
    folder = Path(tempfile.mkdtemp(prefix="bench-report-"))
    store = LocalStore(folder / "local.sqlite3")
    end = utcnow()
    started = time.perf_counter()
    with store.transaction() as session:
        events = seed_demo(session, end=end)
    print(f"seeded {events} events in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    start = end - timedelta(days=7)

    baseline = []
    for _ in range(args.runs):
        t = time.perf_counter()
        with store.session() as session:
            read = sum(1 for _ in iter_events(session, EventFilter(time_from=start, time_to=end)))
        baseline.append(time.perf_counter() - t)

    runs, result = [], None
    for index in range(args.runs):
        request = ReportRequest(time_from=start, time_to=end, author="benchmark")
        t = time.perf_counter()
        result = build_report(store, request, folder / f"week{index}.pdf",
                              folder / f"week{index}.html", now=end)
        runs.append(time.perf_counter() - t)
        print(f"run {index + 1}: {runs[-1]:.2f} s, {result.pages} pages, steps {result.timings}",
              file=sys.stderr)
    assert result is not None
    median = statistics.median(runs)
    base = statistics.median(baseline)
    print(f"report over 7 days: median {median:.2f} s (target < {TARGET_S:.0f} s); "
          f"baseline read of {read} events: {base:.2f} s")
    store.close()
    figures = {
        "benchmark": "report_7days", "events": read, "pages": result.pages,
        "runs": [round(r, 3) for r in runs], "median_s": round(median, 3),
        "target_s": TARGET_S, "baseline_read_all_events_s": round(base, 3),
        "ratio_to_baseline": round(median / base, 2) if base else None,
        "pdf_bytes": (folder / "week0.pdf").stat().st_size, "timings_last_run": result.timings,
        "ok": median < TARGET_S}
    print(json.dumps(figures))
    if args.update_docs:
        write_section("report_7days", figures_markdown(figures))
    return 0 if median < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
