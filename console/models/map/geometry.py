"""Plane and sphere geometry for zones: point in polygon, point in circle, approximate areas."""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

EARTH_RADIUS_M = 6_371_008.8

Ring = Sequence[Sequence[float]]  # GeoJSON ring: [[lon, lat], ...]


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (Leaflet's L.Circle radius is measured the same way)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def point_in_ring(lon: float, lat: float, ring: Ring) -> bool:
    """Even-odd ray casting; zones are a few km wide, so treating lon/lat as planar is exact enough."""
    inside = False
    n = len(ring)
    if n < 3:
        return False
    j = n - 1
    for i in range(n):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat):
            x_cross = xi + (lat - yi) * (xj - xi) / (yj - yi)
            if lon < x_cross:
                inside = not inside
        j = i
    return inside


def point_in_polygon(lon: float, lat: float, rings: Sequence[Ring]) -> bool:
    """GeoJSON Polygon coordinates: the outer ring, then holes."""
    if not rings or not point_in_ring(lon, lat, rings[0]):
        return False
    return not any(point_in_ring(lon, lat, hole) for hole in rings[1:])


def geometry_contains(geometry: dict[str, Any], lat: float, lon: float,
                      radius_m: float | None = None) -> bool:
    """Whether a GeoJSON geometry (Polygon, MultiPolygon, or Point with a radius) holds the point."""
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    if kind == "Polygon":
        return point_in_polygon(lon, lat, coords)
    if kind == "MultiPolygon":
        return any(point_in_polygon(lon, lat, polygon) for polygon in coords)
    if kind == "Point" and radius_m:
        return haversine_m(lat, lon, coords[1], coords[0]) <= radius_m
    return False


def ring_area_m2(ring: Ring) -> float:
    """Approximate area of a small ring (equirectangular projection at its mean latitude)."""
    if len(ring) < 3:
        return 0.0
    mean_lat = math.radians(sum(p[1] for p in ring) / len(ring))
    kx = math.radians(1) * EARTH_RADIUS_M * math.cos(mean_lat)
    ky = math.radians(1) * EARTH_RADIUS_M
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, list(ring[1:]) + [ring[0]], strict=True):
        total += (x1 * kx) * (y2 * ky) - (x2 * kx) * (y1 * ky)
    return abs(total) / 2


def geometry_area_m2(geometry: dict[str, Any], radius_m: float | None = None) -> float:
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    if kind == "Polygon" and coords:
        return ring_area_m2(coords[0]) - sum(ring_area_m2(h) for h in coords[1:])
    if kind == "MultiPolygon":
        return sum(geometry_area_m2({"type": "Polygon", "coordinates": p}) for p in coords)
    if kind == "Point" and radius_m:
        return math.pi * radius_m ** 2
    return 0.0


def check_zone_geometry(kind: str, geometry: dict[str, Any], radius_m: float | None) -> str | None:
    """A message saying what is wrong with a drawn zone, or None when it can be stored."""
    if kind == "circle":
        coords = geometry.get("coordinates") if geometry.get("type") == "Point" else None
        if not coords or len(coords) != 2:
            return "a circle zone needs a centre point"
        if not (radius_m and radius_m > 0):
            return "a circle zone needs a positive radius"
        return _check_lon_lat(coords)
    if kind == "polygon":
        if geometry.get("type") != "Polygon" or not geometry.get("coordinates"):
            return "a polygon zone needs a GeoJSON Polygon"
        ring = geometry["coordinates"][0]
        distinct = {tuple(p) for p in ring}
        if len(distinct) < 3:
            return "a polygon zone needs at least three distinct points"
        for point in ring:
            problem = _check_lon_lat(point)
            if problem:
                return problem
        return None
    return "a zone is a polygon or a circle"


def _check_lon_lat(point: Sequence[float]) -> str | None:
    lon, lat = point[0], point[1]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return f"point {lat:g}, {lon:g} is off the globe"
    return None


Bounds = tuple[float, float, float, float]  # (south, north, west, east) in degrees
EVERYWHERE: Bounds = (-90.0, 90.0, -180.0, 180.0)


def _coordinates(value: Any) -> list[Sequence[float]]:
    """Every [lon, lat] position nested in GeoJSON coordinates."""
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], (int, float)):
        return [value]
    if isinstance(value, (list, tuple)):
        return [p for item in value for p in _coordinates(item)]
    return []


def geometry_bounds(geometry: dict[str, Any], radius_m: float | None = None) -> Bounds:
    """A box holding every point geometry_contains accepts (EVERYWHERE when unsure): a cheap
    test that spares most exact ones when many points meet many zones (bulk imports)."""
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    try:
        if kind == "Point" and radius_m:
            lon, lat = float(coords[0]), float(coords[1])
            angle = radius_m / EARTH_RADIUS_M  # the circle's angular radius
            cos_lat = math.cos(math.radians(lat))
            if not (-90 < lat < 90 and 0 < angle < math.pi / 2) or math.sin(angle) >= cos_lat:
                return EVERYWHERE  # a pole inside the circle, or a circle that vast
            # On a sphere the widest longitude offset is asin(sin(r) / cos(lat)), not r / cos(lat).
            dlat = math.degrees(angle)
            dlon = math.degrees(math.asin(math.sin(angle) / cos_lat))
            margin = 1e-9 + 1e-6 * (dlat + dlon)
            west, east = lon - dlon - margin, lon + dlon + margin
            if west < -180 or east > 180:  # across the antimeridian: any longitude
                west, east = -180.0, 180.0
            return lat - dlat - margin, lat + dlat + margin, west, east
        if kind in ("Polygon", "MultiPolygon"):
            points = _coordinates(coords)
            if points:
                lats, lons = [float(p[1]) for p in points], [float(p[0]) for p in points]
                return min(lats), max(lats), min(lons), max(lons)
    except (TypeError, ValueError, IndexError):
        pass
    return EVERYWHERE


def in_bounds(bounds: Bounds, lat: float, lon: float) -> bool:
    south, north, west, east = bounds
    return south <= lat <= north and west <= lon <= east
