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


class CentralFault(TransientError):
    """The central database failed for a reason that is not the mutation's fault (a broken
    server-side object, an overflow in its own bookkeeping): retried with backoff, never held
    against the workstation's data."""


# SQLSTATEs that mean "this mutation's data is refused": integrity constraints (class 23), values
# the column cannot take, a refusal raised by a policy or a trigger, missing rights.
_CLIENT_SQLSTATES = {"22001", "22007", "22008", "22023", "22P02", "22P05", "22021", "42501",
                     "P0001"}


def _sqlstate(error: BaseException) -> str | None:
    orig = getattr(error, "orig", None)
    return getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)


def is_client_fault(error: BaseException) -> bool:
    """Is the mutation itself refused (reject it, keep it visible), rather than the server at
    fault (retry later)? Anything that is not clearly the data's fault is the server's."""
    if isinstance(error, MutationRejected):
        return True
    if isinstance(error, sa_exc.IntegrityError):
        return True
    if isinstance(error, sa_exc.DBAPIError):
        state = _sqlstate(error)
        if state is None:  # SQLite: only integrity errors (handled above) are the data's fault
            return False
        return state.startswith("23") or state in _CLIENT_SQLSTATES
    if isinstance(error, SyncError):
        return False
    # A malformed payload fails in Python before it reaches the database.
    return isinstance(error, (KeyError, ValueError, TypeError, AttributeError))


def describe(error: BaseException) -> str:
    """One short line for the status bar and the log, whatever the exception carries."""
    lines = str(error).strip().splitlines()
    text = lines[0] if lines else ""
    return (f"{type(error).__name__}: {text}" if text else type(error).__name__)[:300]
