"""Tiles beyond the deepest zoom a source has: the ancestor tile's quarter (eighth...) enlarged.

The shipped basemap stops at zoom 15 and a provider's file at its own last zoom; closer in, the
map would turn grey. Up to four zooms out is looked for, then the part that covers the wanted
tile is cut out and scaled to 256 px (a blurrier picture is better than none).
"""
from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, Qt
from PySide6.QtGui import QImage

from console.models.map.tiles import TileReader

MAX_LEVELS = 4
TILE = 256


def overzoomed(source: TileReader, z: int, x: int, y: int) -> bytes | None:
    """The tile z/x/y enlarged from its nearest ancestor that `source` has, as PNG; or None."""
    for up in range(1, MAX_LEVELS + 1):
        if z - up < 0:
            return None
        data = source.get(z - up, x >> up, y >> up)
        if data is None:
            continue
        image = QImage.fromData(data)
        if image.isNull():
            return None
        cells = 1 << up
        size = image.width() // cells
        if size < 1:
            return None
        part = image.copy(QRect((x % cells) * size, (y % cells) * size, size, size))
        scaled = part.scaled(TILE, TILE, Qt.AspectRatioMode.IgnoreAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
        out = QByteArray()
        buffer = QBuffer(out)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        scaled.save(buffer, "PNG")
        buffer.close()
        return bytes(out.data())
    return None
