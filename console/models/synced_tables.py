"""Registry of the tables the sync engine carries, and the shared table of edit conflicts.

Two kinds of synced tables:
- `insert`: append-only facts (events, follow-ups, links, zones, reference data). A mutation
  `insert:<table>` carries the row's record; the central database inserts it once.
- `put`: mutable rows (roster assignments) with columns `id` (Uuid), `version` (int, assigned by
  the central database) and `deleted` (bool). A mutation `put:<table>` carries
  `{"row": record, "base_version": n}`; the central applies it only if nobody else changed the
  row since version n, otherwise it keeps it as a `SyncConflict` for a shift manager.

Each feature registers its tables explicitly (`console.models.features.register_synced_tables`,
called by the sync engine, the central store and the application at start): `register(Model,
mode=..., parent=..., after_apply=...)`. Sync knows no feature by name: a child row's centre is
its parent's, and a feature's `after_apply` hook recomputes what it derives from pulled rows (the
event log derives an event's status from its follow-ups).
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Boolean, Integer, String, Table, Text, Uuid, select
from sqlalchemy.orm import Mapped, mapped_column

from console.models.base import Base, SurrogateKey, UTCDateTime, new_uuid
from console.models.changes import Changes
from console.models.entities import Centre, User, Venue


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
AfterApply = Callable[[Any, set[Any]], None]  # (session, keys of the applied rows or parents)


@dataclass(frozen=True)
class Parent:
    """A child row belongs to a row of another synced table (a follow-up to its event)."""

    table: str  # the parent's synced table name
    key: str  # the child's column holding the parent's key


@dataclass(frozen=True)
class SyncedTable:
    name: str
    model: type[Base]
    mode: str  # "insert" | "put" | "system" (written by the central database only)
    key: str  # column identifying a row everywhere ("id" or a natural code)
    changes_of: ChangesOf
    # Centre a row belongs to, for per-centre pulls; None = read it from `centre_code`, or from
    # the parent row when there is one.
    centre_of: Callable[[Any, dict[str, Any]], str | None] | None = None
    parent: Parent | None = None
    # Called in the applying transaction with the keys of the applied rows (their parents' keys
    # when the table has a parent): the feature recomputes what it derives from them.
    after_apply: AfterApply | None = None

    def hook_key(self, values: dict[str, Any]) -> Any:
        return values[self.parent.key] if self.parent is not None else values[self.key]


SYNCED_TABLES: dict[str, SyncedTable] = {}


def table_of(model: type[Any]) -> Table:
    """The Core table of a mapped class, typed as a Table (SQLAlchemy types it a FromClause)."""
    return cast(Table, model.__table__)


def roster_changed(changes: Changes, record: dict[str, Any], is_new: bool) -> None:
    changes.roster = True


def reference_changed(changes: Changes, record: dict[str, Any], is_new: bool) -> None:
    changes.reference = True


def register_synced_table(model: type[Base], mode: str = "put", *, key: str = "id",
                          changes_of: ChangesOf = roster_changed,
                          centre_of: Callable[[Any, dict[str, Any]], str | None] | None = None,
                          parent: Parent | None = None,
                          after_apply: AfterApply | None = None) -> SyncedTable:
    """Declare a table the sync engine carries (idempotent: re-registering replaces)."""
    if mode not in ("insert", "put", "system"):
        raise ValueError(f"unknown sync mode {mode!r}")
    columns = set(table_of(model).columns.keys())
    if "server_seq" not in columns or key not in columns:
        raise ValueError(f"{model.__tablename__} needs server_seq and {key} columns to sync")
    if mode == "put" and not {"version", "deleted"} <= columns:
        raise ValueError(f"mutable table {model.__tablename__} needs version and deleted columns")
    if parent is not None and parent.key not in columns:
        raise ValueError(f"{model.__tablename__} has no parent column {parent.key}")
    table = SyncedTable(model.__tablename__, model, mode, key, changes_of, centre_of, parent,
                        after_apply)
    SYNCED_TABLES[table.name] = table
    return table


def synced_table(name: str) -> SyncedTable:
    try:
        return SYNCED_TABLES[name]
    except KeyError:
        raise KeyError(f"table {name!r} is not synced") from None


def children_of(table_name: str) -> list[SyncedTable]:
    """Synced tables whose rows belong to rows of `table_name`."""
    return [t for t in SYNCED_TABLES.values() if t.parent is not None and t.parent.table == table_name]


def centre_of_record(session: Any, table: SyncedTable, record: dict[str, Any]) -> str | None:
    """The centre a row belongs to: its own hook, its parent's centre, or its centre_code."""
    if table.centre_of is not None:
        return table.centre_of(session, record)
    if table.parent is not None and record.get(table.parent.key) is not None:
        parent = synced_table(table.parent.table)
        key_col = getattr(parent.model, parent.key)
        value = record[table.parent.key]
        typed = uuid.UUID(str(value)) if isinstance(key_col.type, Uuid) else value
        centre = session.scalar(select(table_of(parent.model).c.centre_code).where(key_col == typed))
        return None if centre is None else str(centre)
    return record.get("centre_code")


def register_reference_tables() -> None:
    """Centres, users and venues (reference data) and the shared table of edit conflicts."""
    register_synced_table(Centre, "insert", key="code", changes_of=reference_changed,
                          centre_of=lambda s, r: r.get("code"))
    register_synced_table(User, "insert", key="username", changes_of=reference_changed)
    register_synced_table(Venue, "insert", key="code", changes_of=reference_changed,
                          centre_of=lambda s, r: None)
    register_synced_table(SyncConflict, "system", changes_of=roster_changed)
