"""The source data cut into drawable layers: land, lakes, rivers, built-up shading, borders
(commune, département, country) and labels, each with a coarse grid index for tile look-ups."""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from basemap_build.geometry import clip_polygon, meets, ring_area_centroid, ring_bbox
from basemap_build.sources import BBox, Commune, Ring

CELL = 0.25  # degrees: grid of the index


@dataclass
class Feature:
    rings: list[Ring]
    bbox: BBox
    kind: str = ""  # density class of a commune, border class of a line, ...


@dataclass
class Label:
    text: str
    lon: float
    lat: float
    rank: int  # higher is placed first
    min_zoom: int
    kind: str  # "city", "commune", "arrondissement", "departement"
    max_zoom: int = 99


@dataclass
class Layer:
    features: list[Feature] = field(default_factory=list)
    _grid: dict[tuple[int, int], list[int]] = field(default_factory=dict)

    def add(self, feature: Feature) -> None:
        index = len(self.features)
        self.features.append(feature)
        west, south, east, north = feature.bbox
        for i in range(math.floor(west / CELL), math.floor(east / CELL) + 1):
            for j in range(math.floor(south / CELL), math.floor(north / CELL) + 1):
                self._grid.setdefault((i, j), []).append(index)

    def query(self, box: BBox) -> Iterator[Feature]:
        west, south, east, north = box
        seen: set[int] = set()
        for i in range(math.floor(west / CELL), math.floor(east / CELL) + 1):
            for j in range(math.floor(south / CELL), math.floor(north / CELL) + 1):
                for index in self._grid.get((i, j), ()):
                    if index not in seen:
                        seen.add(index)
                        feature = self.features[index]
                        if meets(feature.bbox, box):
                            yield feature


def _km2(ring: Ring) -> float:
    area, _lon, lat = ring_area_centroid(ring)
    return area * 111.32 ** 2 * math.cos(math.radians(lat))


def density_class(commune: Commune) -> str:
    """Inhabitants per km², in the classes the map shades (Paris ~20,000; a village < 100)."""
    km2 = sum(_km2(polygon[0]) for polygon in commune.polygons) or 1.0
    density = commune.population / km2
    if density > 8000:
        return "dense"
    if density > 2500:
        return "urban"
    if density > 600:
        return "suburban"
    return ""


def cut_in_cells(rings: Iterable[Ring], area: BBox, cell: float = 1.0, overlap: float = 0.02) -> Layer:
    """Big polygons (a continent's coast) cut into overlapping cells: a tile draws only the
    pieces it meets, and the overlap leaves no seam between pieces of the same colour."""
    layer = Layer()
    west, south, east, north = area
    for ring in rings:
        ring_box = ring_bbox(ring)
        if not meets(ring_box, area):
            continue
        if len(ring) < 2000:
            layer.add(Feature([ring], ring_box))
            continue
        lon = math.floor(west)
        while lon < east:
            lat = math.floor(south)
            while lat < north:
                box = (lon - overlap, lat - overlap, lon + cell + overlap, lat + cell + overlap)
                if meets(ring_box, box):
                    piece = clip_polygon(ring, box)
                    if len(piece) >= 3:
                        layer.add(Feature([piece], ring_bbox(piece)))
                lat += cell
            lon += cell
    return layer


def _key(point: tuple[float, float]) -> tuple[int, int]:
    return round(point[0] * 1e6), round(point[1] * 1e6)


