"""Which stored zone a point falls in: used to tag a new event with its perimeter."""
from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.models.entities import Zone
from console.models.map.geometry import (
    Bounds,
    geometry_area_m2,
    geometry_bounds,
    geometry_contains,
    in_bounds,
)


def zone_for_point(session: Session, lat: float | None, lon: float | None) -> uuid.UUID | None:
    """The id of the smallest zone holding the point, or None.

    The smallest wins because perimeters nest (a fan zone inside a security perimeter) and the
    inner one says more about where the event is.
    """
    if lat is None or lon is None:
        return None  # no need to read the zones
    return ZoneFinder(session).zone_for(lat, lon)


class ZoneFinder:
    """zone_for_point for many points: the zones are read and parsed once (bulk imports)."""

    def __init__(self, session: Session) -> None:
        self._zones: list[tuple[uuid.UUID, dict[str, Any], float | None, Bounds]] = []
        self._areas: dict[uuid.UUID, float] = {}
        for zone_id, kind, raw, radius in session.execute(
                select(Zone.id, Zone.kind, Zone.geometry, Zone.radius_m)):
            try:
                geometry = json.loads(raw)
            except (TypeError, ValueError):
                continue  # a damaged row must not stop an event from being written
            if not isinstance(geometry, dict):
                continue
            circle_radius = radius if kind == "circle" else None
            self._zones.append((zone_id, geometry, circle_radius,
                                geometry_bounds(geometry, circle_radius)))

    def zone_for(self, lat: float | None, lon: float | None) -> uuid.UUID | None:
        if lat is None or lon is None:
            return None
        best: tuple[float, uuid.UUID] | None = None
        for zone_id, geometry, radius, bounds in self._zones:
            if in_bounds(bounds, lat, lon) and geometry_contains(geometry, lat, lon, radius):
                area = self._areas.get(zone_id)
                if area is None:
                    area = self._areas[zone_id] = geometry_area_m2(geometry, radius)
                if best is None or area < best[0]:
                    best = (area, zone_id)
        return best[1] if best else None
