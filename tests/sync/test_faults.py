"""Fault tests: every one ends with each workstation holding exactly the central data."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from console.models.central_tables import ChangeFeedEntry
from console.models.entities import Event, FollowUp
from console.models.migrations import upgrade_central
from console.models.sync import CentralStore, TransientError, local
from console.models.sync.messages import Mutation
from sync.conftest import OTHER, Workstation, assert_converged
from sync.mutable_model import ensure_test_tables
from sync.tcp_proxy import CuttableProxy


def count_events(engine) -> int:  # noqa: ANN001
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(Event))


# -- pull never skips a row committed out of order ---------------------------------------------

def _insert_mutation(title: str) -> Mutation:
    now = datetime.now(UTC).isoformat()
    return Mutation(uuid.uuid4(), "insert:events", {
        "id": str(uuid.uuid4()), "centre_code": "CNCS", "author": "w", "recorded_at": now,
        "occurred_at": now, "title": title, "description": "", "category": "security",
        "severity": 1, "place": "", "source": "", "flagged_for_authorities": False,
        "status": "open", "last_activity_at": now}, 1, "w")


def test_slow_concurrent_writer_cannot_make_a_pull_skip_a_row(central, pg_url):
    slow = CentralStore(pg_url)
    fast = CentralStore(pg_url)
    in_transaction, release = threading.Event(), threading.Event()

    def pause() -> None:
        in_transaction.set()
        release.wait(10)

    slow.before_commit = pause
    slow_thread = threading.Thread(target=lambda: slow.push(
        uuid.uuid4(), None, "w", [_insert_mutation("slow")]))
    slow_thread.start()
    assert in_transaction.wait(10)
    fast_done = threading.Event()
    fast_thread = threading.Thread(target=lambda: (
        fast.push(uuid.uuid4(), None, "w", [_insert_mutation("fast")]), fast_done.set()))
    fast_thread.start()
    time.sleep(0.5)  # the fast writer is now waiting behind the slow one, or committed
    cursor, seen = 0, []
    page = central.pull(cursor)  # a workstation pulls while the slow writer is still open
    seen += [c.values["title"] for c in page.changes]
    if page.changes:
        cursor = page.changes[-1].seq
    release.set()
    slow_thread.join(10)
    fast_thread.join(10)
    assert fast_done.is_set()
    page = central.pull(cursor)
    seen += [c.values["title"] for c in page.changes]
    assert sorted(seen) == ["fast", "slow"]  # nothing skipped, nothing twice
    with central.engine.connect() as conn:
        seqs = conn.scalars(select(ChangeFeedEntry.seq).order_by(ChangeFeedEntry.seq)).all()
    assert seqs == [1, 2]
    slow.dispose()
    fast.dispose()


def test_control_a_plain_sequence_cursor_does_skip_that_row(pg_url):
    """The same schedule against a naive SERIAL feed loses the slow row: the test above is able
    to see the pitfall it guards against."""
    from sqlalchemy import create_engine

    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE naive_feed (seq serial PRIMARY KEY, title text)"))
    slow = engine.connect()
    slow_tx = slow.begin()
    slow.execute(text("INSERT INTO naive_feed (title) VALUES ('slow')"))  # takes seq 1
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO naive_feed (title) VALUES ('fast')"))  # seq 2, committed
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT seq, title FROM naive_feed WHERE seq > 0 ORDER BY seq")
                            ).all()
    cursor = rows[-1].seq
    slow_tx.commit()
    slow.close()
    with engine.connect() as conn:
        later = conn.execute(text("SELECT title FROM naive_feed WHERE seq > :c"),
                             {"c": cursor}).scalars().all()
    assert [r.title for r in rows] == ["fast"] and later == []  # 'slow' is never pulled
    engine.dispose()


# -- the link cut in the middle of a push -------------------------------------------------------

def test_link_cut_in_the_middle_of_a_push(central, pg_url, tmp_path):
    proxy = CuttableProxy()
    through = CentralStore(proxy.url_for(pg_url))
    a = Workstation(tmp_path / "a.sqlite3", through)
    b = Workstation(tmp_path / "b.sqlite3", central, OTHER)
    try:
        for i in range(30):
            a.write(f"cut {i}")
        # 1) cut before the commit: nothing is applied, everything stays pending.
        through.before_commit = proxy.cut
        with pytest.raises(TransientError):
            a.sync()
        assert count_events(central.engine) == 0
        assert local.pending_count(a.store) == 30
        # 2) the commit lands but its answer is lost: the client cannot know, and retries.
        proxy.restore()

        def lose_answer() -> None:
            proxy.swallow_replies = True
            threading.Timer(0.5, proxy.cut).start()

        through.before_commit = lose_answer
        with pytest.raises(TransientError):
            a.sync()
        assert count_events(central.engine) == 30
        assert local.pending_count(a.store) == 30  # not acknowledged as far as a knows
        proxy.restore()
        through.before_commit = None
        a.sync()
        b.sync()
        assert count_events(central.engine) == 30
        assert local.pending_count(a.store) == 0
        assert_converged(central, a, b)
    finally:
        a.close()
        b.close()
        through.dispose()
        proxy.close()


# -- kill -9 in the middle of applying a pull ----------------------------------------------------

KILLED_CHILD = r"""
import sys, time
from console.models.store import LocalStore
from console.models.sync import CentralStore, SyncEngine, local
sys.path.insert(0, sys.argv[3])
from tests.sync.mutable_model import ensure_test_tables
store = LocalStore(sys.argv[1]); ensure_test_tables(store.engine)
original = local._upsert
calls = []
def slow_upsert(session, table, rows):
    original(session, table, rows)
    calls.append(1)
    if len(calls) == 2:
        print("mid-apply", flush=True)
        time.sleep(60)
