"""Review findings 1 and 2: init-central as a non-superuser owner (LOGIN CREATEROLE, owner of the
database), and the first administrator it makes: a real login that signs in and adds users."""
# ruff: noqa: F811  (fixtures imported from security.owned_db are named as test arguments)
from __future__ import annotations

import pytest
from sqlalchemy import text

from console.models.security.signin import Authenticator
from security.owned_db import (  # noqa: F401 - fixtures
    PASSWORD,
    central_with_admin,
    console,
    drop_owned_db,
    make_owned_db,
    owned_db,
)


def test_owner_has_exactly_the_documented_privileges(owned_db, monkeypatch, capsys) -> None:
    with owned_db.superuser.connect() as conn:
        row = conn.execute(text(
            "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication, "
            "rolcanlogin, (SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = :d) "
            "FROM pg_roles WHERE rolname = :o"), {"d": owned_db.name, "o": owned_db.owner}).one()
    assert tuple(row) == (False, True, False, False, False, True, owned_db.owner)
    assert console(monkeypatch, "init-central", owned_db.url(owned_db.owner)) == 0
    assert "central schema up to date" in capsys.readouterr().out
    # Today's gap: the owner is no console user, so it cannot make the first administrator.
    with owned_db.engine(owned_db.owner).begin() as conn:
        conn.execute(text("INSERT INTO centres (code, name, timezone) VALUES ('HQ', 'HQ', "
                          "'Europe/Paris')"))
    assert console(monkeypatch, "--central", owned_db.url(owned_db.owner), "user", "add",
                   owned_db.login("boss"), "--centre", "HQ", "--role", "administrator",
                   "--no-password") == 1
    assert "only an administrator manages users" in capsys.readouterr().err


@pytest.mark.parametrize(("attributes", "owns", "why"), [
    ("LOGIN", True, "permission denied to create role"),  # CREATEROLE is needed
    ("LOGIN CREATEROLE", False, "permission denied"),  # owning the database is needed
])
def test_less_than_that_is_not_enough(attributes, owns, why, memory_keyring, monkeypatch,
                                      capsys) -> None:
    db = make_owned_db(attributes, owns)
    try:
        assert console(monkeypatch, "init-central", db.url(db.owner)) == 1
        assert why in capsys.readouterr().err
    finally:
        drop_owned_db(db)


def test_first_administrator_signs_in_and_adds_users(central_with_admin, monkeypatch, capsys,
                                                     tmp_path) -> None:
    db = central_with_admin
    admin, centre = db.login("admin"), f"{db.tid}HQ"
    out = db.init_output
    assert f"centre {centre} added" in out and f"first administrator {admin} created" in out
    auth = Authenticator(central_url=db.url(db.owner), workstation="WS-1",
                         pending_path=tmp_path / "pending_audit.jsonl")
    session = auth.sign_in(admin, PASSWORD)  # a real login of the new role
    assert session.mode == "online"
    assert (session.actor.username, session.actor.centre_code, session.actor.role) == (
        admin, centre, "administrator")
    session.engine.dispose()
    operator = db.login("op")
    assert console(monkeypatch, "--central", db.url(admin), "user", "add", operator,
                   "--centre", centre, "--display-name", "Léa Müller", "--password-stdin",
                   stdin="pw\n") == 0
    with db.engine(operator).connect() as conn:  # the user made by the administrator logs in
        assert conn.scalar(text("SELECT console_my_centre()")) == centre
    with db.engine(db.owner).connect() as conn:
        assert conn.scalar(text("SELECT name FROM centres WHERE code = :c"),
                           {"c": centre}) == "Préfecture de police"
        trail = conn.execute(text("SELECT actor, action, row_key, details FROM audit_log "
                                  "WHERE action = 'user_add' ORDER BY pos")).all()
        fed = conn.execute(text("SELECT table_name, row_key FROM change_feed_log "
                                "ORDER BY seq")).all()
    assert [(t.actor, t.row_key) for t in trail] == [(db.owner, admin), (admin, operator)]
    assert trail[0].details["first_administrator"] is True
    assert fed == [("centres", centre), ("users", admin), ("users", operator)]


def test_init_central_again_keeps_or_grants(central_with_admin, monkeypatch, capsys) -> None:
    db = central_with_admin
    again = ("init-central", db.url(db.owner), "--centre", f"{db.tid}HQ", "--admin-no-password")
    assert console(monkeypatch, *again, "--admin", db.login("admin")) == 0
    assert f"{db.login('admin')} is already an administrator" in capsys.readouterr().out
    operator = db.login("op2")
    assert console(monkeypatch, "--central", db.url(db.login("admin")), "user", "add", operator,
                   "--centre", f"{db.tid}HQ", "--no-password") == 0
    assert console(monkeypatch, *again, "--admin", operator) == 0
    assert f"granted administrator to {operator}" in capsys.readouterr().out
    assert console(monkeypatch, "--central", db.url(db.login("admin")), "user", "list") == 0
    line = next(r for r in capsys.readouterr().out.splitlines() if r.startswith(operator))
    assert line.split("\t")[2] == "administrator,operator"
    # Roles are cluster-wide: a role that is no console user here is not taken over.
    for stranger in ("postgres", db.owner):
        assert console(monkeypatch, *again, "--admin", stranger) == 1
        assert "is not a console user of this database" in capsys.readouterr().err


@pytest.mark.parametrize(("extra", "message"), [
    (("--timezone", "Europe/Pariss"), "unknown time zone 'Europe/Pariss'"),
    (("--timezone", "Mars/Olympus"), "unknown time zone"),
    (("--centre-name", "Bad\u202eName"), "text-direction characters"),
])
def test_bad_first_centre_changes_nothing(owned_db, monkeypatch, capsys, extra, message) -> None:
    assert console(monkeypatch, "init-central", owned_db.url(owned_db.owner), "--admin",
                   owned_db.login("admin"), "--centre", "HQ", "--admin-no-password",
                   *extra) == 2
    assert message in capsys.readouterr().err
    with owned_db.superuser.connect() as conn:  # refused before any migration
        assert conn.scalar(text("SELECT count(*) FROM pg_roles WHERE rolname = :a"),
                           {"a": owned_db.login("admin")}) == 0
    with owned_db.engine(owned_db.owner).connect() as conn:
        assert conn.scalar(text("SELECT to_regclass('centres')")) is None


def test_admin_needs_a_centre_and_a_valid_name(owned_db, monkeypatch, capsys) -> None:
    url = owned_db.url(owned_db.owner)
    assert console(monkeypatch, "init-central", url, "--admin", "boss") == 2
    assert "--admin needs --centre" in capsys.readouterr().err
    assert console(monkeypatch, "init-central", url, "--admin", "Chef Émile", "--centre",
                   "HQ") == 2
    assert "invalid user name" in capsys.readouterr().err
