"""GeoJSON and KML: zones stay zones, GDAL's files read back, round trips keep who, where, status."""
from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from console.models.entities import Event
from console.models.eventlog.log import EventLog
from console.models.eventlog.query import EventFilter
from console.models.exchange.geo import export_geojson, zone_feature
from console.models.exchange.kml_export import export_kml
from console.models.exchange.operations import import_geojson, import_kml
from console.models.validation import EventDraft
from exchange.conftest import ACTOR, counts, make_store
from exchange.mixed_events import IMPORTER, make_mixed_events, tally

needs_gdal = pytest.mark.skipif(shutil.which("ogr2ogr") is None, reason="gdal-bin missing")


def ogr2ogr(driver: str, out: Path, source: Path, *options: str) -> Path:
    subprocess.run(["ogr2ogr", "-f", driver, *options, str(out), str(source)], check=True,
                   capture_output=True)
    return out


def _zones(eventlog: EventLog) -> None:
    eventlog.create_zone(ACTOR, "Périmètre SDF", "circle",
                         {"type": "Point", "coordinates": [2.36, 48.924]}, radius_m=300)
    eventlog.create_zone(ACTOR, "Zone nord", "polygon", {"type": "Polygon", "coordinates": [
        [[2.35, 48.92], [2.37, 48.92], [2.37, 48.93], [2.35, 48.92]]]})


def test_zone_features_say_zone_and_keep_their_own_kind(store, eventlog, tmp_path):
    _zones(eventlog)
    make_mixed_events(eventlog, 3)
    path = tmp_path / "out.geojson"
    with store.session() as session:
        assert export_geojson(session, EventFilter(), path) == (3, 2)
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    zones = [f["properties"] for f in features if f["properties"]["kind"] == "zone"]
    assert sorted(z["zone_kind"] for z in zones) == ["circle", "polygon"]
    assert [f["properties"]["kind"] for f in features].count("event") == 3
    other = make_store(tmp_path / "other.sqlite3")
    report = import_geojson(EventLog(other), IMPORTER, path.read_bytes())
    assert len(report.created) == 3 and not report.refused  # zones are not events
    other.close()


def test_zone_feature_of_a_circle(store, eventlog):
    zone, _ = eventlog.create_zone(ACTOR, "Cercle", "circle",
                                   {"type": "Point", "coordinates": [2.3, 48.8]}, radius_m=50)
    properties = zone_feature(zone)["properties"]
    assert (properties["kind"], properties["zone_kind"], properties["radius_m"]) == (
        "zone", "circle", 50)


@needs_gdal
def test_geojson_through_gdal_keeps_status_centre_and_author(store, eventlog, tmp_path):
    make_mixed_events(eventlog, 60)
    source = tmp_path / "export.geojson"
    with store.session() as session:
        export_geojson(session, EventFilter(), source)
    through = ogr2ogr("GeoJSON", tmp_path / "gdal.geojson", source)
    other = make_store(tmp_path / "other.sqlite3")
    report = import_geojson(EventLog(other), IMPORTER, through.read_bytes())
    assert len(report.created) == 60 and not report.refused
    before, after = tally(store), tally(other)
    assert after == before
    assert sum(n for (status, _, _), n in before.items() if status == "closed") > 10
    assert len({centre for _, centre, _ in before}) == 3
    with store.session() as session, other.session() as copy:
        originals = {e.id: e for e in session.scalars(select(Event))}
        for event in copy.scalars(select(Event)):
            original = originals[event.id]  # same ids
            assert (event.title, event.category, event.severity, event.flagged_for_authorities
                    ) == (original.title, original.category, original.severity,
                          original.flagged_for_authorities)
            # GDAL keeps milliseconds only.
            assert abs(event.occurred_at - original.occurred_at) < timedelta(milliseconds=1)
    # Again: nothing new.
    assert import_geojson(EventLog(other), IMPORTER, through.read_bytes()).created == []
    other.close()


@needs_gdal
def test_kml_round_trips_keep_status_centre_and_author(store, eventlog, tmp_path):
    make_mixed_events(eventlog, 30)
    ours = tmp_path / "export.kml"
    geojson = tmp_path / "export.geojson"
    with store.session() as session:
        export_kml(session, EventFilter(), ours)
        export_geojson(session, EventFilter(), geojson)
    files = {"our KML": ours,
             "our KML through GDAL": ogr2ogr("KML", tmp_path / "gdal1.kml", ours),
             "our GeoJSON made KML by GDAL": ogr2ogr("KML", tmp_path / "gdal2.kml", geojson)}
    for name, path in files.items():
        other = make_store(tmp_path / f"{name}.sqlite3")
        report = import_kml(EventLog(other), IMPORTER, path.read_bytes())
        assert (len(report.created), report.refused) == (30, []), name
        assert tally(other) == tally(store), name
        assert import_kml(EventLog(other), IMPORTER, path.read_bytes()).created == [], name
        other.close()


