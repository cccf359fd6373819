"""The map pane in a real QtWebEngine page (offscreen): markers, live updates, linkage, zones,
and the offline guarantee. One web view for the whole module."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from console.models.changes import Changes
from console.models.entities import Event, Zone
from console.models.eventlog.query import EventFilter
from console.models.map.tiles import TileSource
from console.models.validation import EventDraft
from map.conftest import evaluate, make_context, wait_until


def located_ids(context, flt: EventFilter) -> set[str]:
    from console.models.map.geojson import event_features

    with context.store.session() as session:
        return {f["id"] for f in event_features(session, flt)}


@pytest.fixture(scope="module")
def pane(qapp, tmp_path_factory, tile_cache):
    from console.views.map.pane import MapPane
    from console.views.map.web import map_web

    context = make_context(tmp_path_factory.mktemp("store") / "local.sqlite3")
    web = map_web()
    web.use_tiles(TileSource(tile_cache, None))  # empty cache, no server: plain background
    web.interceptor.reset()
    widget = MapPane(context)
    widget.resize(1000, 700)
    widget.show()
    wait_until(lambda: widget.is_ready, 30)
    # Marks this page instance: a reload would lose it.
    evaluate(widget, "(window.__same_page = 'yes')")
    yield widget
    widget.close()
    widget.release_page()
    context.store.close()


def test_page_shows_markers_of_the_filter_venues_and_no_tile(pane) -> None:
    everything = located_ids(pane.context, EventFilter())
    assert evaluate(pane, "ConsoleMap.count()") == len(everything) > 100
    flt = EventFilter(severities={4}, categories={"security", "crowd"})
    pane.set_filter(flt)
    wanted = located_ids(pane.context, flt)
    assert 0 < len(wanted) < len(everything)
    wait_until(lambda: evaluate(pane, "ConsoleMap.count()") == len(wanted))
    shown = set(evaluate(pane, "Array.from(ConsoleMap.state.markers.keys())"))
    assert shown == wanted
    assert evaluate(pane, "ConsoleMap.state.venues.getLayers().length") == 20
    # Colour by category, mark by severity: the icon of a critical security event.
    some = next(iter(wanted))
    html = evaluate(pane, f"ConsoleMap.state.markers.get('{some}').options.icon.options.html")
    assert "!" in html and ("#1f4e9c" in html or "#d35400" in html)
    pane.set_filter(EventFilter())
    wait_until(lambda: evaluate(pane, "ConsoleMap.count()") == len(everything))


def test_click_on_a_marker_selects_the_event(pane, qtbot) -> None:
    event_id = sorted(located_ids(pane.context, EventFilter()))[0]
    received: list = []
    record = lambda event_id, source: received.append((event_id, source))  # noqa: E731
    pane.context.view_state.selection_changed.connect(record)
    # A real DOM click on the marker's icon, once the cluster has spread it out.
    evaluate(pane, f"""(() => {{
        const m = ConsoleMap.state.markers.get('{event_id}');
        ConsoleMap.state.cluster.zoomToShowLayer(m, () => m._icon.click());
        return true; }})()""")
    qtbot.waitUntil(lambda: bool(received), timeout=10000)
    pane.context.view_state.selection_changed.disconnect(record)
    assert received == [(uuid.UUID(event_id), pane)]  # the map set the shared selection
    qtbot.waitUntil(lambda: evaluate(pane, "!!document.querySelector('.cm-popup')"), timeout=5000)
    title = pane.context.eventlog.event(uuid.UUID(event_id)).title
    assert title in evaluate(pane, "document.querySelector('.cm-popup').textContent")


def test_selection_in_the_log_centres_the_map(pane, qtbot) -> None:
    from console.models.map.geojson import page_id

    with pane.context.store.session() as session:
        event = session.scalar(select(Event).where(Event.latitude.is_not(None))
                               .order_by(Event.latitude.desc()).limit(1))
    evaluate(pane, "(ConsoleMap.state.map.setView([43.0, 5.0], 8), true)")
    # The page says when it has shown the event: no fixed wait, however loaded the machine.
    with qtbot.waitSignal(pane.bridge.focused, timeout=30000) as shown:
        pane.context.view_state.select_event(event.id, "log")
    marker_id = page_id(event.id)
    assert shown.args == [marker_id, True]
    # Its marker is drawn inside the view (where it is drawn: markers sharing a spot spread out),
    # far from where the map was (Marseille), and its popup is open.
    inside = (f"(() => {{ const m = ConsoleMap.state.markers.get('{marker_id}');"
              " return !!m._icon && ConsoleMap.state.map.getBounds().contains(m.getLatLng()); })()")
    assert evaluate(pane, inside) is True
    assert evaluate(pane, "ConsoleMap.state.map.getZoom()") >= 12
    assert event.title in evaluate(pane, "document.querySelector('.cm-popup').textContent")


def test_right_click_asks_for_a_new_event_there(pane, qtbot) -> None:
    evaluate(pane, "(ConsoleMap.state.map.setView([48.86, 2.33], 14), true)")
    with qtbot.waitSignal(pane.context.hub.new_event_at, timeout=5000) as blocker:
        evaluate(pane, """(() => {
            const map = ConsoleMap.state.map;
            const p = map.latLngToContainerPoint([48.8570, 2.3400]);
            const r = map.getContainer().getBoundingClientRect();
            map.getContainer().dispatchEvent(new MouseEvent('contextmenu', {
                bubbles: true, cancelable: true, button: 2,
                clientX: r.left + p.x, clientY: r.top + p.y}));
            return true; })()""")
    lat, lon = blocker.args
    assert abs(lat - 48.8570) < 1e-4 and abs(lon - 2.3400) < 1e-4


def test_new_event_appears_without_reloading_the_page(pane, qtbot) -> None:
    before = evaluate(pane, "ConsoleMap.count()")
    event, changes = pane.context.eventlog.create_event(pane.context.actor, EventDraft(
        title="Colis suspect quai Branly", category="security", severity=3,
        latitude=48.8597, longitude=2.2935))
    pane.context.hub.publish(changes)
    qtbot.waitUntil(lambda: evaluate(pane, f"ConsoleMap.has('{event.id.hex}')"), timeout=5000)
    assert evaluate(pane, "ConsoleMap.count()") == before + 1
    assert evaluate(pane, "window.__same_page") == "yes"
    # A change that takes it out of the filter removes it, still without a reload.
    pane.set_filter(EventFilter(statuses={"open"}))
    qtbot.waitUntil(lambda: evaluate(pane, f"ConsoleMap.has('{event.id.hex}')"), timeout=5000)
    _, changes = pane.context.eventlog.add_follow_up(pane.context.actor, event.id, "status",
                                                     new_status="closed")
    pane.context.hub.publish(changes)
    qtbot.waitUntil(lambda: not evaluate(pane, f"ConsoleMap.has('{event.id.hex}')"), timeout=5000)
    assert evaluate(pane, "window.__same_page") == "yes"
    pane.set_filter(EventFilter())


def test_drawn_zone_is_saved_shown_and_tags_new_events(pane, qtbot) -> None:
    pane.ask_zone_name = lambda kind: "Fan zone Concorde"
    evaluate(pane, "(ConsoleMap.state.map.setView([48.8656, 2.3212], 15), true)")
    corners = [(48.8670, 2.3190), (48.8670, 2.3235), (48.8642, 2.3235), (48.8642, 2.3190)]
    clicks = ",".join(f"[{lat},{lon}]" for lat, lon in corners)
    # The operator presses the polygon button, clicks four corners and double-clicks.
    evaluate(pane, f"""(() => {{
        document.querySelector('.cm-draw a[data-mode=polygon]').click();
        const map = ConsoleMap.state.map, el = map.getContainer();
        const r = el.getBoundingClientRect();
        const at = (ll, type) => {{
            const p = map.latLngToContainerPoint(ll);
            el.dispatchEvent(new MouseEvent(type, {{bubbles: true, cancelable: true,
                clientX: r.left + p.x, clientY: r.top + p.y}}));
        }};
        for (const ll of [{clicks}]) {{ at(ll, 'mousedown'); at(ll, 'mouseup'); at(ll, 'click'); }}
        at([{corners[-1][0]},{corners[-1][1]}], 'dblclick');
        return true; }})()""")
    qtbot.waitUntil(lambda: evaluate(pane, "ConsoleMap.state.zones.getLayers().length") == 1,
                    timeout=10000)
    with pane.context.store.session() as session:
        zone = session.scalar(select(Zone))
    assert zone.name == "Fan zone Concorde" and zone.kind == "polygon"
    assert evaluate(pane, "ConsoleMap.state.draw.mode") is None
    inside, changes = pane.context.eventlog.create_event(pane.context.actor, EventDraft(
        title="Mouvement de foule", category="crowd", severity=3,
        latitude=48.8656, longitude=2.3212))
    outside, _ = pane.context.eventlog.create_event(pane.context.actor, EventDraft(
        title="Malaise", category="health", severity=2, latitude=48.8600, longitude=2.3212))
    assert inside.zone_id == zone.id
    assert outside.zone_id is None


def test_drawn_circle_zone(pane, qtbot) -> None:
    pane.ask_zone_name = lambda kind: f"Périmètre {kind}"
    evaluate(pane, """(() => {
        ConsoleMap.startDrawing('circle');
        const map = ConsoleMap.state.map;
        map.fire('click', {latlng: L.latLng(48.8584, 2.2945)});
        map.fire('click', {latlng: L.latLng(48.8620, 2.2945)});
        return true; })()""")
    qtbot.waitUntil(lambda: evaluate(pane, "ConsoleMap.state.zones.getLayers().length") == 2,
                    timeout=10000)
    with pane.context.store.session() as session:
        zone = session.scalar(select(Zone).where(Zone.kind == "circle"))
    assert zone.name == "Périmètre circle" and 390 < zone.radius_m < 410


def test_cancelled_zone_name_saves_nothing(pane, qtbot) -> None:
    pane.ask_zone_name = lambda kind: None
    with pane.context.store.session() as session:
        before = len(session.scalars(select(Zone)).all())
    with qtbot.waitSignal(pane.bridge.zone_drawn, timeout=5000):
        evaluate(pane, """(() => {
            ConsoleMap.startDrawing('circle');
            const map = ConsoleMap.state.map;
            map.fire('click', {latlng: L.latLng(48.85, 2.35)});
            map.fire('click', {latlng: L.latLng(48.851, 2.35)});
            return true; })()""")
    with pane.context.store.session() as session:
        assert len(session.scalars(select(Zone)).all()) == before
    assert "cancelled" in pane.message.text()


def test_heat_layer_counts_recent_events(pane) -> None:
    pane.show_heat(True)
    wait_until(lambda: evaluate(pane, "ConsoleMap.state.heat.count !== undefined"))
    recent = evaluate(pane, "ConsoleMap.state.heat.points().length")
    total = evaluate(pane, "ConsoleMap.count()")
    assert 0 < recent < total  # the demo spans 7 days; the heat map shows the last 6 hours
    pane.show_heat(False)


def test_nothing_leaves_the_machine(pane, qtbot) -> None:
    interceptor = pane.web.interceptor
    assert interceptor.blocked == []
    assert interceptor.allowed > 5  # the guard did see the page's own requests
    # Positive control: a request to the internet is blocked and recorded.
    evaluate(pane, "(fetch('https://tile.openstreetmap.org/1/1/1.png').catch(() => 0), true)")
    qtbot.waitUntil(lambda: bool(interceptor.blocked), timeout=5000)
    assert interceptor.blocked == ["https://tile.openstreetmap.org/1/1/1.png"]
    interceptor.reset()


def test_everything_changed_reloads_data_not_page(pane, qtbot) -> None:
    pane.context.hub.publish(Changes(everything=True))
    qtbot.waitUntil(lambda: evaluate(pane, "ConsoleMap.count()") == len(
        located_ids(pane.context, EventFilter())), timeout=5000)
    assert evaluate(pane, "window.__same_page") == "yes"


def test_linked_with_the_event_log_pane(pane, qtbot) -> None:
    """The real log pane: its filter drives the map, selections go both ways, and a right-click
    in a zone opens the entry form with the point; the saved entry is tagged and drawn."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from console.views.eventlog.form import EventFormDialog
    from console.views.eventlog.pane import EventLogPane

    log = EventLogPane(pane.context)
    qtbot.addWidget(log)
    try:
        critical = EventFilter(severities={4})
        log.set_filter(critical)  # the log sets the shared filter; the map follows it
        wanted = located_ids(pane.context, critical)
        qtbot.waitUntil(lambda: evaluate(pane, "ConsoleMap.count()") == len(wanted), timeout=5000)

        # map -> log
        target = sorted(wanted)[3]
        evaluate(pane, f"ConsoleMap.clickMarker('{target}')")
        qtbot.waitUntil(lambda: log.selected_event_id() == uuid.UUID(target), timeout=5000)

        # log -> map: selecting a row centres the map on the event
        for row in range(1, 30):  # the first located event after the one just selected
            log.table.selectRow(row)
            event = pane.context.eventlog.event(log.selected_event_id())
            if event.latitude is not None and event.id != uuid.UUID(target):
                break
        qtbot.waitUntil(lambda: abs(evaluate(pane, "ConsoleMap.state.map.getCenter().lat")
                                    - event.latitude) < 0.001, timeout=10000)

        # right-click inside the Concorde fan zone drawn earlier -> the log's entry form
        with pane.context.store.session() as session:
            zone = session.scalar(select(Zone).where(Zone.name == "Fan zone Concorde"))
        seen: dict = {}

        def fill_form() -> None:
            dialog = QApplication.activeModalWidget()
            if not isinstance(dialog, EventFormDialog):
                QTimer.singleShot(50, fill_form)
                return
            seen["lat"], seen["lon"] = dialog.latitude_edit.text(), dialog.longitude_edit.text()
            dialog.title_edit.setText("Bousculade entrée fan zone")
            dialog.category_combo.setCurrentIndex(dialog.category_combo.findData("crowd"))
            dialog.severity_combo.setCurrentIndex(dialog.severity_combo.findData(4))
            dialog.submit()

        QTimer.singleShot(50, fill_form)
        evaluate(pane, "(ConsoleMap.state.map.setView([48.8656, 2.3212], 16), true)")
        pane.run_js("""(() => {
            const map = ConsoleMap.state.map, el = map.getContainer();
            const p = map.latLngToContainerPoint([48.8655, 2.3210]);
            const r = el.getBoundingClientRect();
            el.dispatchEvent(new MouseEvent('contextmenu', {bubbles: true, cancelable: true,
                button: 2, clientX: r.left + p.x, clientY: r.top + p.y}));
            })()""")
        qtbot.waitUntil(lambda: "lat" in seen, timeout=10000)
        qtbot.waitUntil(pane.context.ops.is_idle, timeout=10000)  # the entry is written
        assert abs(float(seen["lat"]) - 48.8655) < 1e-4
        assert abs(float(seen["lon"]) - 2.3210) < 1e-4
        with pane.context.store.session() as session:
            created = session.scalar(select(Event).where(
                Event.title == "Bousculade entrée fan zone"))
        assert created is not None and created.zone_id == zone.id
        qtbot.waitUntil(lambda: evaluate(pane, f"ConsoleMap.has('{created.id.hex}')"),
                        timeout=5000)
        assert evaluate(pane, "window.__same_page") == "yes"
    finally:
        log.close()
        pane.context.view_state.set_filter(EventFilter())
        qtbot.waitUntil(lambda: pane.filter == EventFilter(), timeout=5000)


