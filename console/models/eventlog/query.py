"""Reading the event log: combinable filters, counts and pages for a lazy table, saved views.

Filtering and ordering happen in SQL; callers get a count and pages of light rows, never the
whole log. Free text uses the FTS5 index over title, description and place.
"""
from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, delete, func, literal_column, select, text
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from console.models.entities import Event
from console.models.local_tables import SavedFilter

# Columns a table row shows; a page of these is cheap to fetch and to keep.
ROW_COLUMNS = (
    Event.pk, Event.id, Event.occurred_at, Event.centre_code, Event.category, Event.severity,
    Event.status, Event.title, Event.place, Event.author, Event.acknowledged_by,
    Event.latitude, Event.longitude, Event.server_seq, Event.zone_id,
)
NEWEST_FIRST = (Event.occurred_at.desc(), Event.pk.desc())


@dataclass
class EventFilter:
    time_from: datetime | None = None
    time_to: datetime | None = None
    categories: set[str] = field(default_factory=set)
    severities: set[int] = field(default_factory=set)
    statuses: set[str] = field(default_factory=set)
    centres: set[str] = field(default_factory=set)
    zone_id: uuid.UUID | None = None
    venue_code: str | None = None
    text: str = ""

    def to_json(self) -> str:
        data: dict[str, Any] = asdict(self)
        for key in ("time_from", "time_to"):
            data[key] = data[key].isoformat() if data[key] else None
        for key in ("categories", "severities", "statuses", "centres"):
            data[key] = sorted(data[key])
        data["zone_id"] = str(self.zone_id) if self.zone_id else None
        return json.dumps(data)

    @classmethod
    def from_json(cls, raw: str) -> EventFilter:
        data = json.loads(raw)
        return cls(
            time_from=datetime.fromisoformat(data["time_from"]) if data.get("time_from") else None,
            time_to=datetime.fromisoformat(data["time_to"]) if data.get("time_to") else None,
            categories=set(data.get("categories", [])),
            severities={int(s) for s in data.get("severities", [])},
            statuses=set(data.get("statuses", [])),
            centres=set(data.get("centres", [])),
            zone_id=uuid.UUID(data["zone_id"]) if data.get("zone_id") else None,
            venue_code=data.get("venue_code"),
            text=data.get("text", ""),
        )


_TOKEN = re.compile(r"\w+", re.UNICODE)


def fts_query(user_text: str) -> str | None:
    """An FTS5 MATCH expression for what an operator typed: every word, as a prefix, all required.

    Words are quoted, so FTS5 syntax typed by the user (NEAR, *, quotes, -) is taken literally.
    """
    words = _TOKEN.findall(user_text)
    if not words:
        return None
    return " ".join(f'"{word}"*' for word in words)


def filter_clause(flt: EventFilter, max_pk: int | None = None) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    if flt.time_from is not None:
        conditions.append(Event.occurred_at >= flt.time_from)
    if flt.time_to is not None:
        conditions.append(Event.occurred_at < flt.time_to)
    if flt.categories:
        conditions.append(Event.category.in_(sorted(flt.categories)))
    if flt.severities:
        conditions.append(Event.severity.in_(sorted(flt.severities)))
    if flt.statuses:
        conditions.append(Event.status.in_(sorted(flt.statuses)))
    if flt.centres:
        conditions.append(Event.centre_code.in_(sorted(flt.centres)))
    if flt.zone_id is not None:
        conditions.append(Event.zone_id == flt.zone_id)
    if flt.venue_code:
        conditions.append(Event.venue_code == flt.venue_code)
    match = fts_query(flt.text)
    if match is not None:
        matching: Select[Any] = select(literal_column("rowid")).select_from(text("events_fts")).where(
            text("events_fts MATCH :fts").bindparams(fts=match))
        conditions.append(Event.pk.in_(matching))
    if max_pk is not None:
        # The unary plus keeps SQLite from walking the table by rowid for this term: the
        # (occurred_at, pk) index answers both the order and the snapshot bound.
        conditions.append(literal_column("+events.pk") <= max_pk)
    return and_(True, *conditions)


def rows_query(flt: EventFilter, max_pk: int | None = None) -> Select[*tuple[Any, ...]]:
    return select(*ROW_COLUMNS).where(filter_clause(flt, max_pk)).order_by(*NEWEST_FIRST)


def count_events(session: Session, flt: EventFilter, max_pk: int | None = None) -> int:
    return session.scalar(select(func.count()).select_from(Event).where(
        filter_clause(flt, max_pk))) or 0


def page_of_events(session: Session, flt: EventFilter, offset: int, limit: int,
                   max_pk: int | None = None) -> list[Row[*tuple[Any, ...]]]:
    return list(session.execute(rows_query(flt, max_pk).offset(offset).limit(limit)))


def position_of(session: Session, flt: EventFilter, event_id: uuid.UUID,
                max_pk: int | None = None) -> int | None:
    """Row index of an event in the filtered, newest-first order, or None if it is filtered out."""
    target = session.execute(select(Event.pk, Event.occurred_at).where(
        Event.id == event_id, filter_clause(flt, max_pk))).first()
    if target is None:
        return None
    newer = (Event.occurred_at > target.occurred_at) | and_(
        Event.occurred_at == target.occurred_at, Event.pk > target.pk)
    return session.scalar(select(func.count()).select_from(Event).where(
        filter_clause(flt, max_pk), newer)) or 0


def latest_pk(session: Session) -> int:
    return session.scalar(select(func.max(Event.pk))) or 0


def iter_events(session: Session, flt: EventFilter, batch: int = 2000) -> Iterator[Event]:
    """Full Event rows of a filter, newest first, streamed in batches (for exports and reports)."""
    query = select(Event).where(filter_clause(flt)).order_by(*NEWEST_FIRST)
    yield from session.scalars(query.execution_options(yield_per=batch))


# -- saved filter views ---------------------------------------------------------------------------

def save_filter(session: Session, username: str, name: str, flt: EventFilter) -> None:
    name = name.strip()
    if not name:
        raise ValueError("a saved view needs a name")
    session.merge(SavedFilter(name=name, username=username, definition=flt.to_json()))


def saved_filters(session: Session, username: str) -> dict[str, EventFilter]:
    rows = session.scalars(select(SavedFilter).where(SavedFilter.username == username)
                           .order_by(SavedFilter.name))
    return {row.name: EventFilter.from_json(row.definition) for row in rows}


def delete_saved_filter(session: Session, username: str, name: str) -> None:
    session.execute(delete(SavedFilter).where(SavedFilter.username == username,
                                              SavedFilter.name == name))


def centre_codes(session: Session) -> list[str]:
    from console.models.entities import Centre

    return list(session.scalars(select(Centre.code).order_by(Centre.code)))
