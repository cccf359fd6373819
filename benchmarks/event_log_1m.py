"""Event log at 1,000,000 events: opening the pane, scrolling to the middle, a combined filter.

Each figure is compared, in the same run, with the bare SQL that returns the same rows (the
count and the first screen of the filter, straight through sqlite3). Ends with one JSON line.

    python benchmarks/event_log_1m.py [--events N] [--store PATH] [--update-docs]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from docs_figures import markdown_table, run_stamp, write_section  # noqa: E402

from console.models.demo import STATIONS, TITLES, VENUES  # noqa: E402
from console.models.enums import Category  # noqa: E402
from console.models.eventlog.query import EventFilter  # noqa: E402
from console.models.store import LocalStore  # noqa: E402

SCREEN_ROWS = 40


def fill(path: Path, total: int) -> None:
    LocalStore(path).close()  # schema through the real migrations
    rng = random.Random(7)
    places = [(v[1], v[3], v[4]) for v in VENUES] + STATIONS
    categories = list(Category)
    end = datetime.now(UTC)
    step = timedelta(days=365) / total
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA synchronous=OFF")

    def rows():
        for i in range(total):
            category = rng.choice(categories)
            place, lat, lon = rng.choice(places)
            title = rng.choice(TITLES[category])
            occurred = (end - step * (total - i)).replace(tzinfo=None).isoformat(" ")
            yield (uuid.UUID(int=rng.getrandbits(128)).hex, rng.choice(["CNCS", "PP", "COJOP"]),
                   "bench", occurred, occurred, title, f"{title} - {place}", category.value,
                   rng.randint(1, 4), place, lat, lon, "", 0,
                   rng.choice(["open", "in_progress", "closed", "closed"]), occurred, i)

    connection.executemany(
        "INSERT INTO events (id, centre_code, author, recorded_at, occurred_at, title, description,"
        " category, severity, place, latitude, longitude, source, flagged_for_authorities,"
        " status, last_activity_at, server_seq) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        rows())
    connection.commit()
    connection.execute("ANALYZE")
    connection.close()


def timed(func, repeat: int = 5) -> float:
    """Median wall time in milliseconds (first run included: caches are part of the job)."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def bare_sql(path: Path, where: str, params: tuple, offset: int = 0) -> None:
    connection = sqlite3.connect(path)
    connection.execute(f"SELECT count(*) FROM events WHERE {where}", params).fetchone()
    connection.execute(
        "SELECT pk, id, occurred_at, centre_code, category, severity, status, title, place, author,"
        f" acknowledged_by, latitude, longitude, server_seq, zone_id FROM events WHERE {where}"
        f" ORDER BY occurred_at DESC, pk DESC LIMIT {SCREEN_ROWS} OFFSET {offset}", params).fetchall()
    connection.close()


def figures_markdown(figures: dict) -> str:
    """The figures of one run as the markdown of docs/benchmarks.md (section event_log_1m)."""
    f = figures
    rows = [
        ["first screen (count + 40 rows)", f"{f['first_screen_ms']} ms",
         f"{f['open_bare_sql_ms']} ms", "< 100 ms"],
        ["pane opens and paints its first screen", f"{f['open_pane_ms']} ms", "", ""],
        [f"combined filter (text + categories + severities + 90 days), "
         f"{f['combined_filter_rows']:,} rows", f"{f['combined_filter_ms']} ms",
         f"{f['combined_filter_bare_sql_ms']} ms = {f['filter_ratio']}x", "< 1.5x"],
        [f"scroll to row {f['events'] // 2:,}", f"{f['scroll_to_middle_ms']} ms",
         f"{f['scroll_bare_sql_ms']} ms = {f['scroll_ratio']}x", ""],
    ]
    return "\n\n".join([
        run_stamp("python benchmarks/event_log_1m.py") + f" {f['events']:,} events.",
        markdown_table(["figure", "measured", "bare SQL (baseline)", "target"], rows)])


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--store", type=Path, default=None,
                        help="reuse (or create) this store file instead of a temporary one")
    parser.add_argument("--update-docs", action="store_true",
                        help="write the figures into docs/benchmarks.md (section event_log_1m)")
    return parser.parse_args(argv)


def main() -> int:
    args = parse_args()
    path = args.store or Path(tempfile.mkdtemp()) / "bench.sqlite3"
    if not path.exists():
        start = time.perf_counter()
        fill(path, args.events)
        print(f"filled {args.events:,} events in {time.perf_counter() - start:.1f} s")

    from PySide6.QtWidgets import QApplication

    from console.models.actor import Actor
    from console.views.eventlog.pane import EventLogPane
    from console.views.shell.context import AppContext, ChangeHub

    app = QApplication.instance() or QApplication([])
    store = LocalStore(path)
    context = AppContext(store=store, actor=Actor("bench", "CNCS"), hub=ChangeHub())

    def first_screen(model) -> None:
        for row in range(SCREEN_ROWS):
            for column in range(model.columnCount()):
                model.data(model.index(row, column))

    panes = []

    def open_pane() -> None:
        pane = EventLogPane(context)
        pane.resize(1400, 900)
        pane.show()
        app.processEvents()  # the view paints its first screen
        panes.append(pane)

    open_ms = timed(open_pane, repeat=3)
    pane = panes[-1]
    model = pane.model
    total = model.rowCount()
    open_bare_ms = timed(lambda: bare_sql(path, "1", ()), repeat=3)

    middle = total // 2

    def scroll_middle() -> None:
        model._pages.clear()
        pane.table.scrollTo(model.index(middle, 0))
        app.processEvents()
        for row in range(middle, middle + SCREEN_ROWS):
            model.data(model.index(row, 4))

    scroll_ms = timed(scroll_middle)
    scroll_bare_ms = timed(lambda: bare_sql(path, "1", (), offset=middle))

    since = datetime.now(UTC) - timedelta(days=90)
    flt = EventFilter(text="gare", categories={"transport", "security"}, severities={3, 4},
                      time_from=since)

    def model_filter() -> None:
        model.reload(flt)
        first_screen(model)

    filter_ms = timed(model_filter)
    filtered = model.rowCount()
    where = ("occurred_at >= ? AND category IN ('security','transport') AND severity IN (3,4)"
             " AND pk IN (SELECT rowid FROM events_fts WHERE events_fts MATCH '\"gare\"*')")
    filter_bare_ms = timed(lambda: bare_sql(path, where, (since.replace(tzinfo=None).isoformat(" "),)))

    first_screen_ms = timed(lambda: (model.reload(EventFilter()), first_screen(model)))
    figures = {
        "benchmark": "event_log_1m",
        "events": total,
        "open_pane_ms": round(open_ms, 1),
        "open_bare_sql_ms": round(open_bare_ms, 1),
        "first_screen_ms": round(first_screen_ms, 1),
        "scroll_to_middle_ms": round(scroll_ms, 1),
        "scroll_bare_sql_ms": round(scroll_bare_ms, 1),
        "combined_filter_ms": round(filter_ms, 1),
        "combined_filter_bare_sql_ms": round(filter_bare_ms, 1),
        "combined_filter_rows": filtered,
        "filter_ratio": round(filter_ms / filter_bare_ms, 2),
        "scroll_ratio": round(scroll_ms / scroll_bare_ms, 2),
        "targets": {"filter_ratio_max": 1.5, "first_screen_ms_max": 100},
    }
    for key, value in figures.items():
        if key not in ("benchmark", "targets"):
            print(f"{key:32s} {value}")
    print(json.dumps(figures))
    for pane in panes:
        pane.close()
    if args.update_docs:
        write_section("event_log_1m", figures_markdown(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
