"""The planner's progress under the roster: time used, how fair the best roster so far is, Stop.

The planner reports every better roster with its spreads (most minus fewest nights, weekends
held by one operator); the shift manager watches them narrow and may stop at any time: the
planner then returns the best legal roster found so far, which the pane applies as usual.
"""
from __future__ import annotations

import time

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from console.models.roster.solver import Progress, SolveResult


class PlannerPanel(QWidget):
    """Hidden until a run starts; `stop_requested` when the manager presses Stop."""

    stop_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.bar = QProgressBar()
        self.bar.setObjectName("planner_bar")
        self.bar.setRange(0, 1000)
        # the bar follows the clock: between two better rosters the planner reports nothing
        self._clock = QTimer(self)
        self._clock.setInterval(250)
        self._clock.timeout.connect(self._tick)
        self._started = 0.0
        self._limit = 1.0
        self.best = QLabel()
        self.best.setObjectName("planner_best")
        self.best.setWordWrap(True)
        self.stop_button = QPushButton(self.tr("Stop and keep the best roster"))
        self.stop_button.setObjectName("planner_stop")
        self.stop_button.setToolTip(self.tr("Ends the planner now; the best legal roster found "
                                            "so far goes into the draft (undo removes it)"))
        self.stop_button.clicked.connect(self._stop)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.bar, 1)
        row.addWidget(self.stop_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.best)
        self.setVisible(False)

    def start(self, time_limit: float) -> None:
        self._started, self._limit = time.monotonic(), max(time_limit, 0.1)
        self._tick()
        self._clock.start()
        self.best.setText(self.tr("Looking for a first legal roster…"))
        self.stop_button.setEnabled(True)
        self.setVisible(True)

    def _tick(self) -> None:
        elapsed = time.monotonic() - self._started
        self.bar.setValue(round(1000 * min(elapsed / self._limit, 1.0)))
        self.bar.setFormat(self.tr("%1 s of %2 s").replace("%1", f"{elapsed:.0f}")
                           .replace("%2", f"{self._limit:.0f}"))

    def show_progress(self, _fraction: float, text: str) -> None:
        self.best.setText(text)

    def finish(self) -> None:
        self._clock.stop()
        self.setVisible(False)

    def _stop(self) -> None:
        self.stop_button.setEnabled(False)
        self.best.setText(self.tr("Stopping: keeping the best roster found so far…"))
        self.stop_requested.emit()

    def progress_text(self, step: Progress) -> str:
        """What one better roster looks like (runs on the planner's thread: no widget calls)."""
        stage = {"first roster": self.tr("first legal roster"),
                 "balancing": self.tr("balancing")}.get(step.message, step.message)
        if "nights" not in step.spreads:
            return self.tr("%1 s: %2").replace("%1", f"{step.elapsed:.1f}").replace("%2", stage)
        return (self.tr("Best roster so far (%2, at %1 s): a spread of %3 night(s) and %4 "
                        "weekend shift(s) between operators")
                .replace("%1", f"{step.elapsed:.1f}").replace("%2", stage)
                .replace("%3", str(step.spreads["nights"]))
                .replace("%4", str(step.spreads.get("weekends", 0))))

    def result_lines(self, result: SolveResult, spreads: dict[str, int] | None) -> list[str]:
        """The outcome shown once the run ends (the roster's spreads when there is one)."""
        status = {"optimal": self.tr("optimal"), "feasible": self.tr("done"),
                  "stopped": self.tr("stopped, best roster kept"),
                  "infeasible": self.tr("no complete roster"),
                  "unknown": self.tr("no roster found"),
                  "error": self.tr("error")}.get(result.status, result.status)
        lines = [self.tr("Planner: %1 in %2 s").replace("%1", status)
                 .replace("%2", f"{result.wall_time:.1f}")]
        if spreads is not None:
            lines.append(self.tr("Spread between operators: %1 night(s), %2 weekend "
                                 "shift(s)").replace("%1", str(spreads["nights"]))
                         .replace("%2", str(spreads["weekends"])))
        return lines
