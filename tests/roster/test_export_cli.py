"""`console roster export`: the published roster as a signed-in user, read back independently."""
from __future__ import annotations

import csv
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
import vobject
from security.demo_signin import demo_central, trail

from console.cli import main
from console.models.roster.service import RosterService
from console.models.security.headless import user_store_path
from console.models.store import LocalStore
from roster.conftest import TODAY


@pytest.fixture(autouse=True)
def _english_afterwards():  # noqa: ANN202
    """`--language fr` installs French translators in this process: later tests expect English."""
    yield
    from console.views.shell.i18n import install_translators
    install_translators(language="en")


def _cache_of(username: str, seeded_template) -> Path:  # noqa: ANN001
    """The user's own cache, holding the demo's rosters (as a sync would have brought them)."""
    path = user_store_path(username)
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(seeded_template[0], path)
    return path


def _snapshot(path: Path, roster_id, actor=None):  # noqa: ANN001, ANN202
    store = LocalStore(path)
    try:
        return RosterService(store).snapshot(roster_id, actor)
    finally:
        store.close()


def _export(user: str, fmt: str, out: Path, *extra: str) -> int:
    return main(["roster", "export", "--user", user, "--format", fmt, "--out", str(out),
                 "--period", TODAY.isoformat(), "--language", "en", *extra])


def test_a_manager_exports_every_calendar_and_the_sheet(seeded_template, tmp_path, capsys):
    central = demo_central()
    path = _cache_of("demo.manager", seeded_template)
    snap = _snapshot(path, seeded_template[1]["CNCS"])
    out = tmp_path / "ics"
    assert _export("demo.manager", "ics", out) == 0
    files = sorted(out.glob("*.ics"))
    assert len(files) == len(snap.operators) and not list(out.glob("*.part"))
    shifts = 0
    for file in files:
        calendar = vobject.readOne(file.read_text(encoding="utf-8"), validate=True)
        events = list(getattr(calendar, "vevent_list", []))
        assert all(e.summary.value.startswith("Shift ") for e in events)
        shifts += len(events)
    assert shifts == len(snap.shifts) > 0
    assert _export("demo.manager", "csv", tmp_path / "csv") == 0
    sheet = tmp_path / "csv" / f"roster-CNCS-{snap.roster.start_day}.csv"
    rows = list(csv.DictReader(sheet.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == len(snap.shifts) and rows[0]["shift"]
    exports = [d for actor, action, d in trail(central)
               if actor == "demo.manager" and action == "export"]
    assert [(d["what"], d["format"], d["files"]) for d in exports] == [
        ("roster", "ics", len(snap.operators)), ("roster", "csv", 1)]
    assert exports[0]["roster"] == str(snap.roster.id) and exports[0]["via"] == "cli"


def test_an_operator_exports_only_their_own_shifts(seeded_template, tmp_path):
    from roster.conftest import OPERATOR

    demo_central()
    path = _cache_of("demo.operator", seeded_template)
    mine = _snapshot(path, seeded_template[1]["CNCS"], OPERATOR)
    assert _export("demo.operator", "ics", tmp_path) == 0
    files = list(tmp_path.glob("*.ics"))
    assert len(files) == 1 and "Camille Martin_" in files[0].name
    calendar = vobject.readOne(files[0].read_text(encoding="utf-8"))
    assert len(calendar.vevent_list) == len(mine.shifts) > 0


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_pdf_is_a_readable_table_per_week(seeded_template, tmp_path):
    demo_central()
    path = _cache_of("demo.manager", seeded_template)
    snap = _snapshot(path, seeded_template[1]["CNCS"])
    assert _export("demo.manager", "pdf", tmp_path) == 0
    pdf = tmp_path / f"roster-CNCS-{snap.roster.start_day}.pdf"
    text = unicodedata.normalize("NFKC", subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
        text=True).stdout)
    weeks = len({d.isocalendar()[:2] for d in snap.data.days})
    assert text.count("Week of") == weeks
    assert all(op.display_name in text for op in snap.operators)
    assert f"{len(snap.shifts)} shifts" in text and "vacation" not in text.lower()
    assert _export("demo.manager", "pdf", tmp_path, "--language", "fr") == 0
    french = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                            text=True).stdout
    assert "Semaine du" in french and f"{len(snap.shifts)} vacations" in french


def test_only_a_published_roster_and_a_filled_cache(seeded_template, tmp_path, capsys):
    demo_central()
    out = tmp_path / "out"
    assert _export("demo.manager", "csv", out) == 2
    assert "no local cache" in capsys.readouterr().err and not out.exists()
    _cache_of("demo.manager", seeded_template)
    draft = seeded_template[1]["CNCS:draft"]
    assert main(["roster", "export", "--user", "demo.manager", "--format", "csv",
                 "--out", str(out), "--roster", str(draft)]) == 2
    assert "no published roster of centre CNCS called" in capsys.readouterr().err
    assert main(["roster", "export", "--user", "demo.manager", "--format", "csv",
                 "--out", str(out), "--period", "1999-01-01"]) == 2
    assert "covers 1999-01-01" in capsys.readouterr().err
    assert main(["roster", "export", "--user", "demo.manager", "--format", "csv",
                 "--out", str(out), "--centre", "PP"]) == 2
    assert "may not read centre PP" in capsys.readouterr().err
    assert not out.exists() or not list(out.iterdir())
