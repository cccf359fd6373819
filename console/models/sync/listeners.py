"""Wake-ups when the central change feed may have grown: LISTEN on PostgreSQL, or in-process
for the embedded central. A wake-up carries no data; the engine pulls."""
from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable

from console.models.sync.messages import NOTIFY_CHANNEL

# -- embedded central: in-process wake-ups ---------------------------------------------------------

_LOCAL_LISTENERS: dict[str, weakref.WeakSet[_WakeHandle]] = {}
_LOCAL_LOCK = threading.Lock()


def wake_local(key: str) -> None:
    """A push to the embedded central at `key` wakes every listener of that file."""
    with _LOCAL_LOCK:
        waiters = list(_LOCAL_LISTENERS.get(key, ()))
    for waiter in waiters:
        waiter.set()


class ChangeListener:
    """Sets `wake` on a change notification; `connected` says whether it can hear them."""

    connected = False
    # Told at once when the link is lost or back (the engine shows Offline within a second or
    # two instead of at its next cycle).
    on_change: Callable[[bool], None] | None = None

    def _set_connected(self, connected: bool) -> None:
        changed = connected != self.connected
        self.connected = connected
        if changed and self.on_change is not None:
            try:
                self.on_change(connected)
            except Exception:  # noqa: BLE001 - a listener thread must not die of a callback
                pass

    def start(self) -> None: ...

    def stop(self) -> None: ...


class _WakeHandle:
    """A weakly referenced holder of the event, so a forgotten listener unregisters itself."""

    def __init__(self, event_: threading.Event) -> None:
        self.event = event_

    def set(self) -> None:
        self.event.set()


class LocalListener(ChangeListener):
    """Embedded central: pushes in this process wake every listener of the same file."""

    def __init__(self, key: str, wake: threading.Event) -> None:
        self.key = key  # the embedded central's resolved file path
        self.handle = _WakeHandle(wake)

    def start(self) -> None:
        with _LOCAL_LOCK:
            _LOCAL_LISTENERS.setdefault(self.key, weakref.WeakSet()).add(self.handle)
        self.connected = True
        self.handle.set()

    def stop(self) -> None:
        with _LOCAL_LOCK:
            _LOCAL_LISTENERS.get(self.key, weakref.WeakSet()).discard(self.handle)
        self.connected = False


class PgListener(ChangeListener):
    """LISTEN on an autocommit psycopg connection in a thread; a notification is only a wake-up.

    Notifications sent while this connection was down are lost by design, so every (re)connect
    also sets `wake`: the engine pulls and catches up.
    """

    def __init__(self, dsn: str, wake: threading.Event, *,
                 poll: float = 0.5, heartbeat: float = 10.0) -> None:
        self.dsn = dsn
        self.wake = wake
        self.poll = poll
        self.heartbeat = heartbeat
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.connected = False
        self.notifications = 0

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="console-listen", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        import psycopg

        delay = 0.5
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.dsn, autocommit=True, connect_timeout=5,
                                     keepalives=1, keepalives_idle=5, keepalives_interval=2,
                                     keepalives_count=3, application_name="console-listen"
                                     ) as conn:
                    conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    self._set_connected(True)
                    delay = 0.5
                    self.wake.set()  # anything missed while disconnected: pull now
                    beat = time.monotonic()
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=self.poll):
                            self.notifications += 1
                            self.wake.set()
                        if time.monotonic() - beat > self.heartbeat:
                            conn.execute("SELECT 1")  # a dead link raises here
                            beat = time.monotonic()
            except Exception:  # noqa: BLE001 - any failure means: reconnect with backoff
                pass
            self._set_connected(False)
            self._stop.wait(delay)
            delay = min(delay * 2, 5.0)
