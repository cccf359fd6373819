"""The server-side security posture that `console doctor` checks: authentication and TLS.

A central that lets anyone in with any password (pg_hba `trust`), or a link whose server
identity is not verified (sslmode weaker than verify-full), defeats every role and audit rule
above it: doctor must say so, not print "all good".
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass

from sqlalchemy.engine import make_url

from console.models.security.signin import _is_auth_failure


@dataclass
class Finding:
    ok: bool
    detail: str
    fix: str = ""


def authentication_finding(url: str, *, timeout_s: int = 5) -> Finding:
    """Connect with a password that cannot be right: the server must refuse it."""
    from sqlalchemy import exc, text

    from console.models.central_db import central_engine

    wrong = f"doctor-wrong-{secrets.token_hex(12)}"
    engine = central_engine(url, password=wrong, connect_args={"connect_timeout": timeout_s},
                            pool_size=1, max_overflow=0, pool_pre_ping=False)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except exc.DBAPIError as error:
        if _is_auth_failure(error):
            return Finding(True, "a wrong password is refused")
        message = str(getattr(error, "orig", error)).strip().splitlines()[0]
        return Finding(False, f"not checked: {message}",
                       "make the central reachable, then run doctor again")
    finally:
        engine.dispose()
    user = make_url(url).username or "(default user)"
    return Finding(False, f"the server accepted {user} with a wrong password (trust or peer "
                   "authentication): anyone who reaches it is that user",
                   "in pg_hba.conf use scram-sha-256 (or cert) for the console's users, "
                   "then reload PostgreSQL")


def tls_finding(url: str) -> Finding:
    """verify-full (with a CA) or nothing: weaker modes let a machine in the middle read and
    change the traffic, passwords included."""
    parsed = make_url(url)
    mode = str(parsed.query.get("sslmode") or os.environ.get("PGSSLMODE") or "prefer")
    host = parsed.host or ""
    if mode == "verify-full":
        return Finding(True, "sslmode=verify-full (server certificate and name checked)")
    if host.startswith("/") or (not host and not os.environ.get("PGHOST")):
        return Finding(True, f"sslmode={mode} over a local Unix socket (no network link)")
    return Finding(False, f"sslmode={mode}: the server's identity is not verified"
                   + (" and the link may not even be encrypted" if mode in
                      ("disable", "allow", "prefer") else ""),
                   "add ?sslmode=verify-full&sslrootcert=<CA file> to the central URL and give "
                   "the server a certificate for its host name")
