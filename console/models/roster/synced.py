"""Registration of the roster tables with the sync engine (mutable `put` rows, per centre).

Every table of ROSTER_TABLES is registered; the centre a row syncs to is read from its columns:
its own `centre_code`, else its roster's, else its operator's.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from console.models.roster.tables import ROSTER_TABLES, Operator, Roster
from console.models.synced_tables import register_synced_table

CentreOf = Callable[[Any, dict[str, Any]], str | None]


def _centre_through(model: Any, key: str, owner: Any) -> CentreOf:
    """Centre of a row through the row it points to by `key` (a roster, an operator); the
    record may carry only the row's id (the central gives feed places to seeded rows that way)."""
    def centre(session: Any, record: dict[str, Any]) -> str | None:
        owner_id = record.get(key)
        if owner_id is None:
            owner_id = session.scalar(select(getattr(model, key)).where(
                model.id == uuid.UUID(str(record["id"]))))
        if owner_id is None:
            return None
        centre = session.scalar(select(owner.centre_code).where(
            owner.id == uuid.UUID(str(owner_id))))
        return None if centre is None else str(centre)
    return centre


def centre_rule(model: Any) -> tuple[str, CentreOf | None]:
    """(column, centre_of) by which a roster table's rows are given to a centre."""
    columns = model.__table__.columns
    if "centre_code" in columns:
        return "centre_code", None  # the sync engine reads the record's own centre_code
    if "roster_id" in columns:
        return "roster_id", _centre_through(model, "roster_id", Roster)
    if "operator_id" in columns:
        return "operator_id", _centre_through(model, "operator_id", Operator)
    raise TypeError(f"roster table {model.__tablename__} has no column that names its centre")


def register() -> None:
    for model in ROSTER_TABLES:
        register_synced_table(model, "put", centre_of=centre_rule(model)[1])