def test_map_follows_the_shared_filter_whoever_sets_it(pane, qtbot) -> None:
    """The dashboard (or the log) sets the view state's filter: the map redraws with it."""
    everything = located_ids(pane.context, EventFilter())
    flt = EventFilter(severities={3})
    wanted = located_ids(pane.context, flt)
    assert 0 < len(wanted) < len(everything)
    pane.context.view_state.set_filter(flt, "dashboard")
    assert pane.filter == flt
    qtbot.waitUntil(lambda: evaluate(pane, "ConsoleMap.count()") == len(wanted), timeout=10000)
    pane.context.view_state.set_filter(EventFilter(), "log")
    qtbot.waitUntil(lambda: evaluate(pane, "ConsoleMap.count()") == len(everything),
                    timeout=10000)


def test_a_map_built_after_the_log_starts_from_its_filter(pane, qtbot) -> None:
    """Whatever the order panes are built in, a new map shows the log's current filter."""
    from console.views.eventlog.pane import EventLogPane
    from console.views.map.pane import MapPane

    log = EventLogPane(pane.context)
    qtbot.addWidget(log)
    flt = EventFilter(severities={4})
    wanted = located_ids(pane.context, flt)
    second = None
    try:
        log.set_filter(flt)  # set before the second map exists
        second = MapPane(pane.context)
        second.resize(600, 400)
        second.show()
        assert second.filter == flt
        qtbot.waitUntil(lambda: second.is_ready, timeout=30000)
        assert evaluate(second, "ConsoleMap.count()") == len(wanted)
    finally:
        if second is not None:
            second.close()
            second.release_page()
        log.close()
        pane.context.view_state.set_filter(EventFilter())
        qtbot.waitUntil(pane.context.ops.is_idle, timeout=10000)


def test_map_comes_back_after_its_page_process_dies(pane, qtbot) -> None:
    """Chromium's renderer killed (as the OOM killer would): the pane loads the page again."""
    import os
    import signal

    pid = pane.page.renderProcessPid()
    assert pid > 0 and pid != os.getpid()
    os.kill(pid, signal.SIGKILL)  # our own test's renderer process, by its id
    qtbot.waitUntil(lambda: not pane.is_ready, timeout=10000)
    qtbot.waitUntil(lambda: pane.is_ready, timeout=30000)
    assert pane.page.renderProcessPid() != pid
    assert evaluate(pane, "ConsoleMap.count()") == len(located_ids(pane.context, EventFilter()))
    assert pane.web.interceptor.blocked == []
