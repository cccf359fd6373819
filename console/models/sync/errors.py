"""Sync failures, split into transient (retry later) and permanent (record and move on)."""
from __future__ import annotations

from sqlalchemy import exc as sa_exc


class SyncError(Exception):
    """Base of sync failures."""


class TransientError(SyncError):
    """The link or the server failed; nothing was decided; retry with backoff."""


class SchemaMismatch(SyncError):
    """Client and central schemas cannot talk: a clear refusal, shown to the operator."""


class ClonedClient(SyncError):
    """The client presented a stale identity token: it is a copy of another workstation's disk."""


class MutationRejected(SyncError):
    """A mutation that can never apply (bad data, unknown kind, refused by the database)."""


_SQLITE_TRANSIENT = ("locked", "busy", "unable to open", "disk i/o", "readonly")


def is_transient(error: BaseException) -> bool:
    """True for failures of the link or the server, False for failures of the data itself."""
    if isinstance(error, TransientError):
        return True
    if isinstance(error, (SchemaMismatch, MutationRejected)):
        return False
    if isinstance(error, sa_exc.DBAPIError):
        if error.connection_invalidated:
            return True
        if isinstance(error, (sa_exc.OperationalError, sa_exc.InterfaceError)):
            module = type(error.orig).__module__ if error.orig is not None else ""
            if module.startswith("sqlite3"):
                return any(word in str(error.orig).lower() for word in _SQLITE_TRANSIENT)
            return True  # PostgreSQL: connection lost, admin shutdown, statement timeout...
        return False
    return isinstance(error, (sa_exc.DisconnectionError, sa_exc.TimeoutError, OSError,
                              ConnectionError, TimeoutError))
