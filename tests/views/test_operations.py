"""The operation runner: results and Changes come back on the GUI thread, errors in one place,
writes one at a time, reads beside them, progress and cancellation of long operations."""
from __future__ import annotations

import logging
import threading
import time

import pytest
from PySide6.QtCore import QObject, QTimer

from console.models.changes import Changes
from console.models.outbox import NotAllowed
from console.models.validation import ValidationError
from console.views.shell.context import ChangeHub
from console.views.shell.operations import OperationCancelled, OperationRunner


@pytest.fixture
def hub(qapp) -> ChangeHub:
    return ChangeHub()


@pytest.fixture
def ops(hub) -> OperationRunner:
    runner = OperationRunner(hub)
    yield runner
    runner.wait(5000)


def settle(qtbot, ops: OperationRunner) -> None:
    qtbot.waitUntil(ops.is_idle, timeout=5000)


def test_write_publishes_its_changes_once_with_the_initiator_then_calls_on_done(qtbot, hub, ops):
    gui_thread = threading.get_ident()
    pane = QObject()
    seen: list = []
    hub.changed.connect(lambda changes, initiator: seen.append(("published", changes, initiator)))
    worker_threads: list = []
    changes = Changes(roster=True)

    def write():
        worker_threads.append(threading.get_ident())
        return "row", changes

    def done(result):
        seen.append(("done", result, threading.get_ident()))

    ops.write(write, initiator=pane, on_done=done)
    assert not ops.is_idle()
    settle(qtbot, ops)
    assert worker_threads and worker_threads[0] != gui_thread  # fn ran off the GUI thread
    assert seen == [("published", changes, pane), ("done", "row", gui_thread)]


def test_empty_changes_are_not_published(qtbot, hub, ops):
    published: list = []
    hub.changed.connect(lambda *args: published.append(args))
    results: list = []
    ops.write(lambda: (1, Changes()), initiator=None, on_done=results.append)
    settle(qtbot, ops)
    assert results == [1] and published == []


def test_read_returns_its_result_and_publishes_nothing(qtbot, hub, ops):
    published: list = []
    hub.changed.connect(lambda *args: published.append(args))
    with qtbot.waitSignal(ops.idle, timeout=5000):
        ops.read(lambda: 6 * 7, on_done=published.append)
    assert published == [42]


def test_an_exception_reaches_on_error_and_the_gui_thread_keeps_working(qtbot, hub, ops):
    errors: list = []
    done: list = []

    def broken():
        raise RuntimeError("disk on fire")

    ops.write(broken, initiator=None, on_done=done.append, on_error=errors.append)
    settle(qtbot, ops)
    assert done == [] and len(errors) == 1 and str(errors[0]) == "disk on fire"
    ticks: list = []
    QTimer.singleShot(0, lambda: ticks.append(1))  # the event loop still runs
    ops.read(lambda: "still reading", on_done=done.append)
    qtbot.waitUntil(lambda: bool(ticks and done))
    assert done == ["still reading"]


def test_unhandled_errors_are_reported_in_one_place(qtbot, ops, caplog):
    messages: list = []
    ops.error_message.connect(messages.append)

    def refused():
        raise ValidationError({"title": "a title is required"})

    def forbidden():
        raise NotAllowed("an operator cannot publish a roster")

    def crashed():
        raise KeyError("internal detail")

    with caplog.at_level(logging.ERROR, logger="console.views.shell.operations"):
        for fn in (refused, forbidden, crashed):
            ops.write(fn, initiator=None)
            settle(qtbot, ops)
    assert messages[0] == "a title is required"  # the plain message of refused input
    assert messages[1] == "an operator cannot publish a roster"
    assert "internal detail" not in messages[2] and "failed" in messages[2]  # generic text...
    assert len(caplog.records) == 1 and "internal detail" in caplog.text  # ...and a log line


def test_writes_run_one_at_a_time(qtbot, ops):
    steps: list = []

    def slow():
        steps.append("A starts")
        time.sleep(0.3)
        steps.append("A ends")
        return None, Changes()

    def quick():
        steps.append("B starts")
        steps.append("B ends")
        return None, Changes()

    ops.write(slow, initiator=None)
    ops.write(quick, initiator=None)
    settle(qtbot, ops)
    assert steps == ["A starts", "A ends", "B starts", "B ends"]


def test_reads_run_beside_a_write(qtbot, ops):
    gate = threading.Event()
    results: list = []

    def waiting_write():
        return gate.wait(timeout=5), Changes()  # True only if the read ran meanwhile

    ops.write(waiting_write, initiator=None, on_done=results.append)
    ops.read(gate.set)
    settle(qtbot, ops)
    assert results == [True]


def test_cancel_stops_a_long_operation(qtbot, ops):
    rounds: list = []
    done: list = []
    errors: list = []

    def long_read(progress, cancelled):
        for step in range(1000):  # 10 s if nobody cancels
            if cancelled():
                raise OperationCancelled
            rounds.append(step)
            progress(step / 1000, f"step {step}")
            time.sleep(0.01)
        return "finished"

    handle = ops.read(long_read, on_done=done.append, on_error=errors.append)
    qtbot.waitUntil(lambda: len(rounds) >= 5)
    started = time.monotonic()
    handle.cancel()
    settle(qtbot, ops)
    assert time.monotonic() - started < 2
    assert handle.cancelled and handle.finished
    assert len(rounds) < 1000 and done == [] and errors == []  # a cancel is not an error


def test_progress_is_reported_on_the_gui_thread(qtbot, ops):
    gui_thread = threading.get_ident()
    reports: list = []

    def counted(progress):
        for step in (1, 2, 3):
            progress(step / 3, f"{step} of 3")
        return "ok"

    done: list = []
    ops.read(counted, on_done=done.append,
             on_progress=lambda fraction, text: reports.append(
                 (round(fraction, 2), text, threading.get_ident() == gui_thread)))
    settle(qtbot, ops)
    assert reports == [(0.33, "1 of 3", True), (0.67, "2 of 3", True), (1.0, "3 of 3", True)]
    assert done == ["ok"]


def test_a_result_for_a_closed_window_is_dropped_not_raised(qtbot, ops):
    """A pane closed while its read runs: its bound callbacks are not called on a deleted widget
    (the dashboard's refresh once raised "Internal C++ object already deleted" this way)."""
    import shiboken6
    from PySide6.QtWidgets import QLabel

    label, release = QLabel(), threading.Event()
    ops.read(lambda: release.wait(5) and "late", on_done=label.setText)
    ops.read(lambda: release.wait(5) and 1 / 0, on_error=label.setText)
    ops.read(lambda progress: (release.wait(5), progress(0.5, "half")),
             on_progress=label.setText)
    shiboken6.delete(label)  # the window goes while the reads run
    release.set()
    settle(qtbot, ops)  # a callback on the deleted label would raise in the Qt loop: a failure
    assert not shiboken6.isValid(label)
