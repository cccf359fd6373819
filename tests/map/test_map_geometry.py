"""Zone geometry and tagging, GeoJSON of events, the page's asset list: no web view needed."""
from __future__ import annotations

import json
import math
import re
import uuid

import pytest
from sqlalchemy import select

from console.models.entities import Event
from console.models.eventlog.query import EventFilter, count_events
from console.models.map.assets import resolve
from console.models.map.geojson import event_changes, event_features
from console.models.map.geometry import (
    check_zone_geometry,
    geometry_area_m2,
    geometry_contains,
    haversine_m,
    point_in_polygon,
)
from console.models.map.page import build_page
from console.models.map.zones import zone_for_point
from console.models.validation import EventDraft
from map.conftest import make_context

SQUARE = [[[2.30, 48.85], [2.32, 48.85], [2.32, 48.87], [2.30, 48.87], [2.30, 48.85]]]
HOLE = [[2.305, 48.855], [2.315, 48.855], [2.315, 48.865], [2.305, 48.865], [2.305, 48.855]]


def test_point_in_polygon_with_hole_and_edges() -> None:
    assert point_in_polygon(2.31, 48.86, SQUARE)
    assert not point_in_polygon(2.33, 48.86, SQUARE)
    assert not point_in_polygon(2.31, 48.88, SQUARE)
    assert not point_in_polygon(2.31, 48.86, SQUARE + [HOLE])  # inside the hole
    assert point_in_polygon(2.301, 48.851, SQUARE + [HOLE])


def test_circle_uses_ground_distance() -> None:
    centre = {"type": "Point", "coordinates": [2.2945, 48.8584]}  # Eiffel tower
    # 1 km north is about 0.008993 degrees of latitude.
    assert geometry_contains(centre, 48.8584 + 0.0089, 2.2945, radius_m=1000)
    assert not geometry_contains(centre, 48.8584 + 0.0091, 2.2945, radius_m=1000)
    assert abs(haversine_m(48.8584, 2.2945, 48.8584 + 0.008993, 2.2945) - 1000) < 2


def test_areas_and_validation() -> None:
    area = geometry_area_m2({"type": "Polygon", "coordinates": SQUARE})
    # 0.02 deg lon x 0.02 deg lat at 48.86N: about 1.464 km x 2.224 km.
    assert 3.1e6 < area < 3.4e6
    assert check_zone_geometry("polygon", {"type": "Polygon", "coordinates": SQUARE}, None) is None
    assert "three" in check_zone_geometry(
        "polygon", {"type": "Polygon", "coordinates": [[[2.3, 48.8], [2.3, 48.8], [2.4, 48.9]]]},
        None)
    assert "radius" in check_zone_geometry("circle", {"type": "Point", "coordinates": [2, 48]}, 0)
    assert "off the globe" in check_zone_geometry(
        "circle", {"type": "Point", "coordinates": [200, 48]}, 10)


def test_new_event_is_tagged_with_the_smallest_zone(tmp_path) -> None:
    context = make_context(tmp_path / "local.sqlite3", per_day=10)
    log, actor = context.eventlog, context.actor
    outer, _ = log.create_zone(actor, "Security perimeter", "polygon",
                               {"type": "Polygon", "coordinates": SQUARE})
    inner, _ = log.create_zone(actor, "Fan zone", "circle",
                               {"type": "Point", "coordinates": [2.31, 48.86]}, radius_m=300)
    draft = dict(title="Malaise", category="health", severity=2)
    in_inner, _ = log.create_event(actor, EventDraft(**draft, latitude=48.8605, longitude=2.3105))
    in_outer, _ = log.create_event(actor, EventDraft(**draft, latitude=48.851, longitude=2.301))
    outside, _ = log.create_event(actor, EventDraft(**draft, latitude=48.80, longitude=2.40))
    nowhere, _ = log.create_event(actor, EventDraft(**draft))
    forced, _ = log.create_event(actor, EventDraft(**draft, latitude=48.8605, longitude=2.3105),
                                 zone_id=outer.id)
    assert in_inner.zone_id == inner.id
    assert in_outer.zone_id == outer.id
    assert outside.zone_id is None and nowhere.zone_id is None
    assert forced.zone_id == outer.id  # an explicit zone is kept
    with context.store.session() as session:
        assert zone_for_point(session, 48.8605, 2.3105) == inner.id
        assert count_events(session, EventFilter(zone_id=inner.id)) == 1
        assert count_events(session, EventFilter(zone_id=outer.id)) == 2


