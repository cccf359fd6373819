"""A static map snapshot for reports: event points over venue positions, drawn with QPainter.

The interactive map pane (QtWebEngine) is not used here: a report must build headless and fast,
without a web engine. The snapshot is an equirectangular drawing (x scaled by cos(latitude)) over
the same tiles as the map pane, read offline (the tile cache, then the shipped basemap; never
the network): venues as labelled squares, events as dots coloured by severity, critical ones
drawn last. The frame covers the main cluster of events (2nd-98th
percentile of the points within ~100 km of the median position, or of all points when none is
that close); points outside are counted in the caption.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPen

from console.models.enums import SEVERITY_COLOURS, Severity
from console.models.map.basemap import open_offline_tiles
from console.models.map.tiles import TileReader
from console.models.reports.data import ReportData, VenuePoint
from console.models.reports.wording import map_caption, word

Point = tuple[float, float, int]  # (latitude, longitude, severity)


def _quantile(values: list[float], q: float) -> float:
    """The q-quantile (nearest rank below) of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(q * (len(ordered) - 1))))]


MAX_POINTS = 15_000
SCALE = 2  # the image has SCALE x the pixels of its size in the document, for a sharp PDF


@dataclass(frozen=True)
class _Frame:
    """The geographic window drawn, and its projection onto a width x height drawing."""
    centre_lat: float
    centre_lon: float
    span_x: float  # degrees of longitude x cos(latitude)
    span_y: float  # degrees of latitude
    kx: float  # cos(latitude): how much a degree of longitude shrinks
    width: int
    height: int

    def project(self, lat: float, lon: float) -> QPointF:
        x = ((lon - self.centre_lon) * self.kx / self.span_x + 0.5) * self.width
        y = (0.5 - (lat - self.centre_lat) / self.span_y) * self.height
        return QPointF(x, y)

    def describe(self) -> str:
        half_lon = self.span_x / self.kx / 2
        return (f"{self.centre_lat - self.span_y / 2:.3f}..{self.centre_lat + self.span_y / 2:.3f}"
                f" N, {self.centre_lon - half_lon:.3f}..{self.centre_lon + half_lon:.3f} E")


def _main_cluster(points: Sequence[Point]) -> Sequence[Point]:
    """The points within about 100 km of the median position (e.g. Paris when a few events are
    in Marseille or Lille). The median latitude and longitude may come from different points
    (one event in Paris, one in Marseille) and match no point: then every point counts."""
    mid_lat = _quantile([p[0] for p in points], 0.5)
    mid_lon = _quantile([p[1] for p in points], 0.5)
    core = [p for p in points if abs(p[0] - mid_lat) < 0.9 and abs(p[1] - mid_lon) < 1.3]
    return core or points


def _frame_for(points: Sequence[Point], width: int, height: int) -> _Frame:
    core = _main_cluster(points)
    lats = [p[0] for p in core]
    lons = [p[1] for p in core]
    south, north = _quantile(lats, 0.02), _quantile(lats, 0.98)
    west, east = _quantile(lons, 0.02), _quantile(lons, 0.98)
    # Pad the frame and keep the aspect ratio of the image (x shrinks with cos(latitude)).
    lat_mid = (south + north) / 2
    kx = math.cos(math.radians(lat_mid))
    span_x = max((east - west) * kx, 0.01) * 1.15
    span_y = max(north - south, 0.01) * 1.15
    if span_x / span_y < width / height:
        span_x = span_y * width / height
    else:
        span_y = span_x * height / width
    return _Frame(centre_lat=lat_mid, centre_lon=(west + east) / 2, span_x=span_x,
                  span_y=span_y, kx=kx, width=width, height=height)


def _draw_no_point(image: QImage, width: int, height: int, text: str) -> None:
    painter = QPainter(image)
    painter.scale(SCALE, SCALE)
    painter.setPen(QColor("#555"))
    painter.drawText(QRectF(0, 0, width, height), Qt.AlignmentFlag.AlignCenter,
                     text)
    painter.end()


def _draw_grid(painter: QPainter, frame: _Frame) -> None:
    """A light grid every 0.05 degree gives a sense of scale without tiles."""
    painter.setPen(QPen(QColor("#dde3ea"), 1))
    step = 0.05 if frame.span_y < 1 else 0.5
    lat = math.floor((frame.centre_lat - frame.span_y / 2) / step) * step
    while lat < frame.centre_lat + frame.span_y / 2:
        y = frame.project(lat, frame.centre_lon).y()
        painter.drawLine(QPointF(0, y), QPointF(frame.width, y))
        lat += step
    half_lon = frame.span_x / frame.kx / 2
    lon = math.floor((frame.centre_lon - half_lon) / step) * step
    while lon < frame.centre_lon + half_lon:
        x = frame.project(frame.centre_lat, lon).x()
        painter.drawLine(QPointF(x, 0), QPointF(x, frame.height))
        lon += step


