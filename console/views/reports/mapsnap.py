"""A static map snapshot for reports: event points over venue positions, drawn with QPainter.

The interactive map pane (QtWebEngine + tiles) is not used here: a report must build headless and
fast, without a web engine. The snapshot is a plain equirectangular drawing (x scaled by
cos(latitude)) with no background tiles: venues as labelled squares, events as dots coloured by
severity, critical ones drawn last. The frame covers the main cluster of events (2nd-98th
percentile of the points within ~100 km of the median one); points outside are counted in the
caption.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPen

from console.models.enums import SEVERITY_COLOURS, Severity
from console.models.reports.data import ReportData


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(q * (len(ordered) - 1))))]


MAX_POINTS = 15_000
SCALE = 2  # the image has SCALE x the pixels of its size in the document, for a sharp PDF


def map_snapshot(data: ReportData, width: int = 680, height: int = 400) -> tuple[QImage, str]:
    """The image and its caption (frame, points drawn, points outside the frame)."""
    image = QImage(width * SCALE, height * SCALE, QImage.Format.Format_ARGB32)
    image.fill(QColor("#f4f6f8"))
    points = data.points
    if not points:
        painter = QPainter(image)
        painter.scale(SCALE, SCALE)
        painter.setPen(QColor("#555"))
        painter.drawText(QRectF(0, 0, width, height), Qt.AlignmentFlag.AlignCenter,
                         "Aucun événement géolocalisé / no geolocated event")
        painter.end()
        return image, "no geolocated event"
    # Frame the main cluster (e.g. Paris when a few events are in Marseille or Lille): the
    # points within about 100 km of the median position.
    mid_lat = _quantile([p[0] for p in points], 0.5)
    mid_lon = _quantile([p[1] for p in points], 0.5)
    core = [p for p in points if abs(p[0] - mid_lat) < 0.9 and abs(p[1] - mid_lon) < 1.3]
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
    centre_lon, centre_lat = (west + east) / 2, lat_mid

    def project(lat: float, lon: float) -> QPointF:
        x = ((lon - centre_lon) * kx / span_x + 0.5) * width
        y = (0.5 - (lat - centre_lat) / span_y) * height
        return QPointF(x, y)

    painter = QPainter(image)
    painter.scale(SCALE, SCALE)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    frame = QRectF(0, 0, width, height)
    # A light grid every 0.05 degree gives a sense of scale without tiles.
    painter.setPen(QPen(QColor("#dde3ea"), 1))
    step = 0.05 if span_y < 1 else 0.5
    lat = math.floor((centre_lat - span_y / 2) / step) * step
    while lat < centre_lat + span_y / 2:
        y = project(lat, centre_lon).y()
        painter.drawLine(QPointF(0, y), QPointF(width, y))
        lat += step
    lon = math.floor((centre_lon - span_x / kx / 2) / step) * step
    while lon < centre_lon + span_x / kx / 2:
        x = project(centre_lat, lon).x()
        painter.drawLine(QPointF(x, 0), QPointF(x, height))
        lon += step
    # Beyond MAX_POINTS dots the picture no longer changes but the drawing time does: draw
    # every k-th point (all critical ones) and say so in the caption.
    stride = max(1, -(-len(points) // MAX_POINTS))
    outside = 0
    painter.setPen(Qt.PenStyle.NoPen)
    for severity in sorted(Severity):  # critical drawn last, on top
        colour = QColor(SEVERITY_COLOURS[severity])
        colour.setAlpha(150 if severity < Severity.CRITICAL else 230)
        painter.setBrush(QBrush(colour))
        radius = 1.5 + severity / 2
        for index, (lat_, lon_, sev) in enumerate(points):
            if sev != severity or (index % stride and sev < Severity.CRITICAL):
                continue
            point = project(lat_, lon_)
            if not frame.contains(point):
                outside += 1
                continue
            painter.drawEllipse(point, radius, radius)
    painter.setFont(QFont("DejaVu Sans", 7, QFont.Weight.Bold))
    for venue in data.venues:
        point = project(venue.latitude, venue.longitude)
        if not frame.contains(point):
            continue
        painter.setPen(QPen(QColor("#111"), 1.2))
        painter.setBrush(QBrush(QColor("#ffffff")))
        painter.drawRect(QRectF(point.x() - 3.5, point.y() - 3.5, 7, 7))
        painter.setPen(QColor("#111"))
        painter.drawText(point + QPointF(5, -4), venue.code)
    painter.setPen(QPen(QColor("#888"), 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(frame.adjusted(0, 0, -1, -1))
    painter.end()
    caption = (f"Cadre / frame {centre_lat - span_y / 2:.3f}..{centre_lat + span_y / 2:.3f} N, "
               f"{centre_lon - span_x / kx / 2:.3f}..{centre_lon + span_x / kx / 2:.3f} E; "
               f"{len(points)} events, {outside} drawn outside the frame"
               + (f", 1 in {stride} drawn (all critical)" if stride > 1 else "")
               + " (static drawing, no map background)")
    return image, caption
