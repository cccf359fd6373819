"""`console audit verify` checks the hash chain (and a signed checkpoint); `audit search` queries
it; `audit checkpoint` signs its head. Each of these reads is itself recorded in the trail."""
from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from sqlalchemy import Engine

    from console.cli.commands import Subparsers


def _url(args: argparse.Namespace) -> str:
    url = getattr(args, "central", None) or os.environ.get("CONSOLE_CENTRAL")
    if not url:
        from console.config import embedded_central_path

        url = f"sqlite:///{embedded_central_path()}"
    return url


def _anchor(text: str) -> tuple[int, str]:
    pos, _, digest = text.partition(":")
    if not pos.isdigit() or len(digest) != 64:
        raise argparse.ArgumentTypeError("an anchor is POS:SHA256 as printed by a previous verify")
    return int(pos), digest.lower()


def _reader(url: str) -> str:
    """Who reads, for the embedded trail (PostgreSQL names the login itself)."""
    import getpass

    return f"os:{getpass.getuser()}" if url.startswith("sqlite") else ""


def _open_traced(args: argparse.Namespace, kind: str, detail: dict[str, Any]) -> Engine:
    """The central engine, after this read is recorded in the trail (no trace, no read)."""
    from console.models.security.connect import open_central
    from console.models.security.trace import record_access

    url = _url(args)
    engine = open_central(url)
    try:
        with engine.begin() as conn:
            record_access(conn, kind, detail, actor=_reader(url))
    except Exception:
        engine.dispose()
        raise
    return engine


def _say(error: BaseException) -> int:
    from console.models.security.connect import ConnectError

    if isinstance(error, ConnectError):
        print(f"console audit: {error}", file=sys.stderr)
    else:  # say it, do not dump a traceback on an auditor
        print(f"console audit: cannot read the audit trail: {str(error).splitlines()[0]}",
              file=sys.stderr)
    return 2


def _trusted_key(args: argparse.Namespace) -> Ed25519PublicKey:
    """The auditor's public key: --public-key FILE, else the private key in the keyring."""
    from console.models.security import checkpoint as cp

    if args.public_key:
        return cp.public_from_text(args.public_key.read_text(encoding="utf-8"))
    key = cp.auditor_key(_key_account(args))
    if key is None:
        raise cp.CheckpointError("no auditor key in this keyring: give --public-key FILE "
                                 "(written next to the checkpoint as FILE.pub)")
    return key.public_key()


def _key_account(args: argparse.Namespace) -> str:
    if args.key_name:
        return str(args.key_name)
    url = _url(args)
    if url.startswith("sqlite"):
        return "embedded"
    from console.models.security.credentials import account_for

    return account_for(url)


