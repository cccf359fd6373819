"""Draw one 256 px tile from the layers with QPainter (antialiased), as an 8-bit PNG.

Labels are placed once per zoom over the whole map (largest places first, no overlap), then
every tile draws the labels that reach it at the same world position, so a name that straddles
two tiles joins up.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen

from basemap_build.geometry import TILE, tile_bbox, world_px
from basemap_build.layers import Label, Layer

WATER = QColor("#aad3df")
LAND = QColor("#f2efe9")
SHADES = {"suburban": QColor("#ece6df"), "urban": QColor("#e4dcd4"), "dense": QColor("#dcd2ca")}
RIVER = QColor("#88b8d4")
COMMUNE_BORDER = QColor("#b8a8b8")
DEPARTEMENT_BORDER = QColor("#9c7a9c")
COUNTRY_BORDER = QColor("#7a5a7a")
TEXT = QColor("#3c3c3c")
HALO = QColor(255, 255, 255, 210)
TOWN_HALL = QColor("#6b4f6b")


@dataclass
class Layers:
    land: Layer
    lakes: Layer
    shading: Layer
    rivers: Layer
    communes: Layer
    departements: Layer
    countries: Layer
    labels: list[Label]


def river_width(z: int) -> float:
    return {5: 0.6, 6: 0.8, 7: 1.0, 8: 1.2, 9: 1.6, 10: 2.2, 11: 3.0, 12: 4.0, 13: 6.0,
            14: 9.0, 15: 14.0}.get(z, 1.0)


def label_font(kind: str, z: int) -> QFont:
    size = {"city": 11 if z < 9 else 12, "commune": 9 if z < 14 else 12, "arrondissement": 9,
            "departement": 10, "townhall": 10}.get(kind, 9)
    font = QFont("DejaVu Sans", 1)
    font.setPixelSize(size + (1 if z >= 14 and kind != "commune" else 0))
    font.setBold(kind in ("city", "departement") or (kind == "commune" and z >= 14))
    return font


@dataclass
class Placed:
    text: str
    x: float  # world pixels of the text's baseline start
    y: float
    font: QFont
    box: QRectF  # world pixels
    marker: QPointF | None = None  # a town hall's position, world pixels


class LabelPlan:
    """Labels placed without overlap over the world at one zoom, looked up by tile."""

    def __init__(self, labels: list[Label], z: int) -> None:
        self.by_tile: dict[tuple[int, int], list[Placed]] = defaultdict(list)
        grid: dict[tuple[int, int], list[QRectF]] = defaultdict(list)
        for label in sorted(labels, key=lambda item: -item.rank):
            if not label.min_zoom <= z <= label.max_zoom:
                continue
            if not (math.isfinite(label.lon) and math.isfinite(label.lat)):
                continue  # a place without a position
            font = label_font(label.kind, z)
            metrics = QFontMetricsF(font)
            width = metrics.horizontalAdvance(label.text)
            cx, cy = world_px(label.lon, label.lat, z)
            marker = None
            if label.kind == "townhall":  # a symbol on the spot, the name under it
                marker = QPointF(cx, cy)
                cy += 6 + metrics.ascent() / 2 + 2
            box = QRectF(cx - width / 2 - 3, cy - metrics.ascent() / 2 - 3,
                         width + 6, metrics.height() + 6)
            if marker is not None:
                box = box.united(QRectF(cx - 6, marker.y() - 6, 12, 12))
            cells = [(i, j) for i in range(int(box.left() // 64), int(box.right() // 64) + 1)
                     for j in range(int(box.top() // 64), int(box.bottom() // 64) + 1)]
            if any(other.intersects(box) for cell in cells for other in grid[cell]):
                continue
            for cell in cells:
                grid[cell].append(box)
            placed = Placed(label.text, cx - width / 2, cy + metrics.ascent() / 2, font, box, marker)
            for i in range(int(box.left() // TILE), int(box.right() // TILE) + 1):
                for j in range(int(box.top() // TILE), int(box.bottom() // TILE) + 1):
                    self.by_tile[(i, j)].append(placed)


class TileRenderer:
    def __init__(self, layers: Layers) -> None:
        self.layers = layers
        self._plans: dict[int, LabelPlan] = {}

    def plan(self, z: int) -> LabelPlan:
        if z not in self._plans:
            self._plans[z] = LabelPlan(self.layers.labels, z)
        return self._plans[z]

    def render(self, z: int, x: int, y: int) -> bytes:
        image = QImage(TILE, TILE, QImage.Format.Format_RGB32)
        image.fill(WATER)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        origin = (x * TILE, y * TILE)
        box = tile_bbox(z, x, y, margin_px=24)
        layers = self.layers

        def path_of(rings: list[list[tuple[float, float]]], close: bool) -> QPainterPath:
            path = QPainterPath()
            path.setFillRule(Qt.FillRule.WindingFill)
            for ring in rings:
                for index, (lon, lat) in enumerate(ring):
                    px, py = world_px(lon, lat, z)
                    point = QPointF(px - origin[0], py - origin[1])
                    if index == 0:
                        path.moveTo(point)
                    else:
                        path.lineTo(point)
                if close:
                    path.closeSubpath()
            return path

        def fill(layer: Layer, colour: QColor, kinds: dict[str, QColor] | None = None) -> None:
            painter.setPen(Qt.PenStyle.NoPen)
            for feature in layer.query(box):
                brush = kinds.get(feature.kind) if kinds is not None else colour
                if brush is not None:
                    painter.setBrush(brush)
                    painter.drawPath(path_of(feature.rings, close=True))

        def stroke(layer: Layer, pen: QPen, kind: str | None = None) -> None:
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            path = QPainterPath()
            for feature in layer.query(box):
                if kind is None or feature.kind == kind:
                    path.addPath(path_of(feature.rings, close=False))
            painter.drawPath(path)

        fill(layers.land, LAND)
        fill(layers.lakes, WATER)
        if z >= 8:
            fill(layers.shading, LAND, SHADES)
        river = QPen(RIVER, river_width(z))
        river.setCapStyle(Qt.PenCapStyle.RoundCap)
        river.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        stroke(layers.rivers, river)
        if z >= 10:
            commune_pen = QPen(COMMUNE_BORDER, 0.8 if z < 13 else 1.2)
            commune_pen.setStyle(Qt.PenStyle.DashLine)
            stroke(layers.communes, commune_pen)
        if z >= 6:
            width = 1.0 if z < 9 else 1.8 if z < 12 else 2.6
            dept_pen = QPen(DEPARTEMENT_BORDER, width)
            dept_pen.setStyle(Qt.PenStyle.DashDotLine)
            stroke(layers.departements, dept_pen)
        stroke(layers.countries, QPen(COUNTRY_BORDER, 1.6 if z < 9 else 2.6))
        self._draw_labels(painter, z, x, y, origin)
        painter.end()
        return encode_png(image)

    def _draw_labels(self, painter: QPainter, z: int, x: int, y: int,
                     origin: tuple[int, int]) -> None:
        for placed in self.plan(z).by_tile.get((x, y), []):
            if placed.marker is not None:
                painter.setPen(QPen(HALO, 1.5))
                painter.setBrush(TOWN_HALL)
                painter.drawRect(QRectF(placed.marker.x() - origin[0] - 4.5,
                                        placed.marker.y() - origin[1] - 4.5, 9, 9))
            path = QPainterPath()
            path.addText(QPointF(placed.x - origin[0], placed.y - origin[1]), placed.font,
                         placed.text)
            halo = QPen(HALO, 3.0)
            halo.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.strokePath(path, halo)
            painter.fillPath(path, TEXT)


COLOURS = 32  # per tile: half the size of 256-colour tiles, and no visible loss


def palette(image: QImage) -> list[int]:
    """The image's most frequent colours (a tile has a few flat colours and the antialiased
    shades between them)."""
    pixels = np.frombuffer(image.constBits(), dtype=np.uint32, count=TILE * TILE)
    colours, counts = np.unique(pixels, return_counts=True)
    if len(colours) > COLOURS:
        colours = colours[np.argsort(-counts)[:COLOURS]]
    return [int(c) for c in colours]


def encode_png(image: QImage) -> bytes:
    """An 8-bit palette PNG, nearest colour without dithering: flat areas stay flat, so they
    compress to almost nothing."""
    indexed = image.convertToFormat(
        QImage.Format.Format_Indexed8, palette(image),
        Qt.ImageConversionFlag.ThresholdDither | Qt.ImageConversionFlag.AvoidDither)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    indexed.save(buffer, "PNG", 0)  # quality 0: the strongest compression
    buffer.close()
    return bytes(data.data())


def tile_range(box: tuple[float, float, float, float], z: int) -> tuple[range, range]:
    west, south, east, north = box
    x0, y0 = world_px(west, north, z)
    x1, y1 = world_px(east, south, z)
    return (range(int(x0 // TILE), int(math.ceil(x1 / TILE))),
            range(int(y0 // TILE), int(math.ceil(y1 / TILE))))
