"""The map page, built once by folium: Leaflet from the packages, base tiles from the cache.

Events, zones and venues are not in the page: the view sends them afterwards as GeoJSON, and
then only what changed, so the page never has to be rendered again.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import folium
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from console.models.enums import CATEGORY_COLOURS, SEVERITY_COLOURS
from console.models.map.assets import DEFAULT_CSS, DEFAULT_JS, ORIGIN, PLUGIN_CSS, PLUGIN_JS

TILE_URL = ORIGIN + "/tiles/{z}/{x}/{y}.png"
PARIS = (48.8660, 2.3300)


@dataclass
class PageOptions:
    centre: tuple[float, float] = PARIS
    zoom: int = 12
    max_zoom: int = 19
    heat_hours: float = 6.0  # the heat map shows the events of the last hours
    labels: dict[str, str] = field(default_factory=dict)  # translated UI strings for the page
    attribution: str = ""  # who made the tiles (their licences ask for it on the map)


class ConsoleMapInit(JSCSSMixin, MacroElement):
    """Hands the folium map and its tile layer to console_map.js, with colours and options."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        ConsoleMap.init({{ this._parent.get_name() }}, {{ this.tiles }}, {{ this.options }});
        {% endmacro %}
    """)

    def __init__(self, tiles: folium.TileLayer, options: dict[str, Any]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca leaves Element.__init__ unannotated
        self._name = "ConsoleMapInit"
        self.tiles = tiles.get_name()
        from console.models.map.geojson import dumps

        self.options = dumps(options)
        self.default_js = PLUGIN_JS
        self.default_css = PLUGIN_CSS


def build_map(options: PageOptions | None = None) -> folium.Map:
    options = options or PageOptions()
    fmap = folium.Map(location=list(options.centre), zoom_start=options.zoom, tiles=None,
                      control_scale=True, prefer_canvas=False, max_zoom=options.max_zoom)
    # Instance attributes shadow folium's CDN lists (class attributes) for this map only.
    fmap.default_js = DEFAULT_JS
    fmap.default_css = DEFAULT_CSS
    tiles = folium.TileLayer(tiles=TILE_URL, attr=html.escape(options.attribution or "Tiles: local cache"),
                             name="Base map",
                             max_zoom=options.max_zoom, max_native_zoom=options.max_zoom,
                             overlay=False, control=False)
    tiles.add_to(fmap)
    ConsoleMapInit(tiles, {
        "categoryColours": {str(k): v for k, v in CATEGORY_COLOURS.items()},
        "severityColours": {str(int(k)): v for k, v in SEVERITY_COLOURS.items()},
        "heatHours": options.heat_hours,
        "labels": options.labels,
    }).add_to(fmap)
    return fmap


def build_page(options: PageOptions | None = None) -> str:
    """The page's HTML; every script and style it names is served by the console-map scheme."""
    return build_map(options).get_root().render()
