"""One runner for every database access of the views (in the spirit of Anki's CollectionOp/QueryOp).

`ops.write(fn)` runs `fn() -> (result, Changes)` off the GUI thread, then, back on the GUI
thread, publishes the Changes once on the hub with their initiator and calls `on_done(result)`.
`ops.read(fn)` runs `fn() -> result` the same way, without publishing. Writes run one at a time
on the runner's write pool, so two writes never race on SQLite; reads run beside them on the
read pool. Results come back through queued signals, never by touching widgets from a worker.

A function that names a `progress` parameter gets a `progress(fraction, text)` callback; one that
names a `cancelled` parameter gets a `cancelled() -> bool` flag that `OperationHandle.cancel()`
sets. Errors are reported in one place: `on_error` when given, else the runner's
`error_message` signal (the main window shows it) with a plain text for refused input.
"""
from __future__ import annotations

import inspect
import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal

from console.models.changes import Changes
from console.models.outbox import NotAllowed
from console.models.validation import ValidationError

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
ErrorHandler = Callable[[BaseException], None]
ProgressHandler = Callable[[float, str], None]


def _alive(callback: Callable[..., Any]) -> bool:
    """False for a bound method of a Qt object already destroyed: a window closed while its
    read ran (its widgets are gone, so there is nobody to show the result to)."""
    owner = getattr(callback, "__self__", None)
    return not (isinstance(owner, QObject) and not shiboken6.isValid(owner))


class OperationCancelled(Exception):
    """Raised by a long operation that saw its cancel flag; reported to nobody as an error."""


def error_text(error: BaseException, tr: Callable[[str], str] | None = None) -> str:
    """What an operator is told: the plain message of refused input or rights, else a generic one.

    `tr` translates the model's English messages in the caller's catalogue context.
    """
    if isinstance(error, ValidationError):
        translate = tr or (lambda text: QCoreApplication.translate("Operations", text))
        return "; ".join(translate(m) for m in error.errors.values())
    if isinstance(error, (NotAllowed, PermissionError)):
        return str(error)
    return QCoreApplication.translate("Operations",
                                      "The operation failed; the details are in the log file.")


@dataclass
class OperationHandle:
    """What the caller keeps of a running operation: it can cancel it and ask whether it ended."""

    op_id: int
    _cancel: threading.Event = field(default_factory=threading.Event)
    finished: bool = False

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


@dataclass
class _Pending:
    handle: OperationHandle
    is_write: bool
    initiator: object
    on_done: Done | None
    on_error: ErrorHandler | None
    on_progress: ProgressHandler | None


class _Relay(QObject):
    """Lives on the GUI thread; workers emit on it and Qt queues the calls to the runner."""

    finished = Signal(int, object)
    failed = Signal(int, object)
    progressed = Signal(int, float, str)


