"""`console audit verify` checks the hash chain of the audit trail; `console audit search` queries it."""
from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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


def _verify(args: argparse.Namespace) -> int:
    from console.models.security import audit
    from console.models.security.connect import ConnectError, open_central

    try:
        engine = open_central(_url(args))
    except ConnectError as error:
        print(f"console audit: {error}", file=sys.stderr)
        return 2
    try:
        with engine.connect() as conn:
            verdict = audit.verify(conn, anchors=dict(args.anchor or []))
    except Exception as error:  # noqa: BLE001 - say it, do not dump a traceback on an auditor
        print(f"console audit: cannot read the audit trail: {str(error).splitlines()[0]}",
              file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(verdict.message())
    if verdict.ok:
        print(f"anchor for a later check: --anchor {verdict.head_pos}:{verdict.head_hash}")
    return 0 if verdict.ok else 1


def _search(args: argparse.Namespace) -> int:
    from console.models.security import audit
    from console.models.security.connect import ConnectError, open_central

    query = audit.AuditQuery(text=args.text or "", actor=args.actor or "",
                             action=args.action or "", table_name=args.table or "",
                             since=args.since, until=args.until, limit=args.limit)
    try:
        engine = open_central(_url(args))
        with engine.connect() as conn:
            records = audit.search(conn, query)
    except ConnectError as error:
        print(f"console audit: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # noqa: BLE001
        print(f"console audit: cannot read the audit trail: {str(error).splitlines()[0]}",
              file=sys.stderr)
        return 2
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


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("audit", help="verify and search the audit trail")
    sub = parser.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = sub.add_parser("verify", help="check the hash chain; name the first bad record")
    verify.add_argument("--anchor", type=_anchor, action="append", metavar="POS:HASH",
                        help="a head printed by an earlier verify (detects truncation)")
    verify.set_defaults(handler=_verify)
    search = sub.add_parser("search", help="print matching records as JSON lines, newest first")
    search.add_argument("--text", help="words in the old/new values or details")
    search.add_argument("--actor", help="database user who acted")
    search.add_argument("--action", help="insert, update, sign_in, export...")
    search.add_argument("--table", help="events, follow_ups, zones, roster_assignments...")
    search.add_argument("--since", type=_when)
    search.add_argument("--until", type=_when)
    search.add_argument("--limit", type=int, default=200)
    search.set_defaults(handler=_search)
