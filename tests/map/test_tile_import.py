"""`console tiles import`: a provider's MBTiles file checked, then merged into the tile cache or
replacing it, in one transaction; a bad file is refused with its reason and the cache unchanged."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from console.cli import main
from console.models.map.tile_import import TileImportError, check_mbtiles, import_mbtiles
from console.models.map.tiles import MBTiles, tms_row
from map.test_map_tiles import solid_png

OSM_ATTRIBUTION = "© OpenStreetMap contributors (ODbL)"


def provider_file(path: Path, tiles: dict[tuple[int, int, int], bytes], *,
                  metadata: dict[str, str] | None = None) -> Path:
    """An MBTiles file as a provider exports it (XYZ keys given, TMS rows stored)."""
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE metadata (name TEXT, value TEXT);
        CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER,
                            tile_data BLOB);
    """)
    values = {"name": "OSM Paris", "format": "png", "bounds": "2.2,48.8,2.5,48.95",
              "attribution": OSM_ATTRIBUTION}
    values.update(metadata or {})
    db.executemany("INSERT INTO metadata VALUES (?, ?)",
                   [(k, v) for k, v in values.items() if v is not None])
    db.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)",
                   [(z, x, tms_row(z, y), data) for (z, x, y), data in tiles.items()])
    db.commit()
    db.close()
    return path


GREEN, RED, BLUE = solid_png((0, 200, 0), 8), solid_png((200, 0, 0), 8), solid_png((0, 0, 200), 8)


def test_a_valid_file_is_described(tmp_path) -> None:
    path = provider_file(tmp_path / "osm.mbtiles", {(12, 2074, 1409): GREEN, (13, 4148, 2818): RED})
    check = check_mbtiles(path)
    assert (check.name, check.format, check.tiles) == ("OSM Paris", "png", 2)
    assert check.bounds == (2.2, 48.8, 2.5, 48.95)
    assert check.zooms == {12: 1, 13: 1}
    assert check.attribution == OSM_ATTRIBUTION


@pytest.mark.parametrize(("metadata", "tiles", "reason"), [
    ({"format": "pbf"}, {(12, 1, 1): b"\x1a\x00"}, "vector tiles"),
    ({"format": None}, {(12, 1, 1): GREEN}, "names no tile format"),
    ({"format": "gif"}, {(12, 1, 1): GREEN}, "not one of png, jpg, webp"),
    ({"bounds": "2.2,48.8,2.5"}, {(12, 1, 1): GREEN}, "not four numbers"),
    ({"bounds": "2.5,48.8,2.2,48.95"}, {(12, 1, 1): GREEN}, "not a valid west,south,east,north"),
    ({}, {}, "holds no tile"),
    ({"format": "jpg"}, {(12, 1, 1): GREEN}, "is not a jpg image"),
    ({}, {(2, 1, 1): GREEN, (2, 7, 1): GREEN}, "outside their zoom level"),
], ids=["vector", "no-format", "gif", "short-bounds", "inverted-bounds", "empty", "png-as-jpg",
        "column-out-of-range"])
def test_bad_files_are_refused_with_their_reason(tmp_path, metadata, tiles, reason) -> None:
    path = provider_file(tmp_path / "bad.mbtiles", tiles, metadata=metadata)
    with pytest.raises(TileImportError, match=reason):
        check_mbtiles(path)


def test_files_that_are_not_mbtiles_are_refused(tmp_path) -> None:
    text = tmp_path / "notes.mbtiles"
    text.write_text("not a database")
    with pytest.raises(TileImportError, match="not an MBTiles file"):
        check_mbtiles(text)
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE events (id INTEGER)").connection.commit()
    with pytest.raises(TileImportError, match="no MBTiles metadata table"):
        check_mbtiles(other)
    with pytest.raises(TileImportError, match="no such file"):
        check_mbtiles(tmp_path / "missing.mbtiles")