class _Job(QRunnable):
    def __init__(self, op_id: int, call: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.op_id, self.call, self.relay = op_id, call, relay

    def run(self) -> None:  # worker thread
        try:
            result = self.call()
        except BaseException as error:  # noqa: BLE001 - handed to the GUI thread, never lost
            self.relay.failed.emit(self.op_id, error)
        else:
            self.relay.finished.emit(self.op_id, result)


class OperationRunner(QObject):
    """Owned by the AppContext (`context.ops`); every pane's reads and writes go through it."""

    error_message = Signal(str)  # an error nobody handled: the main window shows it
    idle = Signal()  # nothing is running any more (tests wait on it)

    def __init__(self, hub: Any = None, parent: QObject | None = None, read_threads: int = 2) -> None:
        super().__init__(parent)
        self.hub = hub
        self._writes = QThreadPool(self)
        self._writes.setMaxThreadCount(1)  # SQLite takes one writer: writes never race
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(read_threads)
        self._relay = _Relay()
        queued = Qt.ConnectionType.QueuedConnection
        self._relay.finished.connect(self._on_finished, queued)
        self._relay.failed.connect(self._on_failed, queued)
        self._relay.progressed.connect(self._on_progress, queued)
        self._pending: dict[int, _Pending] = {}
        self._ids = itertools.count(1)

    # -- starting ----------------------------------------------------------------------------

    def write(self, fn: Callable[..., tuple[Any, Changes | None]], *, initiator: object,
              on_done: Done | None = None, on_error: ErrorHandler | None = None,
              on_progress: ProgressHandler | None = None) -> OperationHandle:
        """Run a write; its Changes are published once, with `initiator`, before on_done."""
        return self._start(fn, True, initiator, on_done, on_error, on_progress)

    def read(self, fn: Callable[..., Any], *, on_done: Done | None = None,
             on_error: ErrorHandler | None = None,
             on_progress: ProgressHandler | None = None) -> OperationHandle:
        """Run a read off the GUI thread; on_done gets its result on the GUI thread."""
        return self._start(fn, False, None, on_done, on_error, on_progress)

    def _start(self, fn, is_write, initiator, on_done, on_error, on_progress) -> OperationHandle:  # noqa: ANN001
        handle = OperationHandle(next(self._ids))
        pool = self._writes if is_write else self._reads
        if not shiboken6.isValid(pool):
            handle.finished = True  # the application is shutting down: nothing runs any more
            return handle
        self._pending[handle.op_id] = _Pending(handle, is_write, initiator, on_done, on_error,
                                               on_progress)
        pool.start(_Job(handle.op_id, self._bind(fn, handle), self._relay))
        return handle

    def _bind(self, fn: Callable[..., Any], handle: OperationHandle) -> Callable[[], Any]:
        """fn with the progress callback and the cancel flag it asks for by name."""
        try:
            names = set(inspect.signature(fn).parameters)
        except (TypeError, ValueError):
            names = set()
        kwargs: dict[str, Any] = {}
        if "progress" in names:
            op_id, relay = handle.op_id, self._relay
            kwargs["progress"] = lambda fraction, text="": relay.progressed.emit(
                op_id, float(fraction), str(text))
        if "cancelled" in names:
            kwargs["cancelled"] = handle._cancel.is_set
        return (lambda: fn(**kwargs)) if kwargs else fn

    # -- results, on the GUI thread ----------------------------------------------------------

    def _on_finished(self, op_id: int, value: object) -> None:
        pending = self._pending.pop(op_id, None)
        if pending is None:
            return
        pending.handle.finished = True
        try:
            result: Any = value
            if pending.is_write:
                result, changes = cast(tuple[Any, Changes | None], value)  # fn's (result, Changes)
                if changes and self.hub is not None:
                    self.hub.publish(changes, pending.initiator)
            if pending.on_done is not None and _alive(pending.on_done):
                pending.on_done(result)
        except Exception as error:  # noqa: BLE001 - a failing callback is reported like fn's
            self._report(pending, error)
        finally:
            self._check_idle()

    def _on_failed(self, op_id: int, error: object) -> None:
        pending = self._pending.pop(op_id, None)
        if pending is None:
            return
        pending.handle.finished = True
        try:
            if not isinstance(error, OperationCancelled):
                assert isinstance(error, BaseException)
                self._report(pending, error)
        finally:
            self._check_idle()

    def _on_progress(self, op_id: int, fraction: float, text: str) -> None:
        pending = self._pending.get(op_id)
        if pending is None or pending.on_progress is None:
            return
        if _alive(pending.on_progress):
            pending.on_progress(fraction, text)

    def _report(self, pending: _Pending, error: BaseException) -> None:
        if not isinstance(error, (ValidationError, NotAllowed, PermissionError)):
            log.error("operation failed", exc_info=error)
        if pending.on_error is not None:
            if _alive(pending.on_error):
                pending.on_error(error)
        else:
            self.error_message.emit(error_text(error))

    def _check_idle(self) -> None:
        if not self._pending:
            self.idle.emit()

    # -- waiting (shutdown and tests) --------------------------------------------------------

    def is_idle(self) -> bool:
        """No operation is running or waiting for its result to be delivered."""
        return not self._pending

    def wait(self, timeout_ms: int = 10_000) -> bool:
        """Wait for the workers to finish (at shutdown); results still need the event loop.

        Tests wait with `qtbot.waitUntil(context.ops.is_idle)`, which also delivers them.
        """
        return self._writes.waitForDone(timeout_ms) and self._reads.waitForDone(timeout_ms)
