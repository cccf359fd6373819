"""Benchmark: importing a CSV file of 10,000 lines from another log; target < 5 s.

The import is the real one (`console.models.exchange.operations.import_csv`: every line read
and checked, then the events, their outbox entries and the full-text index written in one
transaction, zones tagged) on a fresh local store, with a progress callback. **Floor**, measured
in the same run on the same machine: the same bytes read by the bare `csv` module, then the
same rows written by a bare `executemany` INSERT into a SQLite table of the same columns with
no index, trigger or outbox, in one transaction of a file opened with the store's pragmas.
Also measured on a sample: the per-line path the import used before (one transaction per
event, as a typed entry), extrapolated to the file.

    python benchmarks/csv_import.py [--lines 10000] [--runs 3] [--sample 300] [--update-docs]

Ends with one JSON line.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from docs_figures import markdown_table, run_stamp, write_section  # noqa: E402

TARGET_S = 5.0
COLUMNS = ("id", "centre_code", "author", "recorded_at", "occurred_at", "title", "description",
           "category", "severity", "place", "latitude", "longitude", "source", "zone_id",
           "venue_code", "origin", "flagged_for_authorities", "status", "last_activity_at")


def make_csv(lines: int) -> bytes:
    """A French export of another log: Date and Heure columns, decimal commas, some values
    quoted over several lines, like what a spreadsheet writes; categories by their French label."""
    from console.models.enums import Category, label

    categories = [label(category, "fr") for category in Category]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Numéro", "Titre", "Catégorie", "Gravité", "Date", "Heure", "Lieu",
                     "Latitude", "Longitude", "Description"])
    for i in range(lines):
        description = f"Signalement {i} : " + "foule dense près de l'entrée, " * 3
        if i % 10 == 0:
            description += "\nsuite sur une deuxième ligne"
        writer.writerow([f"PC-{i}", f"Événement {i} gare du Nord",
                         categories[i % len(categories)],
                         1 + i % 4, f"{1 + i % 28:02d}/{1 + i % 12:02d}/2025",
                         f"{i % 24:02d}h{i % 60:02d}", f"Secteur {i % 40}",
                         f"48,{8700 + i % 300}", f"2,{3300 + i % 300}", description])
    return out.getvalue().encode("utf-8-sig")


def fresh_store(folder: Path, name: str):  # noqa: ANN201 - LocalStore, imported late
    from console.models.actor import Actor
    from console.models.demo import seed_reference
    from console.models.eventlog.log import EventLog
    from console.models.store import LocalStore

    store = LocalStore(folder / f"{name}.sqlite3")
    with store.transaction() as session:
        seed_reference(session)
    actor = Actor(username="demo.operator", centre_code="CNCS", display_name="Benchmark")
    eventlog = EventLog(store)
    for k in range(5):  # perimeters to tag the events with
        eventlog.create_zone(actor, f"Zone {k}", "circle",
                             {"type": "Point", "coordinates": [2.33 + k * 0.01, 48.87]},
                             radius_m=800)
    return store, eventlog, actor


def floor(data: bytes, rows: list[dict], folder: Path, name: str) -> float:
    """Bare csv parse of the bytes + bare executemany of the rows, one transaction."""
    connection = sqlite3.connect(folder / f"{name}.sqlite3", isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "cache_size=-65536"):
        connection.execute(f"PRAGMA {pragma}")
    connection.execute(f"CREATE TABLE events ({', '.join(COLUMNS)})")
    insert = f"INSERT INTO events VALUES ({', '.join('?' * len(COLUMNS))})"
    values = [tuple(row[c] for c in COLUMNS) for row in rows]
    started = time.perf_counter()
    parsed = sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""),
                                       delimiter=";"))
    connection.execute("BEGIN")
    connection.executemany(insert, values)
    connection.execute("COMMIT")
    elapsed = time.perf_counter() - started
    assert parsed == len(rows) + 1
    connection.close()
    return elapsed


def stored_rows(store) -> list[dict]:  # noqa: ANN001
    """The imported events as the values a bare INSERT would write (text, as SQLite keeps)."""
    with sqlite3.connect(store.path) as connection:
        cursor = connection.execute(f"SELECT {', '.join(COLUMNS)} FROM events ORDER BY pk")
        return [dict(zip(COLUMNS, row, strict=True)) for row in cursor]


def per_line_path(data: bytes, sample: int, folder: Path) -> float:
    """The import as it was: one create_event transaction per line, for `sample` lines."""
    from console.models.exchange.csvimport import preview_csv
    from console.models.exchange.importing import import_items

    store, eventlog, actor = fresh_store(folder, "per-line")
    preview = preview_csv(data, "bench")
    items = [line.item for line in preview.accepted[:sample]]
    started = time.perf_counter()
    import_items(eventlog, actor, items)
    elapsed = time.perf_counter() - started
    store.close()
    return elapsed


def figures_markdown(r: dict) -> str:
    rows = [
        [f"import of {r['lines']:,} lines (read, check, write, one transaction): median of "
         f"{len(r['runs_s'])}", f"{r['median_s']:.2f} s ({r['lines_per_s']:,} lines/s)",
         f"< {r['target_s']:g} s"],
        ["CPU time of the import process (what the machine's load does not stretch)",
         f"{r['cpu_s']:.2f} s", ""],
        ["of which reading and checking / writing",
         f"{r['read_s']:.2f} s / {r['write_s']:.2f} s", ""],
        ["floor: bare csv parse + bare executemany INSERT (no index, trigger or outbox)",
         f"{r['floor_s']:.3f} s (import = {r['ratio_to_floor']}x)", ""],
        [f"the per-line path of before (one transaction per event), {r['sample']} lines "
         "extrapolated", f"{r['per_line_extrapolated_s']:.0f} s", ""],
        ["progress callbacks during one import", f"{r['progress_calls']}", ""],
        ["load average of the machine (1 min) before / after",
         " / ".join(f"{load:g}" for load in r["load_average"]), ""],
    ]
    return "\n\n".join([run_stamp("python benchmarks/csv_import.py"),
                        markdown_table(["figure", "measured", "target"], rows)])


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sample", type=int, default=300,
                        help="lines imported by the per-line path (0: skip it)")
    parser.add_argument("--update-docs", action="store_true",
                        help="write the figures into docs/benchmarks.md (section csv_import)")
    return parser.parse_args(argv)


def main() -> int:
    args = parse_args()
    from console.models.exchange.csvimport import preview_csv
    from console.models.exchange.csvwrite import write_lines
    from console.models.exchange.operations import import_csv

    folder = Path(tempfile.mkdtemp(prefix="bench-csv-"))
    data = make_csv(args.lines)
    runs, cpus, reads, writes, floors, calls = [], [], [], [], [], 0
    load_before = os.getloadavg()[0]
    for index in range(args.runs):
        store, eventlog, actor = fresh_store(folder, f"run{index}")
        fractions: list[float] = []
        started, cpu = time.perf_counter(), time.process_time()
        _, report = import_csv(eventlog, actor, data, "bench",
                               progress=lambda fraction, _text, seen=fractions: seen.append(fraction))
        runs.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
        assert len(report.created) == args.lines and not report.refused, report.summary()
        calls = len(fractions)
        rows = stored_rows(store)
        store.close()
        # The two steps apart, on another fresh store.
        store, eventlog, actor = fresh_store(folder, f"steps{index}")
        started = time.perf_counter()
        preview = preview_csv(data, "bench")
        reads.append(time.perf_counter() - started)
        started = time.perf_counter()
        write_lines(eventlog, actor, preview)
        writes.append(time.perf_counter() - started)
        store.close()
        floors.append(floor(data, rows, folder, f"floor{index}"))
        print(f"run {index + 1}: import {runs[-1]:.2f} s, CPU {cpus[-1]:.2f} s (read "
              f"{reads[-1]:.2f} s, write "
              f"{writes[-1]:.2f} s), floor {floors[-1]:.3f} s", file=sys.stderr)
    per_line = per_line_path(data, args.sample, folder) if args.sample else 0.0
    median, base = statistics.median(runs), statistics.median(floors)
    extrapolated = per_line / args.sample * args.lines if args.sample else 0.0
    print(f"CSV import of {args.lines:,} lines: median {median:.2f} s, CPU "
          f"{statistics.median(cpus):.2f} s "
          f"({args.lines / median:,.0f} lines/s; target < {TARGET_S:g} s); floor {base:.3f} s "
          f"= {median / base:.1f}x; per-line path extrapolated {extrapolated:.0f} s")
    figures = {
        "benchmark": "csv_import", "lines": args.lines, "bytes": len(data),
        "runs_s": [round(r, 3) for r in runs], "median_s": round(median, 3),
        "cpu_s": round(statistics.median(cpus), 3),
        "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "lines_per_s": round(args.lines / median), "target_s": TARGET_S,
        "read_s": round(statistics.median(reads), 3),
        "write_s": round(statistics.median(writes), 3),
        "floor_s": round(base, 4), "ratio_to_floor": round(median / base, 1),
        "sample": args.sample, "per_line_sample_s": round(per_line, 3),
        "per_line_extrapolated_s": round(extrapolated, 1), "progress_calls": calls,
        "ok": median < TARGET_S}
    print(json.dumps(figures))
    if args.update_docs:
        write_section("csv_import", figures_markdown(figures))
    return 0 if median < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
