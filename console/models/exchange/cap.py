"""OASIS CAP 1.2 alerts: safe parsing, validation against the official schema, import and export.

Parsing goes through defusedxml (DTDs, entity declarations and external references are refused:
no "billion laughs", no file disclosure), then the document is validated with `xmlschema`
against the CAP-v1.2.xsd shipped in resources/cap (no network access). Only then are
values read. A refused message changes nothing and says why.

Mapping to an event: the first <info> block in French, else in English, else the first one gives
the title (headline or event), description (+ instruction), category, severity, time (onset,
effective, else sent), place (areaDesc) and position (centre of the first circle or polygon).
Alerts written by this console carry `console:*` parameters so that a round trip
event -> CAP -> event keeps every field exactly (id, microseconds, flag, venue, zone).
"""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import cast

import xmlschema
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring

from console.config import resources_dir
from console.models.entities import Event
from console.models.enums import Category, Severity
from console.models.exchange.importing import Incoming
from console.models.validation import EventDraft

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
SCHEMA_PATH = resources_dir() / "cap" / "CAP-v1.2.xsd"
MAX_BYTES = 5 * 1024 * 1024  # a CAP message is a few kilobytes; refuse anything absurd
CONSOLE_SENDER_PREFIX = "console:"

CAP_TO_CATEGORY = {
    "Geo": Category.LOGISTICS, "Met": Category.LOGISTICS, "Safety": Category.SECURITY,
    "Security": Category.SECURITY, "Rescue": Category.SECURITY, "Fire": Category.SECURITY,
    "Health": Category.HEALTH, "Env": Category.LOGISTICS, "Transport": Category.TRANSPORT,
    "Infra": Category.LOGISTICS, "CBRNE": Category.SECURITY, "Other": Category.LOGISTICS,
}
CATEGORY_TO_CAP = {
    Category.SECURITY: "Security", Category.HEALTH: "Health", Category.TRANSPORT: "Transport",
    Category.CYBER: "Infra", Category.LOGISTICS: "Infra", Category.CROWD: "Safety",
    Category.MEDIA: "Other",
}
CAP_TO_SEVERITY = {"Extreme": Severity.CRITICAL, "Severe": Severity.HIGH,
                   "Moderate": Severity.MODERATE, "Minor": Severity.LOW,
                   "Unknown": Severity.MODERATE}
SEVERITY_TO_CAP = {Severity.CRITICAL: "Extreme", Severity.HIGH: "Severe",
                   Severity.MODERATE: "Moderate", Severity.LOW: "Minor"}


class CapError(ValueError):
    """The message was refused; the text says why. Nothing was written."""


@lru_cache(maxsize=1)
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMA_PATH))


def _q(tag: str) -> str:
    return f"{{{CAP_NS}}}{tag}"


def parse(data: bytes) -> ET.Element:
    """The validated <alert> element, or CapError with a message fit for an operator."""
    if len(data) > MAX_BYTES:
        raise CapError(f"refused: {len(data):,} bytes, more than a CAP message can be "
                       f"({MAX_BYTES:,})")
    try:
        root = safe_fromstring(data, forbid_dtd=True, forbid_entities=True,
                               forbid_external=True)
    except DefusedXmlException as error:
        raise CapError("refused: the document declares a DTD or entities (possible entity "
                       f"expansion attack); CAP messages never need one ({error.__class__.__name__})"
                       ) from error
    except ET.ParseError as error:
        raise CapError(f"refused: not well-formed XML ({error})") from error
    if root.tag != _q("alert"):
        namespace, _, local = root.tag[1:].partition("}") if root.tag.startswith("{") \
            else ("", "", root.tag)
        raise CapError(f"refused: not a CAP 1.2 alert (root element <{local or root.tag}> in "
                       f"namespace {namespace or '(none)'!r}; expected <alert> in {CAP_NS!r})")
    errors = list(schema().iter_errors(root))
    if errors:
        details = "; ".join(f"{e.path or ''}: {e.reason}" for e in errors[:3])
        more = f" (+{len(errors) - 3} more)" if len(errors) > 3 else ""
        raise CapError(f"refused: invalid CAP 1.2 message: {details}{more}")
    return cast("ET.Element[str]", root)


def _text(element: ET.Element | None, tag: str) -> str:
    if element is None:
        return ""
    child = element.find(_q(tag))
    return (child.text or "").strip() if child is not None else ""


def _cap_time(text: str) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _centre_of(area: ET.Element) -> tuple[float | None, float | None]:
    circle = _text(area, "circle")
    if circle:
        lat, lon = circle.split()[0].split(",")
        return float(lat), float(lon)
    polygon = _text(area, "polygon")
    if polygon:
        points = [tuple(map(float, p.split(","))) for p in polygon.split()]
        if len(points) > 1 and points[0] == points[-1]:
            points = points[:-1]
        return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
    return None, None


@dataclass
class CapAlert:
    identifier: str
    sender: str
    sent: datetime
    status: str
    msg_type: str
    incoming: Incoming


def _pick_info(alert: ET.Element) -> ET.Element | None:
    infos = alert.findall(_q("info"))
    for prefix in ("fr", "en"):
        for info in infos:
            if _text(info, "language").lower().startswith(prefix):
                return info
    if infos and not any(_text(i, "language") for i in infos):
        return infos[0]
    return infos[0] if infos else None


