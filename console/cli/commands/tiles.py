"""`console tiles`: fill the offline tile cache for an area before an event, import a provider's
MBTiles file into it, or describe it."""
from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from console.cli.commands import Subparsers


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("tiles", help="offline map tile cache (MBTiles)")
    actions = parser.add_subparsers(dest="tiles_action", required=True)

    fill = actions.add_parser(
        "prefetch", help="download the tiles of an area into the cache",
        description="Download every tile of the area at the given zooms into the MBTiles cache. "
                    "Tiles already cached are not downloaded again.")
    fill.add_argument("--bbox", required=True, help="west,south,east,north in degrees, "
                      "e.g. 2.22,48.81,2.47,48.91 for Paris")
    fill.add_argument("--zooms", required=True, help="e.g. 10-14, or 12, or 10,12,14")
    fill.add_argument("--url", help="tile server template with {z}/{x}/{y} "
                      "(default: $CONSOLE_TILE_URL)")
    fill.add_argument("--cache", type=Path, help="MBTiles file (default: the console's cache)")
    fill.add_argument("--max-tiles", type=int, default=None,
                      help="refuse areas larger than this many tiles (default 50,000)")
    fill.set_defaults(handler=run_prefetch)

    load = actions.add_parser(
        "import", help="import an MBTiles file (IGN Plan, OpenStreetMap...) into the cache",
        description="Check an MBTiles file (metadata, raster format, bounds, tiles) and copy its "
                    "tiles into the cache in one transaction. By default the tiles are merged: "
                    "they are added, and replace the cache's tiles at the same places. With "
                    "--replace the cache is emptied first.")
    load.add_argument("file", type=Path, help="the .mbtiles file")
    load.add_argument("--replace", action="store_true",
                      help="empty the cache before importing (default: merge)")
    load.add_argument("--cache", type=Path, help="MBTiles file (default: the console's cache)")
    load.set_defaults(handler=run_import)

    info = actions.add_parser("info", help="how many tiles the cache holds, per zoom")
    info.add_argument("--cache", type=Path, help="MBTiles file (default: the console's cache)")
    info.set_defaults(handler=run_info)


def _fail(message: str) -> int:
    print(f"console tiles: {message}", file=sys.stderr)
    return 2


def run_prefetch(args: argparse.Namespace) -> int:
    from console.models.map.tiles import (
        MAX_PREFETCH_TILES,
        MBTiles,
        PrefetchResult,
        TileSource,
        count_tiles,
        default_cache_path,
        parse_bbox,
        parse_zooms,
        prefetch,
        tile_url_from_env,
    )

    try:
        bbox = parse_bbox(args.bbox)
        zooms = parse_zooms(args.zooms)
    except ValueError as error:
        return _fail(str(error))
    url = args.url or tile_url_from_env()
    if not url:
        return _fail("no tile server: give --url http://host/{z}/{x}/{y}.png "
                     "or set CONSOLE_TILE_URL")
    if not all(part in url for part in ("{z}", "{x}", "{y}")):
        return _fail(f"--url must contain {{z}}, {{x}} and {{y}}: {url!r}")
    total = count_tiles(bbox, zooms)
    limit = args.max_tiles or MAX_PREFETCH_TILES
    if total > limit:
        return _fail(f"{total:,} tiles requested, more than the limit of {limit:,}; "
                     "narrow the area or the zooms, or raise --max-tiles")
    cache = MBTiles(args.cache or default_cache_path())
    print(f"{total:,} tiles for zooms {zooms[0]}-{zooms[-1]} into {cache.path}")

    def progress(result: PrefetchResult) -> None:
        print(f"  {result.wanted:,}/{total:,} (fetched {result.fetched:,}, "
              f"cached already {result.already:,}, failed {result.failed:,})", flush=True)

    try:
        result = prefetch(TileSource(cache, url, timeout=10), bbox, zooms, progress)
    except KeyboardInterrupt:
        print("interrupted: the tiles fetched so far are kept", file=sys.stderr)
        return 130
    finally:
        cache.close()
    print(f"done: {result.fetched:,} fetched, {result.already:,} already cached, "
          f"{result.failed:,} failed")
    if result.stopped:
        print(f"stopped early: {result.stopped} ({url}); the tiles fetched so far are kept",
              file=sys.stderr)
    return 0 if result.failed == 0 else 1


def run_info(args: argparse.Namespace) -> int:
    from console.models.map.basemap import open_shipped_basemap
    from console.models.map.tiles import MBTiles, default_cache_path

    path = args.cache or default_cache_path()
    if not Path(path).exists():
        print(f"{path}: no tile cache yet")
    else:
        cache = MBTiles(path)
        counts = cache.zoom_counts()
        attribution = cache.attribution()
        cache.close()
        print(f"{path}: {sum(counts.values()):,} tiles" + (f" ({attribution})" if attribution else ""))
        for zoom, count in counts.items():
            print(f"  zoom {zoom:2d}: {count:,}")
    basemap = open_shipped_basemap()
    if basemap is None:
        print("no shipped basemap in this installation: where the cache has no tile the map is grey")
    else:
        meta = basemap.metadata()
        basemap.close()
        print(f"under it, the shipped basemap {basemap.path}: zooms {meta.get('minzoom')}-"
              f"{meta.get('maxzoom')} ({meta.get('attribution', '')})")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from console.models.map.tile_import import TileImportError, describe_zooms, import_mbtiles
    from console.models.map.tiles import default_cache_path

    cache = args.cache or default_cache_path()
    try:
        result = import_mbtiles(args.file, cache, replace=args.replace)
    except TileImportError as error:
        return _fail(f"not imported: {error}; the cache is unchanged")
    except sqlite3.Error as error:
        return _fail(f"not imported, the cache is unchanged: {cache}: {error}")
    check = result.check
    bounds = ("no bounds given" if check.bounds is None
              else "bounds " + ",".join(f"{v:g}" for v in check.bounds))
    print(f"{check.path}: {check.name!r}, {check.format}, {check.tiles:,} tiles, "
          f"zooms {describe_zooms(check.zooms)}, {bounds}")
    if args.replace:
        print(f"replaced: the cache's {result.removed:,} previous tiles were removed, "
              f"{check.tiles:,} imported")
    else:
        print(f"merged: {result.new:,} new tiles, {result.overwritten:,} tiles of the cache "
              "replaced by the imported ones")
    print(f"{cache} now holds {result.total_after:,} tiles")
    if check.attribution:
        print(f"attribution shown on the map: {check.attribution}")
    else:
        print("warning: the file names no attribution; credit the provider as its licence asks",
              file=sys.stderr)
    return 0
