"""Garbage collection on the GUI thread only.

Python's cyclic collector runs in whichever thread happens to allocate when a threshold is
crossed. With the operations runner's worker threads, that can be a worker: if the cycle it
frees holds a Qt widget, the widget is destroyed off the GUI thread and Qt crashes (seen as a
segfault while a worker imported a module). So automatic collection is switched off and the GUI
thread collects on a timer, the way pyqtgraph's GarbageCollector does.
"""
from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class GuiThreadCollector(QObject):
    def __init__(self, interval_ms: int = 1000, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._threshold = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_if_due)
        self._timer.start(interval_ms)

    def collect_if_due(self) -> None:
        # The same thresholds as the automatic collector, checked from the GUI thread.
        counts = gc.get_count()
        if counts[0] > self._threshold[0]:
            generation = 2 if counts[2] > self._threshold[2] else 1 if counts[1] > self._threshold[1] else 0
            gc.collect(generation)

    def stop(self) -> None:
        self._timer.stop()
        gc.collect()
        gc.enable()


_installed: GuiThreadCollector | None = None


def install(app: QObject) -> GuiThreadCollector:
    """Once per application, parented to it (idempotent)."""
    global _installed
    if _installed is None:
        _installed = GuiThreadCollector(parent=app)
    return _installed