def to_incoming(alert: ET.Element) -> CapAlert:
    """The event an alert becomes; CapError if it carries no <info> or is not operational."""
    identifier, sender = _text(alert, "identifier"), _text(alert, "sender")
    status, msg_type = _text(alert, "status"), _text(alert, "msgType")
    sent = _cap_time(_text(alert, "sent"))
    assert sent is not None  # required by the schema
    if msg_type in ("Cancel", "Ack", "Error"):
        raise CapError(f"refused: a CAP {msg_type} message ({identifier}) is not an event; "
                       "record the cancellation as a follow-up of the original entry")
    if status not in ("Actual", "Exercise"):
        raise CapError(f"refused: CAP status {status!r} ({identifier}); only Actual and Exercise "
                       "messages are imported")
    info = _pick_info(alert)
    if info is None:
        raise CapError(f"refused: alert {identifier} has no <info> block (nothing to log)")
    params = {(_text(p, "valueName")): _text(p, "value") for p in info.findall(_q("parameter"))}
    area = info.find(_q("area"))
    latitude, longitude = _centre_of(area) if area is not None else (None, None)
    headline = _text(info, "headline") or _text(info, "event")
    description = _text(info, "description")
    instruction = _text(info, "instruction")
    cap_category = _text(info, "category")
    category = params.get("console:category") or CAP_TO_CATEGORY.get(
        cap_category, Category.LOGISTICS).value
    severity = int(params.get("console:severity") or CAP_TO_SEVERITY.get(
        _text(info, "severity"), Severity.MODERATE))
    occurred = (_cap_time(params.get("console:occurred_at", "")) or _cap_time(_text(info, "onset"))
                or _cap_time(_text(info, "effective")) or sent)
    if "console:latitude" in params:
        latitude = float(params["console:latitude"]) if params["console:latitude"] else None
        longitude = float(params["console:longitude"]) if params["console:longitude"] else None
    if sender.startswith(CONSOLE_SENDER_PREFIX):
        # Our own export: the texts are the event's own, verbatim.
        full_description = description
    else:
        extra = [f"CAP {msg_type} {identifier} de / from {sender}",
                 f"catégorie CAP / CAP category: {cap_category}, urgence / urgency: "
                 f"{_text(info, 'urgency')}, certitude / certainty: {_text(info, 'certainty')}"]
        if _text(alert, "references"):
            extra.append(f"références / references: {_text(alert, 'references')}")
        full_description = "\n\n".join(part for part in (description, instruction and
                                                         f"Consignes / instructions: {instruction}",
                                                         "\n".join(extra)) if part)
    draft = EventDraft(
        title=headline[:300], description=full_description[:20_000], category=category,
        severity=severity, occurred_at=occurred.astimezone(UTC),
        place=(params["console:place"] if "console:place" in params
               else _text(area, "areaDesc"))[:300],
        latitude=latitude, longitude=longitude,
        source=(params["console:source"] if "console:source" in params
                else _text(info, "senderName") or sender)[:200],
        flagged_for_authorities=params.get("console:flagged") == "true")
    event_id = uuid.UUID(params["console:id"]) if params.get("console:id") else None
    zone_id = uuid.UUID(params["console:zone"]) if params.get("console:zone") else None
    origin = params.get("console:origin") or f"cap:{sender}/{identifier}"
    return CapAlert(identifier=identifier, sender=sender, sent=sent, status=status,
                    msg_type=msg_type, incoming=Incoming(
                        draft=draft, origin=origin, event_id=event_id, zone_id=zone_id,
                        venue_code=params.get("console:venue") or None,
                        label=f"CAP {identifier}"))


def read_alert(data: bytes, *, exercise: bool) -> CapAlert:
    """Parse, validate and map one CAP message; refuses exercise alerts in a real session."""
    alert = to_incoming(parse(data))
    if alert.status == "Exercise" and not exercise:
        raise CapError(f"refused: alert {alert.identifier} is an exercise message; import it in "
                       "an exercise session (console --exercise), never into real events")
    return alert


# -- export ---------------------------------------------------------------------------------------

def _cap_datetime(value: datetime) -> str:
    # CAP 1.2 requires an explicit offset and no fraction: 2024-07-26T19:30:00+00:00.
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def event_to_cap(event: Event, *, sender_centre: str, exercise: bool,
                 sent: datetime | None = None) -> bytes:
    """A CAP 1.2 alert for one event, valid against the schema (checked before returning)."""
    ET.register_namespace("", CAP_NS)
    alert = ET.Element(_q("alert"))

    def add(parent: ET.Element, tag: str, text: str) -> ET.Element:
        child = ET.SubElement(parent, _q(tag))
        child.text = text
        return child

    add(alert, "identifier", str(event.id))
    add(alert, "sender", f"{CONSOLE_SENDER_PREFIX}{sender_centre}")
    add(alert, "sent", _cap_datetime(sent or datetime.now(UTC)))
    add(alert, "status", "Exercise" if exercise else "Actual")
    add(alert, "msgType", "Alert")
    add(alert, "scope", "Restricted")
    add(alert, "restriction", "Diffusion restreinte")
    if exercise:
        add(alert, "note", "EXERCICE / EXERCISE")
    info = ET.SubElement(alert, _q("info"))
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
    }
    if event.origin:
        parameters["console:origin"] = event.origin
    for name, value in parameters.items():
        parameter = ET.SubElement(info, _q("parameter"))
        add(parameter, "valueName", name)
        add(parameter, "value", value)
    area = ET.SubElement(info, _q("area"))
    add(area, "areaDesc", event.place or "-")
    if event.latitude is not None and event.longitude is not None:
        add(area, "circle", f"{event.latitude:.6f},{event.longitude:.6f} 0")
    data: bytes = ET.tostring(alert, encoding="utf-8", xml_declaration=True)
    schema().validate(safe_fromstring(data))  # never send out an invalid message
    return data
