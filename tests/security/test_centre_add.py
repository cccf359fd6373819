"""Review finding 3: a centre added by an administrator reaches the workstations through the
change feed, without running init-central again; a workstation of the new centre syncs."""
# ruff: noqa: F811  (fixtures imported from security.owned_db are named as test arguments)
from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sync.conftest import Workstation

from console.models.actor import Actor
from console.models.entities import Centre, User
from console.models.sync import CentralStore
from security.owned_db import (  # noqa: F401 - fixtures
    OwnedDb,
    central_with_admin,
    console,
    owned_db,
)


def _operator_of(db: OwnedDb, centre: str, monkeypatch) -> str:  # noqa: ANN001
    operator = db.login(f"op_{centre[len(db.tid):].lower()}")
    assert console(monkeypatch, "--central", db.url(db.login("admin")), "user", "add", operator,
                   "--centre", centre, "--no-password") == 0
    return operator


def _first_sync(db: OwnedDb, operator: str, centre: str, tmp_path) -> Workstation:  # noqa: ANN001
    central = CentralStore(db.url(operator))
    ws = Workstation(tmp_path / f"{operator}.sqlite3", central,
                     Actor(username=operator, centre_code=centre, role="operator"))
    try:
        ws.sync()
    except BaseException:
        ws.close()
        central.dispose()
        raise
    return ws


def test_row_written_without_the_feed_breaks_the_first_pull(central_with_admin, monkeypatch,
                                                            tmp_path) -> None:
    """Why: an administrator's plain INSERT into centres gets no feed position (only init-central
    published such rows), while `user add` publishes the user at once: the workstation pulls a
    user whose centre it never received, and its local foreign key refuses it."""
    db = central_with_admin
    centre = f"{db.tid}OLD"
    with db.engine(db.login("admin")).begin() as conn:
        conn.execute(text("INSERT INTO centres (code, name, timezone) VALUES (:c, 'Old way', "
                          "'Europe/Paris')"), {"c": centre})
    operator = _operator_of(db, centre, monkeypatch)
    with pytest.raises(Exception, match="(?i)foreign key"):
        _first_sync(db, operator, centre, tmp_path)


def test_added_centre_reaches_its_workstation(central_with_admin, monkeypatch, capsys,
                                              tmp_path) -> None:
    db = central_with_admin
    admin, centre = db.login("admin"), f"{db.tid}NC"
    assert console(monkeypatch, "--central", db.url(admin), "centre", "add", centre,
                   "--name", "Haut-commissariat de Nouvelle-Calédonie",
                   "--timezone", "Pacific/Noumea") == 0
    assert f"centre {centre} added" in capsys.readouterr().out
    operator = _operator_of(db, centre, monkeypatch)
    ws = _first_sync(db, operator, centre, tmp_path)  # before the fix: foreign key failure
    try:
        with ws.store.engine.connect() as conn:
            local = conn.execute(select(Centre.name, Centre.timezone)
                                 .where(Centre.code == centre)).one()
            assert conn.scalar(select(User.centre_code).where(User.username == operator)) == centre
        assert tuple(local) == ("Haut-commissariat de Nouvelle-Calédonie", "Pacific/Noumea")
        event_id = ws.write("première main courante")
        ws.sync()  # pushed under the operator's login, into the new centre
    finally:
        ws.close()
        ws.central.dispose()
    with db.engine(db.owner).connect() as conn:
        assert conn.scalar(text("SELECT centre_code FROM events WHERE id = :i"),
                           {"i": event_id}) == centre
        audited = conn.execute(text("SELECT actor, new ->> 'name' FROM audit_log WHERE "
                                    "table_name = 'centres' AND action = 'insert' AND "
                                    "row_key = :c"), {"c": centre}).all()
    assert audited == [(admin, "Haut-commissariat de Nouvelle-Calédonie")]


def test_existing_workstations_pull_the_new_centre(central_with_admin, monkeypatch,
                                                   tmp_path) -> None:
    """A workstation already synced (the administrator's) receives the centre on its next pull."""
    db = central_with_admin
    admin, home = db.login("admin"), f"{db.tid}HQ"
    ws = _first_sync(db, admin, home, tmp_path)
    try:
        centre = f"{db.tid}GP"
        assert console(monkeypatch, "--central", db.url(admin), "centre", "add", centre,
                       "--name", "Guadeloupe", "--timezone", "America/Guadeloupe",
                       "--parent", home) == 0
        ws.sync()
        with ws.store.engine.connect() as conn:
            assert conn.execute(select(Centre.name, Centre.parent_code)
                                .where(Centre.code == centre)).one() == ("Guadeloupe", home)
    finally:
        ws.close()
        ws.central.dispose()


@pytest.mark.parametrize(("code", "extra", "message"), [
    ("{tid}HQ", ("--name", "Again"), "a centre with code {tid}HQ already exists"),
    ("{tid}hq", ("--name", "Again"),
     "centre code {tid}hq differs only by case from the existing {tid}HQ"),
    ("ÉTAT", ("--name", "État-major"), "invalid centre code 'ÉTAT'"),
    ("{tid}TZ", ("--name", "Zone", "--timezone", "Europe/Pariss"),
     "unknown time zone 'Europe/Pariss'"),
    ("{tid}TZ", ("--name", "Zone", "--timezone", "../../etc/passwd"), "unknown time zone"),
    ("{tid}NN", ("--name", "  "), "the centre needs a name"),
    ("{tid}PA", ("--name", "Sub", "--parent", "NOPE"), "unknown parent centre NOPE"),
])
def test_bad_input_is_refused_clearly(central_with_admin, monkeypatch, capsys, code, extra,
                                      message) -> None:
    db = central_with_admin
    code, message = code.format(tid=db.tid), message.format(tid=db.tid)
    assert console(monkeypatch, "--central", db.url(db.login("admin")), "centre", "add", code,
                   *extra) == 1
    err = capsys.readouterr().err
    assert f"console centre: refused: {message}" in err and "Traceback" not in err
    with db.engine(db.owner).connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM centres")) == 1


def test_accented_name_is_kept_verbatim(central_with_admin, monkeypatch) -> None:
    db = central_with_admin
    name = "Préfecture de la Réunion – Saint-Denis (ÉMZ Océan Indien)"
    assert console(monkeypatch, "--central", db.url(db.login("admin")), "centre", "add",
                   f"{db.tid}RE", "--name", name, "--timezone", "Indian/Reunion") == 0
    with db.engine(db.owner).connect() as conn:
        assert conn.scalar(text("SELECT name FROM centres WHERE code = :c"),
                           {"c": f"{db.tid}RE"}) == name


def test_only_an_administrator_adds_a_centre(central_with_admin, monkeypatch, capsys) -> None:
    db = central_with_admin
    operator = _operator_of(db, f"{db.tid}HQ", monkeypatch)
    assert console(monkeypatch, "--central", db.url(operator), "centre", "add", f"{db.tid}X",
                   "--name", "Rogue") == 1
    assert "only an administrator manages centres" in capsys.readouterr().err
    # Skipping the client's check meets the database's refusal (no INSERT grant on centres).
    with db.engine(operator).connect() as conn, pytest.raises(Exception, match="permission denied"):
        conn.execute(text("INSERT INTO centres (code, name, timezone) VALUES ('X', 'Rogue', "
                          "'Europe/Paris')"))