def test_merge_adds_tiles_and_the_providers_win_where_both_have_one(tmp_path) -> None:
    cache_path = tmp_path / "cache.mbtiles"
    cache = MBTiles(cache_path)
    cache.put(12, 2074, 1409, RED)  # also in the file: replaced
    cache.put(10, 518, 352, BLUE)  # not in the file: kept
    cache.close()
    path = provider_file(tmp_path / "osm.mbtiles", {(12, 2074, 1409): GREEN, (12, 2075, 1409): GREEN})

    result = import_mbtiles(path, cache_path)

    assert (result.new, result.overwritten, result.removed, result.total_after) == (1, 1, 0, 3)
    cache = MBTiles(cache_path)
    assert cache.get(12, 2074, 1409) == GREEN
    assert cache.get(12, 2075, 1409) == GREEN
    assert cache.get(10, 518, 352) == BLUE
    assert cache.attribution() == OSM_ATTRIBUTION
    cache.close()
    # A second provider's file: both credits are kept, once each.
    ign = provider_file(tmp_path / "ign.mbtiles", {(13, 4148, 2818): RED},
                        metadata={"attribution": "© IGN Plan"})
    import_mbtiles(ign, cache_path)
    import_mbtiles(ign, cache_path)
    cache = MBTiles(cache_path)
    assert cache.attribution() == f"{OSM_ATTRIBUTION} | © IGN Plan"
    cache.close()


def test_replace_empties_the_cache_first(tmp_path) -> None:
    cache_path = tmp_path / "cache.mbtiles"
    cache = MBTiles(cache_path)
    cache.put(10, 518, 352, BLUE)
    cache.put(11, 1037, 704, BLUE)
    cache.close()
    path = provider_file(tmp_path / "osm.mbtiles", {(12, 2074, 1409): GREEN})

    result = import_mbtiles(path, cache_path, replace=True)

    assert (result.removed, result.total_after) == (2, 1)
    cache = MBTiles(cache_path)
    assert cache.get(10, 518, 352) is None and cache.get(12, 2074, 1409) == GREEN
    cache.close()


def test_a_refused_or_failed_import_leaves_the_cache_unchanged(tmp_path) -> None:
    cache_path = tmp_path / "cache.mbtiles"
    cache = MBTiles(cache_path)
    cache.put(10, 518, 352, BLUE)
    cache.close()
    bad = provider_file(tmp_path / "bad.mbtiles", {(12, 1, 1): GREEN}, metadata={"format": "pbf"})
    with pytest.raises(TileImportError):
        import_mbtiles(bad, cache_path, replace=True)
    # A failure in the middle of the copy (here a trigger refusing one tile, as a full disk
    # would) rolls the whole replace back: the tiles deleted first come back.
    good = provider_file(tmp_path / "good.mbtiles", {(12, 2074, 1409): GREEN, (12, 2075, 1409): RED})
    db = sqlite3.connect(cache_path)
    db.execute("CREATE TRIGGER refuse_red BEFORE INSERT ON tiles WHEN NEW.tile_column = 2075 "
               "BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    db.commit()
    db.close()
    with pytest.raises(sqlite3.DatabaseError, match="disk full"):
        import_mbtiles(good, cache_path, replace=True)
    cache = MBTiles(cache_path)
    assert cache.count() == 1 and cache.get(10, 518, 352) == BLUE
    cache.close()


def test_the_import_command(tmp_path, capsys) -> None:
    cache_path = tmp_path / "cache.mbtiles"
    path = provider_file(tmp_path / "osm.mbtiles", {(12, 2074, 1409): GREEN, (13, 4148, 2818): RED})
    assert main(["tiles", "import", str(path), "--cache", str(cache_path)]) == 0
    out = capsys.readouterr().out
    assert "2 tiles, zooms 12-13, bounds 2.2,48.8,2.5,48.95" in out
    assert "merged: 2 new tiles, 0 tiles of the cache replaced" in out
    assert f"{cache_path} now holds 2 tiles" in out
    assert OSM_ATTRIBUTION in out

    assert main(["tiles", "import", str(path), "--cache", str(cache_path), "--replace"]) == 0
    assert "replaced: the cache's 2 previous tiles were removed, 2 imported" in capsys.readouterr().out

    bad = provider_file(tmp_path / "vector.mbtiles", {(12, 1, 1): b"\x1a"}, metadata={"format": "pbf"})
    assert main(["tiles", "import", str(bad), "--cache", str(cache_path)]) == 2
    err = capsys.readouterr().err
    assert "not imported" in err and "vector tiles" in err and "the cache is unchanged" in err
    assert MBTiles(cache_path).count() == 2


def test_info_names_the_cache_and_the_basemap_under_it(tmp_path, capsys) -> None:
    cache_path = tmp_path / "cache.mbtiles"
    import_mbtiles(provider_file(tmp_path / "osm.mbtiles", {(12, 2074, 1409): GREEN}), cache_path)
    assert main(["tiles", "info", "--cache", str(cache_path)]) == 0
    out = capsys.readouterr().out
    assert f"{cache_path}: 1 tiles ({OSM_ATTRIBUTION})" in out
    assert "zoom 12: 1" in out
    assert "the shipped basemap" in out and "zooms 5-15" in out and "GSHHG" in out
