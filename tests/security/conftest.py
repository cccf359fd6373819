"""Fixtures of the security tests: a migrated central database with users of two centres.

Roles are cluster-wide: every login made here is prefixed with a random test id, and the group
roles are named after the throwaway database; all of them are dropped at the end.
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool

from console.models.base import Base
from console.models.migrations import upgrade_central
from console.models.security import pg

PG_ADMIN_URL = os.environ.get("CONSOLE_TEST_PG",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
ROLES = ("operator", "supervisor", "shift_manager", "auditor", "administrator")
CENTRES = ("A", "B")


@dataclass
class SecureDb:
    name: str
    url: str
    owner: Engine
    tid: str
    users: dict[tuple[str, str], str] = field(default_factory=dict)  # (role, centre) -> login
    events: dict[str, list[uuid.UUID]] = field(default_factory=dict)  # centre -> event ids
    rosters: dict[str, uuid.UUID] = field(default_factory=dict)
    engines: dict[str, Engine] = field(default_factory=dict)

    def centre(self, code: str) -> str:
        return f"{self.tid}{code}"

    def login(self, username: str) -> Engine:
        """An engine that connects AS this user (a real login of the role)."""
        if username not in self.engines:
            url = self.url.replace("postgres@", f"{username}@", 1)
            self.engines[username] = create_engine(url, poolclass=NullPool)
        return self.engines[username]


def make_event(conn, centre: str, author: str, title: str = "event") -> uuid.UUID:  # noqa: ANN001
    now = datetime.now(UTC).replace(tzinfo=None)
    event_id = uuid.uuid4()
    conn.execute(text(
        "INSERT INTO events (id, centre_code, author, recorded_at, occurred_at, title, "
        "description, category, severity, place, source, flagged_for_authorities, status, "
        "last_activity_at) VALUES (:id, :c, :a, :now, :now, :t, '', 'security', 2, '', '', "
        "false, 'open', :now)"), {"id": event_id, "c": centre, "a": author, "now": now, "t": title})
    return event_id


def roster_tables():  # noqa: ANN201
    from console.models.roster import tables as roster

    return [model.__table__ for model in roster.ROSTER_TABLES]


@pytest.fixture(scope="module")
def secure_db() -> Iterator[SecureDb]:
    name = f"console_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    owner = create_engine(url)
    db = SecureDb(name, url, owner, f"t{uuid.uuid4().hex[:6]}_")
    try:
        upgrade_central(owner)
        with owner.begin() as conn:
            # The roster capability's tables, secured as its central revision will secure them.
            Base.metadata.create_all(conn, tables=roster_tables())
            for table in roster_tables():
                conn.execute(text("SELECT console_secure_roster_table(:t)"), {"t": table.name})
            for code in CENTRES:
                conn.execute(text("INSERT INTO centres (code, name, timezone) VALUES "
                                  "(:c, :n, 'Europe/Paris')"),
                             {"c": db.centre(code), "n": f"Centre {code}"})
            conn.execute(text("INSERT INTO centres (code, name, timezone, parent_code) VALUES "
                              "(:c, 'Sub-centre of A', 'Europe/Paris', :p)"),
                         {"c": db.centre("A1"), "p": db.centre("A")})
        # Centres enter the change feed before the users that reference them.
        from console.models.sync import CentralStore

        CentralStore(owner).publish_unfed_rows()
        with owner.begin() as conn:
            for code in CENTRES:
                for role in ROLES:
                    login = f"{db.tid}{role[:4]}_{code.lower()}"
                    pg.create_user(conn, login, f"{role} of {code}", db.centre(code), role,
                                   "not-checked-under-trust")
                    db.users[(role, code)] = login
            for code in (*CENTRES, "A1"):
                db.events[code] = [make_event(conn, db.centre(code), "seed", f"{code} #{i}")
                                   for i in range(2)]
                roster_id = uuid.uuid4()
                conn.execute(text(
                    "INSERT INTO rosters (id, version, deleted, centre_code, name, start_day, "
                    "end_day, status, rules, author) VALUES (:id, 1, false, :c, 'July', "
                    "'2024-07-01', '2024-08-01', 'draft', '{}', 'seed')"),
                    {"id": roster_id, "c": db.centre(code)})
                db.rosters[code] = roster_id
        yield db
    finally:
        for engine in db.engines.values():
            engine.dispose()
        owner.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            for login in conn.scalars(text("SELECT rolname FROM pg_roles WHERE rolname LIKE :p"),
                                      {"p": db.tid.replace("_", r"\_") + "%"}).all():
                conn.execute(text(f'DROP ROLE IF EXISTS "{login}"'))
        pg.drop_console_roles(admin, name)
        admin.dispose()


@pytest.fixture
def memory_keyring():  # noqa: ANN201
    import keyring

    from security.keyring_memory import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
