"""OASIS CAP 1.2 alerts: safe parsing, validation against the official schema, import.

Parsing goes through defusedxml (DTDs, entity declarations and external references are refused:
no "billion laughs", no file disclosure), then the document is validated with `xmlschema`
against the CAP-v1.2.xsd shipped in resources/cap (no network access). Only then are
values read. A refused message changes nothing and says why.

Mapping to an event: the first <info> block in French, else in English, else the first one gives
the title (headline or event), description (+ instruction), category, severity, time (onset,
effective, else sent), place (areaDesc) and position (centre of the first circle or polygon).
Alerts written by this console (cap_export.py) carry `console:*` parameters so that a round trip
event -> CAP -> event keeps every field exactly (id, microseconds, flag, venue, zone, author,
centre, status); they are believed only from a console of this deployment (trust.py).
A text longer than the event's limit is cut with "[truncated: N characters]" and a warning.
"""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import TypeVar, cast

import xmlschema
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring

from console.config import resources_dir
from console.models.enums import Category, Severity, Status
from console.models.exchange.importing import Incoming
from console.models.exchange.trust import Deployment, Provenance, aware_or_none
from console.models.validation import MAX_PLACE, MAX_SOURCE, MAX_TEXT, MAX_TITLE, EventDraft

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
SCHEMA_PATH = resources_dir() / "cap" / "CAP-v1.2.xsd"
XMLDSIG_NS = "http://www.w3.org/2000/09/xmldsig#"
MAX_BYTES = 5 * 1024 * 1024  # a CAP message is a few kilobytes; refuse anything absurd
CONSOLE_PREFIX = "console:"  # our parameters' names, and our senders' (console:<centre>)
T = TypeVar("T")

CAP_TO_CATEGORY = {
    "Geo": Category.LOGISTICS, "Met": Category.LOGISTICS, "Safety": Category.SECURITY,
    "Security": Category.SECURITY, "Rescue": Category.SECURITY, "Fire": Category.SECURITY,
    "Health": Category.HEALTH, "Env": Category.LOGISTICS, "Transport": Category.TRANSPORT,
    "Infra": Category.LOGISTICS, "CBRNE": Category.SECURITY, "Other": Category.LOGISTICS,
}
CAP_TO_SEVERITY = {"Extreme": Severity.CRITICAL, "Severe": Severity.HIGH,
                   "Moderate": Severity.MODERATE, "Minor": Severity.LOW,
                   "Unknown": Severity.MODERATE}


class CapError(ValueError):
    """The message was refused; the text says why. Nothing was written."""


@lru_cache(maxsize=1)
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMA_PATH))


def q(tag: str) -> str:
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
    if root.tag != q("alert"):
        namespace, _, local = root.tag[1:].partition("}") if root.tag.startswith("{") \
            else ("", "", root.tag)
        raise CapError(f"refused: not a CAP 1.2 alert (root element <{local or root.tag}> in "
                       f"namespace {namespace or '(none)'!r}; expected <alert> in {CAP_NS!r})")
    errors = list(schema().iter_errors(_without_signatures(root)))
    if errors:
        details = "; ".join(f"{e.path or ''}: {e.reason}" for e in errors[:3])
        more = f" (+{len(errors) - 3} more)" if len(errors) > 3 else ""
        raise CapError(f"refused: invalid CAP 1.2 message: {details}{more}")
    return cast("ET.Element[str]", root)


def _without_signatures(alert: ET.Element) -> ET.Element:
    """The alert without its XML-DSig <Signature> blocks, for schema validation only.

    xmlschema validates a Signature against the xmldsig schema (the CAP schema's lax wildcard
    loads it), and real signed alerts (Canada's NAADS) carry signatures it rejects while their
    CAP part is valid. The console does not verify signatures; the import report says so.
    """
    if alert.find(f"{{{XMLDSIG_NS}}}Signature") is None:
        return alert
    copy = ET.Element(alert.tag, alert.attrib)
    copy.text = alert.text
    copy.extend(child for child in alert if child.tag != f"{{{XMLDSIG_NS}}}Signature")
    return copy


def _text(element: ET.Element | None, tag: str) -> str:
    if element is None:
        return ""
    child = element.find(q(tag))
    return (child.text or "").strip() if child is not None else ""


