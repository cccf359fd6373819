"""Closed vocabularies of the event log: categories, severities, statuses, follow-up and link kinds.

Their French and English labels live here too (`label(value, language)`), so that reports, the
command line and CSV import name a value the same way; the Qt views translate the same words
through `tr()` and the console_fr.ts catalogue (tests/models/test_labels.py keeps them in step).
"""
from __future__ import annotations

from enum import Enum, IntEnum, StrEnum


class Category(StrEnum):
    SECURITY = "security"
    HEALTH = "health"
    TRANSPORT = "transport"
    CYBER = "cyber"
    LOGISTICS = "logistics"
    CROWD = "crowd"
    MEDIA = "media"


class Severity(IntEnum):
    LOW = 1
    MODERATE = 2
    HIGH = 3
    CRITICAL = 4


class Status(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


class FollowUpKind(StrEnum):
    NOTE = "note"                # free-text follow-up
    CORRECTION = "correction"    # corrects the entry: the original stays, the correction is added
    STATUS = "status"            # status change (open / in progress / closed)
    ACKNOWLEDGEMENT = "ack"      # another operator confirms they have read and taken the entry
    DECISION = "decision"        # a decision taken about the event (shown in situation reports)


class LinkKind(StrEnum):
    DUPLICATE_OF = "duplicate_of"
    CAUSED_BY = "caused_by"
    RELATED_TO = "related_to"


# Display colours by severity, used by the log table, the map and reports alike.
SEVERITY_COLOURS: dict[Severity, str] = {
    Severity.LOW: "#9fb6c9",
    Severity.MODERATE: "#f2c94c",
    Severity.HIGH: "#f2994a",
    Severity.CRITICAL: "#eb5757",
}

CATEGORY_COLOURS: dict[Category, str] = {
    Category.SECURITY: "#1f4e9c",
    Category.HEALTH: "#c0392b",
    Category.TRANSPORT: "#16a085",
    Category.CYBER: "#8e44ad",
    Category.LOGISTICS: "#7f8c8d",
    Category.CROWD: "#d35400",
    Category.MEDIA: "#2c3e50",
}


LANGUAGES = ("fr", "en")

# (French, English) of every member. The French words are the ones of console_fr.ts.
_LABELS: dict[Enum, tuple[str, str]] = {
    Category.SECURITY: ("Sécurité", "Security"),
    Category.HEALTH: ("Santé", "Health"),
    Category.TRANSPORT: ("Transport", "Transport"),
    Category.CYBER: ("Cyber", "Cyber"),
    Category.LOGISTICS: ("Logistique", "Logistics"),
    Category.CROWD: ("Foule", "Crowd"),
    Category.MEDIA: ("Médias", "Media"),
    Severity.LOW: ("Faible", "Low"),
    Severity.MODERATE: ("Modérée", "Moderate"),
    Severity.HIGH: ("Élevée", "High"),
    Severity.CRITICAL: ("Critique", "Critical"),
    Status.OPEN: ("Ouvert", "Open"),
    Status.IN_PROGRESS: ("En cours", "In progress"),
    Status.CLOSED: ("Clos", "Closed"),
    FollowUpKind.NOTE: ("Suivi", "Follow-up"),
    FollowUpKind.CORRECTION: ("Rectification", "Correction"),
    FollowUpKind.STATUS: ("Statut", "Status"),
    FollowUpKind.ACKNOWLEDGEMENT: ("Pris en compte", "Acknowledged"),
    FollowUpKind.DECISION: ("Décision", "Decision"),
    LinkKind.DUPLICATE_OF: ("doublon de", "duplicate of"),
    LinkKind.CAUSED_BY: ("causé par", "caused by"),
    LinkKind.RELATED_TO: ("lié à", "related to"),
}
LABELLED: tuple[type[Enum], ...] = (Category, Severity, Status, FollowUpKind, LinkKind)


def label(value: str | int | Enum, language: str = "en") -> str:
    """The `language` ("fr" or "en") label of a member or of its stored value ("open", 3);
    a value outside the vocabularies comes back as written (old rows, imported data)."""
    if language not in LANGUAGES:
        raise ValueError(f"no labels in {language!r} (one of {', '.join(LANGUAGES)})")
    # Members compare equal to their values and no two vocabularies share one (tested).
    pair = _LABELS.get(value)  # type: ignore[arg-type]
    return str(value) if pair is None else pair[LANGUAGES.index(language)]


def bilingual(value: str | int | Enum) -> str:
    """"Ouvert / Open" for the bilingual reports; one word when both languages say it alike."""
    french, english = label(value, "fr"), label(value, "en")
    return french if french == english else f"{french} / {english}"
