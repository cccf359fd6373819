"""`console tiles import`: check an MBTiles file from the centre's own provider (IGN Plan,
OpenStreetMap...) and merge it into the tile cache, or let it replace the cache, in one
transaction: an interrupted import leaves the cache as it was.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from console.models.map.tiles import MBTiles

RASTER_FORMATS = {"png": (b"\x89PNG",), "jpg": (b"\xff\xd8",), "jpeg": (b"\xff\xd8",),
                  "webp": (b"RIFF",)}
SAMPLE = 50  # tiles whose bytes are checked against the declared format


class TileImportError(ValueError):
    """The file cannot be imported; the message says why, for the operator."""


@dataclass
class MBTilesCheck:
    path: Path
    name: str
    format: str
    bounds: tuple[float, float, float, float] | None
    attribution: str
    tiles: int
    zooms: dict[int, int] = field(default_factory=dict)


@dataclass
class ImportResult:
    check: MBTilesCheck
    new: int  # tiles the cache did not have
    overwritten: int  # tiles of the cache replaced by the imported ones (merge)
    removed: int  # tiles of the cache dropped first (replace)
    total_after: int


def _open_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def parse_bounds(text: str) -> tuple[float, float, float, float]:
    try:
        west, south, east, north = (float(v) for v in text.split(","))
    except ValueError:
        raise TileImportError(f"its bounds {text!r} are not four numbers west,south,east,north") from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise TileImportError(f"its bounds {text!r} are not a valid west,south,east,north box")
    return west, south, east, north


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {str(row[1]) for row in db.execute(f"PRAGMA table_info({table})")}


def check_mbtiles(path: Path | str) -> MBTilesCheck:
    """What an MBTiles file holds, or TileImportError saying what is wrong with it."""
    path = Path(path)
    if not path.is_file():
        raise TileImportError(f"{path}: no such file")
    with path.open("rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise TileImportError(f"{path}: not an MBTiles file (MBTiles is an SQLite database)")
    try:
        db = _open_read_only(path)
        try:
            return _check(db, path)
        finally:
            db.close()
    except sqlite3.DatabaseError as error:
        raise TileImportError(f"{path}: unreadable MBTiles file ({error})") from None


def _check(db: sqlite3.Connection, path: Path) -> MBTilesCheck:
    if not {"name", "value"} <= _columns(db, "metadata"):
        raise TileImportError(f"{path}: no MBTiles metadata table (name, value)")
    if not {"zoom_level", "tile_column", "tile_row", "tile_data"} <= _columns(db, "tiles"):
        raise TileImportError(f"{path}: no MBTiles tiles table "
                              "(zoom_level, tile_column, tile_row, tile_data)")
    metadata = {str(k): str(v) for k, v in db.execute("SELECT name, value FROM metadata")}
    fmt = metadata.get("format", "").strip().lower()
    if fmt in ("pbf", "mvt"):
        raise TileImportError(f"{path}: vector tiles ({fmt}); the console's map shows raster "
                              "tiles only (png, jpg or webp): ask the provider for a raster export")
    if not fmt:
        raise TileImportError(f"{path}: its metadata names no tile format (png, jpg or webp expected)")
    if fmt not in RASTER_FORMATS:
        raise TileImportError(f"{path}: metadata format {fmt!r} is not one of png, jpg, webp")
    bounds = parse_bounds(metadata["bounds"]) if metadata.get("bounds") else None
    zooms = {int(z): int(n) for z, n in db.execute(
        "SELECT zoom_level, count(*) FROM tiles GROUP BY zoom_level ORDER BY 1")}
    if not zooms:
        raise TileImportError(f"{path}: holds no tile")
    if min(zooms) < 0 or max(zooms) > 22:
        raise TileImportError(f"{path}: zoom levels {min(zooms)}-{max(zooms)} outside 0-22")
    (outside,) = db.execute(
        "SELECT count(*) FROM tiles WHERE tile_column < 0 OR tile_row < 0 "
        "OR tile_column >= (1 << zoom_level) OR tile_row >= (1 << zoom_level)").fetchone()
    if outside:
        raise TileImportError(f"{path}: {outside:,} tiles have a column or row outside their zoom level")
    magics = RASTER_FORMATS[fmt]
    for z, x, row, data in db.execute(
            "SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles LIMIT ?", (SAMPLE,)):
        blob = bytes(data) if data is not None else b""
        if not blob.startswith(magics):
            raise TileImportError(f"{path}: tile {z}/{x}/{row} (TMS) is not a {fmt} image "
                                  "although the metadata says so")
    return MBTilesCheck(path=path, name=metadata.get("name", path.stem), format=fmt, bounds=bounds,
                        attribution=metadata.get("attribution", ""), tiles=sum(zooms.values()),
                        zooms=zooms)


def _merged_attribution(current: str, added: str) -> str:
    parts: list[str] = []
    for part in (p.strip() for text in (current, added) for p in text.split(" | ")):
        if part and part not in parts:
            parts.append(part)
    return " | ".join(parts)


def import_mbtiles(source: Path | str, cache_path: Path | str, *, replace: bool = False) -> ImportResult:
    """Copy every tile of `source` into the cache, in one transaction.

    Merge (default): the imported tiles are added and win where the cache had the same tile
    (the provider's tiles are the reference); the cache's other tiles stay. Replace: the cache
    is emptied first. The provider's attribution is kept in the cache's metadata.
    """
    check = check_mbtiles(source)
    cache_path = Path(cache_path)
    if cache_path.exists() and cache_path.resolve() == check.path.resolve():
        raise TileImportError(f"{source}: this is the tile cache itself")
    MBTiles(cache_path).close()  # the cache's tables exist (a new cache is created)
    db = sqlite3.connect(cache_path.resolve().as_uri(), uri=True, isolation_level=None)
    try:
        db.execute("PRAGMA busy_timeout=10000")
        db.execute("ATTACH DATABASE ? AS src", (f"{check.path.resolve().as_uri()}?mode=ro",))
        db.execute("BEGIN IMMEDIATE")
        try:
            result = _copy(db, check, replace)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("DETACH DATABASE src")
    finally:
        db.close()
    return result


def _copy(db: sqlite3.Connection, check: MBTilesCheck, replace: bool) -> ImportResult:
    removed = overwritten = 0
    if replace:
        removed = int(db.execute("SELECT count(*) FROM main.tiles").fetchone()[0])
        db.execute("DELETE FROM main.tiles")
    else:
        overwritten = int(db.execute(
            "SELECT count(*) FROM src.tiles s JOIN main.tiles t ON t.zoom_level = s.zoom_level "
            "AND t.tile_column = s.tile_column AND t.tile_row = s.tile_row").fetchone()[0])
    db.execute("INSERT OR REPLACE INTO main.tiles (zoom_level, tile_column, tile_row, tile_data) "
               "SELECT zoom_level, tile_column, tile_row, tile_data FROM src.tiles")
    row = db.execute("SELECT value FROM main.metadata WHERE name = 'attribution'").fetchone()
    current = "" if replace or row is None else str(row[0])
    attribution = _merged_attribution(current, check.attribution)
    db.execute("INSERT OR REPLACE INTO main.metadata VALUES ('attribution', ?)", (attribution,))
    total = int(db.execute("SELECT count(*) FROM main.tiles").fetchone()[0])
    return ImportResult(check=check, new=check.tiles - overwritten, overwritten=overwritten,
                        removed=removed, total_after=total)


def describe_zooms(zooms: Iterable[int]) -> str:
    levels = sorted(zooms)
    return f"{levels[0]}-{levels[-1]}" if len(levels) > 1 else str(levels[0])
