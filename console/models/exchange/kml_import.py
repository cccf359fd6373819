"""KML import: each Placemark with a Point, Polygon or LineString becomes an event.

Parsed with defusedxml (no DTD, no entities, nothing fetched). Any KML namespace is accepted
(2.2, Google's older ones, none). A placemark's attributes are its <ExtendedData> (<Data>
values, and GDAL's <SchemaData>/<SimpleData>), then its <name> and <description> and its
<TimeStamp>; they are read as GeoJSON properties are (console.models.exchange.properties).
A polygon or a line is placed at the mean of its vertices (the closing one counted once),
and the report says so. Zones of a console export (kind "zone") are not events and are skipped.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring

from console.models.exchange.geo import GeoError
from console.models.exchange.importing import Incoming
from console.models.exchange.properties import content_id, read_event
from console.models.exchange.trust import Deployment

MAX_KML_BYTES = 200 * 1024 * 1024
GEOMETRIES = ("Point", "Polygon", "LineString")


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) == name]


def _child_text(element: ET.Element, name: str) -> str | None:
    found = _children(element, name)
    return (found[0].text or "").strip() if found else None


def _descendants(element: ET.Element, name: str) -> list[ET.Element]:
    return [node for node in element.iter() if _local(node.tag) == name]


def _attributes(placemark: ET.Element) -> dict[str, Any]:
    """ExtendedData first; <name>/<description> as GDAL names them when no title is there."""
    values: dict[str, Any] = {}
    for extended in _children(placemark, "ExtendedData"):
        for data in _descendants(extended, "Data"):
            if data.get("name"):
                values[data.get("name", "")] = _child_text(data, "value") or ""
        for data in _descendants(extended, "SimpleData"):
            if data.get("name"):
                values[data.get("name", "")] = (data.text or "").strip()
    if not values.get("title"):
        for element, key in (("name", "Name"), ("description", "Description")):
            text = _child_text(placemark, element)
            if text:
                values.setdefault(key, text)
    return values


def _coordinates(text: str) -> list[tuple[float, float]]:
    """(latitude, longitude) pairs of a KML coordinates string "lon,lat[,alt] ..."."""
    points = []
    for chunk in text.split():
        parts = chunk.split(",")
        if len(parts) < 2:
            raise ValueError(f"coordinates: {chunk!r} is not longitude,latitude")
        try:
            points.append((float(parts[1]), float(parts[0])))
        except ValueError as error:
            raise ValueError(f"coordinates: {chunk!r} is not longitude,latitude") from error
    if not points:
        raise ValueError("coordinates: empty")
    return points


def _position(placemark: ET.Element, notices: list[str]) -> tuple[float, float] | None:
    for name in GEOMETRIES:
        found = _descendants(placemark, name)
        if not found:
            continue
        # The outer ring only, for a polygon: holes do not move its centre.
        rings = _descendants(found[0], "outerBoundaryIs") or [found[0]]
        coordinates = _descendants(rings[0], "coordinates")
        if not coordinates:
            raise ValueError(f"{name}: no coordinates")
        points = _coordinates(coordinates[0].text or "")
        if name == "Point":
            return points[0]
        if name == "Polygon" and len(points) > 1 and points[0] == points[-1]:
            points = points[:-1]
        notices.append(f"{name}: placed at the mean of its {len(points)} vertices")
        return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
    return None


def read_kml_events(data: bytes, deployment: Deployment | None = None,
                    ) -> tuple[list[Incoming], list[tuple[str, str]]]:
    """Events of a KML document, and the (placemark, why) of those refused."""
    if len(data) > MAX_KML_BYTES:
        raise GeoError("refused: file too large for a KML document")
    try:
        root = safe_fromstring(data, forbid_dtd=True, forbid_entities=True,
                               forbid_external=True)
    except DefusedXmlException as error:
        raise GeoError("refused: the document declares a DTD or entities; KML never needs "
                       f"one ({error.__class__.__name__})") from error
    except ET.ParseError as error:
        raise GeoError(f"refused: not well-formed XML ({error})") from error
    if _local(root.tag) != "kml":
        raise GeoError(f"refused: not a KML document (root element <{_local(root.tag)}>)")
    items: list[Incoming] = []
    refused: list[tuple[str, str]] = []
    for index, placemark in enumerate(_descendants(root, "Placemark"), start=1):
        name = _child_text(placemark, "name")
        label = f"placemark {index}" + (f" ({name[:60]})" if name else "")
        try:
            attributes = _attributes(placemark)
            if attributes.get("kind", "event") != "event":
                continue  # a zone of a console export
            notices: list[str] = []
            position = _position(placemark, notices)
            when = _child_text(_children(placemark, "TimeStamp")[0], "when") \
                if _children(placemark, "TimeStamp") else None
            item = read_event(
                attributes, position, label=label, given_id=placemark.get("id"),
                content=content_id(position, attributes), deployment=deployment or Deployment(),
                scheme="kml", when=when)
            item.notices[:0] = notices
            items.append(item)
        except (KeyError, TypeError, ValueError, IndexError) as error:
            refused.append((label, f"{error.__class__.__name__}: {error}"))
    return items, refused
