"""The tile cache: MBTiles storage, prefetch, and tiles still shown once the tile server is gone."""
from __future__ import annotations

import struct
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from console.models.map.tiles import MBTiles, TileSource, count_tiles, prefetch, tms_row
from map.conftest import evaluate, wait_until

TILE_RGB = (40, 160, 90)


def solid_png(rgb: tuple[int, int, int], size: int = 256) -> bytes:
    row = b"\x00" + bytes(rgb) * size
    raw = zlib.compress(row * size)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


class TileServer:
    """A throwaway tile server on 127.0.0.1 that counts what it serves."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        png = solid_png(TILE_RGB)
        hits = self.hits

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                hits.append(self.path)
                if self.path.endswith(".png"):
                    self.send_response(200)
                    self.send_header("Content-Type", "image/png")
                    self.send_header("Content-Length", str(len(png)))
                    self.end_headers()
                    self.wfile.write(png)
                else:
                    self.send_error(404)

            def log_message(self, *args) -> None:  # noqa: ANN002
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/{{z}}/{{x}}/{{y}}.png"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_mbtiles_rows_are_tms(tmp_path) -> None:
    cache = MBTiles(tmp_path / "t.mbtiles")
    cache.put(3, 2, 1, b"\x89PNGxyz")
    assert cache.get(3, 2, 1) == b"\x89PNGxyz"
    assert cache.get(3, 2, 6) is None
    import sqlite3

    raw = sqlite3.connect(tmp_path / "t.mbtiles").execute(
        "SELECT zoom_level, tile_column, tile_row FROM tiles").fetchall()
    assert raw == [(3, 2, tms_row(3, 1))] == [(3, 2, 6)]
    cache.close()


def test_prefetch_fills_the_cache_then_works_offline(tmp_path) -> None:
    server = TileServer()
    cache = MBTiles(tmp_path / "t.mbtiles")
    try:
        bbox, zooms = (2.25, 48.81, 2.42, 48.90), [10, 11, 12]
        source = TileSource(cache, server.url)
        result = prefetch(source, bbox, zooms)
        assert result.wanted == count_tiles(bbox, zooms) == result.fetched == len(server.hits)
        assert cache.count() == result.wanted and result.failed == 0
        again = prefetch(source, bbox, zooms)
        assert again.already == result.wanted and again.fetched == 0
        assert len(server.hits) == result.wanted  # nothing fetched twice
    finally:
        server.stop()
    cache.close()


def test_a_server_error_page_does_not_enter_the_cache(tmp_path) -> None:
    server = TileServer()
    cache = MBTiles(tmp_path / "t.mbtiles")
    try:
        source = TileSource(cache, server.url.replace(".png", ".html"))
        assert source.get(5, 16, 11) is None
        assert cache.count() == 0 and source.failures == 1
    finally:
        server.stop()
    cache.close()


def test_unreachable_server_is_not_asked_for_every_tile(tmp_path) -> None:
    server = TileServer()
    url = server.url
    server.stop()  # the port is closed now: connection refused
    cache = MBTiles(tmp_path / "t.mbtiles")
    source = TileSource(cache, url, timeout=2)
    assert source.get(5, 16, 11) is None and source.failures == 1
    assert source.get(5, 16, 12) is None and source.failures == 1  # not tried again yet
    result = prefetch(source, (2.25, 48.81, 2.42, 48.90), [10, 11])
    assert result.stopped and result.fetched == 0 and result.wanted == 1
    cache.close()


def test_prefetch_command_refuses_bad_input_and_fills_cache(tmp_path, capsys) -> None:
    import argparse

    from console.cli.commands import tiles as tiles_command

    parser = argparse.ArgumentParser()
    tiles_command.register(parser.add_subparsers(dest="command"))
    cache_path = tmp_path / "c.mbtiles"
    args = parser.parse_args(["tiles", "prefetch", "--bbox", "2.3,48.9,2.2,48.8",
                              "--zooms", "10", "--cache", str(cache_path)])
    assert args.handler(args) == 2
    assert "west must be less than east" in capsys.readouterr().err
    args = parser.parse_args(["tiles", "prefetch", "--bbox", "2.25,48.81,2.42,48.90",
                              "--zooms", "10-11", "--cache", str(cache_path)])
    assert args.handler(args) == 2  # no --url and no CONSOLE_TILE_URL
    assert "tile server" in capsys.readouterr().err
    server = TileServer()
    try:
        args = parser.parse_args(["tiles", "prefetch", "--bbox", "2.25,48.81,2.42,48.90",
                                  "--zooms", "10-11", "--cache", str(cache_path),
                                  "--url", server.url])
        assert args.handler(args) == 0
    finally:
        server.stop()
    assert MBTiles(cache_path).count() == len(server.hits) > 0
    assert "fetched" in capsys.readouterr().out


@pytest.fixture(scope="module")
def tiled_pane(qapp, tmp_path_factory, tile_cache):
    from console.models.demo import seed_reference
    from console.models.store import LocalStore
    from console.views.map.pane import MapPane
    from console.views.map.web import map_web
    from console.views.shell.app import DEMO_ACTOR
    from console.views.shell.context import AppContext, ChangeHub

    store = LocalStore(tmp_path_factory.mktemp("store") / "local.sqlite3")
    with store.transaction() as session:
        seed_reference(session)  # venues, no events: the tiles stay visible
    context = AppContext(store=store, actor=DEMO_ACTOR, hub=ChangeHub())
    server = TileServer()
    web = map_web()
    web.use_tiles(TileSource(tile_cache, server.url))
    web.interceptor.reset()
    pane = MapPane(context)
    pane.resize(800, 600)
    pane.show()
    wait_until(lambda: pane.is_ready, 30)
    yield pane, server, web
    server.stop()
    pane.close()
    pane.release_page()
    store.close()


def loaded_tiles(pane) -> int:  # noqa: ANN001
    return evaluate(pane, "document.querySelectorAll('img.leaflet-tile-loaded').length")


def tile_colour_share(pane) -> float:  # noqa: ANN001
    """Share of sampled pixels of the view that show the test tile's colour."""
    image = pane.view.grab().toImage()
    samples = [(x, y) for x in range(60, image.width() - 60, 37)
               for y in range(60, image.height() - 60, 41)]
    hits = 0
    for x, y in samples:
        colour = image.pixelColor(x, y)
        hits += (abs(colour.red() - TILE_RGB[0]) < 8 and abs(colour.green() - TILE_RGB[1]) < 8
                 and abs(colour.blue() - TILE_RGB[2]) < 8)
    return hits / len(samples)


