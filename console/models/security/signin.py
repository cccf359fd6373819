"""Signing in, out, locking and unlocking a workstation; no Qt here (the dialogs call this).

Online, the password is checked by PostgreSQL itself (the user IS a login role) and the session
is recorded in the audit trail by the server. Each online sign-in refreshes a salted scrypt hash
in the keyring, so that the same user can later sign in here while the central is unreachable,
and unlock a locked screen without the network. Failed attempts cannot write to the database
(there is no session), so they wait in a small local file, without any password, until the next
successful connection writes them to the trail. Passwords are never written to a file or a log.
"""
from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from console.models.actor import Actor
from console.models.security import audit, offline
from console.models.security.embedded import AccessPolicy, actor_from_users
from console.models.security.pending import PendingAudit, user_key
from console.models.security.text import clean

log = logging.getLogger(__name__)

AUTH_FAILURES = ("password authentication failed", "not permitted to log in", "does not exist",
                 "no pg_hba.conf entry", "authentication failed", "permission denied for database")


class SignInError(Exception):
    """Sign-in refused; the message is fit to show the user."""


@dataclass
class SignedIn:
    actor: Actor
    mode: str  # "online" | "offline" | "embedded"
    policy: AccessPolicy
    central_url: str | None = None  # with the user name, never with the password
    engine: Engine | None = field(default=None, repr=False)  # audit writes (online/embedded)
    password: str | None = field(default=None, repr=False)  # for the sync engine; memory only
    notices: list[str] = field(default_factory=list)  # e.g. "no keyring": shown after sign-in
    audit_key: bytes | None = field(default=None, repr=False)  # HMAC key of queued records
    tracer: Callable[[str, dict[str, Any] | None], None] | None = field(default=None, repr=False)

    def trace(self, kind: str, detail: dict[str, Any] | None = None) -> None:
        """Trace a read of this session (search, filter, open, audit_pane...): for views that
        hold only the session. Set at sign-in to Authenticator.trace."""
        if self.tracer is None:
            raise RuntimeError("this session was not made by Authenticator.sign_in: no tracer")
        self.tracer(kind, detail)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _is_auth_failure(error: BaseException) -> bool:
    orig = getattr(error, "orig", error)
    if getattr(orig, "sqlstate", None) in ("28P01", "28000"):
        return True
    message = str(orig).lower()
    return any(marker in message for marker in AUTH_FAILURES)


