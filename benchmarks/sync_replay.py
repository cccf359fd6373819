"""Sync benchmarks, one run: replaying 20,000 queued changes into the central PostgreSQL against a
bare batched INSERT of the same rows, and the write->arrival delay between two workstations
(LISTEN/NOTIFY). Prints figures, ends with one JSON line.

Usage: python benchmarks/sync_replay.py [--changes 20000] [--samples 100] [--update-docs]
Needs the PostgreSQL of the development set-up (CONSOLE_TEST_PG, default 127.0.0.1:5432).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from docs_figures import markdown_table, run_stamp, write_section  # noqa: E402

from console.models.actor import Actor  # noqa: E402
from console.models.entities import Event  # noqa: E402
from console.models.eventlog.log import EventLog  # noqa: E402
from console.models.migrations import upgrade_central  # noqa: E402
from console.models.outbox import enqueue  # noqa: E402
from console.models.records import from_record, to_record  # noqa: E402
from console.models.store import LocalStore  # noqa: E402
from console.models.sync import CentralStore, SyncEngine  # noqa: E402
from console.models.validation import EventDraft  # noqa: E402

ADMIN = os.environ.get("CONSOLE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


class Database:
    def __init__(self, admin) -> None:  # noqa: ANN001
        self.admin = admin
        self.name = f"console_bench_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        self.url = make_url(ADMIN).set(database=self.name).render_as_string(hide_password=False)

    def drop(self) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))


def queue(store: LocalStore, count: int) -> list[dict]:
    now = datetime.now(UTC)
    records = []
    with store.transaction() as session:
        for i in range(count):
            event = Event(id=uuid.uuid4(), centre_code="CNCS", author="bench", recorded_at=now,
                          occurred_at=now, title=f"queued event {i}",
                          description="crowd movement towards the north gate, units informed",
                          category="crowd", severity=1 + i % 4, place="Porte de la Chapelle",
                          source="radio", flagged_for_authorities=False, status="open",
                          last_activity_at=now, latitude=48.9, longitude=2.36)
            session.add(event)
            session.flush()
            record = to_record(event)
            enqueue(session, "insert:events", record, "bench")
            records.append(record)
    return records


def replay(admin, workdir: Path, count: int) -> dict:  # noqa: ANN001
    bare_db, sync_db = Database(admin), Database(admin)
    try:
        for db in (bare_db, sync_db):
            engine = create_engine(db.url)
            upgrade_central(engine)
            engine.dispose()
        store = LocalStore(workdir / "outage.sqlite3")
        records = queue(store, count)
        # Baseline: the same rows, a bare batched INSERT (executemany of 500 rows per commit, the
        # statement form the sync engine uses too).
        bare = create_engine(bare_db.url)
        rows = [from_record(Event, r) for r in records]
        started = time.perf_counter()
        for start in range(0, len(rows), 500):
            with bare.begin() as conn:
                conn.execute(insert(Event), rows[start:start + 500])
        bare_s = time.perf_counter() - started
        bare.dispose()
        # Replay through the sync engine: idempotency records, feed, acks written back locally.
        central = CentralStore(sync_db.url)
        engine = SyncEngine(store, central, username="bench", batch_size=500)
        central.check_schema()
        started = time.perf_counter()
        engine.push_all()
        replay_s = time.perf_counter() - started
        with central.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM events")).scalar() == count
        central.dispose()
        store.close()
        return {"changes": count, "bare_insert_s": round(bare_s, 3),
                "replay_s": round(replay_s, 3), "ratio": round(replay_s / bare_s, 2)}
    finally:
        bare_db.drop()
        sync_db.drop()


def latency(admin, workdir: Path, samples: int) -> dict:  # noqa: ANN001
    db = Database(admin)
    try:
        central_a, central_b = CentralStore(db.url), CentralStore(db.url)
        upgrade_central(central_a.engine)
        a_store, b_store = LocalStore(workdir / "a.sqlite3"), LocalStore(workdir / "b.sqlite3")
        arrived: dict[uuid.UUID, float] = {}
        lock = threading.Condition()

        def on_changes(changes) -> None:  # noqa: ANN001
            now = time.perf_counter()
            with lock:
                for event_id in changes.new_events:
                    arrived.setdefault(event_id, now)
                lock.notify_all()

        a = SyncEngine(a_store, central_a, username="a", safety_poll=1000)
        b = SyncEngine(b_store, central_b, username="b", safety_poll=1000, on_changes=on_changes)
        threads = [a.start_thread(), b.start_thread()]
        deadline = time.monotonic() + 10
        while not (a.listener and a.listener.connected and b.listener and b.listener.connected):
            if time.monotonic() > deadline:
                raise RuntimeError("listeners did not connect")
            time.sleep(0.05)
        time.sleep(0.3)
        log = EventLog(a_store)
        actor = Actor(username="a", centre_code="CNCS")
        delays = []
        for i in range(samples):
            written = time.perf_counter()
            event, _ = log.create_event(actor, EventDraft(
                title=f"latency {i}", category="security", severity=2,
                occurred_at=datetime.now(UTC)))
            a.nudge()  # what the hub does for a local write in the app
            event_id = event.id
            with lock:
                lock.wait_for(lambda: event_id in arrived, timeout=10)  # noqa: B023
                delays.append((arrived[event_id] - written) * 1000)
            time.sleep(0.05)
        for engine in (a, b):
            engine.stop()
        for thread in threads:
            thread.join(10)
        central_a.dispose()
        central_b.dispose()
        delays.sort()
        return {"samples": samples, "p50_ms": round(statistics.median(delays), 1),
                "p95_ms": round(delays[int(0.95 * (len(delays) - 1))], 1),
                "max_ms": round(delays[-1], 1),
                "notifications": b.listener.notifications if b.listener else 0}
    finally:
        db.drop()


def figures_markdown(result: dict) -> str:
    """The figures of one run as the markdown of docs/benchmarks.md (section sync_replay)."""
    r = result
    headers = [f"replay {r['replay_changes']:,} queued", "bare batched INSERT, same rows",
               "ratio", "NOTIFY p50", "p95", "max"]
    row = [f"{r['replay_replay_s']:.2f} s", f"{r['replay_bare_insert_s']:.2f} s",
           f"{r['replay_ratio']:.2f}x", f"{r['latency_p50_ms']:g} ms",
           f"{r['latency_p95_ms']:g} ms", f"{r['latency_max_ms']:g} ms"]
    return "\n\n".join([
        run_stamp("python benchmarks/sync_replay.py")
        + f" Write->arrival over {r['latency_samples']} writes.",
        markdown_table(headers, [row]),
        f"Targets: replay within 2x (met: {'yes' if r['replay_within_2x'] else 'no'}), "
        f"write->arrival p95 < 250 ms (met: {'yes' if r['latency_p95_ok'] else 'no'})."])


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--changes", type=int, default=20_000)
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--update-docs", action="store_true",
                        help="write the figures into docs/benchmarks.md (section sync_replay)")
    return parser.parse_args(argv)


def main() -> int:
    args = parse_args()
    admin = create_engine(ADMIN, isolation_level="AUTOCOMMIT")
    with tempfile.TemporaryDirectory() as tmp:
        replayed = replay(admin, Path(tmp), args.changes)
        print(f"replay of {replayed['changes']} queued changes: {replayed['replay_s']:.2f} s; "
              f"bare batched INSERT of the same rows: {replayed['bare_insert_s']:.2f} s; "
              f"ratio {replayed['ratio']:.2f}x (target <= 2x)")
        delays = latency(admin, Path(tmp), args.samples)
        print(f"write->arrival between two workstations over LISTEN/NOTIFY ({delays['samples']} "
              f"writes): p50 {delays['p50_ms']} ms, p95 {delays['p95_ms']} ms, max "
              f"{delays['max_ms']} ms (target p95 < 250 ms)")
    admin.dispose()
    result = {"benchmark": "sync", **{f"replay_{k}": v for k, v in replayed.items()},
              **{f"latency_{k}": v for k, v in delays.items()},
              "replay_within_2x": replayed["ratio"] <= 2.0, "latency_p95_ok": delays["p95_ms"] < 250}
    print(json.dumps(result))
    if args.update_docs:
        write_section("sync_replay", figures_markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
