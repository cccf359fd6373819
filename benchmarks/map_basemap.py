"""The shipped basemap as the map reads it, and `console tiles import`, against bare SQLite.

1. Every basemap tile through `TileSource.get` with an empty cache (a cache miss, then the
   basemap's `tiles` view: map JOIN images), against the floor: the same tiles read by primary
   key from a plain table holding them, one connection, no lock.
2. `import_mbtiles` of the whole basemap into a new cache (checks, one transaction, counts),
   against the floor: one bare `INSERT ... SELECT` of the same rows into an empty table.

    python benchmarks/map_basemap.py
"""
from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from console.models.map.basemap import open_shipped_basemap, shipped_basemap_path  # noqa: E402
from console.models.map.tile_import import import_mbtiles  # noqa: E402
from console.models.map.tiles import MBTiles, TileSource, tms_row  # noqa: E402


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="bench-basemap-"))
    source_path = shipped_basemap_path()
    keys = [(z, x, tms_row(z, row)) for z, x, row in sqlite3.connect(source_path).execute(
        "SELECT zoom_level, tile_column, tile_row FROM map")]

    # Floor for reads: a plain table with the same tiles, read by primary key.
    floor_db = sqlite3.connect(work / "floor.sqlite")
    floor_db.execute("CREATE TABLE t (z INTEGER, x INTEGER, y INTEGER, data BLOB, "
                     "PRIMARY KEY (z, x, y))")
    floor_db.execute("ATTACH DATABASE ? AS src", (str(source_path),))
    floor_db.execute("INSERT INTO t SELECT zoom_level, tile_column, (1 << zoom_level) - 1 - tile_row, "
                     "tile_data FROM src.tiles")
    floor_db.commit()
    floor_db.execute("DETACH DATABASE src")
    started = time.perf_counter()
    floor_bytes = sum(len(floor_db.execute("SELECT data FROM t WHERE z=? AND x=? AND y=?", key)
                          .fetchone()[0]) for key in keys)
    floor_read = time.perf_counter() - started

    cache = MBTiles(work / "cache.mbtiles")
    basemap = open_shipped_basemap()
    assert basemap is not None, "no shipped basemap"
    source = TileSource(cache, None, basemap=basemap)
    started = time.perf_counter()
    served_bytes = sum(len(source.get(*key) or b"") for key in keys)
    served_read = time.perf_counter() - started
    assert served_bytes == floor_bytes
    cache.close()
    basemap.close()

    started = time.perf_counter()
    result = import_mbtiles(source_path, work / "imported.mbtiles")
    imported = time.perf_counter() - started
    bare = sqlite3.connect(work / "bare.sqlite")
    bare.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, "
                 "tile_data BLOB)")
    bare.execute("CREATE UNIQUE INDEX i ON tiles (zoom_level, tile_column, tile_row)")
    bare.execute("ATTACH DATABASE ? AS src", (str(source_path),))
    started = time.perf_counter()
    bare.execute("INSERT INTO tiles SELECT zoom_level, tile_column, tile_row, tile_data FROM src.tiles")
    bare.commit()
    floor_import = time.perf_counter() - started
    assert result.total_after == len(keys)

    per_tile_us = served_read / len(keys) * 1e6
    floor_us = floor_read / len(keys) * 1e6
    print(f"basemap: {len(keys):,} tiles, {source_path.stat().st_size / 1e6:.1f} MB")
    print(f"read through TileSource (cache miss + basemap view): {per_tile_us:.0f} us/tile; "
          f"floor (plain table by key): {floor_us:.0f} us/tile; ratio {per_tile_us / floor_us:.2f}x")
    print(f"console tiles import (check + merge, one transaction): {imported:.2f} s; "
          f"floor (bare INSERT ... SELECT): {floor_import:.2f} s; ratio {imported / floor_import:.2f}x")
    print(json.dumps({"tiles": len(keys), "read_us": round(per_tile_us, 1),
                      "read_floor_us": round(floor_us, 1), "import_s": round(imported, 3),
                      "import_floor_s": round(floor_import, 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
