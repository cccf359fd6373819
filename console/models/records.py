"""Plain-JSON form of entity rows: what travels in the outbox, the change feed and exports.

Local surrogate keys (`pk`) and the central position (`server_seq`) never travel: a row is
identified by its UUID (or natural code) everywhere.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Uuid, inspect

from console.models.base import Base, UTCDateTime

LOCAL_ONLY_COLUMNS = frozenset({"pk", "server_seq"})


def to_record(row: Base) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for column in inspect(type(row)).columns:
        if column.key in LOCAL_ONLY_COLUMNS:
            continue
        value = getattr(row, column.key)
        if isinstance(value, uuid.UUID):
            value = str(value)
        elif isinstance(value, date):  # datetime included (a subclass of date)
            value = value.isoformat()
        record[column.key] = value
    return record


def from_record(model: type[Base], record: dict[str, Any]) -> dict[str, Any]:
    """Column values for `model` from a record, typed back (UUIDs, aware datetimes).

    Unknown keys are ignored, so a record written by a newer schema still loads; missing keys
    are left out, so column defaults apply to a record written by an older one.
    """
    values: dict[str, Any] = {}
    for column in inspect(model).columns:
        if column.key in LOCAL_ONLY_COLUMNS or column.key not in record:
            continue
        value = record[column.key]
        if value is not None:
            if isinstance(column.type, Uuid) and not isinstance(value, uuid.UUID):
                value = uuid.UUID(str(value))
            elif isinstance(column.type, UTCDateTime) and not isinstance(value, datetime):
                value = datetime.fromisoformat(value)
            elif isinstance(column.type, Date) and not isinstance(value, date):
                value = date.fromisoformat(value)  # roster days
        values[column.key] = value
    return values
