"""The log pane's Export and `console export` write the same document for the same filtered view."""
from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta

import pytest

from console.cli import main
from console.models.actor import Actor
from console.models.eventlog.query import EventFilter
from console.models.validation import EventDraft
from console.views.eventlog.pane import EventLogPane
from console.views.shell.context import AppContext, ChangeHub
from exchange.conftest import ACTOR

ELSEWHERE = Actor(username="pp.operator", centre_code="PP", display_name="Paul")
SINCE = datetime(2020, 1, 1, tzinfo=UTC)
VIEW = EventFilter(time_from=SINCE, centres={"CNCS"}, categories={"crowd"})
CLI_VIEW = ["--from", SINCE.isoformat(), "--centre", "CNCS", "--category", "crowd"]


def _fill(eventlog) -> None:
    """Events and zones on both sides of the view's filter."""
    now = datetime.now(UTC)
    for title, category, actor, minutes in (
            ("Foule porte H", "crowd", ACTOR, 5), ("Foule parvis", "crowd", ACTOR, 50),
            ("Colis suspect", "security", ACTOR, 20), ("Foule Châtelet", "crowd", ELSEWHERE, 10)):
        eventlog.create_event(actor, EventDraft(
            title=title, category=category, severity=2, occurred_at=now - timedelta(minutes=minutes),
            latitude=48.92, longitude=2.36), centre_code=actor.centre_code)
    eventlog.create_zone(ACTOR, "Périmètre SDF", "circle",
                         {"type": "Point", "coordinates": [2.36, 48.924]}, radius_m=300)
    eventlog.create_zone(ELSEWHERE, "Zone PP", "circle",
                         {"type": "Point", "coordinates": [2.34, 48.85]}, radius_m=100)


@pytest.fixture
def pane_for(qtbot, store):
    def open_pane(exercise: bool) -> EventLogPane:
        context = AppContext(store=store, actor=ACTOR, hub=ChangeHub(), exercise=exercise)
        pane = EventLogPane(context)
        qtbot.addWidget(pane)
        pane.filter_bar.apply(VIEW)
        assert pane.model.filter == VIEW  # the pane exports what it shows
        return pane
    return open_pane


def _pane_export(qtbot, pane: EventLogPane, fmt: str, out) -> int:  # noqa: ANN001
    """The pane writes off the GUI thread and announces the export (it is audited)."""
    with qtbot.waitSignal(pane.context.hub.export_done, timeout=20000) as done:
        pane.export(fmt, out)
    return done.args[2]


def _cli_export(store, fmt: str, out, *, exercise: bool, monkeypatch) -> None:
    # `--exercise` moves the data directory: monkeypatch restores the environment afterwards.
    monkeypatch.setenv("CONSOLE_EXERCISE", "")
    switch = ["--exercise"] if exercise else []
    # export signs in as the GUI does: a demo user of the (exercise) embedded central.
    from security.demo_signin import DEMO_USER, demo_central

    from console.config import data_dir

    demo_central(data=data_dir() / "exercise" if exercise else None)
    assert main([*switch, "export", "--user", DEMO_USER, "--store", str(store.path),
                 "--format", fmt, "--out", str(out), *CLI_VIEW]) == 0


@pytest.mark.parametrize("exercise", [False, True])
def test_geojson_of_the_pane_and_of_the_cli_are_the_same_document(
        qtbot, pane_for, store, eventlog, tmp_path, monkeypatch, exercise):
    _fill(eventlog)
    gui, cli = tmp_path / "gui.geojson", tmp_path / "cli.geojson"
    assert _pane_export(qtbot, pane_for(exercise), "geojson", gui) == 2
    _cli_export(store, "geojson", cli, exercise=exercise, monkeypatch=monkeypatch)
    document = json.loads(gui.read_text(encoding="utf-8"))
    assert document == json.loads(cli.read_text(encoding="utf-8"))
    # Not two equally empty files: the view's events, its centre's zone, the exercise mark.
    titles = [f["properties"].get("title") or f["properties"]["name"]
              for f in document["features"]]
    assert titles == ["Foule porte H", "Foule parvis", "Périmètre SDF"]
    assert document.get("console:exercise") == ("EXERCICE / EXERCISE" if exercise else None)


def test_csv_of_the_pane_and_of_the_cli_are_the_same_rows(qtbot, pane_for, store, eventlog,
                                                           tmp_path, monkeypatch):
    _fill(eventlog)
    gui, cli = tmp_path / "gui.csv", tmp_path / "cli.csv"
    assert _pane_export(qtbot, pane_for(False), "csv", gui) == 2
    _cli_export(store, "csv", cli, exercise=False, monkeypatch=monkeypatch)
    rows = list(csv.DictReader(gui.open(encoding="utf-8-sig")))
    assert rows == list(csv.DictReader(cli.open(encoding="utf-8-sig")))
    assert [r["title"] for r in rows] == ["Foule porte H", "Foule parvis"]
