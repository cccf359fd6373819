"""OASIS CAP 1.2 export: one alert per event, checked against the official schema.

The alert's `sender` is `console:<centre>`; `console:*` parameters carry every field of the
event (id, exact time, author, centre, status, closure...) so that another workstation of this
deployment imports it back unchanged (console.models.exchange.cap, trust.py).
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from defusedxml.ElementTree import fromstring as safe_fromstring

from console.models.entities import Event
from console.models.enums import Category, Severity
from console.models.exchange.cap import CAP_NS, CONSOLE_PREFIX, q, schema

CATEGORY_TO_CAP = {
    Category.SECURITY: "Security", Category.HEALTH: "Health", Category.TRANSPORT: "Transport",
    Category.CYBER: "Infra", Category.LOGISTICS: "Infra", Category.CROWD: "Safety",
    Category.MEDIA: "Other",
}
SEVERITY_TO_CAP = {Severity.CRITICAL: "Extreme", Severity.HIGH: "Severe",
                   Severity.MODERATE: "Moderate", Severity.LOW: "Minor"}


def _cap_datetime(value: datetime) -> str:
    # CAP 1.2 requires an explicit offset and no fraction: 2024-07-26T19:30:00+00:00.
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def event_to_cap(event: Event, *, sender_centre: str, exercise: bool,
                 sent: datetime | None = None) -> bytes:
    """A CAP 1.2 alert for one event, valid against the schema (checked before returning)."""
    ET.register_namespace("", CAP_NS)
    alert = ET.Element(q("alert"))

    def add(parent: ET.Element, tag: str, text: str) -> ET.Element:
        child = ET.SubElement(parent, q(tag))
        child.text = text
        return child

    add(alert, "identifier", str(event.id))
    add(alert, "sender", f"{CONSOLE_PREFIX}{sender_centre}")
    add(alert, "sent", _cap_datetime(sent or datetime.now(UTC)))
    add(alert, "status", "Exercise" if exercise else "Actual")
    add(alert, "msgType", "Alert")
    add(alert, "scope", "Restricted")
    add(alert, "restriction", "Diffusion restreinte")
    if exercise:
        add(alert, "note", "EXERCICE / EXERCISE")
    info = ET.SubElement(alert, q("info"))
    add(info, "language", "fr-FR")
    add(info, "category", CATEGORY_TO_CAP[Category(event.category)])
    add(info, "event", event.category)
    add(info, "urgency", "Immediate" if event.severity >= Severity.HIGH else "Expected")
    add(info, "severity", SEVERITY_TO_CAP[Severity(event.severity)])
    add(info, "certainty", "Observed")
    add(info, "effective", _cap_datetime(event.occurred_at))
    add(info, "onset", _cap_datetime(event.occurred_at))
    add(info, "senderName", event.centre_code)
    add(info, "headline", event.title)
    if event.description:
        add(info, "description", event.description)
    parameters = {
        "console:id": str(event.id), "console:category": event.category,
        "console:severity": str(event.severity),
        "console:occurred_at": event.occurred_at.astimezone(UTC).isoformat(),
        "console:place": event.place or "", "console:source": event.source or "",
        "console:flagged": "true" if event.flagged_for_authorities else "false",
        "console:latitude": "" if event.latitude is None else repr(event.latitude),
        "console:longitude": "" if event.longitude is None else repr(event.longitude),
        "console:venue": event.venue_code or "",
        "console:zone": str(event.zone_id) if event.zone_id else "",
        "console:centre": event.centre_code, "console:author": event.author,
        "console:status": event.status,
        "console:closed_at": event.closed_at.astimezone(UTC).isoformat() if event.closed_at
        else "",
    }
    if event.origin:
        parameters["console:origin"] = event.origin
    for name, value in parameters.items():
        parameter = ET.SubElement(info, q("parameter"))
        add(parameter, "valueName", name)
        add(parameter, "value", value)
    area = ET.SubElement(info, q("area"))
    add(area, "areaDesc", event.place or "-")
    if event.latitude is not None and event.longitude is not None:
        add(area, "circle", f"{event.latitude:.6f},{event.longitude:.6f} 0")
    data: bytes = ET.tostring(alert, encoding="utf-8", xml_declaration=True)
    schema().validate(safe_fromstring(data))  # never send out an invalid message
    return data
