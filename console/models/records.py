"""Plain-JSON form of entity rows: what travels in the outbox, the change feed and exports.

Local surrogate keys (`pk`) and the central position (`server_seq`) never travel: a row is
identified by its UUID (or natural code) everywhere.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Date, Uuid, inspect

from console.models.base import Base, UTCDateTime

LOCAL_ONLY_COLUMNS = frozenset({"pk", "server_seq"})


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, date):  # datetime included (a subclass of date)
        return value.isoformat()
    return value


def to_record(row: Base) -> dict[str, Any]:
    return {column.key: _plain(getattr(row, column.key)) for column in inspect(type(row)).columns
            if column.key not in LOCAL_ONLY_COLUMNS}


@lru_cache(maxsize=64)
def _record_plan(model: type[Base]) -> tuple[tuple[str, bool], ...]:
    """(column key, whether its values need _plain) for the columns a record carries."""
    return tuple((column.key, isinstance(column.type, (Uuid, UTCDateTime, Date)))
                 for column in inspect(model).columns if column.key not in LOCAL_ONLY_COLUMNS)


def values_record(model: type[Base], values: dict[str, Any]) -> dict[str, Any]:
    """to_record of the row `values` would insert (every column given), without building it:
    the record of a row written by a bulk INSERT."""
    return {key: _plain(values[key]) if typed else values[key]
            for key, typed in _record_plan(model)}


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
