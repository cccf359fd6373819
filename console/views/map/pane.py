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
from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QLabel, QVBoxLayout, QWidget

from console.models.changes import Changes
from console.models.eventlog.query import EventFilter
from console.models.map.geojson import collection, dumps, page_id
from console.models.map.geometry import check_zone_geometry
from console.models.map.page import PageOptions, build_page
from console.models.map.reads import changed_events, event_position, located_events, venue_layer, zone_layer
from console.views.map.bridge import MapBridge
from console.views.map.web import MapWeb, map_web
from console.views.shell.context import AppContext

JsCallback = Callable[[object], None]


def events_script(features: list[dict]) -> tuple[str, int]:
    """The page call that draws these located events, and how many there are."""
    return f"ConsoleMap.setEvents({dumps(collection(features))})", len(features)


class MapPane(QWidget):
    """A Leaflet map in a QWebEngineView, kept in step with the store through the change hub."""

    ready = Signal()  # the page is up and shows the events of the current filter

    def __init__(self, context: AppContext, parent: QWidget | None = None, *,
                 web: MapWeb | None = None, options: PageOptions | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.web = web or map_web()
        self.web.use_default_tiles()
        # The map shows the shared filter of the log, whichever pane was built first.
        self.filter: EventFilter = context.view_state.filter
        self.is_ready = False
        self.shown_events = 0
        # Asks the operator for a new zone's name; tests replace it (no modal dialog offscreen).
        self.ask_zone_name: Callable[[str], str | None] = self._ask_zone_name

        self._build_view()
        self._lay_out()
        # The log re-filters as the operator types: redraw once typing pauses, not per key.
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(150)
        self._filter_timer.timeout.connect(self.reload_events)
        self._connect()
        self._load_page(options)

    def _build_view(self) -> None:
        """The web view, its page in the shared profile, and the channel the page talks back on."""
        self.view = QWebEngineView(self)
        self.page = QWebEnginePage(self.web.profile, self.view)
        self.web.adopt(self.view)
        self.view.setPage(self.page)
        self.bridge = MapBridge(self)
        self.channel = QWebChannel(self.page)
        self.channel.registerObject("bridge", self.bridge)
        self.page.setWebChannel(self.channel)

    def _lay_out(self) -> None:
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

    def _connect(self) -> None:
        self.bridge.page_ready.connect(self._on_page_ready)
        self.page.renderProcessTerminated.connect(self._on_renderer_gone)
        self.bridge.marker_clicked.connect(self._on_marker_clicked)
        self.bridge.right_clicked.connect(self.context.hub.new_event_at)
        self.bridge.zone_drawn.connect(self._on_zone_drawn)
        self.context.hub.changed.connect(self.on_changes)
        self.context.view_state.filter_changed.connect(lambda flt, _source: self.set_filter(flt))
        self.context.view_state.selection_changed.connect(self._on_shared_selection)
        # The shared profile is freed with the application: the page must go before it.
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.release_page)

    def _load_page(self, options: PageOptions | None) -> None:
        self.page_name = f"map-{uuid.uuid4().hex[:12]}"
        self._url = self.web.handler.set_page(self.page_name,
                                              build_page(options or self._options()))
        self.page.load(self._url)
        # The events are read by the runner while Chromium loads the page (whose files this
        # GUI thread serves): the first draw does not wait for both one after the other.
        self._prepared: tuple[str, int] | None = None
        self._generation = 0  # bumped when the filter or the data changes: older reads are stale
        self._page_up = False
        self._read_events(lambda script_count: self._on_prepared(0, script_count),
                          on_error=lambda _error: self._forget_prepared())  # first draw reads

    def _options(self) -> PageOptions:
        tr = self.tr
        return PageOptions(attribution=self.web.attribution(), labels={
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
        """Show the events of this filter (the shared filter of the log, when it changes)."""
        self.filter = flt
        self._forget_prepared()
        if self.is_ready:
            self._filter_timer.start()

    def _read_events(self, on_done: Callable[[tuple[str, int] | None], None],
                     on_error: Callable[[BaseException], None] | None = None) -> None:
        """Read the filter's located events off the GUI thread; on_done gets (script, count),
        or None when the filter or the data changed during the read."""
        store, flt, generation = self.context.store, self.filter, self._generation
        self.context.ops.read(
            lambda: events_script(located_events(store, flt)),
            on_done=lambda payload: on_done(payload if generation == self._generation else None),
            on_error=on_error)

    def reload_events(self, callback: JsCallback | None = None) -> None:
        self._filter_timer.stop()
        if self._prepared is not None:
            prepared, self._prepared = self._prepared, None
            self._draw_events(prepared, callback)
            return
        def draw(payload: tuple[str, int] | None) -> None:
            if payload is not None:  # else stale: a newer read follows
                self._draw_events(payload, callback)

        self._read_events(draw)

    def _draw_events(self, payload: tuple[str, int], callback: JsCallback | None) -> None:
        script, self.shown_events = payload
        self.run_js(script, callback)
        self._show_count()

    def reload_zones(self) -> None:
        store = self.context.store
        self.context.ops.read(lambda: zone_layer(store), on_done=lambda features: self.run_js(
            f"ConsoleMap.setZones({dumps(collection(features))})"))

    def reload_venues(self) -> None:
        store = self.context.store
        self.context.ops.read(lambda: venue_layer(store), on_done=lambda features: self.run_js(
            f"ConsoleMap.setVenues({dumps(collection(features))})"))

    def update_events(self, ids: set[uuid.UUID], callback: JsCallback | None = None) -> None:
        """Redraw only these events: new or changed ones in, filtered-out ones off."""
        store, flt = self.context.store, self.filter
        self.context.ops.read(lambda: changed_events(store, flt, ids),
                              on_done=lambda read: self._redraw_events(read[0], read[1],
                                                                       callback))

    def _redraw_events(self, features: list[dict], gone: list[str],
                       callback: JsCallback | None) -> None:
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
            return  # stale: a newer read is on its way, or the first draw reads afresh
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

    def on_changes(self, changes: Changes, initiator: object = None) -> None:
        if initiator is self:
            return  # our own zone: already redrawn by its callback
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

    def _on_shared_selection(self, event_id: uuid.UUID | None, source: object) -> None:
        if source is not self and event_id is not None:  # a marker click of ours is shown
            self.centre_on_event(event_id)

    def centre_on_event(self, event_id: uuid.UUID) -> None:
        """Another pane selected an event: show it (its marker if on the map, else its position)."""
        eventlog = self.context.eventlog
        self.context.ops.read(lambda: event_position(eventlog, event_id),
                              on_done=lambda position: self._focus(event_id, position))

    def _focus(self, event_id: uuid.UUID, position: tuple | None) -> None:
        if position is None:
            return
        lat = "null" if position[0] is None else repr(float(position[0]))
        lon = "null" if position[1] is None else repr(float(position[1]))
        self.run_js(f"ConsoleMap.focus({json.dumps(page_id(event_id))}, {lat}, {lon})")

    def _on_marker_clicked(self, event_id: str) -> None:
        try:
            selected = uuid.UUID(event_id)
        except ValueError:
            return
        self.context.view_state.select_event(selected, self)

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
        eventlog, actor = self.context.eventlog, self.context.actor
        radius = radius_m if kind == "circle" else None
        self.context.ops.write(lambda: eventlog.create_zone(actor, name, kind, geometry,
                                                            radius_m=radius),
                               initiator=self, on_done=self._zone_saved,
                               on_error=self._zone_refused)

    def _zone_saved(self, zone) -> None:  # noqa: ANN001 (Zone)
        self.message.setText(self.tr("Zone \u201c%1\u201d saved.").replace("%1", zone.name))
        self.reload_zones()

    def _zone_refused(self, error: BaseException) -> None:
        from console.views.shell.operations import error_text

        self.message.setText(self.tr("Zone not saved: %1").replace("%1", error_text(error)))
