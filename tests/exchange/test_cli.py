"""The exchange sub-commands end to end on a store file."""
from __future__ import annotations

import json

from security.demo_signin import DEMO_USER, demo_central

from console.cli import main
from exchange.conftest import CAP_DIR, counts


def test_import_cap_twice_then_export(store, tmp_path, capsys):
    demo_central()  # imports and exports act as a signed-in user
    files = [str(p) for p in sorted((CAP_DIR / "examples").glob("*.xml"))]
    assert main(["import-cap", "--user", DEMO_USER, "--store", str(store.path), *files]) == 0
    assert capsys.readouterr().out.count(": imported") == 4
    assert main(["import-cap", "--user", DEMO_USER, "--store", str(store.path), *files]) == 0
    assert capsys.readouterr().out.count(": already present") == 4
    assert counts(store) == (4, 4)
    hostile = tmp_path / "bad.xml"
    hostile.write_text('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')
    assert main(["import-cap", "--user", DEMO_USER, "--store", str(store.path), str(hostile)]) == 1
    assert "DTD or entities" in capsys.readouterr().err
    out = tmp_path / "all.geojson"
    assert main(["export", "--user", DEMO_USER, "--store", str(store.path),
                 "--format", "geojson",
                 "--out", str(out)]) == 0
    assert len(json.loads(out.read_text())["features"]) == 4
    capdir = tmp_path / "cap"
    assert main(["export", "--user", DEMO_USER, "--store", str(store.path),
                 "--format", "cap",
                 "--out", str(capdir)]) == 0
    assert len(list(capdir.glob("*.xml"))) == 4
    # Our own CAP export imported back: same ids, nothing duplicated.
    assert main(["import-cap", "--user", DEMO_USER, "--store", str(store.path),
                 *map(str, capdir.glob("*.xml"))]) == 0
    assert counts(store) == (4, 4)


def test_import_csv_dry_run_lists_refused_lines(store, tmp_path, capsys):
    demo_central()
    path = tmp_path / "other_log.csv"
    path.write_text("ref,title,category,severity,occurred_at\n"
                    "1,Foule,crowd,2,2026-01-10T10:00:00+01:00\n"
                    "2,,crowd,2,2026-01-10T10:00:00+01:00\n", encoding="utf-8")
    assert main(["import-csv", "--user", DEMO_USER, "--store", str(store.path), "--dry-run", str(path)]) == 0
    out = capsys.readouterr().out
    assert "would import: 1" in out and "refused line 3: title: is required" in out
    assert counts(store) == (0, 0)


def test_export_of_one_event(store, tmp_path, capsys):
    demo_central()
    files = [str(p) for p in sorted((CAP_DIR / "examples").glob("*.xml"))]
    assert main(["import-cap", "--user", DEMO_USER, "--store", str(store.path), *files]) == 0
    out = tmp_path / "all.geojson"
    assert main(["export", "--user", DEMO_USER, "--store", str(store.path),
                 "--format", "geojson",
                 "--out", str(out)]) == 0
    event_id = json.loads(out.read_text())["features"][0]["id"]
    capsys.readouterr()
    one = tmp_path / "one.geojson"
    assert main(["export", "--user", DEMO_USER, "--store", str(store.path),
                 "--format", "geojson", "--event",
                 event_id, "--out", str(one)]) == 0
    assert [f["id"] for f in json.loads(one.read_text())["features"]] == [event_id]
    alert = tmp_path / "one.xml"
    assert main(["export", "--user", DEMO_USER, "--store", str(store.path),
                 "--format", "cap", "--event",
                 event_id, "--out", str(alert)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"1 CAP alert written to {alert}"
    assert event_id in alert.read_text(encoding="utf-8")
