"""Thin Qt adapter of the sync engine: a background thread, hub signals, a progress bar."""
from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressBar

from console.models.changes import Changes
from console.models.sync.engine import SyncEngine, SyncStatus
from console.views.shell.context import ChangeHub


class SyncController(QObject):
    """Runs `SyncEngine.run()` in a thread; publishes its status and pulled changes on the hub.

    Local writes are published on the hub too, which nudges the engine: a new entry is pushed at
    once, not at the next poll. The engine never touches a widget; Qt queues the hub's signals to
    the GUI thread.
    """

    progress = Signal(object)  # (done, total) or None

    def __init__(self, engine: SyncEngine, hub: ChangeHub) -> None:
        super().__init__()
        self.engine = engine
        self.hub = hub
        self._thread: threading.Thread | None = None
        self._progress_since: float | None = None
        engine.on_status = self._on_status
        engine.on_changes = self._on_changes
        hub.changed.connect(self._on_local_change)

    def start(self) -> None:
        if self._thread is None:
            self._thread = self.engine.start_thread()

    def stop(self) -> None:
        self.engine.stop()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _on_status(self, status: SyncStatus) -> None:  # sync thread
        self.hub.connection_changed.emit(status.as_dict())
        self.progress.emit(status.progress)

    def _on_changes(self, changes: Changes) -> None:  # sync thread
        self.hub.publish(changes)

    def _on_local_change(self, changes: Changes) -> None:  # GUI thread
        self.engine.nudge()


class SyncProgressBar(QProgressBar):
    """Shown in the status bar while a long queue is pushed (only after the first second)."""

    def __init__(self, controller: SyncController, delay: float = 1.0) -> None:
        super().__init__()
        self.setMaximumWidth(200)
        self.setFormat(self.tr("Sending %v/%m"))
        self.setVisible(False)
        self._delay = delay
        self._since: float | None = None
        controller.progress.connect(self.show_progress, Qt.ConnectionType.QueuedConnection)

    def show_progress(self, progress: tuple[int, int] | None) -> None:
        if progress is None:
            self._since = None
            self.setVisible(False)
            return
        done, total = progress
        if self._since is None:
            self._since = time.monotonic()
        self.setRange(0, max(total, 1))
        self.setValue(done)
        self.setVisible(time.monotonic() - self._since >= self._delay or self.isVisible())
