"""The map pane: events of the log's filter, zones, venues and heat, live and fully offline.

folium builds the page once; this pane then sends GeoJSON to it through runJavaScript (all the
events when the filter changes, only the changed ones after that) and hears back through a
QWebChannel bridge: marker clicks select the event, a right-click starts a new event there, a
drawn shape becomes a zone.
"""
from __future__ import annotations

import json
import uuid
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, QTimer, Signal
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QLabel, QVBoxLayout, QWidget

from console.models.changes import Changes
from console.models.eventlog.query import EventFilter
from console.models.map.geojson import (
    collection,
    dumps,
    event_changes,
    event_features,
    page_id,
    venue_features,
    zone_features,
)
from console.models.map.geometry import check_zone_geometry
from console.models.map.page import PageOptions, build_page
from console.models.validation import ValidationError
from console.views.map.bridge import MapBridge
from console.views.map.web import MapWeb, map_web
from console.views.shell.context import AppContext

JsCallback = Callable[[object], None]


def events_script(store, flt: EventFilter) -> tuple[str, int]:  # noqa: ANN001 (LocalStore)
    """The page call that draws every located event of the filter, and how many there are."""
    with store.session() as session:
        features = event_features(session, flt)
    return f"ConsoleMap.setEvents({dumps(collection(features))})", len(features)


class _Loader(QObject):
    """Reads the first batch of events off the GUI thread; the result comes back by signal."""

    done = Signal(int, object)  # generation, (script, count)

    def read(self, store, flt: EventFilter, generation: int) -> None:  # noqa: ANN001
        try:
            payload: tuple[str, int] | None = events_script(store, flt)
        except Exception:  # noqa: BLE001 (the GUI thread reads again, and reports, at first draw)
            payload = None
        self.done.emit(generation, payload)


