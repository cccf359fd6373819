"""`console import-*` act as a signed-in user on that user's own cache, with the GUI's rights."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from console.cli import main
from console.models.security.headless import user_store_path
from security.demo_signin import DEMO_USER, demo_central, trail

CAP_EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "resources" / "cap" / "examples")
                      .glob("*.xml"))


def _synchronised_cache(username: str) -> Path:
    """The user's own cache with the reference data a first sync brings (centres, users)."""
    from console.models.demo import seed_reference
    from console.models.store import LocalStore

    path = user_store_path(username)
    store = LocalStore(path)
    with store.transaction() as session:
        seed_reference(session)
    store.close()
    return path


def _events(path: Path) -> list[tuple[str, str]]:
    """(author, centre) of every event of that cache."""
    from console.models.entities import Event
    from console.models.store import LocalStore

    store = LocalStore(path)
    try:
        with store.session() as session:
            return [(e.author, e.centre_code) for e in session.scalars(select(Event))]
    finally:
        store.close()


def test_an_import_carries_the_signed_in_author_and_is_traced(tmp_path, capsys) -> None:
    central = demo_central()
    path = _synchronised_cache("pp.op1")
    assert main(["import-cap", "--user", "pp.op1", *map(str, CAP_EXAMPLES)]) == 0
    assert capsys.readouterr().out.count(": imported") == len(CAP_EXAMPLES)
    assert _events(path) == [("pp.op1", "PP")] * len(CAP_EXAMPLES)  # not demo.operator of CNCS
    assert not user_store_path(DEMO_USER).exists() and not (path.parent / "local.sqlite3").exists()
    mine = [(action, d) for actor, action, d in trail(central) if actor == "pp.op1"]
    assert [a for a, _ in mine] == ["sign_in", "access", "sign_out"]
    imported = mine[1][1]
    assert imported["access"] == "import" and imported["via"] == "cli"
    assert imported["command"] == "import-cap" and imported["dry_run"] is False
    assert set(imported["files"].values()) == {"imported"}
    csv_file = tmp_path / "other.csv"
    csv_file.write_text("ref,title,category,severity,occurred_at\n"
                        "1,Foule,crowd,2,2026-01-10T10:00:00+01:00\n", encoding="utf-8")
    assert main(["import-csv", "--user", "pp.op1", str(csv_file)]) == 0
    assert ("pp.op1", "PP") in _events(path) and len(_events(path)) == len(CAP_EXAMPLES) + 1


def test_a_user_who_may_not_write_events_is_refused(capsys) -> None:
    central = demo_central()
    path = _synchronised_cache("demo.auditor")
    assert main(["import-cap", "--user", "demo.auditor", *map(str, CAP_EXAMPLES)]) == 2
    err = capsys.readouterr().err
    assert "demo.auditor (auditor) may not create" in err and "Traceback" not in err
    assert _events(path) == []
    assert not [d for actor, action, d in trail(central)
                if actor == "demo.auditor" and action == "access"]


def test_a_missing_or_empty_cache_is_an_error(tmp_path, capsys) -> None:
    demo_central()
    csv_file = tmp_path / "other.csv"
    csv_file.write_text("ref,title,category,severity,occurred_at\n"
                        "1,Foule,crowd,2,2026-01-10T10:00:00+01:00\n", encoding="utf-8")
    assert main(["import-csv", "--user", DEMO_USER, str(csv_file)]) == 2
    assert "no local cache" in capsys.readouterr().err
    assert not user_store_path(DEMO_USER).exists()  # nothing created on the way
    from console.models.store import LocalStore

    LocalStore(user_store_path(DEMO_USER)).close()  # created, never synchronised
    assert main(["import-geojson", "--user", DEMO_USER, str(csv_file)]) == 2
    assert "is empty (no centre)" in capsys.readouterr().err
    assert main(["import-cap", *map(str, CAP_EXAMPLES)]) == 2  # nobody signed in
    assert "--user" in capsys.readouterr().err


def test_another_users_cache_is_refused(capsys) -> None:
    demo_central()
    other = _synchronised_cache("pp.op1")
    assert main(["import-cap", "--user", DEMO_USER, "--store", str(other),
                 *map(str, CAP_EXAMPLES)]) == 2
    assert "another user's cache" in capsys.readouterr().err
    from console.models.entities import Event
    from console.models.store import LocalStore

    store = LocalStore(other)
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Event)) == 0
    store.close()


