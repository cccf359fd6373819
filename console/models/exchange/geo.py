"""GeoJSON (RFC 7946) and KML 2.2 export of events and zones, and GeoJSON import of events.

GeoJSON features carry the full event record (console.models.records) as properties, so that
event -> GeoJSON -> event keeps every field; the import refuses anything that is not a
FeatureCollection of console events and reports each refused feature.
KML is written with the standard library (placemarks styled by severity; circles as 64-gons).
"""
from __future__ import annotations

import json
import math
import uuid
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.models.entities import Zone
from console.models.enums import SEVERITY_COLOURS, Severity
from console.models.eventlog.query import EventFilter, iter_events
from console.models.exchange.importing import Incoming
from console.models.records import to_record
from console.models.validation import EventDraft

KML_NS = "http://www.opengis.net/kml/2.2"
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
    record = to_record(zone)
    geometry = json.loads(record.pop("geometry"))
    return {"type": "Feature", "id": record["id"], "geometry": geometry,
            "properties": {"kind": "zone", **record}}


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


def read_geojson_events(data: bytes) -> tuple[list[Incoming], list[tuple[str, str]]]:
    """Events of a console GeoJSON export, and the (feature, why) of those refused."""
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
            properties = feature.get("properties") or {}
            if properties.get("kind", "event") != "event":
                continue  # zones travel with events but are not imported here
            geometry = feature.get("geometry")
            latitude = longitude = None
            if geometry:
                if geometry.get("type") != "Point":
                    raise ValueError("an event is a Point")
                longitude, latitude = geometry["coordinates"][:2]
            event_id = uuid.UUID(str(properties.get("id") or feature.get("id")))
            label = f"feature {index} ({event_id})"
            occurred = datetime.fromisoformat(properties["occurred_at"])
            draft = EventDraft(
                title=properties.get("title", ""), description=properties.get("description") or "",
                category=properties.get("category", ""), severity=properties.get("severity"),
                occurred_at=occurred, place=properties.get("place") or "",
                latitude=latitude, longitude=longitude, source=properties.get("source") or "",
                flagged_for_authorities=bool(properties.get("flagged_for_authorities")))
            zone = properties.get("zone_id")
            origin = properties.get("origin") or \
                f"console:{properties.get('centre_code', '?')}/{event_id}"
            items.append(Incoming(draft=draft, origin=origin, event_id=event_id,
                                  zone_id=uuid.UUID(zone) if zone else None,
                                  venue_code=properties.get("venue_code") or None, label=label))
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
            refused.append((label, f"{error.__class__.__name__}: {error}"))
    return items, refused


# -- KML ------------------------------------------------------------------------------------------

def _kml_colour(hex_rgb: str, alpha: str = "ff") -> str:
    # KML colours are aabbggrr.
    r, g, b = hex_rgb[1:3], hex_rgb[3:5], hex_rgb[5:7]
    return f"{alpha}{b}{g}{r}"


def _circle_ring(lon: float, lat: float, radius_m: float, steps: int = 64) -> str:
    points = []
    for i in range(steps + 1):
        angle = 2 * math.pi * i / steps
        dlat = radius_m * math.cos(angle) / 111_320
        dlon = radius_m * math.sin(angle) / (111_320 * math.cos(math.radians(lat)))
        points.append(f"{lon + dlon:.6f},{lat + dlat:.6f}")
    return " ".join(points)


def _ring(coordinates: list[list[float]]) -> str:
    return " ".join(f"{c[0]:.6f},{c[1]:.6f}" for c in coordinates)


def _el(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    """A KML child element, with its text if given."""
    child = ET.SubElement(parent, f"{{{KML_NS}}}{tag}")
    if text is not None:
        child.text = text
    return child


def _kml_styles(document: ET.Element) -> None:
    """One icon style per severity (#severity1..4) and one for zones (#zone)."""
    for severity in Severity:
        style = _el(document, "Style")
        style.set("id", f"severity{int(severity)}")
        icon = _el(style, "IconStyle")
        _el(icon, "color", _kml_colour(SEVERITY_COLOURS[severity]))
        _el(icon, "scale", f"{0.7 + 0.15 * int(severity):.2f}")
    zone_style = _el(document, "Style")
    zone_style.set("id", "zone")
    line = _el(zone_style, "LineStyle")
    _el(line, "color", _kml_colour("#7b1fa2"))
    _el(line, "width", "2")
    _el(_el(zone_style, "PolyStyle"), "color", _kml_colour("#7b1fa2", "40"))


def _kml_events(document: ET.Element, session: Session, flt: EventFilter) -> int:
    """A folder of the events that have coordinates; returns how many were written."""
    folder = _el(document, "Folder")
    _el(folder, "name", "Événements / events")
    count = 0
    for event in iter_events(session, flt):
        if event.latitude is None or event.longitude is None:
            continue
        placemark = _el(folder, "Placemark")
        placemark.set("id", str(event.id))
        _el(placemark, "name", event.title)
        _el(placemark, "description",
            f"{event.occurred_at.isoformat()} · {event.centre_code} · {event.category} · "
            f"severity {event.severity} · {event.status}\n{event.place}\n{event.description}")
        _el(_el(placemark, "TimeStamp"), "when", event.occurred_at.isoformat())
        _el(placemark, "styleUrl", f"#severity{event.severity}")
        extended = _el(placemark, "ExtendedData")
        for key in ("id", "category", "severity", "status", "centre_code", "origin"):
            data = _el(extended, "Data")
            data.set("name", key)
            _el(data, "value", str(getattr(event, key) or ""))
        _el(_el(placemark, "Point"), "coordinates",
            f"{event.longitude:.6f},{event.latitude:.6f}")
        count += 1
    return count


def _kml_zones(document: ET.Element, zone_rows: list[Zone]) -> None:
    """A folder of zone outlines (circles drawn as rings); other geometries are left out."""
    folder = _el(document, "Folder")
    _el(folder, "name", "Zones")
    for zone in zone_rows:
        geometry = json.loads(zone.geometry)
        placemark = _el(folder, "Placemark")
        placemark.set("id", str(zone.id))
        _el(placemark, "name", zone.name)
        _el(placemark, "styleUrl", "#zone")
        if zone.kind == "circle" and geometry.get("type") == "Point":
            lon, lat = geometry["coordinates"][:2]
            ring = _circle_ring(lon, lat, zone.radius_m or 0)
        elif geometry.get("type") == "Polygon":
            ring = _ring(geometry["coordinates"][0])
        else:
            continue
        polygon = _el(placemark, "Polygon")
        _el(_el(_el(polygon, "outerBoundaryIs"), "LinearRing"), "coordinates", ring)


def export_kml(session: Session, flt: EventFilter, path: Path, *, include_zones: bool = True,
               exercise: bool = False) -> tuple[int, int]:
    ET.register_namespace("", KML_NS)
    root = ET.Element(f"{{{KML_NS}}}kml")
    document = _el(root, "Document")
    _el(document, "name", (EXERCISE_MARK + " - " if exercise else "") + "console export")
    if exercise:
        _el(document, "description", EXERCISE_MARK)
    _kml_styles(document)
    count = _kml_events(document, session, flt)
    zone_rows = zones(session, flt) if include_zones else []
    if zone_rows:
        _kml_zones(document, zone_rows)
    atomic_write(path, ET.tostring(root, encoding="utf-8", xml_declaration=True))
    return count, len(zone_rows)
