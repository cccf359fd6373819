"""`console centre add/list`: centres of the central PostgreSQL, managed by an administrator."""
from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from console.cli.commands import Subparsers


def _add(args: argparse.Namespace) -> int:
    from console.cli.commands.user import run_as_administrator
    from console.models.security import pg

    def action(conn: Connection) -> int:
        seq = pg.add_centre(conn, args.code, args.name, args.timezone, args.parent)
        print(f"centre {args.code} added ({args.name}, {args.timezone}); "
              f"published to workstations at feed position {seq}")
        return 0

    return run_as_administrator(args, action, "centre")


def _list(args: argparse.Namespace) -> int:
    from sqlalchemy import text

    from console.cli.commands.user import run_as_administrator

    def action(conn: Connection) -> int:
        for code, name, timezone, parent in conn.execute(text(
                "SELECT code, name, timezone, parent_code FROM centres ORDER BY code")):
            print(f"{code}\t{name}\t{timezone}\t{parent or '-'}")
        return 0

    return run_as_administrator(args, action, "centre")


def register(subparsers: Subparsers) -> None:
    from console.models.base import DEFAULT_TIMEZONE

    parser = subparsers.add_parser("centre", help="manage centres (administrators)")
    sub = parser.add_subparsers(dest="centre_command", metavar="ACTION", required=True)
    add = sub.add_parser(
        "add", help="add a centre and publish it to the workstations",
        description="Add a centre (audited, under your administrator login) and publish it in "
                    "the change feed, so workstations pull it before its users and events. "
                    "No need to run init-central again.")
    add.add_argument("code", help="short code, e.g. PP (unaccented letters, digits, . _ -)")
    add.add_argument("--name", required=True, help="full name (accents welcome)")
    add.add_argument("--timezone", default=DEFAULT_TIMEZONE,
                     help=f"IANA time zone (default {DEFAULT_TIMEZONE})")
    add.add_argument("--parent", default=None, help="code of the centre above it, if any")
    add.set_defaults(handler=_add)
    sub.add_parser("list", help="list centres").set_defaults(handler=_list)