def _cap_time(text: str, field: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError as error:
        raise CapError(f"refused: {field}: {text[:60]!r} is not a date-time") from error


def _points(text: str, field: str) -> list[tuple[float, float]]:
    """The "lat,lon lat,lon ..." pairs of a circle centre or polygon, or CapError naming it."""
    points = []
    for pair in text.split():
        parts = pair.split(",")
        try:
            if len(parts) != 2:
                raise ValueError(pair)
            latitude, longitude = float(parts[0]), float(parts[1])
        except ValueError as error:
            raise CapError(f"refused: <{field}>: {pair[:60]!r} is not a latitude,longitude pair"
                           ) from error
        points.append((latitude, longitude))
    return points


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _centre_of(area: ET.Element) -> tuple[float | None, float | None]:
    """The centre of the area's first circle, else the mean of its first polygon's vertices."""
    circle = _text(area, "circle")
    if circle:
        parts = circle.split()
        centre = _points(parts[0], "circle")
        if len(parts) != 2 or not _is_number(parts[1]):
            raise CapError(f"refused: <circle>: {circle[:60]!r} is not \"latitude,longitude "
                           "radius\"")
        return centre[0]
    polygon = _text(area, "polygon")
    if polygon:
        points = _points(polygon, "polygon")
        if len(points) > 1 and points[0] == points[-1]:
            points = points[:-1]
        return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
    return None, None


def _fit(text: str, limit: int, field: str, notices: list[str]) -> str:
    """The text if it fits; else cut, with "[truncated: N characters]" at its end and a notice."""
    if len(text) <= limit:
        return text
    cut = len(text) - limit
    while True:  # the mark takes room too: a few rounds until N is what is really cut
        mark = f" [truncated: {cut:,} characters]"
        if len(text) - (limit - len(mark)) == cut:
            break
        cut = len(text) - (limit - len(mark))
    notices.append(f"{field}: {len(text):,} characters, more than the {limit:,} allowed: "
                   f"the last {cut:,} were cut (marked in the text)")
    return text[:limit - len(mark)] + mark


@dataclass
class CapAlert:
    identifier: str
    sender: str
    sent: datetime
    status: str
    msg_type: str
    incoming: Incoming
    signed: bool = False


def _pick_info(alert: ET.Element) -> ET.Element | None:
    infos = alert.findall(q("info"))
    for prefix in ("fr", "en"):
        for info in infos:
            if _text(info, "language").lower().startswith(prefix):
                return info
    return infos[0] if infos else None


class _Params:
    """The console:* parameters of a trusted alert, each converted or refused by name."""

    def __init__(self, info: ET.Element, trusted: bool) -> None:
        self.values = {_text(p, "valueName"): _text(p, "value")
                       for p in info.findall(q("parameter"))}
        self.trusted = trusted

    def ignored(self) -> bool:
        return not self.trusted and any(k.startswith(CONSOLE_PREFIX) for k in self.values)

    def has(self, name: str) -> bool:
        return self.trusted and CONSOLE_PREFIX + name in self.values

    def text(self, name: str) -> str | None:
        return self.values[CONSOLE_PREFIX + name] if self.has(name) else None

    def convert(self, name: str, convert: Callable[[str], T], what: str) -> T | None:
        value = self.text(name)
        if not value:
            return None
        try:
            return convert(value)
        except (ValueError, TypeError, OverflowError) as error:
            raise CapError(f"refused: parameter {CONSOLE_PREFIX}{name}: {value[:60]!r} is not "
                           f"{what}") from error


def _severity(text: str) -> int:
    return int(Severity(int(text)))


def _description(alert: ET.Element, info: ET.Element, params: _Params) -> str:
    description = _text(info, "description")
    if params.trusted:
        return description  # our own export: the event's text, verbatim
    identifier, sender, msg_type = (_text(alert, "identifier"), _text(alert, "sender"),
                                    _text(alert, "msgType"))
    instruction = _text(info, "instruction")
    extra = [f"CAP {msg_type} {identifier} de / from {sender}",
             f"catégorie CAP / CAP category: {_text(info, 'category')}, urgence / urgency: "
             f"{_text(info, 'urgency')}, certitude / certainty: {_text(info, 'certainty')}"]
    if _text(alert, "references"):
        extra.append(f"références / references: {_text(alert, 'references')}")
    return "\n\n".join(part for part in (
        description, instruction and f"Consignes / instructions: {instruction}",
        "\n".join(extra)) if part)


def _provenance(params: _Params, notices: list[str], deployment: Deployment,
                ) -> Provenance | None:
    centre, author = params.text("centre"), params.text("author")
    if centre is None and author is None:
        return None
    if not deployment.vouches(centre, author):
        notices.append(f"author {author!r} or centre {centre!r} unknown in this deployment: "
                       "imported as yours")
        return None
    status = params.text("status") or Status.OPEN.value
    if status not in {s.value for s in Status}:
        raise CapError(f"refused: parameter console:status: {status[:60]!r} is not one of "
                       f"{', '.join(s.value for s in Status)}")
    closed_at = aware_or_none(params.convert("closed_at", datetime.fromisoformat,
                                             "a date-time"), notices)
    return Provenance(centre_code=str(centre), author=str(author), status=status,
                      closed_at=closed_at)


def to_incoming(alert: ET.Element, deployment: Deployment | None = None) -> CapAlert:
    """The event an alert becomes; CapError, naming the field, when it cannot be one.

    `console:*` parameters count only when the sender is a console of `deployment`
    (console.models.exchange.trust); from anyone else they are ignored, and said so.
    """
    deployment = deployment or Deployment()
    identifier, sender = _text(alert, "identifier"), _text(alert, "sender")
    status, msg_type = _text(alert, "status"), _text(alert, "msgType")
    sent = _cap_time(_text(alert, "sent"), "sent")
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
    notices: list[str] = []
    params = _Params(info, trusted=deployment.is_console_sender(sender))
    if params.ignored():
        notices.append(f"sender {sender!r} is not a console of this deployment: its console:* "
                       "parameters were ignored")
    area = info.find(q("area"))
    latitude, longitude = _centre_of(area) if area is not None else (None, None)
    if params.has("latitude"):
        latitude = params.convert("latitude", float, "a latitude")
        longitude = params.convert("longitude", float, "a longitude")
    category = params.text("category") or CAP_TO_CATEGORY.get(
        _text(info, "category"), Category.LOGISTICS).value
    severity = params.convert("severity", _severity, "a severity (1 to 4)") or int(
        CAP_TO_SEVERITY.get(_text(info, "severity"), Severity.MODERATE))
    occurred = (params.convert("occurred_at", datetime.fromisoformat, "a date-time")
                or _cap_time(_text(info, "onset"), "onset")
                or _cap_time(_text(info, "effective"), "effective") or sent)
    place = params.text("place")
    source = params.text("source")
    draft = EventDraft(
        title=_fit(_text(info, "headline") or _text(info, "event"), MAX_TITLE, "title",
                   notices),
        description=_fit(_description(alert, info, params), MAX_TEXT, "description", notices),
        category=category, severity=severity, occurred_at=occurred.astimezone(UTC),
        place=_fit(place if place is not None else _text(area, "areaDesc"), MAX_PLACE, "place",
                   notices),
        latitude=latitude, longitude=longitude,
        source=_fit(source if source is not None else _text(info, "senderName") or sender,
                    MAX_SOURCE, "source", notices),
        flagged_for_authorities=params.text("flagged") == "true")
    signed = alert.find(f"{{{XMLDSIG_NS}}}Signature") is not None
    if signed:
        notices.append("signed alert: the XML signature was not verified (the console does not "
                       "check signatures); the CAP content was validated without it")
    return CapAlert(identifier=identifier, sender=sender, sent=sent, status=status,
                    msg_type=msg_type, signed=signed, incoming=Incoming(
                        draft=draft,
                        origin=params.text("origin") or f"cap:{sender}/{identifier}",
                        event_id=params.convert("id", uuid.UUID, "a UUID"),
                        zone_id=params.convert("zone", uuid.UUID, "a UUID"),
                        venue_code=params.text("venue") or None, label=f"CAP {identifier}",
                        provenance=_provenance(params, notices, deployment) if params.trusted
                        else None, notices=notices))


def read_alert(data: bytes, *, exercise: bool, deployment: Deployment | None = None) -> CapAlert:
    """Parse, validate and map one CAP message; refuses exercise alerts in a real session.

    Every failure is a CapError whose text names the field: a bad file never raises anything
    else, so the other files of a batch still import.
    """
    root = parse(data)
    try:
        alert = to_incoming(root, deployment)
    except CapError:
        raise
    except (ValueError, TypeError, IndexError, KeyError, OverflowError) as error:
        raise CapError(f"refused: alert {_text(root, 'identifier')}: cannot be read "
                       f"({error.__class__.__name__}: {error})") from error
    if alert.status == "Exercise" and not exercise:
        raise CapError(f"refused: alert {alert.identifier} is an exercise message; import it in "
                       "an exercise session (console --exercise), never into real events")
    return alert
