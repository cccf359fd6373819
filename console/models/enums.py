"""Closed vocabularies of the event log: categories, severities, statuses, follow-up and link kinds."""
from __future__ import annotations

from enum import IntEnum, StrEnum


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
