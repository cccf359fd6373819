"""Cost of the audit trail: batched event inserts with and without the audit trigger, and
`audit verify` speed, on a throwaway database of the local PostgreSQL. Ends with one JSON line.

    python benchmarks/security_audit.py [--rows N] [--update-docs]
"""
from __future__ import annotations

import argparse
import json
import os
import time
import uuid
from datetime import UTC, datetime

from docs_figures import markdown_table, run_stamp, write_section
from sqlalchemy import create_engine, text

from console.models.migrations import upgrade_central
from console.models.security import audit, pg

ADMIN = os.environ.get("CONSOLE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
DEFAULT_ROWS = int(os.environ.get("BENCH_ROWS", "5000"))


def rows(n: int) -> list[dict]:
    now = datetime.now(UTC).replace(tzinfo=None)
    return [{"id": uuid.uuid4(), "c": "X", "a": "bench", "now": now, "t": f"event {i}"}
            for i in range(n)]


INSERT = text("INSERT INTO events (id, centre_code, author, recorded_at, occurred_at, title, "
              "description, category, severity, place, source, flagged_for_authorities, status, "
              "last_activity_at) VALUES (:id, :c, :a, :now, :now, :t, '', 'security', 2, '', '', "
              "false, 'open', :now)")


def figures_markdown(result: dict) -> str:
    """The figures of one run as the markdown of docs/benchmarks.md (section security_audit)."""
    r = result
    rows = [
        [f"{r['rows']:,} event inserts in one batch, audit trigger off (baseline)",
         f"{r['insert_bare_s']:.3f} s"],
        ["the same with the audit trigger",
         f"{r['insert_audited_s']:.3f} s (x{r['audit_overhead_ratio']}, "
         f"{r['audited_rows_per_s']:,} audited rows/s)"],
        ["`audit verify`", f"{r['verify_records']:,} records in {r['verify_s']:.3f} s "
                           f"({r['verify_records_per_s']:,} records/s)"],
    ]
    return "\n\n".join([run_stamp("python benchmarks/security_audit.py"),
                         markdown_table(["figure", "measured"], rows)])


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS,
                        help="events inserted in each batch (default: $BENCH_ROWS or 5000)")
    parser.add_argument("--update-docs", action="store_true",
                        help="write the figures into docs/benchmarks.md (section security_audit)")
    return parser.parse_args(argv)


def main() -> None:
    args = parse_args()
    N = args.rows  # the row count the figures speak of
    name = f"console_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(ADMIN.rsplit("/", 1)[0] + "/" + name)
    try:
        upgrade_central(engine)
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE events DISABLE TRIGGER events_audit"))
        start = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(INSERT, rows(N))
        bare = time.perf_counter() - start
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE events ENABLE TRIGGER events_audit"))
        start = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(INSERT, rows(N))
        audited = time.perf_counter() - start
        start = time.perf_counter()
        with engine.connect() as conn:
            verdict = audit.verify(conn)
        verify = time.perf_counter() - start
        assert verdict.ok and verdict.checked >= N
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        pg.drop_console_roles(admin, name)
        admin.dispose()
    print(f"{N} event inserts, one batch: bare {bare:.3f} s, audited {audited:.3f} s "
          f"(x{audited / bare:.2f}, {N / audited:.0f} audited rows/s)")
    print(f"audit verify: {verdict.checked} records in {verify:.3f} s "
          f"({verdict.checked / verify:.0f} records/s)")
    result = {"rows": N, "insert_bare_s": round(bare, 3),
              "insert_audited_s": round(audited, 3),
              "audit_overhead_ratio": round(audited / bare, 2),
              "audited_rows_per_s": round(N / audited),
              "verify_records": verdict.checked, "verify_s": round(verify, 3),
              "verify_records_per_s": round(verdict.checked / verify)}
    print(json.dumps(result))
    if args.update_docs:
        write_section("security_audit", figures_markdown(result))


if __name__ == "__main__":
    main()
