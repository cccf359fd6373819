"""Start-up steps on the stores that the desktop shell runs before any window: seeding the demo,
stamping the embedded central, probing a central server (the first-run wizard's test)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from console.models.store import LocalStore


def seed_demo_if_empty(store: LocalStore) -> int:
    """Seed a fresh store with the Paris 2024 scenario; leaves a populated one alone."""
    from console.models.demo import seed_demo
    from console.models.entities import Centre

    with store.transaction() as session:
        if session.scalar(select(func.count()).select_from(Centre)):
            return 0
        return seed_demo(session)


def seed_central_if_empty(central: Any) -> int:
    """Seed an empty embedded central with the Paris 2024 scenario and give its rows feed places."""
    from console.models.demo import seed_demo
    from console.models.entities import Centre
    from console.models.roster.demo import seed_roster_demo

    with Session(central.engine) as session, session.begin():
        if session.scalar(select(func.count()).select_from(Centre)):
            return 0
        count = seed_demo(session)
        seed_roster_demo(session)  # desks, operators, a published roster planned by the solver
    central.publish_unfed_rows()
    return count


def check_central_purpose(central: Any, exercise: bool, *, stamp: bool) -> None:
    """Refuse a central of the other purpose (exercise/real); an unreachable one is left alone:
    the local cache's stamp still keeps the two apart. Raises PurposeMismatch."""
    from console.models.purpose import check_central

    try:
        with central.engine.begin() as connection:
            check_central(connection, exercise, stamp=stamp)
    except SQLAlchemyError:
        pass


def probe_central(url: str, password: str | None) -> str:
    """Connect to a central PostgreSQL once and return its server version (raises on failure)."""
    from console.models.central_db import central_engine

    engine = central_engine(url, password=password, pool_size=1, max_overflow=0)
    try:
        with engine.connect() as conn:
            return str(conn.execute(text("SHOW server_version")).scalar())
    finally:
        engine.dispose()


def central_url_parts(url: str) -> dict[str, Any] | None:
    """The parts of a database URL the console checks (backend, password, host, database), or
    None when it is not a database URL at all."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    return {"backend": parsed.get_backend_name(), "password": parsed.password,
            "host": parsed.host, "database": parsed.database}
