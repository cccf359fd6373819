"""A small embedded central with the demo's users, so that store-reading commands can sign in.

`console export` and `console report` sign in as the GUI does (no sign-in, no read): tests of
those commands sign in as a demo user (no password) against this central, made in the test's
own data directory in well under a second (the full demo seed takes ten).
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

DEMO_USER = "demo.operator"  # centre CNCS, role operator


def demo_central() -> Path:
    """The embedded central of CONSOLE_DATA_DIR, migrated, with the demo's centres and users."""
    from console.config import embedded_central_path
    from console.models.demo import USERS
    from console.models.entities import Centre, User
    from console.models.sync import CentralStore

    path = embedded_central_path()
    central = CentralStore.embedded(path)
    try:
        central.migrate()
        with Session(central.engine) as session, session.begin():
            if not session.scalar(select(func.count()).select_from(User)):
                session.add_all([Centre(code=code, name=code)
                                 for code in sorted({u[2] for u in USERS})])
                session.flush()
                session.add_all([User(username=name, display_name=display, centre_code=centre,
                                      role=role, active=True)
                                 for name, display, centre, role in USERS])
    finally:
        central.dispose()
    return path


def trail(path: Path) -> list[tuple[str, str, dict | None]]:
    """(actor, action, details) of every record of that embedded central's audit trail."""
    from console.models.security import audit
    from console.models.sync import CentralStore

    central = CentralStore.embedded(path)
    try:
        with central.engine.connect() as conn:
            records = audit.search(conn, audit.AuditQuery(limit=10_000))
    finally:
        central.dispose()
    return [(r.actor, r.action, r.json("details")) for r in reversed(records)]
