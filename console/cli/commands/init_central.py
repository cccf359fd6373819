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
    parser.set_defaults(handler=run)


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
    from console.models.sync.central import CentralStore

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
        return 0
    except Exception as error:  # noqa: BLE001 - one clear line, not a traceback
        print(f"console init-central: {str(error).splitlines()[0]}", file=sys.stderr)
        return 1
    finally:
        central.dispose()
