"""The tile cache: an MBTiles file (plain SQLite, TMS rows), filled from a configurable tile server.

Tiles seen once stay available offline; `prefetch` fills the cache for an area before an event.
No Qt here: the map view calls `TileSource.get` from a worker thread, the CLI calls `prefetch`.
"""
from __future__ import annotations

import os
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, Protocol

from console.config import data_dir

USER_AGENT = "console-map/0.1 (tile cache)"
MAX_PREFETCH_TILES = 50_000  # beyond this an operator most likely typed the wrong zooms


def default_cache_path() -> Path:
    return data_dir() / "tiles.mbtiles"


def tile_url_from_env() -> str | None:
    """The tile server template, e.g. http://tiles.local/{z}/{x}/{y}.png; None = cache only."""
    return os.environ.get("CONSOLE_TILE_URL") or None


def tms_row(z: int, y: int) -> int:
    """MBTiles stores rows bottom-up (TMS); web maps number them top-down (XYZ)."""
    return (1 << z) - 1 - y


class MBTiles:
    """One MBTiles file, safe to share between threads (one connection behind a lock)."""

    def __init__(self, path: Path | str, name: str = "console tile cache") -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript("""
            CREATE TABLE IF NOT EXISTS metadata (name TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE IF NOT EXISTS tiles (
                zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
            CREATE UNIQUE INDEX IF NOT EXISTS tile_index
                ON tiles (zoom_level, tile_column, tile_row);
        """)
        self._db.execute("INSERT OR IGNORE INTO metadata VALUES ('name', ?)", (name,))
        self._db.execute("INSERT OR IGNORE INTO metadata VALUES ('format', 'png')")

    def get(self, z: int, x: int, y: int) -> bytes | None:
        """The tile at XYZ coordinates, or None."""
        with self._lock:
            row = self._db.execute(
                "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
                (z, x, tms_row(z, y))).fetchone()
        return bytes(row[0]) if row else None

    def has(self, z: int, x: int, y: int) -> bool:
        with self._lock:
            return self._db.execute(
                "SELECT 1 FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
                (z, x, tms_row(z, y))).fetchone() is not None

    def put(self, z: int, x: int, y: int, data: bytes) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO tiles VALUES (?, ?, ?, ?)",
                             (z, x, tms_row(z, y), sqlite3.Binary(data)))

    def attribution(self) -> str:
        """The credit of imported tiles (`console tiles import` keeps the provider's)."""
        with self._lock:
            row = self._db.execute("SELECT value FROM metadata WHERE name='attribution'").fetchone()
        return str(row[0]) if row and row[0] else ""

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM tiles").fetchone()[0])

    def zoom_counts(self) -> dict[int, int]:
        with self._lock:
            return dict(self._db.execute(
                "SELECT zoom_level, count(*) FROM tiles GROUP BY zoom_level ORDER BY 1"))

    def close(self) -> None:
        with self._lock:
            self._db.close()


class TileReader(Protocol):
    def get(self, z: int, x: int, y: int) -> bytes | None: ...


def tile_url(template: str, z: int, x: int, y: int) -> str:
    return (template.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y))
            .replace("{s}", "abc"[(x + y) % 3]))


