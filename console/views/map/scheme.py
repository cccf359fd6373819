"""The console-map:// URL scheme: the map page, its scripts and styles, and the cached tiles.

One scheme serves everything, because `setHtml` cannot show a page over 2 MB and a page loaded
from a custom scheme cannot reach file:// or the network anyway. GET only, allow-listed paths,
replies through a QBuffer parented to the job (calibre's web_view does the same).
"""
from __future__ import annotations

import re

import shiboken6
from PySide6.QtCore import QBuffer, QByteArray, QFile, QIODevice, QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWebEngineCore import (
    QWebEngineUrlRequestJob,
    QWebEngineUrlScheme,
    QWebEngineUrlSchemeHandler,
)

from console.models.map.assets import HOST, SCHEME, mime_type, resolve
from console.models.map.tiles import TileSource
from console.views.map.overzoom import overzoomed

SCHEME_BYTES = SCHEME.encode()
_TILE = re.compile(r"^/tiles/(\d{1,2})/(\d{1,7})/(\d{1,7})\.png$")
_PAGE = re.compile(r"^/page/([\w-]{1,64})\.html$")
# Below this zoom a missing tile stays missing: enlarging a world-scale tile shows nothing useful.
OVERZOOM_FROM = 12


def register_scheme() -> None:
    """Declare console-map:// to Chromium. Must run before the QApplication exists; idempotent."""
    if QWebEngineUrlScheme.schemeByName(SCHEME_BYTES).name() == SCHEME_BYTES:
        return
    scheme = QWebEngineUrlScheme(SCHEME_BYTES)
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
    scheme.setFlags(QWebEngineUrlScheme.Flag.SecureScheme
                    | QWebEngineUrlScheme.Flag.LocalAccessAllowed
                    | QWebEngineUrlScheme.Flag.CorsEnabled)
    QWebEngineUrlScheme.registerScheme(scheme)
    # QtWebEngineWidgets must also be imported before the QApplication (shared GL contexts).
    import PySide6.QtWebEngineWidgets  # noqa: F401


def _reply(job: QWebEngineUrlRequestJob, mime: str, data: bytes) -> None:
    buffer = QBuffer(job)  # freed with the job, never before Chromium has read it
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    job.reply(mime.encode(), buffer)


class _TileSignals(QObject):
    done = Signal(object, object)  # job, bytes | None


class _TileTask(QRunnable):
    """Cache lookup and, on a miss, a download: off the GUI thread."""

    def __init__(self, source: TileSource, job: QWebEngineUrlRequestJob, zxy: tuple[int, int, int],
                 signals: _TileSignals) -> None:
        super().__init__()
        self.source, self.job, self.zxy, self.signals = source, job, zxy, signals

    def run(self) -> None:
        try:
            data = self.source.get(*self.zxy)
            if data is None and self.zxy[0] > OVERZOOM_FROM:
                data = overzoomed(self.source, *self.zxy)
        except Exception:  # noqa: BLE001 (a broken cache file must not kill the worker)
            data = None
        self.signals.done.emit(self.job, data)


class MapSchemeHandler(QWebEngineUrlSchemeHandler):
    """Answers every console-map:// request of the map pages of one web profile."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pages: dict[str, bytes] = {}
        self.tile_source: TileSource | None = None
        self.tiles_served = 0
        self.tiles_missing = 0
        self._qwebchannel_js: bytes | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(4)
        self._signals = _TileSignals(self)
        self._signals.done.connect(self._tile_done)

    def set_page(self, name: str, html: str) -> str:
        self.pages[name] = html.encode("utf-8")
        return f"{SCHEME}://{HOST}/page/{name}.html"

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:  # noqa: N802 (Qt API)
        url = job.requestUrl()
        if job.requestMethod() != b"GET" or url.host() != HOST:
            job.fail(QWebEngineUrlRequestJob.Error.RequestDenied)
            return
        path = url.path()
        if match := _TILE.match(path):
            z, x, y = (int(v) for v in match.groups())
            self._start_tile(job, (z, x, y))
        elif match := _PAGE.match(path):
            page = self.pages.get(match.group(1))
            if page is None:
                job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            else:
                _reply(job, "text/html; charset=utf-8", page)
        elif path == "/qt/qwebchannel.js":
            _reply(job, "text/javascript", self._qwebchannel())
        elif (asset := resolve(path)) is not None:
            _reply(job, mime_type(asset), asset.read_bytes())
        else:
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)

    def _qwebchannel(self) -> bytes:
        if self._qwebchannel_js is None:
            # Qt's own copy, matching the C++ side of QWebChannel; never a CDN or a vendored copy.
            source = QFile(":/qtwebchannel/qwebchannel.js")
            if not source.open(QIODevice.OpenModeFlag.ReadOnly):
                raise RuntimeError("qwebchannel.js is missing from Qt's resources")
            self._qwebchannel_js = bytes(source.readAll().data())
            source.close()
        return self._qwebchannel_js

    def _start_tile(self, job: QWebEngineUrlRequestJob, zxy: tuple[int, int, int]) -> None:
        if self.tile_source is None:
            self.tiles_missing += 1
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        self._pool.start(_TileTask(self.tile_source, job, zxy, self._signals))

    def _tile_done(self, job: QWebEngineUrlRequestJob, data: bytes | None) -> None:
        if not shiboken6.isValid(job):
            return  # the page moved on and Chromium cancelled the request
        if data is None:
            self.tiles_missing += 1
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
        else:
            self.tiles_served += 1
            _reply(job, "image/png", data)
