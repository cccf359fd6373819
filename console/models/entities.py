"""Shared entities of the event log: centres, users, venues, events, follow-ups, links, zones.

The same tables exist in the workstation's local cache (SQLite) and in the central database
(PostgreSQL, or the embedded SQLite central of the demo). `server_seq` is the position of the
row's last change in the central change feed; it is NULL on a workstation while the row waits in
the outbox. Events, follow-ups and links are append-only facts; the few derived columns of an
event (status, acknowledgement, last activity) are recomputed from its follow-ups, never typed.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from console.models.base import DEFAULT_TIMEZONE, Base, SurrogateKey, UTCDateTime, new_uuid


class Centre(Base):
    __tablename__ = "centres"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    parent_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    server_seq: Mapped[int | None] = mapped_column(SurrogateKey, nullable=True)


class User(Base):
    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    centre_code: Mapped[str] = mapped_column(ForeignKey("centres.code"))
    role: Mapped[str] = mapped_column(String(32), default="operator")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    server_seq: Mapped[int | None] = mapped_column(SurrogateKey, nullable=True)


class Venue(Base):
    """A competition or celebration site: reference data shown on the map and in reports."""

    __tablename__ = "venues"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    server_seq: Mapped[int | None] = mapped_column(SurrogateKey, nullable=True)


class Event(Base):
    __tablename__ = "events"

    pk: Mapped[int] = mapped_column(SurrogateKey, primary_key=True, autoincrement=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=new_uuid)
    centre_code: Mapped[str] = mapped_column(String(32), index=True)
    author: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)  # workstation clock, display only
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(16))
    severity: Mapped[int] = mapped_column(Integer)
    place: Mapped[str] = mapped_column(String(300), default="")
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    source: Mapped[str] = mapped_column(String(200), default="")
    zone_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, index=True)
    venue_code: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    # Where an imported entry came from (e.g. "cap:<sender>/<identifier>"); NULL when typed here.
    origin: Mapped[str | None] = mapped_column(String(400), nullable=True, unique=True)
    flagged_for_authorities: Mapped[bool] = mapped_column(Boolean, default=False)
    # Derived from follow-ups (see console.models.eventlog.log.derive_state).
    status: Mapped[str] = mapped_column(String(16), default="open")
    acknowledged_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime)
    server_seq: Mapped[int | None] = mapped_column(SurrogateKey, nullable=True)

    __table_args__ = (
        Index("ix_events_occurred", "occurred_at", "pk"),
        Index("ix_events_category_occurred", "category", "occurred_at"),
        Index("ix_events_severity_occurred", "severity", "occurred_at"),
        Index("ix_events_status_occurred", "status", "occurred_at"),
    )


class FollowUp(Base):
    __tablename__ = "follow_ups"

    pk: Mapped[int] = mapped_column(SurrogateKey, primary_key=True, autoincrement=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=new_uuid)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id"), index=True)
    author: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
    new_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    server_seq: Mapped[int | None] = mapped_column(SurrogateKey, nullable=True)


class EventLink(Base):
    __tablename__ = "event_links"

    pk: Mapped[int] = mapped_column(SurrogateKey, primary_key=True, autoincrement=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=new_uuid)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id"), index=True)
    target_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    author: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    server_seq: Mapped[int | None] = mapped_column(SurrogateKey, nullable=True)


class Zone(Base):
    """A named perimeter drawn on the map: a polygon (GeoJSON) or a circle (centre + radius)."""

    __tablename__ = "zones"

    pk: Mapped[int] = mapped_column(SurrogateKey, primary_key=True, autoincrement=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=new_uuid)
    centre_code: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))  # "polygon" | "circle"
    geometry: Mapped[str] = mapped_column(Text)  # GeoJSON geometry; a Point for circles
    radius_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    author: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    server_seq: Mapped[int | None] = mapped_column(SurrogateKey, nullable=True)
