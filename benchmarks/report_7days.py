"""Benchmark: a situation report (PDF + HTML) over the 7 days of the demo scenario; target < 5 s.

Baseline, measured in the same run on the same store: reading every event of the period once as
full rows (iter_events), the floor of any report that looks at each event.
Usage: python benchmarks/report_7days.py [--runs N]. Ends with one JSON line.
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

TARGET_S = 5.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

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
    print(json.dumps({
        "benchmark": "report_7days", "events": read, "pages": result.pages,
        "runs": [round(r, 3) for r in runs], "median_s": round(median, 3),
        "target_s": TARGET_S, "baseline_read_all_events_s": round(base, 3),
        "ratio_to_baseline": round(median / base, 2) if base else None,
        "pdf_bytes": (folder / "week0.pdf").stat().st_size, "timings_last_run": result.timings,
        "ok": median < TARGET_S}))
    return 0 if median < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
