"""Opening the central database for security commands: URL, password from the keyring, TLS checks."""
from __future__ import annotations

import os
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

TLS_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")


class ConnectError(Exception):
    """The central URL or its TLS options are unusable; the message says why."""


def check_tls_options(url: str) -> dict[str, Any]:
    """The libpq TLS options of a central URL (`?sslmode=verify-full&sslrootcert=ca.pem`).

    libpq does the verification; this only refuses, with a clear message, options that would
    silently weaken it (an unknown mode, a CA file that does not exist).
    """
    parsed = make_url(url)
    query = dict(parsed.query)
    mode = query.get("sslmode")
    if mode is not None and mode not in TLS_MODES:
        raise ConnectError(f"sslmode must be one of {', '.join(TLS_MODES)} (got {mode!r})")
    for key in ("sslrootcert", "sslcert", "sslkey", "sslcrl"):
        path = query.get(key)
        if path and path != "system" and not os.path.exists(str(path)):
            raise ConnectError(f"{key} file not found: {path}")
    if mode in ("verify-ca", "verify-full") and not query.get("sslrootcert"):
        # libpq would fall back to ~/.postgresql/root.crt; say which CA is trusted instead.
        raise ConnectError(f"sslmode={mode} needs sslrootcert=<CA file> (or sslrootcert=system)")
    return query


def open_central(url: str, *, password: str | None = None, workstation: str = "") -> Engine:
    """An engine for the central URL, as its user, with the workstation named for the audit trail."""
    from console.models.central_db import central_engine

    if make_url(url).get_backend_name() != "sqlite":
        check_tls_options(url)
        if password is None:
            from console.models.security.credentials import get_password

            password = get_password(url)
    engine = central_engine(url, password=password)
    name_workstation(engine, workstation)
    return engine


def name_workstation(engine: Engine, workstation: str = "") -> None:
    """Every new connection of `engine` tells the audit triggers which workstation it is."""
    if engine.dialect.name != "postgresql":
        return
    from sqlalchemy import event

    name = (workstation or os.environ.get("CONSOLE_WORKSTATION") or _hostname())[:200]

    @event.listens_for(engine, "connect")
    def _name(dbapi_connection: Any, _record: object) -> None:  # the raw psycopg connection
        # A session setting (application_name, which libpq may truncate, is the fallback).
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SELECT set_config('console.workstation', %s, false)", (name,))
        dbapi_connection.commit()


def _hostname() -> str:
    import socket

    return socket.gethostname()[:100]
