"""Dashboard pane: figures shown match the store, a click on a bar filters the event log."""
from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from console.models.actor import Actor
from console.models.changes import Changes
from console.models.eventlog.query import EventFilter, count_events
from console.models.validation import EventDraft
from console.views.shell.context import AppContext, ChangeHub
from reports.conftest import DEMO_END

ACTOR = Actor(username="demo.operator", centre_code="CNCS", display_name="Camille Martin")


def settle(qtbot, context) -> None:
    """Wait until the runner has delivered every read (the figures are read off the GUI thread)."""
    qtbot.waitUntil(context.ops.is_idle, timeout=10_000)


@pytest.fixture
def pane(qtbot, demo_store):
    from console.views.reports.dashboard import DashboardPane

    context = AppContext(store=demo_store, actor=ACTOR, hub=ChangeHub())
    widget = DashboardPane(context, now=DEMO_END)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    qtbot.waitExposed(widget)
    settle(qtbot, context)
    return widget


def _click(qtbot, chart, position: float, value: float) -> None:
    scene_point = chart.scene_point(position, value)
    view_point = chart.mapFromScene(scene_point)
    qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=view_point)


def test_click_on_a_stacked_bar_filters_that_hour_and_category(qtbot, pane, demo_store):
    data = pane.data
    index = 20
    security = data.hourly.by_category["security"][index]
    assert security > 2
    with qtbot.waitSignal(pane.filter_requested, timeout=2000) as blocker:
        _click(qtbot, pane.hourly_chart, index, security / 2)  # middle of the bottom segment
    flt = blocker.args[0]
    assert flt.categories == {"security"}
    assert flt.time_from == data.hourly.hours[index]
    assert flt.time_to - flt.time_from == timedelta(hours=1)
    # The same filter became the shared one (the log and the map follow it), and it selects
    # exactly the bar's events.
    assert pane.context.view_state.filter == flt
    with demo_store.session() as session:
        assert count_events(session, flt) == security


def test_click_on_severity_bar_filters_open_events_of_that_severity(qtbot, pane, demo_store):
    critical = pane.data.open_by_severity[4]
    with qtbot.waitSignal(pane.filter_requested, timeout=2000) as blocker:
        _click(qtbot, pane.severity_chart, 4, critical / 2)
    flt = blocker.args[0]
    assert flt.severities == {4} and flt.statuses == {"open", "in_progress"}
    with demo_store.session() as session:
        assert count_events(session, flt) == critical


def test_click_beside_the_bars_emits_nothing(qtbot, pane):
    with qtbot.assertNotEmitted(pane.filter_requested, wait=300):
        _click(qtbot, pane.severity_chart, 2.5, 1)  # the gap between two bars


def test_kpis_match_the_store_and_refresh_on_change(qtbot, pane, demo_store):
    day = pane.data.day
    assert pane.kpis["day"].value.text() == str(day.total)
    with demo_store.session() as session:
        assert day.total == count_events(session, EventFilter(
            time_from=DEMO_END - timedelta(hours=24), time_to=DEMO_END + timedelta(minutes=5)))
    # A new event in the last 24 hours: the hub says so, the pane refreshes (debounced).
    event, changes = pane.context.eventlog.create_event(ACTOR, EventDraft(
        title="Colis suspect", category="security", severity=4,
        occurred_at=DEMO_END - timedelta(minutes=10)), now=DEMO_END)
    with qtbot.waitSignal(pane.refreshed, timeout=3000):
        pane.context.hub.publish(changes)
    assert pane.kpis["day"].value.text() == str(day.total + 1)
    assert pane.data.open_by_severity[4] >= 1
    pane.context.hub.publish(Changes())  # an empty change set triggers nothing


def test_oversight_alarm_visible_and_thresholds_apply(qtbot, pane):
    oversight = pane.oversight
    unacked = oversight.lists["unacknowledged"]
    assert unacked.items and unacked.alarm.text().startswith("\u26a0")
    assert "Oversight (" in pane.tabs.tabText(1)
    before = len(unacked.items)
    with qtbot.waitSignal(pane.refreshed, timeout=3000):
        oversight.unack_minutes.setValue(24 * 60)  # only day-old waits remain
    assert len(unacked.items) < before
    assert all(item.waiting_min >= 24 * 60 for item in unacked.items)


def test_click_on_a_zone_bar_filters_that_zone(qtbot, tmp_path):
    from console.models.base import utcnow
    from console.models.store import LocalStore
    from console.views.reports.dashboard import DashboardPane

    store = LocalStore(tmp_path / "zones.sqlite3")
    context = AppContext(store=store, actor=ACTOR, hub=ChangeHub())
    zone, _ = context.eventlog.create_zone(ACTOR, "Fan zone", "circle",
                                           {"type": "Point", "coordinates": [2.35, 48.85]},
                                           radius_m=200)
    for minutes in (5, 15, 25):
        context.eventlog.create_event(ACTOR, EventDraft(
            title="Affluence", category="crowd", severity=2,
            occurred_at=utcnow() - timedelta(minutes=minutes)), zone_id=zone.id)
    pane = DashboardPane(context)
    qtbot.addWidget(pane)
    pane.resize(1200, 800)
    pane.show()
    qtbot.waitExposed(pane)
    settle(qtbot, context)
    with qtbot.waitSignal(pane.filter_requested, timeout=2000) as blocker:
        _click(qtbot, pane.zone_chart, 0, 1.5)  # the only bar, at position 0, 3 events long
    flt = blocker.args[0]
    assert flt.zone_id == zone.id
    with store.session() as session:
        assert count_events(session, flt) == 3
    store.close()
