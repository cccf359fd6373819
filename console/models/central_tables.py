"""Tables that exist only in the central database: the change feed, applied mutations, clients."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, MetaData, String, Text, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from console.models.base import NAMING, UTCDateTime

# One BigInteger that is an INTEGER (rowid) on SQLite, like the entity tables' server_seq.
Seq = BigInteger().with_variant(Integer(), "sqlite")


class CentralBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ChangeFeedEntry(CentralBase):
    """One applied change: the row (table + key) whose current state a pull must fetch.

    `seq` is allocated under a lock held until commit (see console.models.sync.central), so seq order is
    commit order and `WHERE seq > cursor` can never skip a row. The feed stores no copy of the
    row: a pull reads the row itself, in the same snapshot as the feed.
    """

    __tablename__ = "change_feed"

    seq: Mapped[int] = mapped_column(Seq, primary_key=True, autoincrement=False)
    change_id: Mapped[uuid.UUID] = mapped_column(Uuid)  # lets a client recognise a restored DB
    table_name: Mapped[str] = mapped_column(String(64))
    row_key: Mapped[str] = mapped_column(String(64))
    centre_code: Mapped[str | None] = mapped_column(String(32), nullable=True)  # pull filter, RLS
    mutation_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    committed_at: Mapped[datetime] = mapped_column(UTCDateTime)  # central clock, display only

    __table_args__ = (Index("ix_change_feed_centre_seq", "centre_code", "seq"),)


class AppliedMutation(CentralBase):
    """What the central database did with a client mutation: a re-sent one gets the same ack."""

    __tablename__ = "applied_mutations"

    mutation_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    client_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    kind: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # applied | conflict | rejected
    seq: Mapped[int | None] = mapped_column(Seq, nullable=True)
    row_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)  # put: version it made
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    author: Mapped[str] = mapped_column(String(64))
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_applied_mutations_kind_row", "kind", "row_key"),)


class SyncClient(CentralBase):
    """A workstation identity and its rotating push token (a cloned disk presents a stale one)."""

    __tablename__ = "sync_clients"

    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    token: Mapped[uuid.UUID] = mapped_column(Uuid)
    previous_token: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    username: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_push_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    replaced_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)


class CentralMeta(CentralBase):
    """Key/value facts about the central database (mutation schema version, creation time)."""

    __tablename__ = "central_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
