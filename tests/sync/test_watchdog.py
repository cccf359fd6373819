"""The status bar tells the truth: the sync loop survives any exception (and says so), Offline
shows as soon as the listener loses the link, and offline writes respect the retry backoff."""
from __future__ import annotations

import threading
import time

from console.models.sync import CentralStore, SyncEngine
from sync.tcp_proxy import CuttableProxy


def _wait(condition, timeout: float = 10.0) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


class Faults:
    """Raises the queued exceptions, one per call, then lets calls through."""

    def __init__(self, *errors: BaseException) -> None:
        self.errors = list(errors)
        self.lock = threading.Lock()

    def maybe_raise(self) -> None:
        with self.lock:
            if self.errors:
                raise self.errors.pop(0)


def test_the_loop_survives_an_exception_at_every_step(central, workstations, monkeypatch):
    ws = workstations("a", safety_poll=0.2)
    engine: SyncEngine = ws.engine
    states: list[dict] = []
    # Exceptions with empty messages (TimeoutError()) killed the thread before: the handler read
    # the first line of an empty message.
    steps = {"push_all": Faults(TimeoutError(), IndexError()),
             "pull_all": Faults(RuntimeError(""), KeyError("x")),
             "_check_restored": Faults(ValueError())}
    for name in ("push_all", "pull_all", "_check_restored"):
        original = getattr(engine, name)

        def wrapped(*a, _o=original, _f=steps[name], **k):  # noqa: ANN001, ANN202
            _f.maybe_raise()
            return _o(*a, **k)
        monkeypatch.setattr(engine, name, wrapped)
    report = engine._report
    calls = {"n": 0}

    def flaky_report(**fields):  # noqa: ANN003, ANN202
        calls["n"] += 1
        if calls["n"] == 4:  # fails inside the error handler's own report
            raise MemoryError("status")
        return report(**fields)
    monkeypatch.setattr(engine, "_report", flaky_report)
    engine.on_status = lambda status: states.append(status.as_dict())
    engine.on_changes = Faults(RuntimeError("a pane failed")).maybe_raise  # type: ignore[assignment]
    thread = engine.start_thread()
    try:
        ws.write("written while the loop was failing")
        # Every injected fault was shown, none ended the thread, and the entry got through.
        # (degraded: it failed within the last minute, so the link is called intermittent)
        assert _wait(lambda: engine.status.pending == 0 and engine.status.error is None
                     and engine.status.state in ("online", "degraded")
                     and not any(f.errors for f in steps.values())), engine.status
        assert thread.is_alive()
        errors = " | ".join(str(s["error"]) for s in states if s["error"])
        assert "TimeoutError" in errors and "KeyError" in errors and "ValueError" in errors
        assert engine.restarts >= 1 and "sync restarted" in errors
        ws.write("after the storm")
        assert _wait(lambda: engine.status.pending == 0)
    finally:
        engine.stop()
        thread.join(timeout=10)
    assert not thread.is_alive()


def test_offline_is_shown_within_two_seconds_of_the_link_going(pg_url, workstations, central):
    proxy = CuttableProxy()
    through = CentralStore(proxy.url_for(pg_url))
    ws = workstations("a", central_store=through, safety_poll=30.0)
    engine = ws.engine
    thread = engine.start_thread()
    try:
        assert _wait(lambda: engine.status.state == "online" and engine.listener.connected, 20)
        time.sleep(0.5)  # idle: no cycle running, the next safety poll is 30 s away
        cut_at = time.monotonic()
        proxy.cut()
        assert _wait(lambda: engine.status.state == "offline", 5), engine.status
        assert time.monotonic() - cut_at < 2.0
        proxy.restore()
        assert _wait(lambda: engine.status.state in ("online", "degraded"), 30), engine.status
    finally:
        engine.stop()
        thread.join(timeout=10)
        through.dispose()
        proxy.close()


def test_offline_writes_wait_for_the_backoff(workstations, monkeypatch):
    from console.models.sync import engine as engine_module

    monkeypatch.setattr(engine_module, "backoff_delay", lambda failures, **_: 30.0)
    dead = CentralStore("postgresql://postgres@127.0.0.1:1/none")
    ws = workstations("a", central_store=dead)
    engine = ws.engine
    cycles = {"n": 0}
    original = engine.sync_once

    def counted():  # noqa: ANN202
        cycles["n"] += 1
        return original()
    engine.sync_once = counted  # type: ignore[method-assign]
    thread = engine.start_thread()
    try:
        assert _wait(lambda: engine.status.state == "offline" and cycles["n"] >= 1)
        before = cycles["n"]  # the loop now waits 30 s before its next attempt
        for n in range(20):
            ws.write(f"offline entry {n}")
            engine.nudge()  # what each local write does
        time.sleep(0.5)
        assert cycles["n"] == before  # twenty writes, no extra attempt on the dead link
        engine.nudge(force=True)  # the operator's "sync now" still goes
        assert _wait(lambda: cycles["n"] > before)
    finally:
        engine.stop()
        thread.join(timeout=10)
        dead.dispose()