class MapPane(QWidget):
    """A Leaflet map in a QWebEngineView, kept in step with the store through the change hub."""

    ready = Signal()  # the page is up and shows the events of the current filter

    def __init__(self, context: AppContext, parent: QWidget | None = None, *,
                 web: MapWeb | None = None, options: PageOptions | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.web = web or map_web()
        self.web.use_default_tiles()
        # The log pane pushes its filter through services["map_pane"]; start from its current one.
        context.services["map_pane"] = self
        log_pane = context.services.get("event_log_pane")
        self.filter: EventFilter = getattr(log_pane, "current_filter", None) or EventFilter()
        self.is_ready = False
        self.shown_events = 0
        self._echo: uuid.UUID | None = None  # a selection this pane made itself
        # Asks the operator for a new zone's name; tests replace it (no modal dialog offscreen).
        self.ask_zone_name: Callable[[str], str | None] = self._ask_zone_name

        self.view = QWebEngineView(self)
        self.page = QWebEnginePage(self.web.profile, self.view)
        self.view.setPage(self.page)
        self.bridge = MapBridge(self)
        self.channel = QWebChannel(self.page)
        self.channel.registerObject("bridge", self.bridge)
        self.page.setWebChannel(self.channel)
        self.status = QLabel(self)  # how many events the map shows
        self.status.setObjectName("map_status")
        self.message = QLabel(self)  # what became of the last drawn zone
        self.message.setObjectName("map_message")
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 0, 4, 0)
        bar.addWidget(self.status)
        bar.addStretch(1)
        bar.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.view, 1)
        layout.addLayout(bar)

        # The log re-filters as the operator types: redraw once typing pauses, not per key.
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(150)
        self._filter_timer.timeout.connect(self.reload_events)

        self.bridge.page_ready.connect(self._on_page_ready)
        self.page.renderProcessTerminated.connect(self._on_renderer_gone)
        self.bridge.marker_clicked.connect(self._on_marker_clicked)
        self.bridge.right_clicked.connect(self.context.hub.new_event_at)
        self.bridge.zone_drawn.connect(self._on_zone_drawn)
        self.context.hub.changed.connect(self.on_changes)
        self.context.hub.event_selected.connect(self.centre_on_event)

        # The shared profile is freed with the application: the page must go before it.
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.release_page)

        self.page_name = f"map-{uuid.uuid4().hex[:12]}"
        self._url = self.web.handler.set_page(self.page_name,
                                              build_page(options or self._options()))
        self.page.load(self._url)
        # The events are read on a worker thread while Chromium loads the page (whose files this
        # GUI thread serves): the first draw does not wait for both one after the other.
        self._prepared: tuple[str, int] | None = None
        self._generation = 0  # bumped when the filter or the data changes before the first draw
        self._page_up = False
        self._loader = _Loader()
        self._loader.done.connect(self._on_prepared)
        loader, store, flt, generation = self._loader, context.store, self.filter, 0
        QThreadPool.globalInstance().start(lambda: loader.read(store, flt, generation))

    def _options(self) -> PageOptions:
        tr = self.tr
        return PageOptions(labels={
            "layer_events": tr("Events"), "layer_zones": tr("Zones"), "layer_venues": tr("Venues"),
            "layer_heat": tr("Heat map (last 6 h)"), "severity": tr("severity"),
            "status_open": tr("open"), "status_in_progress": tr("in progress"),
            "status_closed": tr("closed"),
            "draw_polygon": tr("Draw a zone (polygon)"), "draw_circle": tr("Draw a zone (circle)"),
            "hint_polygon": tr("Click the corners; double-click or Enter to finish, Esc to cancel"),
            "hint_circle": tr("Click the centre, then the edge; Esc to cancel"),
        })

    def release_page(self) -> None:
        """Free the web view and its page now (before the profile they depend on)."""
        self.is_ready = False
        self.web.handler.pages.pop(self.page_name, None)
        if shiboken6.isValid(self.view):
            shiboken6.delete(self.view)

    # -- talking to the page ---------------------------------------------------------------------

    def run_js(self, script: str, callback: JsCallback | None = None) -> None:
        if not shiboken6.isValid(self.page):
            return  # released at shutdown; late hub signals have nothing to draw on
        if callback is None:
            self.page.runJavaScript(script, 0)
        else:
            self.page.runJavaScript(script, 0, callback)

    def set_filter(self, flt: EventFilter) -> None:
        """Show the events of the log's current filter (the event log pane calls this)."""
        self.filter = flt
        self._forget_prepared()
        if self.is_ready:
            self._filter_timer.start()

    def _events_script(self) -> tuple[str, int]:
        return events_script(self.context.store, self.filter)

    def reload_events(self, callback: JsCallback | None = None) -> None:
        self._filter_timer.stop()
        script, self.shown_events = self._prepared or self._events_script()
        self._prepared = None
        self.run_js(script, callback)
        self._show_count()

    def reload_zones(self) -> None:
        with self.context.store.session() as session:
            features = zone_features(session)
        self.run_js(f"ConsoleMap.setZones({dumps(collection(features))})")

    def reload_venues(self) -> None:
        with self.context.store.session() as session:
            features = venue_features(session)
        self.run_js(f"ConsoleMap.setVenues({dumps(collection(features))})")

    def update_events(self, ids: set[uuid.UUID], callback: JsCallback | None = None) -> None:
        """Redraw only these events: new or changed ones in, filtered-out ones off."""
        with self.context.store.session() as session:
            features, gone = event_changes(session, self.filter, ids)
        script = f"ConsoleMap.upsertEvents({dumps(collection(features))});"
        if gone:
            script += f"ConsoleMap.removeEvents({dumps(gone)});"
        # Answers the marker count, or -1 while a large update is still being clustered.
        self.run_js(script + "ConsoleMap.busy() ? -1 : ConsoleMap.count()",
                    callback or self._count_from_page)

    def show_heat(self, visible: bool) -> None:
        self.run_js(f"ConsoleMap.showHeat({'true' if visible else 'false'})")

    def _on_page_ready(self) -> None:
        self.reload_venues()
        self.reload_zones()
        self._page_up = True
        if self._prepared is not None or self._generation != 0:
            self._first_draw()
        # else: the worker is still reading; _on_prepared draws when it is done

    def _on_prepared(self, generation: int, payload: tuple[str, int] | None) -> None:
        if generation != self._generation:
            return  # read for a filter or data that has changed since
        if payload is None:
            self._forget_prepared()  # the worker failed: the first draw reads on this thread
        self._prepared = payload
        if self._page_up and not self.is_ready:
            self._first_draw()

    def _first_draw(self) -> None:
        self._page_up = False  # a later reload of the page comes through _on_page_ready again
        self._generation += 1  # the page's next load reads afresh
        self.reload_events(lambda _count: self._mark_ready())

    def _forget_prepared(self) -> None:
        self._prepared = None
        self._generation += 1

    def _on_renderer_gone(self, status: object, code: int) -> None:
        """Chromium's page process died (out of memory, killed): load the page again."""
        if status == QWebEnginePage.RenderProcessTerminationStatus.NormalTerminationStatus:
            return
        self.is_ready = False
        self._forget_prepared()
        self.status.setText(self.tr("The map stopped (code %1); reloading it.")
                            .replace("%1", str(code)))
        QTimer.singleShot(500, lambda: self.page.load(self._url) if shiboken6.isValid(self.page)
                          else None)

    def _mark_ready(self) -> None:
        self.is_ready = True
        self.ready.emit()

    def _count_from_page(self, count: object) -> None:
        if isinstance(count, (int, float)) and count >= 0:
            self.shown_events = int(count)
            self._show_count()

    def _show_count(self) -> None:
        self.status.setText(self.tr("%n event(s) on the map", "", self.shown_events))

    # -- the rest of the console -----------------------------------------------------------------

    def on_changes(self, changes: Changes) -> None:
        if not self.is_ready:
            self._forget_prepared()  # read again when the page is up
            return  # the first load reads everything anyway
        if changes.everything:
            self.reload_venues()
            self.reload_zones()
            self.reload_events()
            return
        if changes.reference:
            self.reload_venues()
        if changes.zones:
            self.reload_zones()
        if changes.events or changes.new_events:
            self.update_events(changes.events | changes.new_events)

    def centre_on_event(self, event_id: uuid.UUID) -> None:
        """The log selected an event: show it (its marker if on the map, else its position)."""
        if event_id == self._echo:
            self._echo = None
            return
        event = self.context.eventlog.event(event_id)
        if event is None:
            return
        lat = "null" if event.latitude is None else repr(float(event.latitude))
        lon = "null" if event.longitude is None else repr(float(event.longitude))
        self.run_js(f"ConsoleMap.focus({json.dumps(page_id(event_id))}, {lat}, {lon})")

    def _on_marker_clicked(self, event_id: str) -> None:
        try:
            selected = uuid.UUID(event_id)
        except ValueError:
            return
        self._echo = selected
        self.context.hub.event_selected.emit(selected)

    # -- zones ----------------------------------------------------------------------------------

    def _ask_zone_name(self, kind: str) -> str | None:
        title = self.tr("New zone")
        label = (self.tr("Name of the circular zone:") if kind == "circle"
                 else self.tr("Name of the zone:"))
        name, ok = QInputDialog.getText(self, title, label)
        return name if ok else None

    def _on_zone_drawn(self, kind: str, geometry_json: str, radius_m: float) -> None:
        try:
            geometry = json.loads(geometry_json)
        except ValueError:
            self.message.setText(self.tr("The drawn zone could not be read; nothing was saved."))
            return
        problem = check_zone_geometry(kind, geometry, radius_m or None)
        if problem:
            self.message.setText(self.tr("Zone not saved: %1").replace("%1", problem))
            return
        name = self.ask_zone_name(kind)
        if not name or not name.strip():
            self.message.setText(self.tr("Zone drawing cancelled."))
            return
        try:
            zone, changes = self.context.eventlog.create_zone(
                self.context.actor, name, kind, geometry,
                radius_m=radius_m if kind == "circle" else None)
        except ValidationError as error:
            self.message.setText(self.tr("Zone not saved: %1").replace("%1", str(error)))
            return
        self.message.setText(self.tr("Zone \u201c%1\u201d saved.").replace("%1", zone.name))
        self.context.hub.publish(changes)
