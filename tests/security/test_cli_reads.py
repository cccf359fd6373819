"""`console export` and `console report` act as a signed-in user on that user's own cache."""
from __future__ import annotations

import json

from console.cli import main
from console.models.security.headless import user_store_path
from security.demo_signin import DEMO_USER, demo_central, trail

CAP_EXAMPLES = sorted((__import__("pathlib").Path(__file__).resolve().parents[2]
                       / "resources" / "cap" / "examples").glob("*.xml"))


def _filled_store(username: str = DEMO_USER):  # noqa: ANN202
    """The user's own cache (as the GUI names it), with the four CAP examples in it."""
    from console.models.demo import seed_reference
    from console.models.store import LocalStore

    path = user_store_path(username)
    store = LocalStore(path)
    with store.transaction() as session:
        seed_reference(session)
    store.close()
    assert main(["import-cap", "--user", username, *map(str, CAP_EXAMPLES)]) == 0
    return path


def test_export_without_a_user_reads_nothing(tmp_path, capsys) -> None:
    central = demo_central()
    _filled_store()
    out = tmp_path / "all.geojson"
    assert main(["export", "--format", "geojson", "--out", str(out)]) == 2
    assert "--user" in capsys.readouterr().err and not out.exists()
    assert main(["report", "--html", str(tmp_path / "r.html")]) == 2
    assert "--user" in capsys.readouterr().err
    assert not [r for r in trail(central) if r[1] in ("export", "report")]


def test_a_missing_or_empty_cache_is_an_error(tmp_path, capsys) -> None:
    demo_central()
    out = tmp_path / "all.geojson"
    assert main(["export", "--user", DEMO_USER, "--format", "geojson", "--out", str(out)]) == 2
    assert "no local cache" in capsys.readouterr().err
    from console.models.store import LocalStore

    LocalStore(user_store_path(DEMO_USER)).close()  # created, never filled
    assert main(["export", "--user", DEMO_USER, "--format", "geojson", "--out", str(out)]) == 2
    assert "holds no event" in capsys.readouterr().err and not out.exists()
    assert main(["report", "--user", DEMO_USER, "--html", str(tmp_path / "r.html")]) == 2
    assert "holds no event" in capsys.readouterr().err


def test_no_central_at_all_is_an_error(tmp_path, capsys) -> None:
    assert main(["export", "--user", DEMO_USER, "--format", "csv",
                 "--out", str(tmp_path / "x.csv")]) == 2
    assert "no embedded central" in capsys.readouterr().err


def test_an_unknown_user_or_another_users_cache_is_refused(tmp_path, capsys) -> None:
    demo_central()
    other = _filled_store("pp.op1")
    out = tmp_path / "x.geojson"
    assert main(["export", "--user", "nobody", "--format", "geojson", "--out", str(out)]) == 2
    assert "sign-in refused" in capsys.readouterr().err
    assert main(["export", "--user", DEMO_USER, "--store", str(other), "--format", "geojson",
                 "--out", str(out)]) == 2
    assert "another user's cache" in capsys.readouterr().err
    assert main(["export", "--user", "pp.op1", "--centre", "CNCS", "--format", "geojson",
                 "--out", str(out)]) == 2
    assert "may not read centre CNCS" in capsys.readouterr().err


def test_export_is_signed_in_and_traced(tmp_path, capsys) -> None:
    central = demo_central()
    _filled_store()
    before = len(trail(central))  # the import that filled the cache has its own records
    out = tmp_path / "all.geojson"
    assert main(["export", "--user", DEMO_USER, "--format", "geojson", "--out", str(out)]) == 0
    assert len(json.loads(out.read_text())["features"]) == 4
    mine = [(action, details) for actor, action, details in trail(central)[before:]
            if actor == DEMO_USER]
    assert [a for a, _ in mine] == ["sign_in", "export", "sign_out"]
    exported = mine[1][1]
    assert exported["access"] == "export" and exported["via"] == "cli"
    assert exported["format"] == "geojson" and exported["out"] == str(out)


