"""The sync loop of one workstation: push the outbox in order, pull the feed, report the link.

Qt-free: `console.views.sync.controller` runs `SyncEngine.run()` in a thread and turns its callbacks into
signals. Tests drive `sync_once()` directly.
"""
from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from console.models.changes import Changes
from console.models.features import register_synced_tables
from console.models.store import LocalStore
from console.models.sync import local, refused
from console.models.sync.central import CentralStore
from console.models.sync.errors import (
    CentralFault,
    ClonedClient,
    SchemaMismatch,
    describe,
    is_transient,
)
from console.models.sync.listeners import ChangeListener

log = logging.getLogger(__name__)


@dataclass
class SyncStatus:
    state: str = "offline"  # online | degraded | offline | fault | embedded
    pending: int = 0
    rejected: int = 0  # refused by the central: kept here until a person settles them
    conflicts: int = 0  # edits that met another's: kept, shown, resolved by hand
    last_sync: datetime | None = None
    progress: tuple[int, int] | None = None
    error: str | None = None
    listening: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"state": self.state, "pending": self.pending, "rejected": self.rejected,
                "conflicts": self.conflicts, "last_sync": self.last_sync,
                "progress": self.progress, "error": self.error, "listening": self.listening}


def backoff_delay(failures: int, *, base: float = 0.5, cap: float = 30.0,
                  rng: random.Random | None = None) -> float:
    """Exponential, capped, with 'equal jitter': hundreds of workstations never retry together."""
    ceiling = min(cap, base * float(2 ** max(0, failures - 1)))
    jitter = rng.uniform(0, ceiling / 2) if rng is not None else random.uniform(0, ceiling / 2)
    return ceiling / 2 + jitter


