"""An event from the attributes of a GeoJSON feature or a KML placemark, ours or not.

Console exports carry the full event record; the same file after GDAL (ogr2ogr) has its times
rounded to milliseconds and written as "2026-12-01T10:11:12.654Z" (GeoJSON) or
"2026/12/01 10:11:12.654+00" (KML), booleans as 1/0 and numbers as text: all are read back.
A feature without a usable id gets one derived from its content (uuid5 over a canonical JSON of
geometry and attributes), so importing the same file again adds nothing.
Who wrote the event, where, and its status are kept only from a trusted export
(console.models.exchange.trust); a foreign feature becomes a new open import by the importing
user, its console fields ignored.
"""
from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from console.models.enums import Category, Severity, Status
from console.models.exchange.importing import Incoming
from console.models.exchange.trust import Deployment, Provenance, aware_or_none
from console.models.validation import EventDraft

# Fixed for ever: the same content gives the same id on every workstation.
CONTENT_NAMESPACE = uuid.UUID("0b7e3f4a-5d1c-5e8a-b2f9-6c4d8e1a7f30")
TRUE_WORDS = frozenset({"true", "1", "yes", "oui", "y", "o"})
# GDAL's KML/CSV date-time: 2026/12/01 10:11:12.654+00 (offset in hours, or +0530 / +05:30).
GDAL_TIME = re.compile(r"^(\d{4})/(\d\d)/(\d\d)[ T](\d\d:\d\d:\d\d(?:\.\d+)?)"
                       r"(?:([+-]\d\d)(?::?(\d\d))?|Z)?$")


def content_id(geometry: Any, properties: Mapping[str, Any]) -> uuid.UUID:
    """A stable id for a feature that has none: same geometry and attributes, same id."""
    canonical = json.dumps({"geometry": geometry, "properties": dict(properties)},
                           sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                           default=str)
    return uuid.uuid5(CONTENT_NAMESPACE, canonical)


def parse_time(value: Any) -> datetime | None:
    """ISO 8601 (with Z), or GDAL's "YYYY/MM/DD HH:MM:SS[.fff][+HH]"; None when absent."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()
    match = GDAL_TIME.match(text)
    if match:
        year, month, day, clock, hours, minutes = match.groups()
        offset = "+00:00" if hours is None else f"{hours}:{minutes or '00'}"
        text = f"{year}-{month}-{day}T{clock}{offset}"
    try:
        return datetime.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"not a date-time: {value!r}") from error


def parse_flag(value: Any) -> bool:
    return str(value).strip().lower() in TRUE_WORDS if value is not None else False


def parse_uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value not in (None, "") else None
    except ValueError:
        return None


def _first(properties: Mapping[str, Any], *names: str) -> Any:
    """The first non-empty attribute among names (GDAL writes KML's <name> as "Name")."""
    for name in names:
        value = properties.get(name)
        if value not in (None, ""):
            return value
    return None


def _provenance(properties: Mapping[str, Any], notices: list[str]) -> Provenance:
    status = str(properties.get("status") or Status.OPEN.value)
    if status not in {s.value for s in Status}:
        notices.append(f"unknown status {status!r}: imported open")
        status = Status.OPEN.value
    closed_at = aware_or_none(parse_time(properties.get("closed_at")), notices) \
        if status == Status.CLOSED else None
    return Provenance(centre_code=str(properties["centre_code"]),
                      author=str(properties["author"]), status=status, closed_at=closed_at)


def read_event(properties: Mapping[str, Any], position: tuple[float, float] | None, *,
               label: str, given_id: Any, content: uuid.UUID, deployment: Deployment,
               scheme: str, when: Any = None) -> Incoming:
    """The Incoming of one feature; ValueError (with the field named) when it cannot be read.

    `position` is (latitude, longitude); `when` a fallback time (a KML TimeStamp); `scheme`
    names the origin of a foreign feature ("geojson", "kml").
    """
    notices: list[str] = []
    event_id = parse_uuid(given_id) or parse_uuid(properties.get("id"))
    trusted = deployment.vouches(properties.get("centre_code"), properties.get("author"))
    category = _first(properties, "category")
    severity = _first(properties, "severity")
    if category is None:
        category = Category.LOGISTICS.value
        notices.append("no category given: logistics")
    if severity is None:
        severity = int(Severity.MODERATE)
        notices.append("no severity given: moderate (2)")
    occurred = parse_time(_first(properties, "occurred_at")) or parse_time(when)
    if occurred is None:
        raise ValueError("occurred_at: no time given (an occurred_at attribute or a KML "
                         "TimeStamp is needed)")
    latitude, longitude = position if position is not None else (None, None)
    draft = EventDraft(
        title=str(_first(properties, "title", "name", "Name") or ""),
        description=str(_first(properties, "description", "Description") or ""),
        category=str(category), severity=severity, occurred_at=occurred,
        place=str(_first(properties, "place") or ""), latitude=latitude, longitude=longitude,
        source=str(_first(properties, "source") or ""),
        flagged_for_authorities=parse_flag(properties.get("flagged_for_authorities")))
    # GDAL numbers features 0, 1, 2...: only a UUID identifies a feature across files.
    key = str(event_id or content)
    if not trusted:
        if properties.get("centre_code") or properties.get("author"):
            notices.append("not a console of this deployment: author, centre, status and id "
                           "ignored (imported as yours, open)")
        origin = str(properties.get("origin") or f"{scheme}:{key}")
        return Incoming(draft=draft, origin=origin, label=label, notices=notices,
                        source_id=event_id)
    provenance = _provenance(properties, notices)
    origin = str(properties.get("origin") or f"console:{provenance.centre_code}/{key}")
    return Incoming(draft=draft, origin=origin, event_id=event_id,
                    zone_id=parse_uuid(properties.get("zone_id")),
                    venue_code=str(properties.get("venue_code") or "") or None, label=label,
                    provenance=provenance, notices=notices)
