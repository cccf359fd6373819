"""Review finding 3: the administrator of database A must not pre-create the group roles of a
later database B (roles are cluster-wide), and init-central of B must not reuse such roles."""
from __future__ import annotations

import io
import uuid

import pytest
from sqlalchemy import create_engine, text

from console.cli import main
from console.models.migrations import upgrade_central
from console.models.security import pg
from security.conftest import PG_ADMIN_URL


def _url(db, login: str) -> str:  # noqa: ANN001
    return db.url.replace("postgres@", f"{login}@", 1)


def test_user_add_refuses_group_role_names(secure_db, monkeypatch, capsys) -> None:
    db = secure_db
    admin = db.users[("administrator", "A")]
    with db.login(admin).connect() as conn:
        for name in ("later_db_administrator", "later_db_base", "x_shift_manager"):
            with pytest.raises(pg.AdminError) as raised:
                pg.create_user(conn, name, "squat", db.centre("A"), "operator", None)
            assert "group role" in str(raised.value)
        # A modified client skipping the check meets the same refusal in the database.
        with pytest.raises(Exception) as raised:
            with conn.begin_nested():
                conn.execute(text("SELECT console_create_user('later_db_auditor', '', :c, "
                                  "'operator')"), {"c": db.centre("A")})
        assert "group role" in str(raised.value)
        conn.rollback()
    monkeypatch.setattr("sys.stdin", io.StringIO("pw\n"))
    assert main(["--central", _url(db, admin), "user", "add", "other_db_operator",
                 "--centre", db.centre("A"), "--password-stdin"]) == 1
    assert "group role" in capsys.readouterr().err


@pytest.fixture
def later_database():  # noqa: ANN201
    """A database B created after A, and a cleanup of its roles."""
    name = f"console_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name)
    try:
        yield name, engine, admin
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        pg.drop_console_roles(admin, name)
        admin.dispose()


@pytest.mark.parametrize("squat", ["LOGIN PASSWORD 'chosen by A'", "NOLOGIN IN ROLE {a_base}"])
def test_init_central_refuses_squatted_group_roles(secure_db, later_database, squat,
                                                   memory_keyring, capsys) -> None:
    """A login role (what `console user add` made on main), or a NOLOGIN role that belongs to
    another database's groups (a disabled user), named like B's administrator group."""
    name, engine, admin = later_database
    squatted = f"{pg.role_prefix(name)}_administrator"
    with secure_db.owner.connect() as conn:
        a_base = conn.scalar(text("SELECT console_role('base')"))
    with admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{squatted}" ' + squat.format(a_base=f'"{a_base}"')))
    with pytest.raises(Exception) as raised:  # before the fix: reused, silently
        upgrade_central(engine)
    assert squatted in str(raised.value) and "refuse" in str(raised.value)
    with engine.connect() as conn:
        problems = pg.check_group_roles(conn)
    assert problems and squatted in problems[0]
    assert main(["init-central", engine.url.render_as_string(hide_password=False)]) == 1
    err = capsys.readouterr().err
    assert "refused" in err and squatted in err
    with admin.connect() as conn:  # nothing was granted to the squatted role
        granted = conn.scalar(text("SELECT count(*) FROM pg_auth_members m JOIN pg_roles r "
                                   "ON r.oid = m.member WHERE r.rolname = :n"), {"n": squatted})
        expected = 0 if "NOLOGIN" not in squat else 1  # only A's base, as the squatter made it
        assert granted == expected


def test_init_central_reuses_its_own_verified_roles(secure_db) -> None:
    """Running init-central again on the same database: its own group roles pass the check."""
    with secure_db.owner.connect() as conn:
        assert pg.check_group_roles(conn) == []
    upgrade_central(secure_db.owner)
