"""A throwaway central database owned by a non-superuser login (what docs/administration.md asks
for: LOGIN CREATEROLE, owner of the database, nothing else), and `console` run as that login."""
from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool

from console.cli import main
from console.models.security import pg
from security.conftest import PG_ADMIN_URL

PASSWORD = "not-checked-under-trust"


@dataclass
class OwnedDb:
    name: str
    tid: str  # prefix of every login made here (roles are cluster-wide)
    owner: str
    superuser: Engine  # on the cluster's maintenance database, for checks and cleanup
    engines: list[Engine] = field(default_factory=list)
    init_output: str = ""  # what init-central printed (central_with_admin)

    def url(self, login: str) -> str:
        return f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{self.name}".replace("postgres@", f"{login}@", 1)

    def engine(self, login: str) -> Engine:
        engine = create_engine(self.url(login), poolclass=NullPool)
        self.engines.append(engine)
        return engine

    def login(self, suffix: str) -> str:
        return f"{self.tid}{suffix}"


def console(monkeypatch, *argv: str, stdin: str = "") -> int:  # noqa: ANN001
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(list(argv))


def make_owned_db(attributes: str = "LOGIN CREATEROLE", owns: bool = True) -> OwnedDb:
    tid = f"t{uuid.uuid4().hex[:6]}_"
    db = OwnedDb(f"console_test_{uuid.uuid4().hex[:12]}", tid, f"{tid}owner",
                 create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT"))
    with db.superuser.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{db.owner}" {attributes}'))
        owner = f'OWNER "{db.owner}"' if owns else ""
        conn.execute(text(f'CREATE DATABASE "{db.name}" {owner}'))
    return db


def drop_owned_db(db: OwnedDb) -> None:
    for engine in db.engines:
        engine.dispose()
    with db.superuser.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)'))
    pg.drop_console_roles(db.superuser, db.name)
    with db.superuser.connect() as conn:
        logins = conn.scalars(text("SELECT rolname FROM pg_roles WHERE rolname LIKE :p "
                                   "ORDER BY rolname = :o"),
                              {"p": db.tid.replace("_", r"\_") + "%", "o": db.owner}).all()
        for login in logins:  # the owner last
            conn.execute(text(f'DROP ROLE IF EXISTS "{login}"'))
    db.superuser.dispose()


@pytest.fixture
def owned_db(memory_keyring) -> Iterator[OwnedDb]:  # noqa: ANN001
    db = make_owned_db()
    try:
        yield db
    finally:
        drop_owned_db(db)


@pytest.fixture
def central_with_admin(owned_db, monkeypatch, capsys) -> OwnedDb:  # noqa: ANN001
    """init-central run by the non-superuser owner, with a first administrator in centre HQ."""
    assert console(monkeypatch, "init-central", owned_db.url(owned_db.owner),
                   "--admin", owned_db.login("admin"), "--centre", f"{owned_db.tid}HQ",
                   "--centre-name", "Préfecture de police", "--admin-password-stdin",
                   stdin=PASSWORD + "\n") == 0
    owned_db.init_output = capsys.readouterr().out
    return owned_db
