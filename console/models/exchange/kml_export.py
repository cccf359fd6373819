"""KML 2.2 export of events and zones, for map tools (Google Earth, QGIS, uMap...).

Written with the standard library: placemarks styled by severity, circles as 64-gons. Each
placemark carries the full event record in <ExtendedData> (console.models.exchange.kml_import
reads it back, also after GDAL's ogr2ogr). Events without a position are left out: a placemark
is a place.
"""
from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from console.models.entities import Zone
from console.models.enums import SEVERITY_COLOURS, Severity
from console.models.eventlog.query import EventFilter, iter_events
from console.models.exchange.geo import EXERCISE_MARK, atomic_write, zones
from console.models.records import to_record

KML_NS = "http://www.opengis.net/kml/2.2"


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


def _extended_data(placemark: ET.Element, values: dict[str, Any]) -> None:
    """Every field as <Data name="..."><value>: what the KML import reads back."""
    extended = _el(placemark, "ExtendedData")
    for key, value in values.items():
        data = _el(extended, "Data")
        data.set("name", key)
        _el(data, "value", "" if value is None else str(value).lower() if isinstance(value, bool)
            else str(value))


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
        _extended_data(placemark, {"kind": "event", **to_record(event)})
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
        _extended_data(placemark, {"kind": "zone", "zone_kind": zone.kind,
                                   "radius_m": zone.radius_m, "centre_code": zone.centre_code})
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
