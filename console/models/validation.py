"""Validation of what an operator types, field by field, with messages fit to show next to the field."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from console.models.base import utcnow
from console.models.enums import Category, Severity

MAX_TITLE = 300
MAX_TEXT = 20_000
MAX_PLACE = 300
MAX_SOURCE = 200
CATEGORIES = frozenset(c.value for c in Category)
# A workstation clock a little ahead of the operator's watch must not block an entry.
FUTURE_TOLERANCE = timedelta(minutes=5)


class ValidationError(ValueError):
    """Raised with one message per invalid field; nothing has been written."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class EventDraft:
    title: str = ""
    description: str = ""
    category: str = ""
    severity: int | None = None
    occurred_at: datetime | None = None
    place: str = ""
    latitude: float | str | None = None
    longitude: float | str | None = None
    source: str = ""
    flagged_for_authorities: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


# Unicode category Cc is exactly U+0000-U+001F and U+007F-U+009F; a regular expression scans a
# 20,000-character description in C rather than one Python call per character (CSV imports).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def has_control_characters(text: str) -> bool:
    """True for C0/C1 control characters other than tab and newline (they corrupt displays and CSV)."""
    return _CONTROL.search(text) is not None


# Bidirectional embedding, override and isolate controls: in a title they can make one text
# read as another ("invoice\u202egpj.exe"). The central database refuses them too (c0005).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


_BIDI = re.compile(f"[{''.join(sorted(BIDI_CONTROLS))}]")


def has_bidi_controls(text: str) -> bool:
    return _BIDI.search(text) is not None


def check_text(name: str, text: str, limit: int, errors: dict[str, str], *, required: bool) -> str:
    if not isinstance(text, str):
        errors[name] = "must be text"
        return ""
    if _SURROGATE.search(text):
        errors[name] = "contains invalid Unicode (lone surrogate)"
        return text
    stripped = text.strip()
    if required and not stripped:
        errors[name] = "is required"
    elif len(stripped) > limit:
        errors[name] = f"is too long ({len(stripped)} characters, at most {limit})"
    elif has_control_characters(stripped):
        errors[name] = "contains control characters"
    return stripped


def parse_coordinate(value: float | str | None, low: float, high: float, name: str,
                     errors: dict[str, str]) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(str(value).strip().replace(",", ".")) if isinstance(value, str) else float(value)
    except ValueError:
        errors[name] = "is not a number"
        return None
    if not math.isfinite(number) or not low <= number <= high:
        errors[name] = f"must be between {low:g} and {high:g}"
        return None
    return number


def validate_event(draft: EventDraft, *, now: datetime | None = None,
                   allow_past: bool = False) -> dict[str, Any]:
    """Clean values of a new event, or ValidationError naming every bad field.

    A typed entry older than a year is a typing mistake; an imported archive (allow_past) is not.
    """
    errors: dict[str, str] = {}
    now = now or utcnow()
    title = check_text("title", draft.title, MAX_TITLE, errors, required=True)
    if "title" not in errors and has_bidi_controls(title):
        errors["title"] = "contains bidirectional override characters"
    description = check_text("description", draft.description, MAX_TEXT, errors, required=False)
    place = check_text("place", draft.place, MAX_PLACE, errors, required=False)
    source = check_text("source", draft.source, MAX_SOURCE, errors, required=False)
    if draft.category not in CATEGORIES:
        errors["category"] = "choose a category"
    try:
        severity = Severity(int(draft.severity)) if draft.severity is not None else None
    except (TypeError, ValueError):
        severity = None
    if severity is None:
        errors["severity"] = "choose a severity"
    occurred_at = draft.occurred_at or now
    if occurred_at.tzinfo is None:
        errors["occurred_at"] = "time zone missing"
    elif occurred_at > now + FUTURE_TOLERANCE:
        errors["occurred_at"] = "is in the future"
    elif occurred_at < now - timedelta(days=366) and not allow_past:
        errors["occurred_at"] = "is more than a year ago"
    latitude = parse_coordinate(draft.latitude, -90, 90, "latitude", errors)
    longitude = parse_coordinate(draft.longitude, -180, 180, "longitude", errors)
    if (latitude is None) != (longitude is None) and "latitude" not in errors \
            and "longitude" not in errors:
        errors["latitude" if latitude is None else "longitude"] = "give both latitude and longitude"
    if errors or severity is None:  # a missing severity is among the errors
        raise ValidationError(errors)
    return {
        "title": title,
        "description": description,
        "category": draft.category,
        "severity": int(severity),
        "occurred_at": occurred_at,
        "place": place,
        "latitude": latitude,
        "longitude": longitude,
        "source": source,
        "flagged_for_authorities": bool(draft.flagged_for_authorities),
    }
