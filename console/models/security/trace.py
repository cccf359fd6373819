"""Reads in the audit trail: who searched, filtered, opened, exported or queried what.

Reads go into the same hash chain as the changes, as records of action `access` (on PostgreSQL
accepted by `console_audit_event` since migration c0006). Against an older central that refuses
`access`, a read is recorded as action `report` with `details.access` naming the kind (the
chain, author and time are the server's either way). `export` and `report` keep their own
action. Reads made while offline wait in the HMAC-protected pending queue. A command-line
import is recorded the same way, as kind `import` (what was read in, by whom); the events it
writes are audited as rows when they reach the central.
"""
from __future__ import annotations

import logging
from typing import Any, Protocol

from sqlalchemy import Connection, Engine
from sqlalchemy import exc as sa_exc

from console.models.actor import Actor
from console.models.security.text import clean


class SignedIn(Protocol):
    """What a read trace needs of a signed-in session (console.models.security.signin)."""

    actor: Actor
    engine: Engine | None


class Authenticator(Protocol):
    workstation: str

    def queue(self, session: Any, action: str, details: dict[str, Any] | None) -> None: ...

log = logging.getLogger(__name__)

ACCESS_ACTION = "access"
PG_FALLBACK_ACTION = "report"  # accepted by c0003's console_audit_event
ACCESS_KINDS = ("search", "filter", "open", "export", "report", "audit_search", "audit_verify",
                "audit_pane", "audit_checkpoint", "pending_refused", "import")
OWN_ACTIONS = {"export": "export", "report": "report", "sign_in": "sign_in",
               "sign_out": "sign_out"}
_ACCEPTS_ACCESS = "console_audit_accepts_access"
MAX_TEXT = 500  # a search text longer than this is cut (the trail is not a file store)


def access_details(kind: str, detail: dict[str, Any] | None) -> dict[str, Any]:
    """The details of a read record: its kind and what was read, strings cleaned and cut."""
    if kind not in ACCESS_KINDS and kind not in OWN_ACTIONS:
        raise ValueError(f"unknown kind of access {kind!r}")

    def tidy(value: Any) -> Any:
        if isinstance(value, str):
            return clean(value)[:MAX_TEXT]
        if isinstance(value, dict):
            return {str(k)[:64]: tidy(v) for k, v in list(value.items())[:50]}
        if isinstance(value, list | tuple | set | frozenset):
            return [tidy(v) for v in list(value)[:50]]
        return value if value is None or isinstance(value, bool | int | float) else str(value)

    return {"access": kind, **tidy(dict(detail or {}))}


def record_access(conn: Connection, kind: str, detail: dict[str, Any] | None, *, actor: str,
                  workstation: str = "") -> int:
    """Write one read record on this connection (in the caller's transaction); its position."""
    from console.models.security import audit

    details = access_details(kind, detail)
    action = OWN_ACTIONS.get(kind, ACCESS_ACTION)
    if conn.dialect.name != "postgresql" or action != ACCESS_ACTION:
        return audit.append(conn, action, actor=actor, workstation=workstation, details=details)
    # Learned once per database connection: does the server know `access` yet?
    if conn.info.get(_ACCEPTS_ACCESS, True):
        try:
            with conn.begin_nested():
                return audit.append(conn, ACCESS_ACTION, actor=actor, details=details)
        except sa_exc.DBAPIError as error:
            if "unknown audit action" not in str(error):
                raise
            conn.info[_ACCEPTS_ACCESS] = False
    return audit.append(conn, PG_FALLBACK_ACTION, actor=actor, details=details)


def trace_access(kind: str, detail: dict[str, Any] | None, session: SignedIn,
                 authenticator: Authenticator) -> None:
    """Trace a read of a signed-in session: written now on its central connection, or queued
    (HMAC-protected, attributed to this user only) and chained at the next sign-in."""
    details = access_details(kind, detail)
    if session.engine is not None:
        try:
            with session.engine.begin() as conn:
                record_access(conn, kind, detail, actor=session.actor.username,
                              workstation=authenticator.workstation)
            return
        except sa_exc.DBAPIError as error:
            log.info("read record deferred: %s", type(error).__name__)
    authenticator.queue(session, OWN_ACTIONS.get(kind, ACCESS_ACTION), details)