def _tile_image(tiles: TileReader, z: int, x: int, y: int) -> tuple[QImage, QRectF] | None:
    """The tile, or the part of an ancestor tile (up to 4 zooms out) that covers it."""
    for up in range(5):
        data = tiles.get(z - up, x >> up, y >> up)
        if data is None:
            continue
        image = QImage.fromData(data)
        if image.isNull():
            return None
        cells = 1 << up
        size = image.width() / cells
        return image, QRectF((x % cells) * size, (y % cells) * size, size, size)
    return None


def _draw_tiles(painter: QPainter, frame: _Frame, tiles: TileReader) -> int:
    """The map tiles under the frame, at the zoom whose pixels match the image's; returns how
    many were drawn."""
    import mercantile

    half_lon = frame.span_x / frame.kx / 2
    west, east = frame.centre_lon - half_lon, frame.centre_lon + half_lon
    south = max(-85.0, frame.centre_lat - frame.span_y / 2)
    north = min(85.0, frame.centre_lat + frame.span_y / 2)
    z = round(math.log2(360 * frame.width * SCALE / (256 * (east - west))))
    z = max(0, min(18, z))
    drawn = 0
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    for tile in mercantile.tiles(west, south, east, north, [z]):
        found = _tile_image(tiles, tile.z, tile.x, tile.y)
        if found is None:
            continue
        bounds = mercantile.bounds(tile)
        top_left = frame.project(bounds.north, bounds.west)
        bottom_right = frame.project(bounds.south, bounds.east)
        painter.drawImage(QRectF(top_left, bottom_right), found[0], found[1])
        drawn += 1
    return drawn


def _draw_events(painter: QPainter, points: Sequence[Point], frame: _Frame, stride: int) -> int:
    """Dots by severity, every stride-th one (all critical ones); returns how many points lie
    outside the frame (all of them, drawn or not)."""
    bounds = QRectF(0, 0, frame.width, frame.height)
    outside = 0
    painter.setPen(Qt.PenStyle.NoPen)
    for severity in sorted(Severity):  # critical drawn last, on top
        colour = QColor(SEVERITY_COLOURS[severity])
        colour.setAlpha(150 if severity < Severity.CRITICAL else 230)
        painter.setBrush(QBrush(colour))
        radius = 1.5 + severity / 2
        for index, (lat, lon, sev) in enumerate(points):
            if sev != severity:
                continue
            point = frame.project(lat, lon)
            if not bounds.contains(point):
                outside += 1  # counted even when not drawn: the caption gives the true count
                continue
            if index % stride == 0 or sev == Severity.CRITICAL:
                painter.drawEllipse(point, radius, radius)
    return outside


def _draw_venues(painter: QPainter, venues: Sequence[VenuePoint], frame: _Frame) -> None:
    bounds = QRectF(0, 0, frame.width, frame.height)
    painter.setFont(QFont("DejaVu Sans", 7, QFont.Weight.Bold))
    for venue in venues:
        point = frame.project(venue.latitude, venue.longitude)
        if not bounds.contains(point):
            continue
        painter.setPen(QPen(QColor("#111"), 1.2))
        painter.setBrush(QBrush(QColor("#ffffff")))
        painter.drawRect(QRectF(point.x() - 3.5, point.y() - 3.5, 7, 7))
        painter.setPen(QColor("#111"))
        painter.drawText(point + QPointF(5, -4), venue.code)


def _draw_border(painter: QPainter, frame: _Frame) -> None:
    painter.setPen(QPen(QColor("#888"), 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(QRectF(0, 0, frame.width, frame.height).adjusted(0, 0, -1, -1))


def map_snapshot(data: ReportData, width: int = 680, height: int = 400,
                 tiles: TileReader | None = None) -> tuple[QImage, str]:
    """The image and its caption (frame, points drawn, points outside the frame). The
    background comes from `tiles`, by default the tile cache over the shipped basemap."""
    image = QImage(width * SCALE, height * SCALE, QImage.Format.Format_ARGB32)
    image.fill(QColor("#f4f6f8"))
    points = data.points
    language = data.request.language
    if not points:
        _draw_no_point(image, width, height, word("map_none", language))
        return image, word("map_none", language)
    frame = _frame_for(points, width, height)
    # Beyond MAX_POINTS dots the picture no longer changes but the drawing time does: draw
    # every k-th point (all critical ones) and say so in the caption.
    stride = max(1, -(-len(points) // MAX_POINTS))
    painter = QPainter(image)
    painter.scale(SCALE, SCALE)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    credit = "tile cache"
    if tiles is None:
        offline = open_offline_tiles()
        try:
            background = _draw_tiles(painter, frame, offline)
            credit = offline.attribution() or credit
        finally:
            offline.close()
    else:
        background = _draw_tiles(painter, frame, tiles)
    if not background:
        _draw_grid(painter, frame)
    outside = _draw_events(painter, points, frame, stride)
    _draw_venues(painter, data.venues, frame)
    _draw_border(painter, frame)
    painter.end()
    return image, map_caption(language, points=len(points), outside=outside, stride=stride,
                              frame=frame.describe(), background=credit if background else "")