def looks_like_image(data: bytes) -> bool:
    """PNG, JPEG or WebP magic: an error page served with status 200 must not enter the cache."""
    return (data.startswith(b"\x89PNG") or data.startswith(b"\xff\xd8")
            or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"))


class TileSource:
    """Cache first, then the tile server (if one is configured; what is fetched is kept), then
    the shipped basemap (if given): the centre's own tiles always win over the basemap."""

    # After the server could not be reached, the map stops asking it for a while: offline, each
    # tile would otherwise wait for its own timeout before the plain background shows.
    RETRY_AFTER_S = 30.0

    def __init__(self, cache: MBTiles, url_template: str | None = None,
                 timeout: float = 5.0, basemap: TileReader | None = None) -> None:
        self.cache = cache
        self.url_template = url_template
        self.basemap = basemap
        self.timeout = timeout
        self.fetched = 0
        self.failures = 0
        self._unreachable_until = 0.0

    def get(self, z: int, x: int, y: int) -> bytes | None:
        if not (0 <= z <= 22 and 0 <= x < (1 << z) and 0 <= y < (1 << z)):
            return None
        data = self.cache.get(z, x, y)
        if data is None and self.url_template and not self.unreachable():
            data = self.fetch(z, x, y)
        if data is None and self.basemap is not None:
            data = self.basemap.get(z, x, y)
        return data

    def unreachable(self) -> bool:
        return time.monotonic() < self._unreachable_until

    def fetch(self, z: int, x: int, y: int) -> bytes | None:
        """Download one tile and keep it; None when the server cannot give it."""
        assert self.url_template
        request = urllib.request.Request(tile_url(self.url_template, z, x, y),
                                         headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data: bytes = response.read()
        except urllib.error.HTTPError:
            self.failures += 1  # the server answered: only this tile is missing
            return None
        except (urllib.error.URLError, OSError, ValueError):
            self.failures += 1
            self._unreachable_until = time.monotonic() + self.RETRY_AFTER_S
            return None
        if not looks_like_image(data):
            self.failures += 1
            return None
        self.cache.put(z, x, y, data)
        self.fetched += 1
        return data


@dataclass
class PrefetchResult:
    wanted: int = 0
    already: int = 0
    fetched: int = 0
    failed: int = 0
    stopped: str = ""  # why prefetch gave up before the end, if it did


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """'W,S,E,N' in degrees -> a checked tuple; ValueError with a readable message otherwise."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 4:
        raise ValueError("--bbox wants four numbers: west,south,east,north")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise ValueError(f"--bbox has a value that is not a number: {text!r}") from None
    if not (-180 <= west < east <= 180):
        raise ValueError("--bbox: west must be less than east, both within -180..180")
    if not (-85.06 <= south < north <= 85.06):
        raise ValueError("--bbox: south must be less than north, both within -85..85")
    return west, south, east, north


def parse_zooms(text: str) -> list[int]:
    """'10-14' or '12' or '10,12,14' -> sorted zoom levels within 0..19."""
    zooms: set[int] = set()
    try:
        for part in text.split(","):
            part = part.strip()
            if "-" in part:
                low, high = (int(v) for v in part.split("-", 1))
                zooms.update(range(low, high + 1))
            else:
                zooms.add(int(part))
    except ValueError:
        raise ValueError(f"--zooms: expected e.g. 10-14 or 12, got {text!r}") from None
    if not zooms or min(zooms) < 0 or max(zooms) > 19:
        raise ValueError("--zooms: levels must be within 0..19")
    return sorted(zooms)


class Tile(NamedTuple):
    x: int
    y: int
    z: int


def tiles_in(bbox: tuple[float, float, float, float], zooms: Iterable[int]) -> Iterator[Tile]:
    import mercantile

    west, south, east, north = bbox
    for tile in mercantile.tiles(west, south, east, north, list(zooms)):
        yield Tile(tile.x, tile.y, tile.z)


def count_tiles(bbox: tuple[float, float, float, float], zooms: Iterable[int]) -> int:
    import mercantile

    total = 0
    west, south, east, north = bbox
    for z in zooms:
        ul = mercantile.tile(west, north, z)
        lr = mercantile.tile(east - 1e-9, south + 1e-9, z)
        total += (lr.x - ul.x + 1) * (lr.y - ul.y + 1)
    return total


def prefetch(source: TileSource, bbox: tuple[float, float, float, float], zooms: Iterable[int],
             progress: Callable[[PrefetchResult], None] | None = None) -> PrefetchResult:
    """Fill the cache with every tile of the area at these zooms; tiles already cached are kept."""
    result = PrefetchResult()
    for tile in tiles_in(bbox, zooms):
        result.wanted += 1
        if source.cache.has(tile.z, tile.x, tile.y):
            result.already += 1
        elif source.url_template and source.fetch(tile.z, tile.x, tile.y) is not None:
            result.fetched += 1
        else:
            result.failed += 1
            if source.unreachable():
                result.stopped = "the tile server cannot be reached"
                break
        if progress and result.wanted % 100 == 0:
            progress(result)
    return result
