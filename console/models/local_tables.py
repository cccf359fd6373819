"""Tables that exist only in a workstation's local cache: the outbox, sync state, saved filters."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Integer, MetaData, String, Text, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from console.models.base import NAMING, UTCDateTime


class LocalBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class OutboxEntry(LocalBase):
    """A change made at this workstation, waiting to be (or already) applied by the central database.

    It is written in the same SQLite transaction as the change itself, so a crash can never keep
    one without the other. Acknowledged entries are kept for a while: if the central database is
    restored from a backup that lost them, they are sent again (pushes are idempotent).
    """

    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mutation_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[str] = mapped_column(Text)  # JSON
    schema_version: Mapped[int] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    acked_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)


class SyncState(LocalBase):
    """Key/value state of the sync engine (client identity, pull cursor, last sync time...)."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SavedFilter(LocalBase):
    __tablename__ = "saved_filters"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    definition: Mapped[str] = mapped_column(Text)  # JSON of an EventFilter
