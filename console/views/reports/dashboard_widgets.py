"""The dashboard's building blocks: a clickable bar chart (pyqtgraph) and a headline figure."""
from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout


class BarChart(pg.PlotWidget):
    """A bar chart that knows which bar is under a click: `bar_clicked(key)` is emitted."""

    bar_clicked = Signal(object)

    def __init__(self, title: str, horizontal: bool = False) -> None:
        super().__init__(background="w")
        self.horizontal = horizontal
        self.setTitle(title, color="#333", size="10pt")
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.showGrid(x=horizontal, y=not horizontal, alpha=0.25)
        # (position, low, high, key) of every drawn bar segment, for hit-testing clicks.
        self.segments: list[tuple[float, float, float, object]] = []
        self.scene().sigMouseClicked.connect(self._scene_clicked)

    def clear_bars(self) -> None:
        self.clear()
        self.segments = []

    def add_bars(self, positions: Sequence[float], lows: Sequence[float],
                 highs: Sequence[float], keys: Sequence[object], colour: str,
                 name: str | None = None) -> None:
        heights = [h - lo for lo, h in zip(lows, highs, strict=True)]
        if self.horizontal:
            item = pg.BarGraphItem(x0=lows, y=positions, height=0.75, width=heights,
                                   brush=colour, pen=pg.mkPen("#ffffff", width=0.5), name=name)
        else:
            item = pg.BarGraphItem(x=positions, y0=lows, width=0.8, height=heights,
                                   brush=colour, pen=pg.mkPen("#ffffff", width=0.5), name=name)
        self.addItem(item)
        self.segments.extend(
            (p, lo, hi, k) for p, lo, hi, k in zip(positions, lows, highs, keys, strict=True)
            if hi > lo)

    def set_ticks(self, labels: list[tuple[float, str]]) -> None:
        axis = self.getAxis("left" if self.horizontal else "bottom")
        axis.setTicks([labels])

    def key_at(self, x: float, y: float) -> object | None:
        position, value = (y, x) if self.horizontal else (x, y)
        for pos, low, high, key in self.segments:
            if abs(position - pos) <= 0.45 and low <= value <= high:
                return key
        return None

    def scene_point(self, position: float, value: float) -> QPointF:
        """Scene coordinates of a data point (used by tests to click on a bar)."""
        x, y = (value, position) if self.horizontal else (position, value)
        return self.getPlotItem().vb.mapViewToScene(QPointF(x, y))

    def _scene_clicked(self, event) -> None:  # noqa: ANN001 (pyqtgraph's event type)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        point = self.getPlotItem().vb.mapSceneToView(event.scenePos())
        key = self.key_at(point.x(), point.y())
        if key is not None:
            self.bar_clicked.emit(key)


class Kpi(QFrame):
    """A headline figure: a big number and a caption."""

    def __init__(self, caption: str, key: str) -> None:
        super().__init__()
        self.setObjectName(f"kpi_{key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value = QLabel("-")
        self.value.setObjectName(f"kpi_{key}_value")
        self.value.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)  # the pane often sits in a narrow dock
        self.caption.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def set(self, text: str, colour: str | None = None) -> None:
        self.value.setText(text)
        self.value.setStyleSheet("font-size: 20px; font-weight: bold;"
                                 + (f" color: {colour};" if colour else ""))