@needs_gdal
def test_gdal_geojson_without_ids_gets_stable_ids_from_its_content(store, eventlog, tmp_path):
    when = (datetime.now(UTC) - timedelta(hours=1)).isoformat(timespec="seconds")
    csv = tmp_path / "points.csv"
    csv.write_text("title,category,severity,occurred_at,lon,lat\n"
                   f"Foule porte A,crowd,2,{when},2.36,48.92\n"
                   f"Malaise,health,1,{when},2.30,48.85\n"
                   f"Foule porte A,crowd,2,{when},2.36,48.92\n", encoding="utf-8")
    path = ogr2ogr("GeoJSON", tmp_path / "points.geojson", csv,
                   "-oo", "X_POSSIBLE_NAMES=lon", "-oo", "Y_POSSIBLE_NAMES=lat",
                   "-oo", "KEEP_GEOM_COLUMNS=NO")
    features = json.loads(path.read_text())["features"]
    assert all("id" not in f and "id" not in f["properties"] for f in features)
    report = import_geojson(eventlog, ACTOR, path.read_bytes())
    # The third line is the first one again: the same content, the same id.
    assert (len(report.created), len(report.already_present), report.refused) == (2, 1, [])
    assert counts(store) == (2, 2)
    again = import_geojson(eventlog, ACTOR, path.read_bytes())
    assert again.created == [] and counts(store) == (2, 2)
    with store.session() as session:
        origins = set(session.scalars(select(Event.origin)))
    assert all(origin.startswith("geojson:") for origin in origins)


def test_foreign_geojson_is_imported_as_the_importers_and_open(store, eventlog):
    when = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    event_id = str(uuid.uuid4())
    document = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "id": event_id,
        "geometry": {"type": "Point", "coordinates": [2.35, 48.85]},
        "properties": {"title": "Relayé", "category": "crowd", "severity": "3",
                       "occurred_at": when, "centre_code": "ELSEWHERE", "author": "stranger",
                       "status": "closed", "flagged_for_authorities": 1}}]}
    report = import_geojson(eventlog, ACTOR, json.dumps(document).encode())
    assert len(report.created) == 1
    assert any("not a console of this deployment" in why for _, why in report.warnings)
    with eventlog.store.session() as session:
        event = session.scalar(select(Event))
    assert (event.author, event.centre_code, event.status) == ("demo.operator", "CNCS", "open")
    assert event.origin == f"geojson:{event_id}" and str(event.id) != event_id
    assert (event.severity, event.flagged_for_authorities) == (3, True)


FOREIGN_KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
  <Placemark><name>Point de rassemblement</name><description>Nord</description>
    <TimeStamp><when>{when}</when></TimeStamp>
    <Point><coordinates>2.36,48.92,0</coordinates></Point></Placemark>
  <Placemark><name>Cortège</name><TimeStamp><when>{when}</when></TimeStamp>
    <ExtendedData><Data name="category"><value>crowd</value></Data>
      <Data name="severity"><value>3</value></Data></ExtendedData>
    <LineString><coordinates>2.30,48.80 2.40,48.90</coordinates></LineString></Placemark>
  <Placemark><name>Zone</name><TimeStamp><when>{when}</when></TimeStamp>
    <Polygon><outerBoundaryIs><LinearRing><coordinates>
      2.0,48.0 3.0,48.0 3.0,49.0 2.0,48.0</coordinates></LinearRing></outerBoundaryIs>
    <innerBoundaryIs><LinearRing><coordinates>2.1,48.1 2.2,48.1 2.1,48.1</coordinates>
    </LinearRing></innerBoundaryIs></Polygon></Placemark>
  <Placemark><name>Sans date</name><Point><coordinates>2.3,48.8</coordinates></Point></Placemark>
  <Placemark><name>Mauvais point</name><TimeStamp><when>{when}</when></TimeStamp>
    <Point><coordinates>abc</coordinates></Point></Placemark>
