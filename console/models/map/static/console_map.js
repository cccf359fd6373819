/* The console's map page: event markers (clustered), zones, venues, heat, a zone drawing tool.
 *
 * folium builds the page once and calls ConsoleMap.init(map, tiles, options). Python then sends
 * GeoJSON through runJavaScript (setEvents once, upsertEvents/removeEvents for changes) and
 * hears back through the QWebChannel object "bridge". No request leaves the page: every file
 * comes from the console-map:// scheme.
 */
(function () {
  "use strict";

  const S = {
    map: null, tiles: null, bridge: null, opts: null,
    cluster: null, zones: null, venues: null, heat: null,
    markers: new Map(),   // event id -> L.Marker
    icons: new Map(),     // "category/severity" -> shared L.DivIcon
    queue: [],            // bridge calls made before the channel is up
    loading: false,       // markers still being clustered (chunked loading)
    draw: null,
  };

  function esc(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, (c) => (
      { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }

  function label(key, fallback) {
    return (S.opts.labels && S.opts.labels[key]) || fallback;
  }

  function callBridge(name, args) {
    if (S.bridge) S.bridge[name].apply(S.bridge, args);
    else S.queue.push([name, args]);
  }

  // -- event markers --------------------------------------------------------------------------

  const SIZES = { 1: 14, 2: 16, 3: 20, 4: 24 };

  function iconFor(category, severity) {
    const key = category + "/" + severity;
    let icon = S.icons.get(key);
    if (!icon) {
      const size = SIZES[severity] || 14;
      const fill = S.opts.categoryColours[category] || "#555";
      const ring = S.opts.severityColours[severity] || "#fff";
      icon = L.divIcon({
        className: "cm-event cm-sev" + severity,
        html: '<span style="background:' + fill + ";border-color:" + ring + '">' +
              (severity >= 4 ? "!" : "") + "</span>",
        iconSize: [size, size], iconAnchor: [size / 2, size / 2], popupAnchor: [0, -size / 2],
      });
      S.icons.set(key, icon);  // shared: 28 icons for 10,000 markers
    }
    return icon;
  }

  // Formatted here, when a popup opens, rather than 10,000 times in Python.
  function when(ts) {
    const d = new Date(ts * 1000);
    const two = (n) => String(n).padStart(2, "0");
    return two(d.getDate()) + "/" + two(d.getMonth() + 1) + " " + two(d.getHours()) + ":" +
      two(d.getMinutes());
  }

  function popupHtml(marker) {
    const p = marker.feature.properties;
    return '<div class="cm-popup"><b>' + esc(p.title) + "</b><br>" +
      '<span class="cm-cat" style="background:' + (S.opts.categoryColours[p.category] || "#555") +
      '">' + esc(p.category) + "</span> " + esc(label("severity", "severity")) + " " +
      esc(p.severity) + "<br>" + esc(when(p.ts)) + " &middot; " +
      esc(label("status_" + p.status, p.status)) + "</div>";
  }

  function makeMarker(feature) {
    const c = feature.geometry.coordinates;
    const p = feature.properties;
    const marker = L.marker([c[1], c[0]], { icon: iconFor(p.category, p.severity),
                                            title: p.title, keyboard: false });
    // No per-marker popup or listener: one shared popup and one click handler on the cluster
    // group (10,000 popups and closures cost more than the clustering itself).
    marker.feature = feature;
    return marker;
  }

  function showPopup(marker) {
    const size = SIZES[marker.feature.properties.severity] || 14;
    S.popup.options.offset = L.point(0, 7 - size / 2);
    S.popup.setLatLng(marker.getLatLng()).setContent(popupHtml(marker)).openOn(S.map);
  }

  function onMarkerClick(e) {
    const marker = e.layer;
    if (!marker || !marker.feature) return;
    showPopup(marker);
    callBridge("markerClicked", [String(marker.feature.id)]);
  }

  function clusterIcon(cluster) {
    let worst = 1;
    for (const m of cluster.getAllChildMarkers()) {
      if (m.feature.properties.severity > worst) worst = m.feature.properties.severity;
      if (worst >= 4) break;
    }
    const n = cluster.getChildCount();
    const size = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 42 : 48;
    return L.divIcon({
      html: '<div style="border-color:' + S.opts.severityColours[worst] + '"><span>' + n +
            "</span></div>",
      className: "cm-cluster", iconSize: [size, size],
    });
  }

  function setEvents(collection) {
    S.cluster.clearLayers();
    S.markers.clear();
    const markers = collection.features.map(makeMarker);
    for (const m of markers) S.markers.set(String(m.feature.id), m);
    S.loading = S.map.hasLayer(S.cluster) && markers.length > 0;
    S.cluster.addLayers(markers);
    S.heat.redraw();
    return markers.length;
  }

  function upsertEvents(collection) {
    const stale = [];
    const fresh = [];
    for (const feature of collection.features) {
      const id = String(feature.id);
      const old = S.markers.get(id);
      if (old) stale.push(old);
      const m = makeMarker(feature);
      S.markers.set(id, m);
      fresh.push(m);
    }
    if (stale.length) S.cluster.removeLayers(stale);
    S.loading = S.map.hasLayer(S.cluster) && fresh.length > 0;
    S.cluster.addLayers(fresh);
    S.heat.redraw();
    return fresh.length;
  }

  function removeEvents(ids) {
    const gone = [];
    for (const id of ids) {
      const m = S.markers.get(String(id));
      if (m) { gone.push(m); S.markers.delete(String(id)); }
    }
    if (gone.length) { S.cluster.removeLayers(gone); S.heat.redraw(); }
    return gone.length;
  }

  /* Centre on an event selected elsewhere (the log). Unknown to the map (filtered out)? Centre on
   * the position Python gives, if any. */
  function focus(id, lat, lon) {
    const m = S.markers.get(String(id));
    if (m) {
      S.cluster.zoomToShowLayer(m, () => {
        S.map.panTo(m.getLatLng());
        showPopup(m);
        // Told once the marker is drawn and its popup open (a spiderfied marker is drawn at
        // its spread position, not at the event's own coordinates).
        callBridge("eventFocused", [String(id), true]);
      });
      return true;
    }
    if (lat != null && lon != null) {
      S.map.once("moveend", () => callBridge("eventFocused", [String(id), false]));
      S.map.setView([lat, lon], Math.max(S.map.getZoom(), 15));
    } else {
      callBridge("eventFocused", [String(id), false]);
    }
    return false;
  }

  // -- zones and venues -----------------------------------------------------------------------

  function setZones(collection) {
    S.zones.clearLayers();
    for (const f of collection.features) {
      const p = f.properties;
      let layer;
      const style = { color: "#b00020", weight: 2, fillOpacity: 0.08, dashArray: "6 4" };
      if (p.kind === "circle") {
        const c = f.geometry.coordinates;
        layer = L.circle([c[1], c[0]], Object.assign({ radius: p.radius }, style));
      } else {
        layer = L.geoJSON(f, { style: () => style });
      }
      layer.bindTooltip(esc(p.name), { permanent: true, direction: "center",
                                       className: "cm-zone-label" });
      layer.zoneId = String(f.id);
      S.zones.addLayer(layer);
    }
    return S.zones.getLayers().length;
  }

  function setVenues(collection) {
    S.venues.clearLayers();
    for (const f of collection.features) {
      const c = f.geometry.coordinates;
      const marker = L.circleMarker([c[1], c[0]], {
        radius: 7, color: "#222", weight: 2, fillColor: "#ffffff", fillOpacity: 0.9,
      });
      // Named permanently when zoomed in: on a plain background (no tile cached) the venues
      // are the landmarks operators find their way by.
      marker.bindTooltip(esc(f.properties.name), { direction: "top", permanent: true,
                                                   className: "cm-venue-label", offset: [0, -6] });
      S.venues.addLayer(marker);
    }
    return S.venues.getLayers().length;
  }

  // -- heat map of the last hours -------------------------------------------------------------
  /* A small canvas heat layer (Leaflet.heat is not packaged for Python): each recent event is a
   * blurred spot whose weight grows with severity; the summed alpha is coloured by a palette. */

  const HeatLayer = L.Layer.extend({
    onAdd(map) {
      this._canvas = L.DomUtil.create("canvas", "cm-heat leaflet-zoom-hide");
      map.getPanes().overlayPane.appendChild(this._canvas);
      map.on("moveend zoomend resize", this.redraw, this);
      this.redraw();
    },
    onRemove(map) {
      L.DomUtil.remove(this._canvas);
      map.off("moveend zoomend resize", this.redraw, this);
      this._canvas = null;
    },
    _palette() {
      if (!this._pal) {
        const c = document.createElement("canvas");
        c.width = 256; c.height = 1;
        const g = c.getContext("2d").createLinearGradient(0, 0, 256, 0);
        g.addColorStop(0.0, "rgba(0,0,255,0)");
        g.addColorStop(0.25, "blue"); g.addColorStop(0.5, "lime");
        g.addColorStop(0.75, "yellow"); g.addColorStop(1.0, "red");
        const ctx = c.getContext("2d");
        ctx.fillStyle = g; ctx.fillRect(0, 0, 256, 1);
        this._pal = ctx.getImageData(0, 0, 256, 1).data;
      }
      return this._pal;
    },
    points() {
      const since = Date.now() / 1000 - S.opts.heatHours * 3600;
      const out = [];
      for (const m of S.markers.values()) {
        const p = m.feature.properties;
        if (p.ts >= since) out.push([m.getLatLng(), p.severity]);
      }
      return out;
    },
    redraw() {
      if (!this._map || !this._canvas) return;
      const map = this._map;
      const size = map.getSize();
      const canvas = this._canvas;
      canvas.width = size.x; canvas.height = size.y;
      L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
      const ctx = canvas.getContext("2d", { willReadFrequently: true });
      const r = 22;
      const bounds = map.getBounds().pad(0.2);
      for (const [latlng, severity] of this.points()) {
        if (!bounds.contains(latlng)) continue;
        const pt = map.latLngToContainerPoint(latlng);
        const g = ctx.createRadialGradient(pt.x, pt.y, 0, pt.x, pt.y, r);
        g.addColorStop(0, "rgba(0,0,0," + (0.12 + 0.07 * severity) + ")");
        g.addColorStop(1, "rgba(0,0,0,0)");
        ctx.fillStyle = g;
        ctx.fillRect(pt.x - r, pt.y - r, 2 * r, 2 * r);
      }
      if (!size.x || !size.y) return;
      const img = ctx.getImageData(0, 0, size.x, size.y);
      const px = img.data;
      const pal = this._palette();
      for (let i = 3; i < px.length; i += 4) {
        const a = px[i];
        if (!a) continue;
        const j = Math.min(255, a * 2) * 4;
        px[i - 3] = pal[j]; px[i - 2] = pal[j + 1]; px[i - 1] = pal[j + 2];
        px[i] = Math.min(230, a * 2);
      }
      ctx.putImageData(img, 0, 0);
      this.count = this.points().length;
    },
  });

  // -- zone drawing tool ----------------------------------------------------------------------
  /* Leaflet.draw is not packaged for Python either: a polygon is clicked point by point and
   * closed by a double-click, a click on its first point or Enter; a circle is a click at the
   * centre and a click at the edge. Escape or right-click cancels. The shape goes to Python,
   * which asks for the zone's name and stores it. */

  class DrawTool {
    constructor(map) {
      this.map = map;
      this.mode = null;
      this.points = [];
      this.preview = L.layerGroup().addTo(map);
      map.on("click", this.onClick, this);
      map.on("dblclick", this.onDoubleClick, this);
      map.on("mousemove", this.onMove, this);
      document.addEventListener("keydown", (e) => {
        if (!this.mode) return;
        if (e.key === "Escape") this.cancel();
        if (e.key === "Enter" && this.mode === "polygon") this.finish();
      });
    }
    start(mode) {
      this.cancel();
      this.mode = mode;
      this.points = [];
      this.map.doubleClickZoom.disable();
      this.map.getContainer().classList.add("cm-drawing");
      S.hint.show(mode === "polygon"
        ? label("hint_polygon", "Click the corners; double-click or Enter to finish, Esc to cancel")
        : label("hint_circle", "Click the centre, then the edge; Esc to cancel"));
    }
    cancel() {
      this.mode = null;
      this.points = [];
      this.preview.clearLayers();
      this.map.doubleClickZoom.enable();
      this.map.getContainer().classList.remove("cm-drawing");
      S.hint.show("");
    }
    onClick(e) {
      if (!this.mode) return;
      if (this.mode === "polygon") {
        if (this.points.length >= 3) {
          const first = this.map.latLngToContainerPoint(this.points[0]);
          if (first.distanceTo(e.containerPoint) < 10) { this.finish(); return; }
        }
        this.points.push(e.latlng);
      } else {
        this.points.push(e.latlng);
        if (this.points.length === 2) { this.finish(); return; }
      }
      this.render(e.latlng);
    }
    onDoubleClick(e) {
      if (this.mode === "polygon") this.finish();
    }
    onMove(e) { if (this.mode && this.points.length) this.render(e.latlng); }
    render(cursor) {
      this.preview.clearLayers();
      const style = { color: "#b00020", weight: 2, dashArray: "4 4", fillOpacity: 0.05 };
      if (this.mode === "polygon") {
        const pts = this.points.concat(cursor ? [cursor] : []);
        L.polygon(pts, style).addTo(this.preview);
        for (const p of this.points) {
          L.circleMarker(p, { radius: 4, color: "#b00020" }).addTo(this.preview);
        }
      } else if (this.points.length) {
        const radius = cursor ? this.map.distance(this.points[0], cursor) : 0;
        L.circle(this.points[0], Object.assign({ radius }, style)).addTo(this.preview);
      }
    }
    finish() {
      const mode = this.mode;
      const pts = this.points.slice();
      if (mode === "polygon") {
        // A double-click also fired two clicks: drop repeated points before counting.
        const unique = pts.filter((p, i) => i === 0 || !p.equals(pts[i - 1], 1e-9));
        if (unique.length < 3) return;
        const ring = unique.map((p) => [p.lng, p.lat]);
        ring.push(ring[0]);
        this.cancel();
        callBridge("zoneDrawn", ["polygon", JSON.stringify({ type: "Polygon", coordinates: [ring] }), 0]);
      } else if (mode === "circle" && pts.length === 2) {
        const radius = this.map.distance(pts[0], pts[1]);
        this.cancel();
        if (radius <= 0) return;
        callBridge("zoneDrawn", ["circle", JSON.stringify({ type: "Point",
          coordinates: [pts[0].lng, pts[0].lat] }), radius]);
      }
    }
  }

  const DrawControl = L.Control.extend({
    options: { position: "topleft" },
    onAdd() {
      const box = L.DomUtil.create("div", "leaflet-bar cm-draw");
      const button = (text, title, mode) => {
        const a = L.DomUtil.create("a", "", box);
        a.href = "#"; a.innerHTML = text; a.title = title; a.setAttribute("role", "button");
        a.dataset.mode = mode;
        L.DomEvent.on(a, "click", (e) => {
          L.DomEvent.stop(e);
          S.draw.start(mode);
        });
      };
      button("&#11039;", label("draw_polygon", "Draw a zone (polygon)"), "polygon");
      button("&#9711;", label("draw_circle", "Draw a zone (circle)"), "circle");
      L.DomEvent.disableClickPropagation(box);
      return box;
    },
  });

  const HintControl = L.Control.extend({
    options: { position: "bottomleft" },
    onAdd() {
      this._div = L.DomUtil.create("div", "cm-hint");
      this._div.style.display = "none";
      return this._div;
    },
    show(text) {
      this._div.textContent = text;
      this._div.style.display = text ? "" : "none";
    },
  });

  // -- set-up ---------------------------------------------------------------------------------

  function init(map, tiles, opts) {
    S.map = map; S.tiles = tiles; S.opts = opts;
    map.getContainer().classList.add("cm-map");
    // Chunked: 10,000 markers are clustered in slices, the page stays responsive meanwhile.
    S.cluster = L.markerClusterGroup({
      chunkedLoading: true, iconCreateFunction: clusterIcon, maxClusterRadius: 50,
      showCoverageOnHover: false, spiderfyOnMaxZoom: true,
      chunkDelay: 1,  // let the page paint between slices, no more (the default idles 50 ms)
      chunkProgress: (done, total) => { S.loading = done < total; },
    }).addTo(map);
    S.cluster.on("click", onMarkerClick);
    S.popup = L.popup({ maxWidth: 320 });
    S.zones = L.featureGroup().addTo(map);
    S.venues = L.featureGroup().addTo(map);
    S.heat = new HeatLayer();
    L.control.layers(null, {
      [label("layer_events", "Events")]: S.cluster,
      [label("layer_zones", "Zones")]: S.zones,
      [label("layer_venues", "Venues")]: S.venues,
      [label("layer_heat", "Heat map (last hours)")]: S.heat,
    }, { collapsed: false, position: "topright" }).addTo(map);
    S.hint = new HintControl().addTo(map);
    new DrawControl().addTo(map);
    S.draw = new DrawTool(map);
    const labelVenues = () => map.getContainer().classList.toggle("cm-far", map.getZoom() < 12);
    map.on("zoomend", labelVenues);
    labelVenues();
    map.on("contextmenu", (e) => {
      if (S.draw.mode) { S.draw.cancel(); return; }
      callBridge("newEventAt", [e.latlng.lat, e.latlng.lng]);
    });
    // A tile that cannot be had leaves the plain background, not a broken-image icon.
    tiles.on("tileerror", (e) => { e.tile.style.visibility = "hidden"; });
    if (window.qt && qt.webChannelTransport) {
      new QWebChannel(qt.webChannelTransport, (channel) => {
        S.bridge = channel.objects.bridge;
        for (const [name, args] of S.queue.splice(0)) S.bridge[name].apply(S.bridge, args);
        S.bridge.pageReady();
      });
    }
  }

  window.ConsoleMap = {
    init, setEvents, upsertEvents, removeEvents, focus, setZones, setVenues,
    state: S,
    count: () => S.markers.size,
    busy: () => S.loading,
    has(id) {  // on the map, not only known: the marker is in the cluster layer
      const m = S.markers.get(String(id));
      return !!m && S.cluster.hasLayer(m);
    },
    clickMarker(id) {
      const m = S.markers.get(String(id));
      if (!m) return false;
      // A drawn marker gets the click as from the mouse (it propagates to the cluster group);
      // one hidden in a cluster gets what a click would do.
      if (m._icon) m.fire("click", { latlng: m.getLatLng() }, true);
      else onMarkerClick({ layer: m });
      return true;
    },
    startDrawing: (mode) => S.draw.start(mode),
    showHeat(on) { if (on) S.map.addLayer(S.heat); else S.map.removeLayer(S.heat); },
  };
})();