def _verify(args: argparse.Namespace) -> int:
    from console.models.security import audit
    from console.models.security import checkpoint as cp

    try:
        checkpoint = cp.Checkpoint.load(args.checkpoint) if args.checkpoint else None
        trusted = _trusted_key(args) if checkpoint else None
        engine = _open_traced(args, "audit_verify", {
            "checkpoint": str(args.checkpoint) if args.checkpoint else None,
            "anchors": [f"{p}:{h}" for p, h in args.anchor or []]})
    except cp.CheckpointError as error:
        print(f"console audit: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # noqa: BLE001
        return _say(error)
    try:
        with engine.connect() as conn:
            if checkpoint is not None and trusted is not None:
                verdict = cp.verify(conn, checkpoint, trusted)
            else:
                verdict = audit.verify(conn, anchors=dict(args.anchor or []))
    except Exception as error:  # noqa: BLE001
        return _say(error)
    finally:
        engine.dispose()
    print(verdict.message())
    if verdict.ok and checkpoint is not None:
        print(f"checkpoint holds: records 1-{checkpoint.last_seq} as signed at "
              f"{checkpoint.time}; {verdict.checked - checkpoint.count} record(s) after it are "
              "covered by the chain only")
    elif verdict.ok:
        print(f"anchor for a later check: --anchor {verdict.head_pos}:{verdict.head_hash}")
        print("without a signed checkpoint, deleting the whole trail or its end, or rewriting it "
              "with fresh hashes, does not show: see `console audit checkpoint`")
    return 0 if verdict.ok else 1


def _checkpoint(args: argparse.Namespace) -> int:
    from console.models.security import checkpoint as cp

    try:
        key = cp.auditor_key(_key_account(args), create=True)
        assert key is not None
        engine = _open_traced(args, "audit_checkpoint", {"file": str(args.out)})
    except cp.CheckpointError as error:
        print(f"console audit: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # noqa: BLE001
        return _say(error)
    try:
        with engine.connect() as conn:
            checkpoint = cp.make(conn, key)
    except cp.CheckpointError as error:
        print(f"console audit: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001
        return _say(error)
    finally:
        engine.dispose()
    checkpoint.save(args.out)
    public = args.out.with_name(args.out.name + ".pub")
    public.write_text(cp.public_pem(key.public_key()), encoding="utf-8")
    print(f"checkpoint written: {args.out} (records 1-{checkpoint.last_seq}, head "
          f"{checkpoint.last_hash}); public key: {public}")
    return 0


def _search(args: argparse.Namespace) -> int:
    from console.models.security import audit

    query = audit.AuditQuery(text=args.text or "", actor=args.actor or "",
                             action=args.action or "", table_name=args.table or "",
                             since=args.since, until=args.until, limit=args.limit)
    asked = {k: v for k, v in (("text", query.text), ("actor", query.actor),
                               ("action", query.action), ("table", query.table_name),
                               ("since", args.since and args.since.isoformat()),
                               ("until", args.until and args.until.isoformat())) if v}
    try:
        engine = _open_traced(args, "audit_search", asked)
        try:
            with engine.connect() as conn:
                records = audit.search(conn, query)
        finally:
            engine.dispose()
    except Exception as error:  # noqa: BLE001
        return _say(error)
    for r in records:
        line = {"pos": r.pos, "at": audit.format_at(r.at), "actor": r.actor,
                "workstation": r.workstation, "action": r.action, "table": r.table_name,
                "key": r.row_key, "old": r.json("old"), "new": r.json("new"),
                "details": r.json("details")}
        print(json.dumps(line, ensure_ascii=False, default=str))
    return 0


def _when(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not an ISO date/time: {text!r}") from error
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError("give a time zone, e.g. 2024-07-26T20:00+02:00")
    return value


def _key_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--key-name", metavar="NAME",
                        help="the signing key's name in the keyring (default: the central's "
                        "user@host:port/database)")


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("audit", help="verify and search the audit trail")
    sub = parser.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = sub.add_parser("verify", help="check the hash chain; name the first bad record")
    verify.add_argument("--anchor", type=_anchor, action="append", metavar="POS:HASH",
                        help="a head printed by an earlier verify (detects truncation)")
    verify.add_argument("--checkpoint", type=Path, metavar="FILE",
                        help="a signed checkpoint: catches deletion, truncation and rewrites "
                        "of every record up to it")
    _key_arguments(verify)
    verify.add_argument("--public-key", type=Path, metavar="FILE",
                        help="the auditor's public key (default: from the keyring)")
    verify.set_defaults(handler=_verify)
    checkpoint = sub.add_parser(
        "checkpoint", help="sign the head of the trail into a file kept outside the database",
        description="Verifies the chain, then writes the last position, its hash, the record "
                    "count and the time, signed with the auditor's Ed25519 key (kept in the "
                    "keyring, made at the first checkpoint), and the public key as FILE.pub.")
    checkpoint.add_argument("--out", type=Path, required=True, metavar="FILE")
    _key_arguments(checkpoint)
    checkpoint.set_defaults(handler=_checkpoint)
    search = sub.add_parser("search", help="print matching records as JSON lines, newest first")
    search.add_argument("--text", help="words in the old/new values or details")
    search.add_argument("--actor", help="database user who acted")
    search.add_argument("--action", help="insert, update, sign_in, export...")
    search.add_argument("--table", help="events, follow_ups, zones, roster_assignments...")
    search.add_argument("--since", type=_when)
    search.add_argument("--until", type=_when)
    search.add_argument("--limit", type=int, default=200)
    search.set_defaults(handler=_search)
