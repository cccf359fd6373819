"""The centre's time zone: the one resolver used by the log, reports, imports, CLI and status bar.

Operators in several centres must read the same hour, so every local time is shown in the zone of
the centre (its `timezone` column), never the workstation's. A centre that is unknown, or whose
column is empty or not an IANA zone, falls back to DEFAULT_TIMEZONE rather than failing a report.
"""
from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from console.models.base import DEFAULT_TIMEZONE
from console.models.entities import Centre
from console.models.store import LocalStore

__all__ = ["DEFAULT_TIMEZONE", "centre_zone", "centre_zone_name", "store_centre_zone", "zone_or_default"]


def zone_or_default(name: str | None) -> ZoneInfo:
    """The IANA zone `name`; the default when it is empty or not a zone."""
    try:
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    # "Europe" is a folder of the zone database (OSError), "../x" is refused (ValueError).
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def centre_zone(session: Session, centre_code: str | None) -> ZoneInfo:
    """The zone of a centre from its `timezone` column; the default when unknown or invalid."""
    centre = session.get(Centre, centre_code) if centre_code else None
    return zone_or_default(centre.timezone if centre is not None else None)


def centre_zone_name(session: Session, centre_code: str | None) -> str:
    """The IANA name of centre_zone (what reports store and print)."""
    return centre_zone(session, centre_code).key


def store_centre_zone(store: LocalStore, centre_code: str | None) -> ZoneInfo:
    """centre_zone read in its own session, for callers that hold a store rather than a session."""
    with store.session() as session:
        return centre_zone(session, centre_code)