class Authenticator:
    """Sign-in against the central PostgreSQL, offline from the keyring, or the embedded central."""

    def __init__(self, *, central_url: str | None = None, embedded_url: str | None = None,
                 demo: bool = False, workstation: str = "",
                 pending_path: Path | None = None) -> None:
        if pending_path is None:
            from console.config import data_dir

            pending_path = data_dir() / "pending_audit.jsonl"
        self.central_url = central_url
        self.embedded_url = embedded_url
        self.demo = demo
        self.workstation = workstation or os.environ.get("CONSOLE_WORKSTATION") or _hostname()
        self.pending = PendingAudit(pending_path)

    # -- helpers ----------------------------------------------------------------------------

    def user_url(self, username: str) -> str:
        assert self.central_url is not None
        return make_url(self.central_url).set(username=username).render_as_string(
            hide_password=True)

    def account(self, username: str) -> str:
        from console.models.security.credentials import account_for

        if self.central_url:
            return account_for(self.user_url(username))
        return f"{username}@embedded"

    def remembered_password(self, username: str) -> str | None:
        if not self.central_url or not username:
            return None
        from console.models.security.credentials import get_password

        return get_password(self.user_url(username))

    # -- signing in -------------------------------------------------------------------------

    def sign_in(self, username: str, password: str, *, remember: bool = False) -> SignedIn:
        username = (username or "").strip()
        if not username:
            raise SignInError("Type your user name.")
        if (len(username) > 63 or len(password or "") > 1024 or clean(username) != username
                or clean(password or "") != (password or "")):
            # Too long, control characters or invalid Unicode: no server could accept it.
            self._failed(username[:63], "invalid characters or too long")
            raise SignInError("Wrong user name or password.")
        if self.central_url:
            session = self._online(username, password or "", remember)
        else:
            session = self._embedded(username, password or "")
        session.tracer = functools.partial(self.trace, session)
        return session

    def _failed(self, username: str, reason: str) -> None:
        self.pending.add("sign_in_failed", {"username": clean(username), "reason": reason,
                                            "client_time": _now(),
                                            "workstation": self.workstation})

    def _online(self, username: str, password: str, remember: bool) -> SignedIn:
        from console.models.central_db import central_engine
        from console.models.security.connect import check_tls_options, name_workstation
        from console.models.security.credentials import CredentialError, delete_password, set_password

        url = self.user_url(username)
        check_tls_options(url)
        engine = central_engine(url, password=password or None, pool_size=1, max_overflow=1)
        name_workstation(engine, self.workstation)
        try:
            with engine.begin() as conn:
                row = conn.execute(text(
                    "SELECT username, display_name, centre_code, console_roles_of(username), "
                    "active FROM users WHERE username = session_user")).first()
                if row is None or not row.active:
                    raise SignInError("This database account is not an active console user.")
                centres = list(conn.scalar(text("SELECT console_visible_centres()")) or [])
                key = user_key(username, password)
                flushed = self.pending.flush(conn, username, key, self.workstation)
                audit.append(conn, "sign_in", actor=username, workstation=self.workstation,
                             details={"mode": "online"})
                self._report_refused(conn, username, flushed.refused)
        except SignInError:
            engine.dispose()
            raise
        except sa_exc.DBAPIError as error:
            engine.dispose()
            if _is_auth_failure(error):
                self._failed(username, "refused by the central database")
                raise SignInError("Wrong user name or password, or the account is disabled.") \
                    from None
            log.info("central unreachable at sign-in: %s", type(error).__name__)
            return self._offline(username, password)
        self.pending.settle(flushed)
        actor = Actor(username=row.username, centre_code=row.centre_code,
                      role=row[3] or "", display_name=row.display_name,
                      workstation=self.workstation)
        notices = [f"{len(flushed.refused)} forged or altered queued audit record(s) refused "
                   "and reported"] if flushed.refused else []
        try:
            from console.models.security.credentials import set_offline_record

            set_offline_record(self.account(username),
                               offline.seal_record(password, username, _identity(actor), centres))
            if remember:
                set_password(url, password)
            else:
                delete_password(url)
        except CredentialError as error:
            log.warning("%s", error)
            notices.append(str(error))
        return SignedIn(actor, "online", AccessPolicy(actor, frozenset(centres)), url, engine,
                        password, notices, key)

    def _report_refused(self, conn: Connection, actor: str, refused: list[str]) -> None:
        """Forged or altered queued lines: said in the trail (as a read-kind record), not written."""
        if refused:
            from console.models.security.trace import record_access

            record_access(conn, "pending_refused", {"count": len(refused), "why": refused[:20]},
                          actor=actor, workstation=self.workstation)

    def _offline(self, username: str, password: str) -> SignedIn:
        from console.models.security.credentials import get_offline_record, keyring_available

        stored = get_offline_record(self.account(username))
        if stored is None and not keyring_available():
            self._failed(username, "offline, no keyring")
            raise SignInError("The central database cannot be reached, and this workstation has "
                              "no system keyring: offline sign-in is not possible.")
        if stored is None:
            self._failed(username, "offline, never signed in here")
            raise SignInError("The central database cannot be reached, and you have not signed "
                              "in on this workstation before: offline sign-in is not possible.")
        try:
            record = offline.open_record(stored, password, username)
        except offline.RecordRefused as refused:
            self._failed(username, f"offline, {refused}")
            if "wrong password" in str(refused):
                raise SignInError("Wrong user name or password.") from None
            raise SignInError(f"Offline sign-in refused: {refused}.") from None
        actor = Actor(workstation=self.workstation, **record["actor"])
        key = user_key(username, password)
        self.pending.add("offline_sign_in", {"username": username, "client_time": _now(),
                                             "workstation": self.workstation},
                         writer=username, key=key)
        return SignedIn(actor, "offline", AccessPolicy(actor, frozenset(record["centres"])),
                        self.user_url(username), None, password, audit_key=key)

    def _embedded(self, username: str, password: str) -> SignedIn:
        from sqlalchemy.orm import Session

        from console.models.central_db import central_engine
        from console.models.security.credentials import get_offline_record

        assert self.embedded_url is not None
        engine = central_engine(self.embedded_url)
        with Session(engine) as session:
            actor = actor_from_users(session, username, self.workstation)
            policy = AccessPolicy.for_actor(session, actor) if actor else None
        stored = get_offline_record(self.account(username)) if actor else None
        if actor is None or policy is None:
            ok = False
        elif stored is not None:
            ok = _opens(stored, password, username)
        else:
            # The demo's users have no password; everyone else must have one set here.
            from console.models.demo import USERS

            ok = self.demo and username in {u[0] for u in USERS}
        with engine.begin() as conn:
            if not ok:
                audit.append(conn, "sign_in_failed", actor=username[:63],
                             workstation=self.workstation, details={"mode": "embedded"})
            else:
                audit.append(conn, "sign_in", actor=username, workstation=self.workstation,
                             details={"mode": "embedded"})
        if not ok or actor is None or policy is None:
            engine.dispose()
            raise SignInError("Wrong user name or password.")
        return SignedIn(actor, "embedded", policy, None, engine, None,
                        audit_key=user_key(username, password or None))

    def set_local_password(self, username: str, password: str) -> None:
        """Embedded mode: give a user a password checked on this workstation (keyring hash)."""
        from sqlalchemy.orm import Session

        from console.models.central_db import central_engine
        from console.models.security.credentials import set_offline_record

        assert self.embedded_url is not None
        engine = central_engine(self.embedded_url)
        try:
            with Session(engine) as session:
                actor = actor_from_users(session, username)
                if actor is None:
                    raise SignInError(f"no active user named {username}")
                centres = sorted(AccessPolicy.for_actor(session, actor).centres)
        finally:
            engine.dispose()
        set_offline_record(self.account(username),
                           offline.seal_record(password, username, _identity(actor), centres))

    # -- during the session -----------------------------------------------------------------

    def check_again(self, session: SignedIn, password: str) -> bool:
        """Unlock: the same password as at sign-in (checked here, no network needed)."""
        from console.models.security.credentials import get_offline_record

        stored = get_offline_record(self.account(session.actor.username))
        if stored is not None:
            ok = _opens(stored, password, session.actor.username)
        elif session.mode == "embedded":
            ok = self.demo  # demo users without a password
        else:
            ok = session.password is not None and password == session.password
        self.record(session, "unlock" if ok else "sign_in_failed",
                    {"reason": "unlock"} if not ok else None)
        return ok

    def record(self, session: SignedIn, action: str, details: dict[str, Any] | None = None) -> None:
        """Write a client-side audit record now, or keep it for the next connection."""
        if session.engine is not None:
            try:
                with session.engine.begin() as conn:
                    audit.append(conn, action, actor=session.actor.username,
                                 workstation=self.workstation, details=details)
                return
            except sa_exc.DBAPIError as error:
                log.info("audit record deferred: %s", type(error).__name__)
        self.queue(session, action, details)

    def queue(self, session: SignedIn, action: str, details: dict[str, Any] | None) -> None:
        """Keep a record of this session for the next connection (HMAC by this user's key)."""
        self.pending.add(action, {**(details or {}), "username": session.actor.username,
                                  "client_time": _now(), "workstation": self.workstation},
                         writer=session.actor.username, key=session.audit_key)

    def trace(self, session: SignedIn, kind: str, detail: dict[str, Any] | None = None) -> None:
        """Trace a read (search, filter, open, export, report, audit query): see trace.py."""
        from console.models.security.trace import trace_access

        trace_access(kind, detail, session, self)

    def sign_out(self, session: SignedIn) -> None:
        self.record(session, "sign_out")
        if session.engine is not None:
            session.engine.dispose()
        session.password = None


def _identity(actor: Actor) -> dict[str, Any]:
    return {"username": actor.username, "centre_code": actor.centre_code, "role": actor.role,
            "display_name": actor.display_name}


def _opens(stored: str, password: str, username: str) -> bool:
    try:
        offline.open_record(stored, password, username)
    except offline.RecordRefused as refused:
        log.warning("offline record not opened: %s", str(refused).split(":")[0])
        return False
    return True


def _hostname() -> str:
    import socket

    return socket.gethostname()[:100]
