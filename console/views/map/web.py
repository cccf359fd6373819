"""The map's web profile: the scheme handler, the offline guard, and their lifetime.

One off-the-record profile serves every map page of the process. It is parented to the
application so that it outlives its pages (Chromium warns, or crashes, if a profile goes first).
"""
from __future__ import annotations

import threading

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QSettings
from PySide6.QtWebEngineCore import (
    QWebEngineProfile,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)
from PySide6.QtWebEngineWidgets import QWebEngineView

from console.models.map.assets import SCHEME
from console.models.map.basemap import ReadOnlyTiles, open_shipped_basemap
from console.models.map.tiles import MBTiles, TileSource, default_cache_path, tile_url_from_env
from console.views.map.scheme import SCHEME_BYTES, MapSchemeHandler

# Schemes a map page may use without leaving the machine.
LOCAL_SCHEMES = {SCHEME, "data", "blob", "about", "qrc"}


class OfflineInterceptor(QWebEngineUrlRequestInterceptor):
    """Blocks, and records, every request that would leave the machine (http, https, ws...)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self.blocked: list[str] = []
        self.allowed = 0

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:  # noqa: N802 (Qt API)
        url = info.requestUrl()
        with self._lock:
            if url.scheme() in LOCAL_SCHEMES:
                self.allowed += 1
                return
            self.blocked.append(url.toString())
        info.block(True)

    def reset(self) -> None:
        with self._lock:
            self.blocked.clear()
            self.allowed = 0


class MapWeb:
    """The process-wide profile, handler and interceptor of the map pages."""

    def __init__(self) -> None:
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("create the QApplication before the map pane")
        self.profile = QWebEngineProfile(app)  # no storage name: off the record, nothing on disk
        self.handler = MapSchemeHandler(self.profile)
        self.interceptor = OfflineInterceptor(self.profile)
        self.profile.installUrlSchemeHandler(SCHEME_BYTES, self.handler)
        self.profile.setUrlRequestInterceptor(self.interceptor)
        self.cache: MBTiles | None = None
        self.basemap: ReadOnlyTiles | None = None
        self._views: list[QWebEngineView] = []  # every view showing a page of this profile
        app.aboutToQuit.connect(self.shutdown)

    def adopt(self, view: QWebEngineView) -> None:
        """A view whose page uses this profile: freed by shutdown() if still alive then."""
        self._views = [v for v in self._views if shiboken6.isValid(v)] + [view]

    def shutdown(self) -> None:
        """Free every remaining page, then the profile: Chromium must see the pages go first
        ("Release of profile requested but WebEnginePage still not deleted", then a crash)."""
        global _instance
        for view in self._views:
            if shiboken6.isValid(view):
                shiboken6.delete(view)
        self._views.clear()
        if shiboken6.isValid(self.profile):
            shiboken6.delete(self.profile)
        if self.cache is not None:
            self.cache.close()
            self.cache = None
        if self.basemap is not None:
            self.basemap.close()
            self.basemap = None
        if _instance is self:
            _instance = None

    def use_tiles(self, source: TileSource | None) -> None:
        self.handler.tile_source = source

    def use_default_tiles(self) -> None:
        """The user's tile cache, fed by the configured tile server (cache only without one),
        over the basemap shipped with the console.

        The server is $CONSOLE_TILE_URL, else the `map/tile_url` setting, e.g.
        http://tiles.cncs.local/{z}/{x}/{y}.png (a server on the command centre's own network).
        """
        if self.handler.tile_source is None:
            url = tile_url_from_env() or str(QSettings().value("map/tile_url", "") or "") or None
            self.cache = MBTiles(default_cache_path())
            self.basemap = open_shipped_basemap()
            self.handler.tile_source = TileSource(self.cache, url, basemap=self.basemap)

    def attribution(self) -> str:
        """Who made the tiles the map shows: the imported provider's, then the basemap's."""
        source = self.handler.tile_source
        if source is None:
            return ""
        texts = [source.cache.attribution()]
        basemap = source.basemap
        if isinstance(basemap, ReadOnlyTiles):
            texts.append(basemap.metadata().get("attribution", ""))
        parts: list[str] = []
        for part in (p.strip() for text in texts for p in text.split(" | ")):
            if part and part not in parts:
                parts.append(part)
        return " | ".join(parts)


_instance: MapWeb | None = None


def map_web() -> MapWeb:
    global _instance
    if _instance is None:
        _instance = MapWeb()
    return _instance
