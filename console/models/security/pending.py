"""Audit records waiting for the central database, protected against forgery.

Failed sign-ins and offline sessions cannot write to the trail at once, so they wait in a local
file until the next connection. Anyone who can write that file could otherwise plant a line
that the next user's session records under their own name. Each line therefore names its
writer and carries an HMAC:

- a signed-in user's lines are keyed by a key derived from that user's password (scrypt): only
  the same user, signed in again, can verify them, and they are written only in that session;
- lines with no signed-in user (failed sign-ins) are keyed by a random workstation key kept in
  the system keyring (never in a file); with no trustworthy keyring they cannot be verified.

A line that does not verify, names its writer wrongly or repeats another line is refused and
reported (to the log, and by the caller in the trail), never recorded. Other users' lines stay
in the file for their own next sign-in.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection
from sqlalchemy import exc as sa_exc

log = logging.getLogger(__name__)
ANONYMOUS = ""  # the writer of lines written with nobody signed in (failed sign-ins)
KEY_SERVICE = "console-pending-audit"
KEY_ACCOUNT = "workstation"


def workstation_key() -> bytes | None:
    """The workstation's random key, from a trustworthy keyring (created at first use), or None."""
    from console.models.security.credentials import _keyring, keyring_refusal

    if keyring_refusal():
        return None
    backend, error_type = _keyring()
    try:
        stored = backend.get_password(KEY_SERVICE, KEY_ACCOUNT)
        if stored is None:
            stored = secrets.token_hex(32)
            backend.set_password(KEY_SERVICE, KEY_ACCOUNT, stored)
        return bytes.fromhex(stored)
    except (error_type, ValueError) as error:
        log.warning("no workstation key for the pending audit queue: %s", type(error).__name__)
        return None


def user_key(username: str, password: str | None) -> bytes | None:
    """The key of a signed-in user's pending lines: derived from the password, else (embedded
    demo users, who have none) the workstation key."""
    if password:
        from console.models.security.offline import derive_key

        return derive_key(password, "pending-audit", username)
    return workstation_key()


def _mac(key: bytes, line: dict[str, Any]) -> str:
    body = {k: line.get(k) for k in ("id", "writer", "action", "details")}
    text = json.dumps(body, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hmac.new(key, text.encode("ascii"), hashlib.sha256).hexdigest()


def _write(conn: Connection, line: dict[str, Any], actor: str, workstation: str) -> None:
    from console.models.security import audit, trace

    details = line["details"]
    if line["action"] == trace.ACCESS_ACTION:  # a read made offline: recorded as reads are
        detail = {k: v for k, v in details.items() if k != "access"}
        trace.record_access(conn, details["access"], detail, actor=actor, workstation=workstation)
    else:
        audit.append(conn, line["action"], actor=actor, workstation=workstation, details=details)


@dataclass
class FlushResult:
    written: int = 0
    kept: list[dict[str, Any]] = field(default_factory=list)  # other writers' lines
    refused: list[str] = field(default_factory=list)  # why each refused line was refused


class PendingAudit:
    """The queue file: one JSON line per record, each with writer, id and HMAC."""

    def __init__(self, path: Path,
                 anonymous_key: Callable[[], bytes | None] = workstation_key) -> None:
        self.path = path
        self.anonymous_key = anonymous_key

    def add(self, action: str, details: dict[str, Any], *, writer: str = ANONYMOUS,
            key: bytes | None = None) -> None:
        """Queue a record; `key` is the writer's (None for anonymous lines: workstation key)."""
        if writer == ANONYMOUS:
            key = self.anonymous_key()
        line: dict[str, Any] = {"id": secrets.token_hex(12), "writer": writer, "action": action,
                                "details": details}
        line["mac"] = _mac(key, line) if key else None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(line, ensure_ascii=True) + "\n")
            f.flush()
            os.fsync(f.fileno())

    def items(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        result = []
        for text in self.path.read_text(encoding="utf-8").splitlines():
            try:
                line = json.loads(text)
            except json.JSONDecodeError:
                line = {"unreadable": text[:80]}  # a torn last line, or garbage: refused
            result.append(line if isinstance(line, dict) else {"unreadable": text[:80]})
        return result

    def _judge(self, line: dict[str, Any], actor: str, key: bytes | None,
               seen: set[str]) -> str:
        """'write', 'keep', or the reason this line is refused."""
        writer = line.get("writer")
        if "unreadable" in line or not isinstance(writer, str):
            return "unreadable or without a writer"
        if writer not in (actor, ANONYMOUS):
            return "keep"
        check_key = self.anonymous_key() if writer == ANONYMOUS else key
        mac = line.get("mac")
        if check_key is None or not isinstance(mac, str):
            return f"{line.get('action')!r} claimed by {writer or 'nobody'}: cannot be verified"
        if not hmac.compare_digest(mac, _mac(check_key, line)):
            return f"{line.get('action')!r} claimed by {writer or 'nobody'}: HMAC does not match"
        if line.get("id") in seen:
            return f"{line.get('action')!r}: the same line twice (replayed)"
        seen.add(str(line.get("id")))
        return "write"

    def flush(self, conn: Connection, actor: str, key: bytes | None, workstation: str) -> FlushResult:
        """Record this actor's verified lines and the verified anonymous ones; refuse forgeries.
        Once the caller's transaction is committed, `settle(result)` leaves only the kept lines."""
        result, kept, seen = FlushResult(), [], set[str]()
        for line in self.items():
            verdict = self._judge(line, actor, key, seen)
            if verdict == "keep":
                kept.append(line)
                continue
            if verdict != "write":
                result.refused.append(verdict)
                continue
            try:
                with conn.begin_nested():
                    _write(conn, line, actor, workstation)
                result.written += 1
            except (sa_exc.DBAPIError, KeyError, TypeError) as error:
                result.refused.append(f"{line.get('action')!r}: refused by the database "
                                      f"({type(error).__name__})")
        for reason in result.refused:
            log.warning("pending audit line refused: %s", reason)
        result.kept = kept
        return result

    def settle(self, result: FlushResult) -> None:
        """After the flush's transaction committed: keep only the other writers' lines."""
        lines = result.kept
        if not lines:
            self.path.unlink(missing_ok=True)
            return
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text("".join(json.dumps(line, ensure_ascii=True) + "\n" for line in lines),
                       encoding="utf-8")
        os.replace(tmp, self.path)

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)