def test_event_features_follow_the_filter(tmp_path) -> None:
    context = make_context(tmp_path / "local.sqlite3", per_day=30)
    flt = EventFilter(severities={3, 4})
    with context.store.session() as session:
        features = event_features(session, flt)
        located = session.scalar(select(Event).where(Event.latitude.is_(None)).limit(1))
        expected = count_events(session, flt) - session.query(Event).filter(
            Event.severity.in_([3, 4]), Event.latitude.is_(None)).count()
        assert len(features) == expected > 0
        assert {f["properties"]["severity"] for f in features} <= {3, 4}
        some = [uuid.UUID(f["id"]) for f in features[:3]]
        low = session.scalar(select(Event.id).where(Event.severity == 1))
        shown, gone = event_changes(session, flt, some + [low])
        assert {f["id"] for f in shown} == {i.hex for i in some}
        assert gone == [low.hex]
        if located is not None:
            assert event_changes(session, EventFilter(), [located.id]) == ([], [located.id.hex])
    json.dumps(features)


def test_page_names_only_packaged_files() -> None:
    html = build_page()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, "the page should load Leaflet"
    assert not re.search(r"https?://", html.replace('http-equiv', ''))
    for url in urls:
        assert url.startswith("console-map://app/")
        path = url.removeprefix("console-map://app")
        assert path == "/qt/qwebchannel.js" or resolve(path) is not None, url
    assert resolve("/assets/leaflet/../../../../etc/passwd") is None
    assert resolve("/assets/nope/leaflet.js") is None


@pytest.mark.parametrize("text", ["1,2,3", "a,b,c,d", "10,48,2,49", "2,91,3,92"])
def test_bad_bbox_is_refused_with_a_message(text) -> None:
    from console.models.map.tiles import parse_bbox

    with pytest.raises(ValueError, match="bbox"):
        parse_bbox(text)


def test_zooms_parse() -> None:
    from console.models.map.tiles import parse_zooms

    assert parse_zooms("10-12") == [10, 11, 12]
    assert parse_zooms("14,12") == [12, 14]
    with pytest.raises(ValueError):
        parse_zooms("12-25")
    with pytest.raises(ValueError):
        parse_zooms("x")


def test_zone_bounds_never_exclude_a_point_the_zone_holds() -> None:
    """The box ZoneFinder tests first holds every point geometry_contains accepts: circles at
    several latitudes (near a pole, across the antimeridian), polygons, a multipolygon."""
    import random

    from console.models.map.geometry import geometry_bounds, in_bounds

    zones = [({"type": "Point", "coordinates": [lon, lat]}, radius)
             for lon, lat in ((2.35, 48.85), (179.99, 10.0), (-45.0, 80.0), (10.0, -89.5))
             for radius in (50.0, 3_000.0, 400_000.0)]
    zones += [({"type": "Polygon", "coordinates": SQUARE + [HOLE]}, None),
              ({"type": "MultiPolygon", "coordinates": [SQUARE, [[[3.0, 49.0], [3.1, 49.0],
                                                                  [3.1, 49.1], [3.0, 49.0]]]]},
               None)]
    rng = random.Random(13)
    for geometry, radius in zones:
        bounds = geometry_bounds(geometry, radius)
        centre_lon, centre_lat = (geometry["coordinates"] if radius else (2.6, 48.9))
        held = 0
        # Points around the zone, up to half as far again as its edge.
        lat_spread = 1.5 * (radius / 111_195 if radius else 0.2)
        lon_spread = min(180.0, lat_spread / max(math.cos(math.radians(centre_lat)), 0.005))
        for _ in range(4000):
            lat = max(-90.0, min(90.0, centre_lat + rng.uniform(-lat_spread, lat_spread)))
            lon = (centre_lon + rng.uniform(-lon_spread, lon_spread) + 180) % 360 - 180
            if geometry_contains(geometry, lat, lon, radius):
                held += 1
                assert in_bounds(bounds, lat, lon), (geometry, radius, lat, lon)
        assert held > 0  # the test did try points inside
