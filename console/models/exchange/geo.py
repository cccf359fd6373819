"""GeoJSON (RFC 7946) export of events and zones, and GeoJSON import of events.

GeoJSON features carry the full event record (console.models.records) as properties, so that
event -> GeoJSON -> event keeps every field; zones are marked "kind": "zone" (their own polygon
or circle kind is "zone_kind"). The import refuses anything that is not a FeatureCollection
and reports each refused feature with its reason. KML is in kml_export.py and kml_import.py.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.models.entities import Zone
from console.models.eventlog.query import EventFilter, iter_events
from console.models.exchange.importing import Incoming
from console.models.exchange.properties import content_id, parse_uuid, read_event
from console.models.exchange.trust import Deployment
from console.models.records import to_record

MAX_GEOJSON_BYTES = 200 * 1024 * 1024
EXERCISE_MARK = "EXERCICE / EXERCISE"


class GeoError(ValueError):
    """The file was refused; nothing was written."""


def atomic_write(path: Path, data: bytes) -> None:
    """Write through a .part file: a crash never leaves a truncated export under the real name."""
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)


def zones(session: Session, flt: EventFilter | None = None) -> list[Zone]:
    query = select(Zone).order_by(Zone.name)
    if flt is not None and flt.centres:
        query = query.where(Zone.centre_code.in_(sorted(flt.centres)))
    return list(session.scalars(query))


# -- GeoJSON --------------------------------------------------------------------------------------

def event_feature(record: dict[str, Any]) -> dict[str, Any]:
    geometry = None
    if record.get("latitude") is not None and record.get("longitude") is not None:
        geometry = {"type": "Point", "coordinates": [record["longitude"], record["latitude"]]}
    return {"type": "Feature", "id": record["id"], "geometry": geometry,
            "properties": {"kind": "event", **record}}


def zone_feature(zone: Zone) -> dict[str, Any]:
    """A zone's feature: "kind" says zone (not event); the zone's own kind is "zone_kind"."""
    record = to_record(zone)
    geometry = json.loads(record.pop("geometry"))
    record["zone_kind"] = record.pop("kind")
    return {"type": "Feature", "id": record["id"], "geometry": geometry,
            "properties": {**record, "kind": "zone"}}


def export_geojson(session: Session, flt: EventFilter, path: Path, *, include_zones: bool = True,
                   exercise: bool = False) -> tuple[int, int]:
    """Write events (and zones) of the filter; returns (events, zones) written."""
    features = [event_feature(to_record(e)) for e in iter_events(session, flt)]
    event_count = len(features)
    zone_rows = zones(session, flt) if include_zones else []
    features += [zone_feature(z) for z in zone_rows]
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if exercise:
        collection["console:exercise"] = EXERCISE_MARK  # foreign member (RFC 7946 section 6.1)
    atomic_write(path, json.dumps(collection, ensure_ascii=False).encode("utf-8"))
    return event_count, len(zone_rows)


def read_geojson_events(data: bytes, deployment: Deployment | None = None,
                        ) -> tuple[list[Incoming], list[tuple[str, str]]]:
    """Events of a GeoJSON FeatureCollection, and the (feature, why) of those refused.

    A console export (directly or after GDAL) keeps every field; see
    console.models.exchange.properties for foreign features and content-derived ids.
    """
    if len(data) > MAX_GEOJSON_BYTES:
        raise GeoError("refused: file too large for a GeoJSON export")
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise GeoError(f"refused: not JSON ({error})") from error
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection" \
            or not isinstance(document.get("features"), list):
        raise GeoError("refused: not a GeoJSON FeatureCollection")
    items: list[Incoming] = []
    refused: list[tuple[str, str]] = []
    for index, feature in enumerate(document["features"], start=1):
        label = f"feature {index}"
        try:
            if not isinstance(feature, dict):
                raise ValueError("not a GeoJSON Feature")
            properties = feature.get("properties") or {}
            if not isinstance(properties, dict):
                raise ValueError("properties: not an object")
            if properties.get("kind", "event") != "event":
                continue  # zones travel with events but are not imported here
            geometry = feature.get("geometry")
            given_id = feature.get("id")
            if parse_uuid(given_id) or parse_uuid(properties.get("id")):
                label = f"feature {index} ({parse_uuid(given_id) or properties.get('id')})"
            items.append(read_event(
                properties, _point(geometry), label=label, given_id=given_id,
                content=content_id(geometry, properties),
                deployment=deployment or Deployment(), scheme="geojson"))
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
            refused.append((label, f"{error.__class__.__name__}: {error}"))
    return items, refused


def _point(geometry: Any) -> tuple[float, float] | None:
    """(latitude, longitude) of an event's Point geometry; None without a geometry."""
    if not geometry:
        return None
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        raise ValueError("geometry: an event is a Point")
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        raise ValueError("geometry: a Point needs [longitude, latitude]")
    longitude, latitude = coordinates[:2]
    return float(latitude), float(longitude)
