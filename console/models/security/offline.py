"""Offline sign-in: a salted scrypt hash of the password, kept in the keyring, never in a file."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from typing import Any

# scrypt cost: about 50 ms here; strong enough that a stolen keyring entry is slow to attack.
N, R, P, DKLEN = 2 ** 14, 8, 1, 32


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8", "surrogatepass"), salt=salt, n=N, r=R, p=P,
                            dklen=DKLEN)
    b64 = base64.b64encode
    return f"scrypt${N}${R}${P}${b64(salt).decode()}${b64(digest).decode()}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(password.encode("utf-8", "surrogatepass"),
                             salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


# -- the offline sign-in record: sealed so that editing it grants nothing ------------------------

class RecordRefused(ValueError):
    """The offline record does not match this password, or was altered since it was written."""


def derive_key(password: str, purpose: str, username: str) -> bytes:
    """A key only the holder of the password can compute (scrypt, salted by purpose and user)."""
    salt = hashlib.sha256(f"console:{purpose}:{username}".encode()).digest()
    return hashlib.scrypt(password.encode("utf-8", "surrogatepass"), salt=salt, n=N, r=R, p=P,
                          dklen=DKLEN)


def _record_mac(record: dict[str, Any], key: bytes) -> str:
    body = {k: v for k, v in record.items() if k != "mac"}
    text = json.dumps(body, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hmac.new(key, text.encode("ascii"), hashlib.sha256).hexdigest()


def seal_record(password: str, username: str, actor: dict[str, Any], centres: list[str]) -> str:
    """The keyring value of an offline sign-in: hash, identity, centres and an HMAC over all of
    them keyed by the password, so that a changed role or centre list no longer verifies."""
    record: dict[str, Any] = {"hash": hash_password(password), "username": username,
                              "actor": actor, "centres": sorted(centres)}
    record["mac"] = _record_mac(record, derive_key(password, "offline-record", username))
    return json.dumps(record)


def open_record(stored: str, password: str, username: str) -> dict[str, Any]:
    """The record if this password opens it and it is intact; RecordRefused otherwise."""
    try:
        record = json.loads(stored)
        known_hash = record["hash"]
    except (ValueError, TypeError, KeyError):
        raise RecordRefused("the offline sign-in record is unreadable") from None
    if not check_password(password, known_hash):
        raise RecordRefused("wrong password")
    mac = record.get("mac") if isinstance(record, dict) else None
    expected = _record_mac(record, derive_key(password, "offline-record", username))
    if (not isinstance(mac, str) or not hmac.compare_digest(mac, expected)
            or record.get("username") != username):
        raise RecordRefused("the offline sign-in record was altered (or written by an older "
                            "console): sign in once while the central database is reachable")
    return dict(record)
