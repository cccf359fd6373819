"""Signed checkpoints of the audit trail, kept outside the database.

The hash chain alone shows that records were altered, removed or reordered *between* records
that are still there. It cannot show that the whole trail was deleted, that its end was cut off,
or that someone with the database owner's rights rewrote a record and computed every later hash
again: the rewritten chain is as consistent as the real one. A checkpoint fixes the head of the
trail at a moment (last position, its hash, the number of records, the time) and is signed with
the auditor's Ed25519 key, whose private half stays in the auditor's keyring. Verifying against
it catches deletion, truncation and rewrites of everything up to that checkpoint.

What no checkpoint can catch: records appended after the last checkpoint with correct hashes
and plausible times, and records removed from after it. Take checkpoints often (e.g. at each
shift change) and keep the files where the database's administrators cannot write.
"""
from __future__ import annotations

import base64
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Connection, Text, cast, func, select

from console.models.security import audit
from console.models.security.tables import audit_log

KEY_SERVICE = "console-audit-checkpoint"


class CheckpointError(RuntimeError):
    """No key, no trustworthy keyring, an unreadable file, or a trail not worth signing."""


@dataclass
class Checkpoint:
    last_seq: int
    last_hash: str
    count: int
    time: str  # ISO UTC, when it was signed
    head_at: str  # ISO UTC, the time of the last record (positions and times rise together)
    public_key: str  # raw Ed25519 public key, base64
    signature: str = ""

    def signed_text(self) -> bytes:
        body = {k: v for k, v in asdict(self).items() if k != "signature"}
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode("ascii")

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Checkpoint:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(int(data["last_seq"]), str(data["last_hash"]), int(data["count"]),
                       str(data["time"]), str(data["head_at"]), str(data["public_key"]),
                       str(data["signature"]))
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise CheckpointError(f"cannot read the checkpoint {path}: {error}") from error


# -- keys ----------------------------------------------------------------------------------------

def public_text(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def public_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.PEM,
                            serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def public_from_text(value: str) -> Ed25519PublicKey:
    """A public key given as base64 raw bytes (as in a checkpoint) or as a PEM file's text."""
    value = value.strip()
    try:
        if value.startswith("-----BEGIN"):
            key = serialization.load_pem_public_key(value.encode("ascii"))
            if not isinstance(key, Ed25519PublicKey):
                raise CheckpointError("the public key is not an Ed25519 key")
            return key
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(value, validate=True))
    except (ValueError, TypeError) as error:
        raise CheckpointError(f"not an Ed25519 public key: {error}") from error


def auditor_key(account: str, *, create: bool = False) -> Ed25519PrivateKey | None:
    """The auditor's signing key from a trustworthy keyring (made there when `create`)."""
    from console.models.security.credentials import _keyring, keyring_refusal

    refusal = keyring_refusal()
    if refusal:
        raise CheckpointError(f"the signing key needs a trustworthy keyring: {refusal}")
    backend, error_type = _keyring()
    try:
        stored = backend.get_password(KEY_SERVICE, account)
        if stored is None and create:
            key = Ed25519PrivateKey.generate()
            pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()).decode("ascii")
            backend.set_password(KEY_SERVICE, account, pem)
            return key
    except error_type as error:
        raise CheckpointError(f"keyring: {error}") from error
    if stored is None:
        return None
    loaded = serialization.load_pem_private_key(stored.encode("ascii"), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise CheckpointError("the key in the keyring is not an Ed25519 key")
    return loaded


# -- making and checking -------------------------------------------------------------------------

def make(conn: Connection, key: Ed25519PrivateKey) -> Checkpoint:
    """Sign the head of an intact trail (a broken one is refused: it would bless the damage)."""
    verdict = audit.verify(conn)
    if not verdict.ok:
        raise CheckpointError(f"not signed: {verdict.message()}")
    head_at = _time_of(conn, verdict.head_pos) if verdict.head_pos else audit.GENESIS_TIME
    checkpoint = Checkpoint(verdict.head_pos, verdict.head_hash, verdict.checked,
                            audit.format_at(datetime.now(UTC)), head_at,
                            public_text(key.public_key()))
    checkpoint.signature = base64.b64encode(key.sign(checkpoint.signed_text())).decode("ascii")
    return checkpoint


def check_signature(checkpoint: Checkpoint, trusted: Ed25519PublicKey) -> None:
    if checkpoint.public_key != public_text(trusted):
        raise CheckpointError("the checkpoint was not signed with the auditor's key")
    try:
        trusted.verify(base64.b64decode(checkpoint.signature), checkpoint.signed_text())
    except (InvalidSignature, ValueError) as error:
        raise CheckpointError("the checkpoint's signature does not verify: the file was "
                              "altered") from error


def verify(conn: Connection, checkpoint: Checkpoint, trusted: Ed25519PublicKey) -> audit.Verdict:
    """The chain, then everything the checkpoint fixed: its head record and hash, the number of
    records up to it, and no record after it dated before it was signed."""
    try:
        check_signature(checkpoint, trusted)
    except CheckpointError as error:
        return audit.Verdict(False, 0, 0, str(error))
    verdict = audit.verify(conn, anchors={checkpoint.last_seq: checkpoint.last_hash}
                           if checkpoint.last_seq else None)
    if not verdict.ok:
        return verdict
    c = audit_log.c
    upto = conn.scalar(select(func.count()).select_from(audit_log)
                       .where(c.pos <= checkpoint.last_seq)) or 0
    if upto != checkpoint.count:
        return audit.Verdict(False, verdict.checked, checkpoint.last_seq,
                             f"{upto} records up to the checkpoint, {checkpoint.count} signed")
    head_at = datetime.fromisoformat(checkpoint.head_at.replace("Z", "+00:00"))
    if conn.dialect.name == "postgresql":
        dated_before: Any = c.at < head_at
    else:  # SQLite keeps the time as the ISO text that was hashed (it sorts as text)
        dated_before = cast(c.at, Text) < checkpoint.head_at
    backdated = conn.scalar(select(func.min(c.pos)).where(c.pos > checkpoint.last_seq,
                                                          dated_before))
    if backdated is not None:
        return audit.Verdict(False, verdict.checked, int(backdated),
                             "appended after the checkpoint but dated before its last record")
    return verdict


def _time_of(conn: Connection, pos: int) -> str:
    column = audit_log.c.at if conn.dialect.name == "postgresql" else cast(audit_log.c.at, Text)
    at = conn.scalar(select(column).where(audit_log.c.pos == pos))
    if isinstance(at, str):
        at = datetime.fromisoformat(at.replace("Z", "+00:00"))
    if not isinstance(at, datetime):
        raise CheckpointError(f"record {pos} has no time")
    return audit.format_at(at)
