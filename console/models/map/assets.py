"""Every file the map page loads, from installed packages only: an allow-list, never a CDN."""
from __future__ import annotations

import mimetypes
from pathlib import Path

import xstatic.pkg.leaflet as xs_leaflet
import xstatic.pkg.leaflet_markercluster as xs_markercluster

SCHEME = "console-map"
HOST = "app"
ORIGIN = f"{SCHEME}://{HOST}"

# URL prefix under /assets/ -> directory it may serve from.
ROOTS: dict[str, Path] = {
    "leaflet": Path(xs_leaflet.BASE_DIR),
    "markercluster": Path(xs_markercluster.BASE_DIR),
    "console": Path(__file__).with_name("static"),
}

MIME = {".js": "text/javascript", ".css": "text/css", ".png": "image/png",
        ".svg": "image/svg+xml", ".html": "text/html", ".json": "application/json",
        ".map": "application/json"}


def asset_url(root: str, name: str) -> str:
    return f"{ORIGIN}/assets/{root}/{name}"


def resolve(path: str) -> Path | None:
    """The file for an /assets/<root>/<name> path, or None (unknown root, traversal, missing)."""
    parts = path.strip("/").split("/", 2)
    if len(parts) != 3 or parts[0] != "assets" or parts[1] not in ROOTS:
        return None
    base = ROOTS[parts[1]].resolve()
    target = (base / parts[2]).resolve()
    if base not in target.parents or not target.is_file():
        return None
    return target


def mime_type(path: Path) -> str:
    return MIME.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


# What folium would take from CDNs, pointed at the packages instead. jQuery, Bootstrap and Font
# Awesome are left out: nothing in this page uses them (it draws its own markers and controls).
DEFAULT_JS = [
    ("leaflet", asset_url("leaflet", "leaflet.js")),
]
DEFAULT_CSS = [("leaflet_css", asset_url("leaflet", "leaflet.css"))]
PLUGIN_JS = [
    ("markerclusterjs", asset_url("markercluster", "leaflet.markercluster.js")),
    ("qwebchannel", f"{ORIGIN}/qt/qwebchannel.js"),  # from Qt's resources, see the view
    ("console_map", asset_url("console", "console_map.js")),
]
PLUGIN_CSS = [
    ("markerclustercss", asset_url("markercluster", "MarkerCluster.css")),
    ("markerclusterdefaultcss", asset_url("markercluster", "MarkerCluster.Default.css")),
    ("console_map_css", asset_url("console", "console_map.css")),
]
