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


def demo_central(extra_users: tuple[tuple[str, str, str], ...] = (),
                 data: Path | None = None) -> Path:
    """The embedded central of CONSOLE_DATA_DIR (or of `data`), migrated, with the demo's
    centres and users; `extra_users` (username, centre, role) may move a demo user to another
    centre (only the demo's user names sign in without a password)."""
    from console.config import embedded_central_path
    from console.models.demo import USERS
    from console.models.entities import Centre, User
    from console.models.sync import CentralStore

    by_name = {u[0]: u for u in USERS}
    by_name.update({name: (name, name, centre, role) for name, centre, role in extra_users})
    users = list(by_name.values())
    path = (data / "central.sqlite3") if data is not None else embedded_central_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    central = CentralStore.embedded(path)
    try:
        central.migrate()
        with Session(central.engine) as session, session.begin():
            if not session.scalar(select(func.count()).select_from(User)):
                session.add_all([Centre(code=code, name=code)
                                 for code in sorted({u[2] for u in users})])
                session.flush()
                session.add_all([User(username=name, display_name=display, centre_code=centre,
                                      role=role, active=True)
                                 for name, display, centre, role in users])
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