def _synced_cache(secure_db, login: str) -> Path:  # noqa: ANN001
    """The login's own cache after a first sync with the PostgreSQL central."""
    from console.models.store import LocalStore
    from console.models.sync import CentralStore, SyncEngine

    url = secure_db.url.replace("postgres@", f"{login}@", 1)
    CentralStore(secure_db.owner).publish_unfed_rows()
    store, central = LocalStore(user_store_path(login)), CentralStore(url)
    SyncEngine(store, central, username=login).sync_once()
    store.close()
    central.dispose()
    return user_store_path(login)


def test_online_import_is_the_logins_own_and_reaches_the_central(secure_db, memory_keyring,
                                                                  monkeypatch, capsys) -> None:
    """Against PostgreSQL: the events carry the login as author, the central accepts them at the
    next sync (its row-level security checks author and centre), the import is in its trail;
    an auditor is refused before anything is written."""
    from sqlalchemy import text

    from console.models.security.credentials import set_password
    from console.models.store import LocalStore
    from console.models.sync import CentralStore, SyncEngine

    op_a = secure_db.users[("operator", "A")]
    path = _synced_cache(secure_db, op_a)
    set_password(secure_db.url.replace("postgres@", f"{op_a}@", 1), "from-the-keyring")
    monkeypatch.setattr("sys.stdin", None)  # the keyring answers: nothing to ask
    assert main(["--central", secure_db.url, "import-cap", "--user", op_a,
                 *map(str, CAP_EXAMPLES)]) == 0
    mine = [e for e in _events(path) if e[0] == op_a]
    assert mine == [(op_a, secure_db.centre("A"))] * len(CAP_EXAMPLES)
    store = LocalStore(path)
    central = CentralStore(secure_db.url.replace("postgres@", f"{op_a}@", 1))
    SyncEngine(store, central, username=op_a).sync_once()
    store.close()
    central.dispose()
    with secure_db.owner.connect() as conn:
        pushed = conn.execute(text("SELECT count(*) FROM events WHERE author = :a"),
                              {"a": op_a}).scalar()
        rows = conn.execute(text("SELECT action, details FROM audit_log WHERE actor = :a "
                                 "ORDER BY pos"), {"a": op_a}).all()
    assert pushed == len(CAP_EXAMPLES)
    imports = [r.details for r in rows if (r.details or {}).get("access") == "import"]
    assert len(imports) == 1 and imports[0]["via"] == "cli"
    auditor = secure_db.users[("auditor", "A")]
    auditor_cache = _synced_cache(secure_db, auditor)
    set_password(secure_db.url.replace("postgres@", f"{auditor}@", 1), "from-the-keyring")
    before = len(_events(auditor_cache))
    assert main(["--central", secure_db.url, "import-cap", "--user", auditor,
                 *map(str, CAP_EXAMPLES)]) == 2
    assert "may not create" in capsys.readouterr().err
    assert len(_events(auditor_cache)) == before


def test_import_kml_signs_in_and_prints_what_it_changed(tmp_path, capsys) -> None:
    """A foreign KML: its placemark is the signed-in user's, and the warning is printed."""
    demo_central()
    path = _synchronised_cache("pp.op1")
    kml = tmp_path / "partner.kml"
    kml.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">'
        "<Document><Placemark><name>Attroupement quai d’Orsay</name>"
        "<description>Signalé par la préfecture</description>"
        "<TimeStamp><when>2026-07-27T18:30:00+02:00</when></TimeStamp>"
        "<Point><coordinates>2.3122,48.8612</coordinates></Point></Placemark>"
        "<Placemark><name>Sans position</name></Placemark></Document></kml>", encoding="utf-8")
    assert main(["import-kml", "--user", "pp.op1", "--dry-run", str(kml)]) == 0
    assert "would import: 1" in capsys.readouterr().out and _events(path) == []
    assert main(["import-kml", "--user", "pp.op1", str(kml)]) == 0
    out = capsys.readouterr().out
    assert "imported: 1" in out and "refused: 1" in out and "Sans position" in out
    assert "warning" in out, out
    assert _events(path) == [("pp.op1", "PP")]
    assert main(["import-kml", "--user", "pp.op1", str(kml)]) == 0  # again: nothing new
    assert "already present: 1" in capsys.readouterr().out and len(_events(path)) == 1
    bad = tmp_path / "bad.kml"
    bad.write_text("<html/>", encoding="utf-8")
    assert main(["import-kml", "--user", "pp.op1", str(bad)]) == 2
    assert "not a KML document" in capsys.readouterr().err