def borders(communes: list[Commune]) -> tuple[Layer, Layer]:
    """(commune borders, département borders) from the communes' shared edges.

    The contours share their vertices (topology-preserving simplification), so an edge between
    two communes appears in both rings: drawn once, from the commune with the smaller code, and
    as a département border when the two communes are in different départements.
    """
    owners: dict[tuple[tuple[int, int], tuple[int, int]], list[Commune]] = defaultdict(list)
    for commune in communes:
        for polygon in commune.polygons:
            for ring in polygon:
                for a, b in zip(ring, ring[1:], strict=False):
                    ka, kb = _key(a), _key(b)
                    owners[(ka, kb) if ka <= kb else (kb, ka)].append(commune)
    commune_layer, departement_layer = Layer(), Layer()
    for commune in communes:
        for polygon in commune.polygons:
            for ring in polygon:
                runs: dict[str, list[Ring]] = {"commune": [], "departement": []}
                current: Ring = []
                current_kind = ""
                for a, b in zip(ring, ring[1:], strict=False):
                    ka, kb = _key(a), _key(b)
                    sides = owners[(ka, kb) if ka <= kb else (kb, ka)]
                    kind = ""
                    if len(sides) == 2 and min(sides[0].code, sides[1].code) == commune.code:
                        other = sides[1] if sides[0] is commune else sides[0]
                        same = other.departement == commune.departement
                        kind = "commune" if same else "departement"
                    if kind != current_kind or not kind:
                        if current_kind and len(current) > 1:
                            runs[current_kind].append(current)
                        current = [a, b] if kind else []
                        current_kind = kind
                    else:
                        current.append(b)
                if current_kind and len(current) > 1:
                    runs[current_kind].append(current)
                for run in runs["commune"]:
                    commune_layer.add(Feature([run], ring_bbox(run), commune.kind))
                for run in runs["departement"]:
                    departement_layer.add(Feature([run], ring_bbox(run)))
    return commune_layer, departement_layer


def label_point(commune: Commune) -> tuple[float, float]:
    """The centroid of the commune's largest polygon."""
    best = max(commune.polygons, key=lambda polygon: ring_area_centroid(polygon[0])[0])
    _area, lon, lat = ring_area_centroid(best[0])
    return lon, lat


def short_name(commune: Commune) -> str:
    """'Paris 7e Arrondissement' -> '7e arr.'; a commune keeps its name."""
    if commune.kind == "ARM":
        return commune.name.split(" ", 1)[1].replace(" Arrondissement", " arr.")
    return commune.name


def commune_labels(communes: list[Commune]) -> list[Label]:
    labels = []
    for commune in communes:
        lon, lat = label_point(commune)
        pop = commune.population
        if commune.kind == "ARM":
            min_zoom, kind = 12, "arrondissement"
        elif pop >= 200_000:
            min_zoom, kind = 5, "city"
        elif pop >= 50_000:
            min_zoom, kind = 8, "city"
        elif pop >= 15_000:
            min_zoom, kind = 10, "commune"
        elif pop >= 3_000:
            min_zoom, kind = 11, "commune"
        else:
            min_zoom, kind = 12, "commune"
        labels.append(Label(short_name(commune), lon, lat, pop, min_zoom, kind))
        if commune.town_hall is not None:
            # Placed before the repeated names (rank), after the commune's own name.
            labels.append(Label(f"Mairie de {commune.name}" if pop < 200_000 else "Mairie",
                                *commune.town_hall, rank=pop // 10, min_zoom=14, kind="townhall"))
    return labels


def inside(lon: float, lat: float, polygons: list[list[Ring]]) -> bool:
    """Point in a multipolygon (ray casting; holes count)."""
    hits = 0
    for polygon in polygons:
        for ring in polygon:
            for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
                if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
                    hits += 1
    return hits % 2 == 1


def repeated_labels(communes: list[Commune], area: BBox, zooms: range) -> list[Label]:
    """Zoomed in, a commune's name is repeated across it (every ~700 px), so that a screen
    showing part of a commune still says which one it is."""
    labels = []
    for z in zooms:
        step_lon = 700 / (256 * (1 << z)) * 360
        step_lat = step_lon * math.cos(math.radians((area[1] + area[3]) / 2))
        for commune in communes:
            if not meets(commune.bbox, area):
                continue
            west, south, east, north = commune.bbox
            # A grid anchored on the world (not the commune), shifted on every other row.
            row = math.floor(south / step_lat)
            while row * step_lat <= north:
                lat = row * step_lat
                shift = step_lon / 2 if row % 2 else 0.0
                col = math.floor((west - shift) / step_lon)
                while col * step_lon + shift <= east:
                    lon = col * step_lon + shift
                    if west <= lon <= east and inside(lon, lat, commune.polygons):
                        labels.append(Label(short_name(commune), lon, lat, commune.population // 100,
                                            z, "arrondissement" if commune.kind == "ARM" else "commune",
                                            max_zoom=z))
                    col += 1
                row += 1
    return labels
