"""`console user add/disable/enable/grant/revoke/supervise/list`: console users are PostgreSQL login roles."""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from console.cli.commands import Subparsers

ROLES = ("operator", "supervisor", "shift_manager", "auditor", "administrator")


def _engine(args: argparse.Namespace, command: str) -> Engine:
    from console.models.security.connect import open_central

    url = getattr(args, "central", None) or os.environ.get("CONSOLE_CENTRAL")
    if not url:
        raise SystemExit(f"console {command}: give the central database with --central URL "
                         "(users are PostgreSQL roles; the demo's embedded central has none)")
    return open_central(url)


def run_as_administrator(args: argparse.Namespace, action: Callable[[Connection], int | None],
                         command: str = "user") -> int:
    """One administration transaction on the PostgreSQL central, under the caller's login;
    refusals and errors as one line on stderr (`console user`, `console centre`)."""
    from console.models.security.connect import ConnectError
    from console.models.security.pg import AdminError

    try:
        engine = _engine(args, command)
    except ConnectError as error:
        print(f"console {command}: {error}", file=sys.stderr)
        return 2
    try:
        with engine.begin() as conn:
            if engine.dialect.name != "postgresql":
                print(f"console {command}: {command}s are managed on a PostgreSQL central only",
                      file=sys.stderr)
                return 2
            return action(conn) or 0
    except AdminError as error:
        print(f"console {command}: refused: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - one line, not a traceback
        print(f"console {command}: {str(error).splitlines()[0]}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()



def _password(args: argparse.Namespace) -> str | None:
    from console.cli.prompts import new_password

    return new_password(skip=args.no_password, from_stdin=args.password_stdin,
                        prompt=f"password for {args.username}: ",
                        mismatch="console user: the passwords differ")


def _add(args: argparse.Namespace) -> int:
    from console.models.security import pg

    password = _password(args)

    def action(conn: Connection) -> int:
        pg.create_user(conn, args.username, args.display_name or args.username, args.centre,
                       args.role, password)
        print(f"user {args.username} created ({args.role}, centre {args.centre})")
        return 0

    return run_as_administrator(args, action)


def _active(on: bool) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        from console.models.security import pg

        def action(conn: Connection) -> int:
            pg.set_active(conn, args.username, on)
            print(f"user {args.username} {'enabled' if on else 'disabled'}")
            return 0

        return run_as_administrator(args, action)
    return handler


def _grant(on: bool) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        from console.models.security import pg

        def action(conn: Connection) -> int:
            pg.grant(conn, args.username, args.role, on)
            print(f"{'granted' if on else 'revoked'} {args.role} {'to' if on else 'from'} "
                  f"{args.username}")
            return 0

        return run_as_administrator(args, action)
    return handler


def _supervise(args: argparse.Namespace) -> int:
    from console.models.security import pg

    def action(conn: Connection) -> int:
        pg.supervise(conn, args.username, args.centre, not args.remove)
        print(f"{args.username} {'no longer supervises' if args.remove else 'supervises'} "
              f"{args.centre}")
        return 0

    return run_as_administrator(args, action)


def _list(args: argparse.Namespace) -> int:
    from console.models.security import pg

    def action(conn: Connection) -> int:
        for u in pg.list_users(conn):
            state = "active" if u.active and u.can_login else "disabled"
            print(f"{u.username}\t{u.centre_code}\t{u.roles or '-'}\t{state}\t{u.display_name}")
        return 0

    return run_as_administrator(args, action)


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("user", help="manage users (PostgreSQL login roles)")
    sub = parser.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="create a user: CREATE ROLE ... LOGIN, granted a role")
    add.add_argument("username")
    add.add_argument("--centre", required=True)
    add.add_argument("--role", choices=ROLES, default="operator")
    add.add_argument("--display-name", default="")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from one line of standard input")
    add.add_argument("--no-password", action="store_true",
                     help="no password (certificate or other server-side authentication)")
    add.set_defaults(handler=_add)
    for name, on in (("disable", False), ("enable", True)):
        p = sub.add_parser(name, help=f"{name} a user (ALTER ROLE ... {'LOGIN' if on else 'NOLOGIN'})")
        p.add_argument("username")
        p.set_defaults(handler=_active(on))
    for name, on in (("grant", True), ("revoke", False)):
        p = sub.add_parser(name, help=f"{name} a role")
        p.add_argument("username")
        p.add_argument("role", choices=ROLES)
        p.set_defaults(handler=_grant(on))
    sup = sub.add_parser("supervise", help="let a supervisor see a centre (and its sub-centres)")
    sup.add_argument("username")
    sup.add_argument("centre")
    sup.add_argument("--remove", action="store_true")
    sup.set_defaults(handler=_supervise)
    sub.add_parser("list", help="list users, centres, roles, state").set_defaults(handler=_list)
