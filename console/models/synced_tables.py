"""Registry of the tables the sync engine carries, and the shared table of edit conflicts.

Two kinds of synced tables:
- `insert`: append-only facts (events, follow-ups, links, zones, reference data). A mutation
  `insert:<table>` carries the row's record; the central database inserts it once.
- `put`: mutable rows (roster assignments) with columns `id` (Uuid), `version` (int, assigned by
  the central database) and `deleted` (bool). A mutation `put:<table>` carries
  `{"row": record, "base_version": n}`; the central applies it only if nobody else changed the
  row since version n, otherwise it keeps it as a `SyncConflict` for a shift manager.

Another capability registers its tables with `register_synced_table(Model, mode=...)` at import
time of its models module (see the README, "Mutable rows").
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Boolean, Integer, String, Table, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from console.models.base import Base, SurrogateKey, UTCDateTime, new_uuid
from console.models.changes import Changes
from console.models.entities import Centre, Event, EventLink, FollowUp, User, Venue, Zone


class SyncConflict(Base):
    """An edit of a mutable row that arrived after someone else's: kept, shown, resolved by hand."""

    __tablename__ = "sync_conflicts"

    pk: Mapped[int] = mapped_column(SurrogateKey, primary_key=True, autoincrement=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=new_uuid)
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(64), index=True)
    mutation_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    base_version: Mapped[int] = mapped_column(Integer)
    current_version: Mapped[int] = mapped_column(Integer)
    proposed: Mapped[str] = mapped_column(Text)  # JSON record the author wanted
    author: Mapped[str] = mapped_column(String(64))
    centre_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)  # central clock
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    resolved_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolution: Mapped[str | None] = mapped_column(Text, nullable=True)
    server_seq: Mapped[int | None] = mapped_column(SurrogateKey, nullable=True)


ChangesOf = Callable[[Changes, dict[str, Any], bool], None]  # (changes, record, is_new)


@dataclass(frozen=True)
class SyncedTable:
    name: str
    model: type[Base]
    mode: str  # "insert" | "put" | "system" (written by the central database only)
    key: str  # column identifying a row everywhere ("id" or a natural code)
    changes_of: ChangesOf
    # Centre a row belongs to, for per-centre pulls; None = read it from `centre_code`.
    centre_of: Callable[[Any, dict[str, Any]], str | None] | None = None
    parent_event_key: str | None = None  # follow-ups/links: derive the event's state after apply


SYNCED_TABLES: dict[str, SyncedTable] = {}


def table_of(model: type[Any]) -> Table:
    """The Core table of a mapped class, typed as a Table (SQLAlchemy types it a FromClause)."""
    return cast(Table, model.__table__)


def _roster(changes: Changes, record: dict[str, Any], is_new: bool) -> None:
    changes.roster = True


def register_synced_table(model: type[Base], mode: str = "put", *, key: str = "id",
                          changes_of: ChangesOf = _roster,
                          centre_of: Callable[[Any, dict[str, Any]], str | None] | None = None,
                          parent_event_key: str | None = None) -> SyncedTable:
    """Declare a table the sync engine carries (idempotent: re-registering replaces)."""
    if mode not in ("insert", "put", "system"):
        raise ValueError(f"unknown sync mode {mode!r}")
    columns = set(model.__table__.columns.keys())  # type: ignore[attr-defined]
    if "server_seq" not in columns or key not in columns:
        raise ValueError(f"{model.__tablename__} needs server_seq and {key} columns to sync")
    if mode == "put" and not {"version", "deleted"} <= columns:
        raise ValueError(f"mutable table {model.__tablename__} needs version and deleted columns")
    table = SyncedTable(model.__tablename__, model, mode, key, changes_of, centre_of,
                        parent_event_key)
    SYNCED_TABLES[table.name] = table
    return table


def synced_table(name: str) -> SyncedTable:
    try:
        return SYNCED_TABLES[name]
    except KeyError:
        raise KeyError(f"table {name!r} is not synced") from None


def centre_of_record(session: Any, table: SyncedTable, record: dict[str, Any]) -> str | None:
    if table.centre_of is not None:
        return table.centre_of(session, record)
    return record.get("centre_code")


def _event_centre(session: Any, record: dict[str, Any]) -> str | None:
    from sqlalchemy import select

    return session.scalar(select(Event.centre_code).where(
        Event.id == uuid.UUID(str(record["event_id"]))))


def _reference(changes: Changes, record: dict[str, Any], is_new: bool) -> None:
    changes.reference = True


def _event(changes: Changes, record: dict[str, Any], is_new: bool) -> None:
    (changes.new_events if is_new else changes.events).add(uuid.UUID(str(record["id"])))


def _about_event(changes: Changes, record: dict[str, Any], is_new: bool) -> None:
    changes.events.add(uuid.UUID(str(record["event_id"])))
    if record.get("target_id"):
        changes.events.add(uuid.UUID(str(record["target_id"])))


def _zone(changes: Changes, record: dict[str, Any], is_new: bool) -> None:
    changes.zones = True


register_synced_table(Centre, "insert", key="code", changes_of=_reference,
                      centre_of=lambda s, r: r.get("code"))
register_synced_table(User, "insert", key="username", changes_of=_reference)
register_synced_table(Venue, "insert", key="code", changes_of=_reference,
                      centre_of=lambda s, r: None)
register_synced_table(Event, "insert", changes_of=_event)
register_synced_table(FollowUp, "insert", changes_of=_about_event, centre_of=_event_centre,
                      parent_event_key="event_id")
register_synced_table(EventLink, "insert", changes_of=_about_event, centre_of=_event_centre)
register_synced_table(Zone, "insert", changes_of=_zone)
register_synced_table(SyncConflict, "system", changes_of=_roster)