class SyncEngine:
    """Push, pull and status for one local store against one central database."""

    def __init__(self, store: LocalStore, central: CentralStore, *, username: str,
                 centres: Iterable[str] | None = None, embedded: bool = False,
                 batch_size: int = 500, page_size: int = 2000, safety_poll: float = 30.0,
                 slow_after: float = 2.0,
                 on_status: Callable[[SyncStatus], None] | None = None,
                 on_changes: Callable[[Changes], None] | None = None) -> None:
        register_synced_tables()
        self.store = store
        self.central = central
        self.username = username
        self.centres = list(centres) if centres is not None else None
        self.embedded = embedded
        self.batch_size = batch_size
        self.page_size = page_size
        self.safety_poll = safety_poll
        self.slow_after = slow_after
        self.on_status = on_status
        self.on_changes = on_changes
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.status = SyncStatus(state="offline")
        self._schema_checked = False
        self._last_failure = 0.0
        self._last_prune = 0.0
        self._retry_at = 0.0  # while backing off, local writes wait for this moment
        self.listener: ChangeListener | None = None
        self.restarts = 0  # times the loop survived an internal error
        self.skipped_feed_rows: dict[int, str] = {}  # seq -> reason (malformed, skipped)

    # -- one cycle -----------------------------------------------------------------------------

    def nudge(self, *, force: bool = False) -> None:
        """Something was written locally: sync now, unless the engine is backing off after a
        failure (then the write goes at the next retry; a burst of offline writes must not
        hammer a dead link). `force`: the operator asked, retry now."""
        if force or time.monotonic() >= self._retry_at:
            self.wake.set()

    def on_link_change(self, connected: bool) -> None:
        """The listener lost or regained its link: say so now, then let a cycle confirm."""
        if not connected and not self.embedded and self.status.state != "offline":
            self._report(state="offline", error="lost the link to the central database")
        self.wake.set()

    def sync_once(self) -> Changes:
        """Push everything pending, then pull until caught up. Raises on a link failure."""
        if not self._schema_checked:
            self.central.check_schema()
            self._schema_checked = True
        changes = Changes()
        changes.merge(self._check_restored())
        changes.merge(self.push_all())
        changes.merge(self.pull_all())
        if time.monotonic() - self._last_prune > 3600:
            local.prune_acked(self.store)
            self._last_prune = time.monotonic()
        return changes

    def _check_restored(self) -> Changes:
        seq, change_id, last_ack = local.anchors(self.store)
        if seq is None and last_ack is None:
            return Changes()
        if self.central.still_has(seq, change_id, last_ack):
            return Changes()
        count = local.requeue_acked(self.store)
        log.warning("central database lost changes it had acknowledged (restored from a "
                    "backup?): sending %d retained changes again and pulling from the start",
                    count)
        return Changes(everything=True)

    def push_all(self) -> Changes:
        changes = Changes()
        total = local.pending_count(self.store)
        done = 0
        clones = 0
        while True:
            batch = local.next_batch(self.store, self.batch_size)
            if not batch:
                break
            client_id, token = local.identity(self.store)
            try:
                result = self.central.push(client_id, token, self.username, batch)
            except ClonedClient:
                clones += 1
                if clones > 3:
                    raise
                new_id = local.new_identity(self.store)
                log.warning("workstation identity %s is used by another disk copy: this "
                            "workstation is now %s", client_id, new_id)
                continue
            local.record_acks(self.store, result.acks, result.token)
            done += len(batch)
            total = max(total, done)
            if total > self.batch_size:
                self._report(progress=(done, total))
        if self.status.progress is not None:
            self._report(progress=None)
        return changes

    def discard_refused(self, mutation_ids: Iterable[uuid.UUID], by: str) -> Changes:
        """A supervisor's decision: refused changes are put back as the central has them and
        marked discarded (kept as history). The caller records the decision in the audit trail."""
        chosen = set(mutation_ids)
        by_table: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for change in refused.refused_changes(self.store):
            if change.mutation_id in chosen and change.key:
                record = change.payload.get("row", change.payload)
                by_table.setdefault(change.table, []).append((change.key, record))
        refused.mark_discarded(self.store, chosen, by)
        changes = Changes()
        for table, items in by_table.items():
            rows = self.central.fetch_rows(table, [key for key, _ in items])
            changes.merge(local.restore_rows(self.store, table, rows, items))
        self._report()
        return changes

    def pull_all(self) -> Changes:
        changes = Changes()
        while True:
            page = self.central.pull(local.cursor(self.store), self.page_size, self.centres)
            if not page.changes:
                break
            changes.merge(local.apply_page(self.store, page))
            if page.skipped:
                self.skipped_feed_rows.update(page.skipped)
                log.warning("skipped %d malformed change-feed rows: %s", len(page.skipped),
                            "; ".join(f"#{s} {r}" for s, r in sorted(page.skipped.items())[:5]))
            if len(page.changes) < self.page_size:
                break
        local.mark_synced(self.store)
        return changes

    # -- status --------------------------------------------------------------------------------

    def _report(self, **fields: Any) -> None:
        for name, value in fields.items():
            setattr(self.status, name, value)
        self.status.pending, self.status.rejected, self.status.conflicts = local.status_counts(
            self.store)
        self.status.extra["skipped_feed_rows"] = len(self.skipped_feed_rows)
        self.status.last_sync = local.last_sync(self.store)
        if self.on_status is not None:
            try:
                self.on_status(self.status)
            except Exception:  # noqa: BLE001 - a view must not stop the sync loop
                log.exception("status callback failed")

    def _ok_state(self, elapsed: float) -> str:
        if self.embedded:
            return "embedded"
        listening = self.listener is None or getattr(self.listener, "connected", True)
        intermittent = time.monotonic() - self._last_failure < 60
        if elapsed > self.slow_after or intermittent or not listening:
            return "degraded"
        return "online"

    # -- the loop ------------------------------------------------------------------------------

    def run(self) -> None:
        """Sync until `stop()`: on every wake-up (notification, local write, reconnect), on a
        safety poll, and after failures with capped, jittered exponential backoff.

        Nothing raised inside may end the thread silently: an unexpected error is logged, shown
        in the status bar, and the loop starts again after a pause (the watchdog)."""
        while not self.stopping.is_set():
            try:
                self._loop()
            except BaseException as error:  # noqa: BLE001 - the watchdog: never die silently
                self.restarts += 1
                log.exception("sync loop failed; restarting it")
                self._report_safely(state="offline", progress=None,
                                    error=f"sync restarted after an internal error: "
                                          f"{describe(error)}")
                self.stopping.wait(backoff_delay(min(self.restarts, 6)))
            finally:
                self._stop_listener()

    def _loop(self) -> None:
        listener = self.listener = self.central.listener(self.wake)
        listener.on_change = self.on_link_change
        listener.start()
        failures = 0
        self._report(state="embedded" if self.embedded else "offline")
        while not self.stopping.is_set():
            self.wake.clear()
            started = time.monotonic()
            watchdog = threading.Timer(self.slow_after, self._slow_cycle)
            watchdog.daemon = True
            watchdog.start()
            try:
                changes = self.sync_once()
            except SchemaMismatch as error:
                self._report(state="offline", error=describe(error), progress=None)
                timeout = 300.0
            except Exception as error:  # noqa: BLE001 - classified: retry or report
                failures += 1
                self._last_failure = time.monotonic()
                self._schema_checked = False
                if not is_transient(error):
                    log.exception("sync cycle failed")
                state = "fault" if isinstance(error, CentralFault) else "offline"
                self._report(state=state, error=describe(error), progress=None)
                timeout = backoff_delay(failures)
                self._retry_at = time.monotonic() + timeout
            else:
                failures = 0
                self._retry_at = 0.0
                self._report(state=self._ok_state(time.monotonic() - started),
                             error=self._skipped_notice())
                if changes and self.on_changes is not None:
                    self.on_changes(changes)
                timeout = self._idle_timeout()
            finally:
                watchdog.cancel()
            self.wake.wait(timeout)

    def _skipped_notice(self) -> str | None:
        """Shown in the status bar's tooltip: the central's feed holds rows no client can use."""
        if not self.skipped_feed_rows:
            return None
        last = max(self.skipped_feed_rows)
        return (f"{len(self.skipped_feed_rows)} malformed change-feed row(s) skipped, last #{last}:"
                f" {self.skipped_feed_rows[last]} (tell the central database's administrator)")

    def _idle_timeout(self) -> float:
        listening = getattr(self.listener, "connected", True)
        timeout = self.safety_poll if listening else min(self.safety_poll, 5.0)
        if self.embedded:
            # In-process wake-ups do not cross processes (two demo windows on one data
            # directory): a cheap local poll of the SQLite central covers that.
            timeout = min(timeout, 2.0)
        return timeout

    def _slow_cycle(self) -> None:
        """A cycle still running after `slow_after`: the bar must not keep saying Online."""
        if self.status.state == "online":
            self._report_safely(state="degraded",
                                error="waiting for the central database to answer")

    def _report_safely(self, **fields: Any) -> None:
        try:
            self._report(**fields)
        except Exception:  # noqa: BLE001 - the store itself may be what failed
            for name, value in fields.items():
                setattr(self.status, name, value)
            log.exception("could not read the local store for the status")

    def _stop_listener(self) -> None:
        if self.listener is not None:
            try:
                self.listener.stop()
            except Exception:  # noqa: BLE001
                log.exception("listener did not stop cleanly")

    def start_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, name="console-sync", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self.stopping.set()
        self.wake.set()
