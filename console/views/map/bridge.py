"""The QWebChannel object the map page calls: marker clicks, right-clicks, drawn zones."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot


class MapBridge(QObject):
    """Published to the page as `bridge`; turns page calls into Qt signals on the GUI thread."""

    page_ready = Signal()
    marker_clicked = Signal(str)  # event id
    right_clicked = Signal(float, float)  # latitude, longitude
    zone_drawn = Signal(str, str, float)  # kind, GeoJSON geometry, radius in metres (circles)
    focused = Signal(str, bool)  # event id, shown as its marker (else only its position)

    @Slot()
    def pageReady(self) -> None:  # noqa: N802 (called from JavaScript)
        self.page_ready.emit()

    @Slot(str)
    def markerClicked(self, event_id: str) -> None:  # noqa: N802
        self.marker_clicked.emit(event_id)

    @Slot(float, float)
    def newEventAt(self, latitude: float, longitude: float) -> None:  # noqa: N802
        self.right_clicked.emit(latitude, longitude)

    @Slot(str, str, float)
    def zoneDrawn(self, kind: str, geometry: str, radius_m: float) -> None:  # noqa: N802
        self.zone_drawn.emit(kind, geometry, radius_m)

    @Slot(str, bool)
    def eventFocused(self, event_id: str, on_marker: bool) -> None:  # noqa: N802
        self.focused.emit(event_id, on_marker)