</Document></kml>"""


def test_foreign_kml_points_lines_and_polygons(store, eventlog):
    when = (datetime.now(UTC) - timedelta(hours=2)).isoformat(timespec="seconds")
    report = import_kml(eventlog, ACTOR, FOREIGN_KML.format(when=when).encode())
    assert len(report.created) == 3
    assert [label for label, _ in report.refused] == ["placemark 4 (Sans date)",
                                                      "placemark 5 (Mauvais point)"]
    assert "no time given" in report.refused[0][1] and "coordinates" in report.refused[1][1]
    with store.session() as session:
        events = {e.title: e for e in session.scalars(select(Event))}
    point = events["Point de rassemblement"]
    assert (point.latitude, point.longitude, point.description) == (48.92, 2.36, "Nord")
    assert (point.category, point.severity) == ("logistics", 2)  # defaults, said in warnings
    line = events["Cortège"]
    assert (line.category, line.severity) == ("crowd", 3)
    assert (line.latitude, line.longitude) == pytest.approx((48.85, 2.35))
    zone = events["Zone"]
    assert (zone.latitude, zone.longitude) == pytest.approx((48 + 1 / 3, 2 + 2 / 3))
    warnings = [why for _, why in report.warnings]
    assert "no category given: logistics" in warnings
    assert "LineString: placed at the mean of its 2 vertices" in warnings
    assert len(import_kml(eventlog, ACTOR, FOREIGN_KML.format(when=when).encode())
               .already_present) == 3


@pytest.mark.parametrize("data, message", [
    (b"<kml><Placemark>", "not well-formed"),
    (b'<!DOCTYPE kml [<!ENTITY x "y">]><kml>&x;</kml>', "DTD or entities"),
    (b"<gpx/>", "not a KML document"),
])
def test_kml_refused_files(store, eventlog, data, message):
    from console.models.exchange.geo import GeoError

    with pytest.raises(GeoError, match=message):
        import_kml(eventlog, ACTOR, data)
    assert counts(store) == (0, 0)


def test_export_then_import_closed_event_into_the_same_store_adds_nothing(store, eventlog,
                                                                         tmp_path):
    make_mixed_events(eventlog, 5)
    path = tmp_path / "x.geojson"
    with store.session() as session:
        export_geojson(session, EventFilter(), path)
        before = session.scalar(select(func.count()).select_from(Event))
    assert import_geojson(eventlog, ACTOR, path.read_bytes()).created == []
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Event)) == before


def test_a_typed_event_without_position_round_trips_through_geojson(store, eventlog, tmp_path):
    event, _ = eventlog.create_event(ACTOR, EventDraft(
        title="Sans position", category="media", severity=1,
        occurred_at=datetime.now(UTC) - timedelta(minutes=1)))
    path = tmp_path / "x.geojson"
    with store.session() as session:
        export_geojson(session, EventFilter(), path)
    other = make_store(tmp_path / "other.sqlite3")
    assert import_geojson(EventLog(other), IMPORTER, path.read_bytes()).created == [event.id]
    other.close()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3), max_leaves=8)
PROPERTY_NAMES = st.sampled_from(["title", "category", "severity", "occurred_at", "id", "kind",
                                  "centre_code", "author", "status", "closed_at", "zone_id",
                                  "flagged_for_authorities", "origin", "place", "name"])


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(features=st.lists(st.fixed_dictionaries({
    "type": st.just("Feature"), "id": JSON_VALUES,
    "geometry": st.none() | JSON_VALUES | st.fixed_dictionaries({
        "type": st.sampled_from(["Point", "Polygon"]), "coordinates": JSON_VALUES}),
    "properties": st.none() | st.dictionaries(PROPERTY_NAMES, JSON_VALUES, max_size=8)}),
    max_size=4))
def test_fuzzed_geojson_features_are_imported_or_refused(store, eventlog, features):
    """Whatever the features hold: each is imported, already present, refused, or a zone."""
    document = {"type": "FeatureCollection", "features": features}
    data = json.dumps(document, allow_nan=True).encode()
    report = import_geojson(eventlog, ACTOR, data, dry_run=True)
    zones = sum(1 for f in features if isinstance(f["properties"], dict)
                and f["properties"].get("kind", "event") != "event")
    assert len(report.created) + len(report.already_present) + len(report.refused) + zones \
        == len(features)


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(coordinates=st.text(alphabet="0123456789.,- \n", max_size=30),
       when=st.text(alphabet="0123456789-/:TZ+. ", max_size=30),
       geometry=st.sampled_from(["Point", "LineString", "Polygon", "MultiGeometry"]))
def test_fuzzed_kml_placemarks_are_imported_or_refused(store, eventlog, coordinates, when,
                                                       geometry):
    data = (f'<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>P</name>'
            f"<TimeStamp><when>{when}</when></TimeStamp><{geometry}><coordinates>{coordinates}"
            f"</coordinates></{geometry}></Placemark></kml>").encode()
    report = import_kml(eventlog, ACTOR, data, dry_run=True)
    assert len(report.created) + len(report.refused) == 1


def test_a_closure_time_without_offset_is_not_guessed(store, eventlog, tmp_path):
    make_mixed_events(eventlog, 12)
    path = tmp_path / "x.geojson"
    with store.session() as session:
        export_geojson(session, EventFilter(), path)
    document = json.loads(path.read_text(encoding="utf-8"))
    closed = [f for f in document["features"] if f["properties"]["status"] == "closed"]
    assert closed
    for feature in closed:
        feature["properties"]["closed_at"] = "2026-01-01T10:00:00"  # no offset
    other = make_store(tmp_path / "other.sqlite3")
    report = import_geojson(EventLog(other), IMPORTER, json.dumps(document).encode())
    assert len(report.created) == 12 and not report.refused
    assert sum("has no time zone" in why for _, why in report.warnings) == len(closed)
    assert tally(other) == tally(store)
    other.close()
