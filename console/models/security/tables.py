"""Core table objects for the security tables created by central migration c0003_security."""
from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, DateTime, Integer, MetaData, String, Table, Text
from sqlalchemy.dialects.postgresql import JSONB

from console.models.base import NAMING

# Own metadata: these tables are created by the migration, never by create_all of Base.
metadata = MetaData(naming_convention=NAMING)
Json = JSON().with_variant(JSONB(), "postgresql")

supervisions = Table(
    "supervisions", metadata,
    Column("username", String(64), primary_key=True),
    Column("centre_code", String(32), primary_key=True),
)

audit_log = Table(
    "audit_log", metadata,
    Column("pos", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True,
           autoincrement=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", Text, nullable=False),
    Column("workstation", Text, nullable=False),
    Column("action", String(32), nullable=False),
    Column("table_name", String(64)),
    Column("row_key", Text),
    Column("old", Json),
    Column("new", Json),
    Column("details", Json),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)
