"""One time-zone resolver: every caller reads a centre's zone through console.models.timezones."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from console.cli import main
from console.models.actor import Actor
from console.models.demo import seed_reference
from console.models.entities import Centre
from console.models.eventlog.log import EventLog
from console.models.exchange.operations import import_csv
from console.models.reports.data import ReportRequest, collect
from console.models.reports.stats import centre_timezone, dashboard_data
from console.models.reports.template import render_html
from console.models.store import LocalStore
from console.models.timezones import DEFAULT_TIMEZONE, centre_zone
from console.models.validation import EventDraft
from console.views.shell import i18n

# Centre code -> its timezone column, and the zone every caller must resolve it to.
CENTRES = {
    "NC": ("Pacific/Noumea", "Pacific/Noumea"),
    "GF": ("America/Cayenne", "America/Cayenne"),
    "EMPTY": ("", DEFAULT_TIMEZONE),
    "FOLDER": ("Europe", DEFAULT_TIMEZONE),  # a folder of the zone database, not a zone
    "BOGUS": ("Mars/Olympus_Mons", DEFAULT_TIMEZONE),
}
NOUMEA = Actor(username="nc.operator", centre_code="NC", display_name="Nouméa")
CAYENNE = Actor(username="gf.operator", centre_code="GF", display_name="Cayenne")


@pytest.fixture
def store(tmp_path):
    store = LocalStore(tmp_path / "local.sqlite3")
    with store.transaction() as session:
        seed_reference(session)
        for code, (column, _) in CENTRES.items():
            session.add(Centre(code=code, name=f"Centre {code}", timezone=column))
    yield store
    store.close()


@pytest.mark.parametrize("code", [*CENTRES, "UNKNOWN", None])
def test_every_caller_resolves_the_same_zone(store, code):
    expected = CENTRES[code][1] if code in CENTRES else DEFAULT_TIMEZONE
    now = datetime(2026, 1, 10, 12, tzinfo=UTC)
    with store.session() as session:
        assert centre_zone(session, code).key == expected
        assert centre_timezone(session, code) == expected  # dashboard
        assert dashboard_data(session, now, centre_code=code).timezone == expected
        request = ReportRequest(time_from=now - timedelta(hours=24), time_to=now, centre=code)
        assert collect(session, request, now=now).timezone == expected
    assert i18n.centre_timezone(store, code) == expected  # status bar, settings, detail panel
    assert i18n.zone(CENTRES[code][0] if code in CENTRES else None).key == expected


def test_report_of_a_noumea_centre_reads_noumea_hours(store):
    now = datetime(2026, 1, 10, 12, tzinfo=UTC)  # 23:00 in Nouméa (UTC+11)
    with store.session() as session:
        data = collect(session, ReportRequest(time_from=now - timedelta(hours=24), time_to=now,
                                              centre="NC"), now=now)
    html = render_html(data, {}, "", template_text="$period / $generated")
    assert html == "09/01/2026 23:00 - 10/01/2026 23:00 (Pacific/Noumea) / 10/01/2026 23:00"


def test_csv_times_without_offset_are_the_importing_centres(store):
    data = (b"ref,title,category,severity,occurred_at\n"
            b"1,Foule,crowd,2,2026-01-10T10:00:00\n")
    preview, report = import_csv(EventLog(store), CAYENNE, data, "autre", dry_run=True)
    assert not report.refused
    # 10:00 in Cayenne (UTC-3), not 10:00 in Paris.
    assert preview.accepted[0].item.draft.occurred_at == datetime(2026, 1, 10, 13, tzinfo=UTC)


def test_cli_export_reads_times_in_the_centres_zone(store, tmp_path):
    eventlog = EventLog(store)
    for title, at in (("avant", datetime(2026, 1, 9, 20, 30, tzinfo=UTC)),
                      ("après", datetime(2026, 1, 9, 21, 30, tzinfo=UTC))):
        eventlog.create_event(NOUMEA, EventDraft(title=title, category="crowd", severity=2,
                                                 occurred_at=at), centre_code="NC",
                              allow_past=True)
    from security.demo_signin import demo_central

    # export signs in first: a demo user (no password) placed in the Nouméa centre
    demo_central(extra_users=(("pp.op1", "NC", "operator"),))
    out = tmp_path / "nc.geojson"
    # 08:00 in Nouméa is 21:00 UTC the day before.
    assert main(["export", "--user", "pp.op1", "--store", str(store.path),
                 "--format", "geojson", "--centre", "NC", "--from", "2026-01-10T08:00",
                 "--out", str(out)]) == 0
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert [f["properties"]["title"] for f in features] == ["après"]


def test_the_log_table_and_report_dialog_show_the_centres_zone(qtbot, store):
    from console.views.eventlog.pane import EventLogPane
    from console.views.reports.report_dialog import ReportDialog
    from console.views.shell.context import AppContext, ChangeHub

    context = AppContext(store=store, actor=NOUMEA, hub=ChangeHub())
    pane = EventLogPane(context)
    qtbot.addWidget(pane)
    assert pane.model.zone.key == "Pacific/Noumea"
    dialog = ReportDialog(context)
    qtbot.addWidget(dialog)
    for edit in (dialog.time_from, dialog.time_to):
        assert edit.timeZone().id().data() == b"Pacific/Noumea"
    shown = dialog.time_to.dateTime()
    assert abs(shown.toSecsSinceEpoch() - datetime.now(UTC).timestamp()) < 120
