"""`console init-central`: create or migrate the central schema (Alembic) and check the link."""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from console.cli.commands import Subparsers


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "init-central", help="create or upgrade the central database schema",
        description="Create or upgrade the central PostgreSQL schema (idempotent: run it again "
                    "after installing a new release). The password is read from the system "
                    "keyring; --store-password asks for it and keeps it there.")
    parser.add_argument("url", nargs="?", help="central URL, e.g. postgresql://console_admin@"
                        "db.example/console (no password in it); default: --central or "
                        "CONSOLE_CENTRAL, else the embedded demo central")
    parser.add_argument("--store-password", action="store_true",
                        help="prompt for the password and store it in the system keyring")
    parser.add_argument("--exercise", dest="exercise_central", action="store_true",
                        help="mark a new central database as holding exercise data only")
    admin = parser.add_argument_group(
        "first administrator", "make (or grant) the first administrator login of this database; "
        "the owner running init-central is no console user and cannot sign in itself")
    admin.add_argument("--admin", metavar="NAME", help="user name of the first administrator "
                       "(a new login role; an existing console user is granted the role)")
    admin.add_argument("--centre", metavar="CODE", help="the administrator's centre (made "
                       "when missing, with --centre-name and --timezone)")
    admin.add_argument("--centre-name", help="name of a centre made here (default: its code)")
    admin.add_argument("--timezone", help="time zone of a centre made here (default "
                       "Europe/Paris)")
    admin.add_argument("--display-name", default="", help="the administrator's full name")
    admin.add_argument("--admin-password-stdin", action="store_true",
                       help="read the administrator's password from one line of standard input")
    admin.add_argument("--admin-no-password", action="store_true",
                       help="no password (certificate or other server-side authentication)")
    parser.set_defaults(handler=run)


def _admin_request(args: argparse.Namespace) -> str | None:
    """The first administrator's arguments, checked before anything changes; their password."""
    from console.models.base import DEFAULT_TIMEZONE
    from console.models.security import pg

    if not args.centre:
        raise pg.AdminError("--admin needs --centre CODE (every user belongs to a centre)")
    pg.check_username(args.admin)
    pg.check_text("display name", args.display_name, 200)
    pg.check_centre(args.centre, args.centre_name or args.centre,
                    args.timezone or DEFAULT_TIMEZONE)
    return _admin_password(args)


def _admin_password(args: argparse.Namespace) -> str | None:
    from console.cli.prompts import new_password

    return new_password(skip=args.admin_no_password, from_stdin=args.admin_password_stdin,
                        prompt=f"password for the administrator {args.admin}: ",
                        mismatch="console init-central: the passwords differ (nothing was changed)")


def _first_administrator(engine: Engine, args: argparse.Namespace, password: str | None) -> None:
    """The first administrator and, when missing, their centre (one transaction, as the owner)."""
    from console.models.base import DEFAULT_TIMEZONE
    from console.models.security import pg

    with engine.begin() as conn:
        if engine.dialect.name != "postgresql":
            raise pg.AdminError("--admin needs a PostgreSQL central (the embedded demo central "
                                "has no logins)")
        if pg.owner_add_centre(conn, args.centre, args.centre_name or args.centre,
                               args.timezone or DEFAULT_TIMEZONE):
            print(f"centre {args.centre} added")
        print(pg.first_administrator(conn, args.admin, args.display_name, args.centre, password))


def central_url_of(args: argparse.Namespace) -> str | None:
    return (getattr(args, "url", None) or getattr(args, "central", None)
            or os.environ.get("CONSOLE_CENTRAL"))


def _group_role_problems(engine: Engine) -> list[str]:
    """Group roles squatted before this database existed (roles are cluster-wide)."""
    if engine.dialect.name != "postgresql":
        return []
    from console.models.security.pg import check_group_roles

    with engine.connect() as conn:
        return check_group_roles(conn)


def run(args: argparse.Namespace) -> int:
    from console.config import embedded_central_path
    from console.models.security.credentials import (
        CredentialError,
        get_password,
        refuse_password_in_url,
        set_password,
    )
    from console.models.security.pg import AdminError
    from console.models.sync.central import CentralStore

    try:
        admin_password = _admin_request(args) if args.admin else None
    except AdminError as error:
        print(f"console init-central: refused: {error}", file=sys.stderr)
        return 2
    url = central_url_of(args) or f"sqlite:///{embedded_central_path()}"
    try:
        refuse_password_in_url(url)
        if args.store_password:
            set_password(url, getpass.getpass(f"Password for {url}: "))
        central = CentralStore(url, password=get_password(url))
    except CredentialError as error:
        print(f"console init-central: {error}", file=sys.stderr)
        return 2
    try:
        problems = _group_role_problems(central.engine)
        if problems:
            print("console init-central: refused: roles named like this database's group roles "
                  "exist and cannot be reused:\n  " + "\n  ".join(problems), file=sys.stderr)
            return 1
        central.migrate()
        central.check_schema()
        from console.config import exercise_session
        from console.models.purpose import check_central

        with central.engine.begin() as connection:
            check_central(connection, args.exercise_central or exercise_session(), stamp=True)
        print(f"central schema up to date at {central.engine.url.render_as_string()}; "
              f"change feed at seq {central.max_seq()}")
        if args.admin:
            _first_administrator(central.engine, args, admin_password)
        return 0
    except AdminError as error:
        print(f"console init-central: refused: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - one clear line, not a traceback
        print(f"console init-central: {str(error).splitlines()[0]}", file=sys.stderr)
        return 1
    finally:
        central.dispose()