local._upsert = slow_upsert
SyncEngine(store, CentralStore(sys.argv[2]), username="op.b", page_size=100000).sync_once()
"""


def test_kill_9_in_the_middle_of_applying_a_pull(central, pg_url, workstations, tmp_path):
    a = workstations("a")
    ids = [a.write(f"pull {i}") for i in range(300)]
    for event_id in ids[:50]:
        a.log.add_follow_up(a.actor, event_id, "note", "follow-up")
    a.sync()
    path = tmp_path / "victim.sqlite3"
    child = subprocess.Popen([sys.executable, "-c", KILLED_CHILD, str(path), pg_url, os.getcwd()],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "mid-apply"
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    victim = Workstation(path, central, OTHER)
    try:
        # Nothing of the interrupted page is half there: rows and cursor moved together or not.
        assert local.cursor(victim.store) == 0
        assert count_events(victim.store.engine) == 0
        victim.sync()
        assert_converged(central, a, victim)
    finally:
        victim.close()


# -- the PostgreSQL server restarted --------------------------------------------------------------

@pytest.fixture
def own_cluster():
    from sync.pg_cluster import Cluster

    cluster = Cluster()
    yield cluster
    cluster.destroy()


def test_server_restart(own_cluster, tmp_path):
    central = CentralStore(own_cluster.url)
    upgrade_central(central.engine)
    ensure_test_tables(central.engine)
    a = Workstation(tmp_path / "a.sqlite3", central, safety_poll=0.5)
    b = Workstation(tmp_path / "b.sqlite3", CentralStore(own_cluster.url), OTHER, safety_poll=0.5)
    states: list[str] = []
    b.engine.on_status = lambda status: states.append(status.state)
    runner = b.engine.start_thread()
    try:
        a.write("before restart")
        a.sync()
        own_cluster.stop()
        a.write("during restart")  # the operator keeps working
        with pytest.raises(TransientError):
            a.sync()
        deadline = time.monotonic() + 10
        while "offline" not in states[1:] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "offline" in states[1:]  # b noticed at once
        own_cluster.start()
        a.sync()
        deadline = time.monotonic() + 20
        while count_events(b.store.engine) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert count_events(b.store.engine) == 2
        assert wait_for(lambda: b.engine.listener.connected, 15)  # LISTEN is back too
        assert wait_for(lambda: states[-1] in ("online", "degraded"), 5)
    finally:
        b.engine.stop()
        runner.join(10)
    b.sync()
    assert_converged(central, a, b)
    for ws in (a, b):
        ws.close()
        ws.central.dispose()


# -- a long outage ----------------------------------------------------------------------------------

def queue_events(ws: Workstation, count: int, prefix: str = "queued") -> None:
    """Write `count` events the way the event log does (fact + outbox entry), in one go."""
    from console.models.outbox import enqueue
    from console.models.records import to_record

    now = datetime.now(UTC)
    with ws.store.transaction() as session:
        for i in range(count):
            event = Event(id=uuid.uuid4(), centre_code="CNCS", author=ws.actor.username,
                          recorded_at=now, occurred_at=now, title=f"{prefix} {i}",
                          description="", category="security", severity=1 + i % 4, place="",
                          source="", flagged_for_authorities=False, status="open",
                          last_activity_at=now)
            session.add(event)
            session.flush()
            enqueue(session, "insert:events", to_record(event), ws.actor.username)


@pytest.mark.slow
def test_20000_changes_queued_during_a_long_outage(central, workstations):
    a, b = workstations("a"), workstations("b", OTHER)
    queue_events(a, 20_000)
    progress = []
    a.engine.on_status = lambda status: progress.append(status.progress)
    started = time.monotonic()
    a.sync()
    elapsed = time.monotonic() - started
    reported = [p for p in progress if p]
    assert reported[-1] == (20_000, 20_000) and len(reported) >= 10  # a progress bar, in order
    assert [p[0] for p in reported] == sorted(p[0] for p in reported)
    b.sync()
    assert count_events(central.engine) == 20_000
    assert_converged(central, a, b)
    print(f"20,000 queued changes pushed in {elapsed:.1f} s")


# -- wrong clocks -------------------------------------------------------------------------------------

def test_wrong_or_jumping_clock_does_not_reorder(central, workstations, monkeypatch):
    import console.models.eventlog.log as eventlog

    a, b = workstations("a"), workstations("b", OTHER)
    event_id = a.write("clock test")
    a.sync()
    b.sync()
    b.log.add_follow_up(OTHER, event_id, "status", new_status="in_progress")
    b.sync()
    a.sync()
    # a's clock jumps back a year: its later closing must still win, by central order.
    real = eventlog.utcnow
    monkeypatch.setattr(eventlog, "utcnow", lambda: real() - timedelta(days=365))
    a.log.add_follow_up(a.actor, event_id, "status", new_status="closed")
    monkeypatch.setattr(eventlog, "utcnow", real)
    a.sync()
    b.sync()
    for ws in (a, b):
        with ws.store.session() as session:
            assert session.scalar(select(Event.status).where(Event.id == event_id)) == "closed"
            seqs = session.scalars(select(FollowUp.server_seq).where(
                FollowUp.event_id == event_id).order_by(FollowUp.server_seq)).all()
            assert None not in seqs
    assert_converged(central, a, b)


# -- a cloned workstation ---------------------------------------------------------------------------

def clone_file(source, target) -> None:  # noqa: ANN001
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()


def test_cloned_workstation_gets_its_own_identity(central, workstations, tmp_path):
    a = workstations("a")
    a.write("before the image")
    a.sync()
    a.write("pending in the image")  # copied while still in the outbox
    clone_path = tmp_path / "clone.sqlite3"
    clone_file(a.path, clone_path)
    clone = Workstation(clone_path, central)
    try:
        original_id, _ = local.identity(a.store)
        assert local.identity(clone.store)[0] == original_id
        a.write("original after")
        clone.write("clone after")
        a.sync()
        clone.sync()
        a.sync()
        a.write("original again")
        a.sync()
        clone.sync()
        ids = {local.identity(a.store)[0], local.identity(clone.store)[0]}
        assert len(ids) == 2  # the identities no longer collide
        with central.engine.connect() as conn:
            titles = sorted(conn.scalars(select(Event.title)))
        assert titles == sorted(["before the image", "pending in the image", "original after",
                                 "clone after", "original again"])
        assert_converged(central, a, clone)
    finally:
        clone.close()


# -- the central database restored from a backup ------------------------------------------------------

def test_central_restored_from_backup(central, pg_url, workstations):
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    a, b = workstations("a"), workstations("b", OTHER)
    first = a.write("kept by the backup")
    a.sync()
    b.sync()
    name = make_url(pg_url).database
    backup = f"{name}_backup"
    admin = create_engine(make_url(pg_url).set(database="postgres"), isolation_level="AUTOCOMMIT")

    def copy_database(source: str, target: str) -> None:
        central.engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)'))
            conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"),
                {"d": source})
            conn.execute(text(f'CREATE DATABASE "{target}" TEMPLATE "{source}"'))

    try:
        copy_database(name, backup)  # nightly backup
        lost_a = a.write("lost by the restore (a)")
        a.log.add_follow_up(a.actor, first, "note", "lost note")
        a.sync()
        lost_b = b.write("lost by the restore (b)")
        b.sync()
        a.sync()
        copy_database(backup, name)  # the central is restored from last night's backup
        assert count_events(central.engine) == 1
        a.sync()
        b.sync()
        a.sync()
        with central.engine.connect() as conn:
            ids = set(conn.scalars(select(Event.id)))
        assert ids == {first, lost_a, lost_b}
        assert_converged(central, a, b)
    finally:
        central.engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{backup}" WITH (FORCE)'))
        admin.dispose()


# -- LISTEN/NOTIFY ------------------------------------------------------------------------------------

def wait_for(predicate, timeout: float) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


def test_notification_wakes_the_other_workstation_without_polling(central, pg_url, workstations):
    a = workstations("a")
    b = workstations("b", OTHER, central_store=CentralStore(pg_url), safety_poll=1000)
    runner = b.engine.start_thread()
    try:
        assert wait_for(lambda: b.engine.listener.connected, 10)
        time.sleep(0.2)
        a.write("live")
        a.sync()
        started = time.monotonic()
        assert wait_for(lambda: count_events(b.store.engine) == 1, 5)
        assert time.monotonic() - started < 1.0
        assert b.engine.listener.notifications >= 1
    finally:
        b.engine.stop()
        runner.join(10)
        b.central.dispose()


def test_lost_notification_is_caught_up_on_reconnect(central, pg_url, workstations):
    a = workstations("a")
    b = workstations("b", OTHER, central_store=CentralStore(pg_url), safety_poll=1000)
    runner = b.engine.start_thread()
    assert wait_for(lambda: b.engine.listener.connected, 10)
    with central.engine.connect() as conn:  # the listening connection drops (server side)...
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE application_name = 'console-listen' AND datname = current_database()"))
    a.write("sent while b was not listening")
    a.sync()  # ...so this NOTIFY reaches nobody
    try:
        # No safety poll for 1000 s: only the pull on reconnect can bring the event.
        assert wait_for(lambda: count_events(b.store.engine) == 1, 10)
    finally:
        b.engine.stop()
        runner.join(10)
        b.central.dispose()
    assert_converged(central, a, b)