def test_tiles_seen_once_are_shown_after_the_server_stops(tiled_pane, qtbot) -> None:
    from PySide6.QtWebEngineCore import QWebEnginePage

    pane, server, web = tiled_pane
    wait_until(lambda: loaded_tiles(pane) >= 4, 20)
    qtbot.wait(300)
    first = loaded_tiles(pane)
    assert len(server.hits) >= first
    assert web.handler.tile_source.cache.count() >= first
    assert tile_colour_share(pane) > 0.5

    server.stop()
    hits_before, served_before = len(server.hits), web.handler.tiles_served
    pane.is_ready = False
    pane.page.triggerAction(QWebEnginePage.WebAction.ReloadAndBypassCache)
    wait_until(lambda: pane.is_ready, 30)
    wait_until(lambda: loaded_tiles(pane) >= first, 20)
    qtbot.wait(300)
    assert len(server.hits) == hits_before
    assert web.handler.tiles_served - served_before >= first  # all from the MBTiles cache
    assert tile_colour_share(pane) > 0.5
    assert web.interceptor.blocked == []  # the page itself never spoke to the server


def test_no_tile_leaves_a_plain_background_with_venues(tiled_pane) -> None:
    pane, _server, web = tiled_pane
    web.use_tiles(TileSource(web.handler.tile_source.cache, None))
    missing_before = web.handler.tiles_missing
    # Far away from anything cached (and the server is down): tiles fail, the map still works.
    evaluate(pane, "(ConsoleMap.state.map.setView([-33.9, 151.2], 12), true)")
    wait_until(lambda: web.handler.tiles_missing > missing_before, 10)
    assert evaluate(pane, "ConsoleMap.state.venues.getLayers().length") == 20
    assert evaluate(pane, "document.querySelectorAll('img.leaflet-tile-loaded').length") == 0
