"""`console doctor`: the state of the link to the central database and of the local queue."""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from console.cli.commands import Subparsers


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "doctor", help="report the link to the central database and the queue of changes",
        description="Checks the local cache(s), the queue of changes waiting or refused, and the "
                    "central database: reachable, schema, change feed, LISTEN/NOTIFY round trip.")
    parser.add_argument("--local", metavar="FILE", action="append",
                        help="local cache to inspect (default: every cache of the data directory)")
    parser.add_argument("--no-network", action="store_true", help="skip the central checks")
    parser.set_defaults(handler=run)


def queue_checks(path: Path) -> tuple[list[Check], int]:
    """What waits in one local cache, what was refused, how far behind its pull is."""
    from sqlalchemy import func, select

    from console.models.local_tables import OutboxEntry
    from console.models.store import LocalStore
    from console.models.sync import local

    store = LocalStore(path)
    try:
        with store.session() as session:
            client_id = local.get_state(session, local.CLIENT_ID) or "(never synced)"
        pending = local.pending_count(store)
        refused = local.rejected_entries(store)
        with store.session() as session:
            oldest = session.scalar(select(func.min(OutboxEntry.created_at))
                                    .where(OutboxEntry.state == "pending"))
        last = local.last_sync(store)
        checks = [
            Check("identity", True, f"{path.name}: workstation {client_id}"),
            # Waiting is normal while offline; only refused changes are a fault.
            Check("queue", True,
                  f"{pending} change(s) waiting" + (f", oldest written {oldest:%Y-%m-%d %H:%M} UTC"
                                                    if oldest else "")),
            Check("refused", not refused, f"{len(refused)} change(s) refused by the central "
                  "database" + "".join(f"\n    - {e.kind} {e.mutation_id}: {e.last_error}"
                                       for e in refused[:10])),
            Check("last sync", last is not None,
                  f"{last:%Y-%m-%d %H:%M:%S} UTC" if last else "never"),
            Check("pull cursor", True, f"at feed seq {local.cursor(store)}"),
        ]
        return checks, local.cursor(store)
    finally:
        store.close()


def link_checks(url: str, cursors: list[int]) -> list[Check]:
    """Reachability, schema, feed position and the LISTEN/NOTIFY round trip of the central."""
    from console.models.security.credentials import get_password
    from console.models.sync.central import CentralStore
    from console.models.sync.messages import NOTIFY_CHANNEL

    checks: list[Check] = []
    central = CentralStore(url, password=get_password(url))
    try:
        started = time.perf_counter()
        try:
            top = central.max_seq()
        except Exception as error:  # noqa: BLE001
            return [Check("central", False, f"unreachable: {str(error).splitlines()[0]}")]
        checks.append(Check("central", True, f"{central.engine.url.render_as_string()} answered "
                            f"in {(time.perf_counter() - started) * 1000:.0f} ms; feed at {top}"))
        try:
            central.check_schema()
            checks.append(Check("schema", True, "compatible with this console"))
        except Exception as error:  # noqa: BLE001
            checks.append(Check("schema", False, str(error)))
        for cursor in cursors:
            if cursor > top:
                checks.append(Check("behind", False, f"a cache has pulled up to {cursor} but the "
                                    f"feed ends at {top}: a restored or different central "
                                    "database; the next sync re-sends and pulls again"))
            else:
                checks.append(Check("behind", top - cursor < 10_000,
                                    f"a cache is {top - cursor} change(s) behind the feed"))
        if central.dialect == "postgresql":
            import psycopg

            dsn = central.url.set(drivername="postgresql").render_as_string(hide_password=False)
            try:
                with psycopg.connect(dsn, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    started = time.perf_counter()
                    conn.execute("SELECT pg_notify(%s, 'doctor')", (NOTIFY_CHANNEL,))
                    heard = any(True for _ in conn.notifies(timeout=2, stop_after=1))
                    checks.append(Check("notify", heard, "LISTEN/NOTIFY round trip "
                                        f"{(time.perf_counter() - started) * 1000:.0f} ms"
                                        if heard else "no notification heard within 2 s "
                                        "(a pooler in transaction mode? workstations fall back "
                                        "to polling)"))
            except Exception as error:  # noqa: BLE001
                checks.append(Check("notify", False, str(error).splitlines()[0]))
        else:
            checks.append(Check("notify", True, "embedded central: in-process wake-ups"))
    finally:
        central.dispose()
    return checks


def run(args: argparse.Namespace) -> int:
    import os

    from console.cli import doctor_checks
    from console.config import data_dir, embedded_central_path

    paths = [Path(p) for p in args.local] if args.local else sorted(data_dir().glob("local*.sqlite3"))
    explicit = getattr(args, "central", None)
    # Configuration, keyring (insecure backends fail), local store integrity, tile cache.
    checks: list[Check | doctor_checks.Check] = list(
        doctor_checks.workstation_checks(explicit, paths))
    cursors = []
    for path in paths:
        found, cursor = queue_checks(path)
        checks += found
        cursors.append(cursor)
    if not paths:
        checks.append(Check("local cache", True, f"none yet in {data_dir()}"))
    if not args.no_network:
        url = getattr(args, "central", None) or os.environ.get("CONSOLE_CENTRAL")
        if not url and embedded_central_path().exists():
            url = f"sqlite:///{embedded_central_path()}"
        if url:
            checks += link_checks(url, cursors)
            checks += doctor_checks.security_checks(url)  # trust auth, sslmode < verify-full
        else:
            checks.append(Check("central", False, "no central configured (--central URL)"))
    for check in checks:
        if isinstance(check, doctor_checks.Check):
            print(check.line())
        else:
            print(f"[{'ok' if check.ok else 'FAIL'}] {check.name}: {check.detail}")
    failed = [c for c in checks if not c.ok]
    print("all good" if not failed else f"{len(failed)} problem(s)", file=sys.stdout)
    return 1 if failed else 0
