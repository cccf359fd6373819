"""The shared view state: the log, the dashboard (and the map, see tests/map) follow one filter and
one selection, whoever sets them and whatever order the panes were built in."""
from __future__ import annotations

import pytest

from console.models.actor import Actor
from console.models.demo import seed_reference
from console.models.eventlog.query import EventFilter
from console.models.store import LocalStore
from console.models.validation import EventDraft
from console.views.shell.context import AppContext, ChangeHub

ACTOR = Actor("alice", "CNCS", display_name="Alice")
AUTHOR = Actor("bob", "CNCS", display_name="Bob")


@pytest.fixture
def context(tmp_path):
    store = LocalStore(tmp_path / "local.sqlite3")
    with store.transaction() as session:
        seed_reference(session)  # the centres
    yield AppContext(store=store, actor=ACTOR, hub=ChangeHub())
    store.close()


def settle(qtbot, context) -> None:
    qtbot.waitUntil(context.ops.is_idle, timeout=10_000)


def build(qtbot, context, *kinds):
    from console.views.eventlog.pane import EventLogPane
    from console.views.reports.dashboard import DashboardPane

    factories = {"log": EventLogPane, "dashboard": DashboardPane}
    panes = {}
    for kind in kinds:
        panes[kind] = factories[kind](context)
        qtbot.addWidget(panes[kind])
    settle(qtbot, context)
    return panes


def add(context, title, severity=2):
    event, changes = context.eventlog.create_event(AUTHOR, EventDraft(
        title=title, category="security", severity=severity, place="Concorde"))
    context.hub.publish(changes)
    return event


def test_the_view_state_emits_each_new_value_with_its_source(qapp, context):
    state = context.view_state
    filters, selections = [], []
    state.filter_changed.connect(lambda *args: filters.append(args))
    state.selection_changed.connect(lambda *args: selections.append(args))
    critical = EventFilter(severities={4})
    state.set_filter(critical, "log")
    assert filters == [(critical, "log")] and state.filter == critical
    state.set_filter(EventFilter(), "dashboard")
    assert filters[-1] == (EventFilter(), "dashboard") and state.filter == EventFilter()
    state.select_event(None, "map")
    assert selections == [(None, "map")] and state.selected_event is None


def test_a_filter_set_in_the_log_bar_scopes_the_dashboard(qtbot, context):
    panes = build(qtbot, context, "log", "dashboard")
    log, dashboard = panes["log"], panes["dashboard"]
    assert dashboard.centre is None and dashboard.centre_combo.findData("CNCS") > 0
    cncs = next(a for a in log.filter_bar.centre.actions_ if a.data() == "CNCS")
    cncs.setChecked(True)  # the operator filters the log on one centre
    assert context.view_state.filter.centres == {"CNCS"}
    assert dashboard.centre == "CNCS"  # the figures follow that centre
    settle(qtbot, context)
    cncs.setChecked(False)
    assert dashboard.centre is None


def test_the_dashboard_shows_its_events_in_the_log(qtbot, context):
    add(context, "Drone", severity=4)
    add(context, "File d'attente", severity=1)
    panes = build(qtbot, context, "log", "dashboard")
    log, dashboard = panes["log"], panes["dashboard"]
    assert log.model.rowCount() == 2
    dashboard.show_in_log(EventFilter(severities={4}, statuses={"open"}))
    assert log.model.rowCount() == 1 and log.model.filter.severities == {4}
    assert log.filter_bar.severity.selected() == {4}  # the bar shows what the table shows
    # The operator widens it again in the bar: the bar's filter is the shared one again.
    log.filter_bar.clear()
    assert log.model.rowCount() == 2 and context.view_state.filter == EventFilter()


def test_an_oversight_entry_is_selected_in_the_log(qtbot, context):
    first = add(context, "Premier")
    add(context, "Second")
    panes = build(qtbot, context, "log", "dashboard")
    log, dashboard = panes["log"], panes["dashboard"]
    dashboard.oversight.event_activated.emit(first.id)  # a double click in an oversight list
    assert log.selected_event_id() == first.id
    qtbot.waitUntil(lambda: "Premier" in log.detail.header.text())


@pytest.mark.parametrize("order", [("log", "dashboard"), ("dashboard", "log")])
def test_a_log_built_after_the_filter_was_set_starts_from_it(qtbot, context, order):
    add(context, "Drone", severity=4)
    add(context, "File d'attente", severity=1)
    critical = EventFilter(severities={4})
    panes = build(qtbot, context, order[0])
    context.view_state.set_filter(critical, panes[order[0]])
    panes.update(build(qtbot, context, order[1]))
    assert panes["log"].model.filter == critical and panes["log"].model.rowCount() == 1
    assert panes["log"].filter_bar.severity.selected() == {4}