def test_report_is_signed_in_and_traced(qapp, tmp_path, capsys) -> None:  # noqa: ANN001
    from datetime import UTC, datetime

    from console.models.demo import seed_demo
    from console.models.store import LocalStore

    central = demo_central()
    store = LocalStore(user_store_path(DEMO_USER))
    with store.transaction() as session:
        seed_demo(session, end=datetime(2026, 8, 11, 12, 0, tzinfo=UTC), per_day=20)
    store.close()
    html = tmp_path / "r.html"
    assert main(["report", "--user", DEMO_USER, "--from", "2026-08-10T00:00", "--to",
                 "2026-08-11T14:00", "--html", str(html), "--quiet"]) == 0
    assert html.exists()
    reports = [d for actor, action, d in trail(central) if actor == DEMO_USER and action == "report"]
    assert reports and reports[-1]["files"] == [str(html)] and reports[-1]["events"] > 0
    assert reports[-1]["access"] == "report" and reports[-1]["via"] == "cli"


def test_online_export_uses_the_keyring_or_asks(secure_db, memory_keyring, tmp_path,
                                                monkeypatch, capsys) -> None:
    """Against PostgreSQL: the password from the keyring, else a prompt; the trail is the
    server's, under the user's login."""
    from sqlalchemy import text

    from console.models.security.credentials import set_password
    from console.models.store import LocalStore
    from console.models.sync import CentralStore, SyncEngine

    op_a = secure_db.users[("operator", "A")]
    url = secure_db.url.replace("postgres@", f"{op_a}@", 1)
    CentralStore(secure_db.owner).publish_unfed_rows()  # the seeded events enter the feed
    store = LocalStore(user_store_path(op_a))
    central = CentralStore(url)
    SyncEngine(store, central, username=op_a).sync_once()
    store.close()
    central.dispose()
    out = tmp_path / "a.csv"
    monkeypatch.setattr("sys.stdin", None)  # no terminal: nothing to ask with
    assert main(["--central", secure_db.url, "export", "--user", op_a, "--format", "csv",
                 "--out", str(out)]) == 2
    assert "no terminal" in capsys.readouterr().err
    asked = []
    monkeypatch.setattr("sys.stdin", type("Tty", (), {"isatty": staticmethod(lambda: True)})())
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or "typed")
    assert main(["--central", secure_db.url, "export", "--user", op_a, "--format", "csv",
                 "--out", str(out)]) == 0
    assert asked == [f"Password for {op_a}: "]
    set_password(url, "from-the-keyring")
    assert main(["--central", secure_db.url, "export", "--user", op_a, "--format", "csv",
                 "--out", str(out)]) == 0
    assert len(asked) == 1  # the keyring answered
    with secure_db.owner.connect() as conn:
        rows = conn.execute(text("SELECT action, details FROM audit_log WHERE actor = :a "
                                 "ORDER BY pos"), {"a": op_a}).all()
    exports = [r.details for r in rows if r.action == "export"]
    assert len(exports) == 2 and exports[-1]["access"] == "export"
    assert [r.action for r in rows].count("sign_in") == 2


def test_embedded_reads_are_access_records_in_the_chain(tmp_path) -> None:
    from console.models.security import audit
    from console.models.security.signin import Authenticator
    from console.models.sync import CentralStore

    central = demo_central()
    auth = Authenticator(embedded_url=f"sqlite:///{central}", demo=True,
                         pending_path=tmp_path / "pending.jsonl")
    session = auth.sign_in(DEMO_USER, "")
    session.trace("search", {"text": "colis"})
    session.trace("open", {"event": "e-1"})
    auth.sign_out(session)
    mine = [(action, d) for actor, action, d in trail(central) if actor == DEMO_USER]
    assert mine == [("sign_in", {"mode": "embedded"}),
                    ("access", {"access": "search", "text": "colis"}),
                    ("access", {"access": "open", "event": "e-1"}), ("sign_out", None)]
    store = CentralStore.embedded(central)
    with store.engine.connect() as conn:
        assert audit.verify(conn).ok
    store.dispose()
