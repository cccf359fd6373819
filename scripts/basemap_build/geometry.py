"""Web Mercator pixels and clipping, enough to cut the source data down to one tile."""
from __future__ import annotations

import math
from collections.abc import Sequence

from basemap_build.sources import BBox, Ring

TILE = 256


def world_px(lon: float, lat: float, z: int) -> tuple[float, float]:
    """Web Mercator pixel of (lon, lat) in the whole world image at zoom z."""
    size = TILE * (1 << z)
    x = (lon + 180.0) / 360.0 * size
    sin = math.sin(math.radians(max(-85.05, min(85.05, lat))))
    y = (0.5 - math.log((1 + sin) / (1 - sin)) / (4 * math.pi)) * size
    return x, y


def lonlat(px: float, py: float, z: int) -> tuple[float, float]:
    size = TILE * (1 << z)
    lon = px / size * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * py / size))))
    return lon, lat


def tile_bbox(z: int, x: int, y: int, margin_px: float = 0.0) -> BBox:
    """(west, south, east, north) of tile z/x/y, grown by margin_px pixels on each side."""
    west, north = lonlat(x * TILE - margin_px, y * TILE - margin_px, z)
    east, south = lonlat((x + 1) * TILE + margin_px, (y + 1) * TILE + margin_px, z)
    return west, south, east, north


def meets(a: BBox, b: BBox) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def ring_bbox(ring: Sequence[tuple[float, float]]) -> BBox:
    lons = [p[0] for p in ring]
    lats = [p[1] for p in ring]
    return min(lons), min(lats), max(lons), max(lats)


def clip_polygon(ring: Ring, box: BBox) -> Ring:
    """Sutherland-Hodgman against a rectangle: exact for filling (edges along the frame are
    drawn outside the tile's visible part)."""
    west, south, east, north = box
    edges = ((0, west, True), (0, east, False), (1, south, True), (1, north, False))
    points = ring
    for axis, value, keep_above in edges:
        if not points:
            break
        out: Ring = []
        prev = points[-1]
        prev_in = (prev[axis] >= value) if keep_above else (prev[axis] <= value)
        for point in points:
            inside = (point[axis] >= value) if keep_above else (point[axis] <= value)
            if inside != prev_in:
                t = (value - prev[axis]) / (point[axis] - prev[axis])
                cut = (prev[0] + t * (point[0] - prev[0]), prev[1] + t * (point[1] - prev[1]))
                out.append(cut)
            if inside:
                out.append(point)
            prev, prev_in = point, inside
        points = out
    return points


def clip_line(line: Ring, box: BBox) -> list[Ring]:
    """The runs of a polyline whose segments meet the box (segments kept whole)."""
    west, south, east, north = box
    runs: list[Ring] = []
    current: Ring = []
    for a, b in zip(line, line[1:], strict=False):
        hit = not (max(a[0], b[0]) < west or min(a[0], b[0]) > east
                   or max(a[1], b[1]) < south or min(a[1], b[1]) > north)
        if hit:
            if not current:
                current.append(a)
            current.append(b)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def ring_area_centroid(ring: Ring) -> tuple[float, float, float]:
    """(area in square degrees, lon, lat) of a ring's centroid (shoelace)."""
    area2 = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area2 += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area2) < 1e-15:
        return 0.0, ring[0][0], ring[0][1]
    return abs(area2) / 2, cx / (3 * area2), cy / (3 * area2)
