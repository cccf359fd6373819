"""Connecting to the central database: PostgreSQL (psycopg 3) or the demo's embedded SQLite file.

Used by sync, by sign-in and by the command line; it knows nothing of the tables.
"""
from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url


def _sqlite_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (see _sqlite_begin)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # A writer takes the write lock before reading max(seq): allocation order = commit order.
    conn.exec_driver_sql("BEGIN " + conn.get_execution_options().get("sqlite_begin", "IMMEDIATE"))


def central_engine(url: str, *, password: str | None = None, **kwargs: Any) -> Engine:
    """An engine for a central URL: PostgreSQL (psycopg 3) or `sqlite:///path` (embedded)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, **kwargs)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if password and not parsed.password:
        parsed = parsed.set(password=password)
    connect_args = {
        "connect_timeout": 5,
        "application_name": "console",
        # Detect a pulled cable in seconds rather than the kernel's two hours.
        "keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2, "keepalives_count": 3,
        "tcp_user_timeout": 15000,
        "options": "-c statement_timeout=60000 -c idle_in_transaction_session_timeout=120000",
    }
    connect_args.update(kwargs.pop("connect_args", {}))
    kwargs.setdefault("pool_size", 2)
    kwargs.setdefault("max_overflow", 2)
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(parsed, connect_args=connect_args, **kwargs)
