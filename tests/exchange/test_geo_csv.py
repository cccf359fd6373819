"""GeoJSON round trip, KML export, CSV import with a preview and refused lines."""
from __future__ import annotations

import json
import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from console.models.entities import Event
from console.models.eventlog.log import EventLog
from console.models.eventlog.query import EventFilter
from console.models.exchange.csvimport import CsvError, preview_csv
from console.models.exchange.csvwrite import CsvRefused
from console.models.exchange.geo import GeoError, export_geojson
from console.models.exchange.importing import origin_id
from console.models.exchange.kml_export import export_kml
from console.models.exchange.operations import import_csv, import_geojson
from console.models.records import to_record
from console.models.validation import EventDraft
from exchange.conftest import ACTOR, counts, make_store

FIELDS = ("id", "title", "description", "category", "severity", "occurred_at", "place",
          "latitude", "longitude", "source", "flagged_for_authorities", "zone_id", "venue_code",
          "origin")


def _events(eventlog: EventLog) -> list[Event]:
    now = datetime.now(UTC)
    first, _ = eventlog.create_event(ACTOR, EventDraft(
        title="Mouvement de foule", description="Porte H\n\"fermée\"", category="crowd",
        severity=3, occurred_at=now.replace(microsecond=654321) - timedelta(minutes=5),
        place="Stade de France", latitude=48.92447, longitude=2.360151, source="Patrouille",
        flagged_for_authorities=True), zone_id=uuid.uuid4(), venue_code="SDF")
    second, _ = eventlog.create_event(ACTOR, EventDraft(
        title="Rumeur réseaux sociaux", category="media", severity=1,
        occurred_at=now - timedelta(hours=2)), origin="cap:other@example.org/42")
    return [first, second]


def test_geojson_round_trip_keeps_every_field(store, eventlog, tmp_path):
    originals = _events(eventlog)
    eventlog.create_zone(ACTOR, "Périmètre SDF", "circle",
                         {"type": "Point", "coordinates": [2.36, 48.924]}, radius_m=300)
    path = tmp_path / "out.geojson"
    with store.session() as session:
        assert export_geojson(session, EventFilter(), path) == (2, 1)
    document = json.loads(path.read_text(encoding="utf-8"))
    point = next(f for f in document["features"] if f["properties"]["kind"] == "event"
                 and f["geometry"])
    assert point["geometry"]["coordinates"] == [2.360151, 48.92447]  # RFC 7946: lon, lat
    other = make_store(tmp_path / "other.sqlite3")
    report = import_geojson(EventLog(other), ACTOR, path.read_bytes())
    assert sorted(report.created) == sorted(e.id for e in originals) and not report.refused
    with other.session() as session:
        copies = {e.id: to_record(e) for e in session.scalars(select(Event))}
    for original in originals:
        before, after = to_record(original), copies[original.id]
        expected = {k: before[k] for k in FIELDS}
        if expected["origin"] is None:  # typed here: the copy says where it came from
            expected["origin"] = f"console:CNCS/{original.id}"
        assert {k: after[k] for k in FIELDS} == expected
    # Twice: nothing new.
    assert import_geojson(EventLog(other), ACTOR, path.read_bytes()).created == []
    other.close()


def test_geojson_refuses_what_is_not_an_export(store, eventlog):
    for data in (b"{", b"[]", b'{"type": "Feature"}', "é".encode("latin-1")):
        with pytest.raises(GeoError, match="refused"):
            import_geojson(eventlog, ACTOR, data)
    bad = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": []},
         "properties": {"id": str(uuid.uuid4())}},
        {"type": "Feature", "geometry": None, "properties": {"id": "not-a-uuid"}}]}
    report = import_geojson(eventlog, ACTOR, json.dumps(bad).encode())
    assert len(report.refused) == 2 and report.created == []
    assert counts(store) == (0, 0)


def test_kml_export(store, eventlog, tmp_path):
    _events(eventlog)
    eventlog.create_zone(ACTOR, "Zone nord", "polygon", {"type": "Polygon", "coordinates": [
        [[2.35, 48.92], [2.37, 48.92], [2.37, 48.93], [2.35, 48.92]]]})
    path = tmp_path / "out.kml"
    with store.session() as session:
        assert export_kml(session, EventFilter(), path, exercise=True) == (1, 1)
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    root = ET.parse(path).getroot()
    placemarks = root.findall(".//k:Placemark", ns)
    assert [p.findtext("k:name", namespaces=ns) for p in placemarks] == [
        "Mouvement de foule", "Zone nord"]
    assert placemarks[0].findtext(".//k:coordinates", namespaces=ns) == "2.360151,48.924470"
    assert root.findtext("k:Document/k:name", namespaces=ns).startswith("EXERCICE / EXERCISE")


CSV = """ref;Titre;Catégorie;Gravité;Date;Lieu;Latitude;Longitude;Signalé;Remarque
A-1;Colis suspect;sécurité;critique;{recent};Gare du Nord;48,8809;2,3553;oui;x
A-2;Malaise spectateur;health;2;{recent_iso};Bercy;;;;
A-3;Sans catégorie;;2;{recent};;;;;
A-4;Date impossible;crowd;1;31/02/2024 10:00;;;;;
A-5;Gravité inconnue;crowd;énorme;{recent};;;;;
A-6;Latitude fausse;crowd;1;{recent};;95;2.3;;
;;crowd;1;{recent};;;;;
A-2;Doublon d'identifiant;crowd;1;{recent};;;;;
A-9;Dans le futur;crowd;1;{future};;;;;
A-10;Trop;de;valeurs;1;2;3;4;5;6;7;8
"""


def _csv() -> bytes:
    now = datetime.now(UTC).astimezone()
    return CSV.format(recent=(now - timedelta(hours=1)).strftime("%d/%m/%Y %H:%M"),
                      recent_iso=(now - timedelta(hours=2)).isoformat(timespec="seconds"),
                      future=(now + timedelta(days=2)).strftime("%d/%m/%Y %H:%M")
                      ).encode("utf-8-sig")


def test_csv_preview_reports_each_refused_line(store):
    preview = preview_csv(_csv(), "autre_main_courante")
    assert [line.number for line in preview.accepted] == [2, 3]
    refused = dict(preview.refused)
    assert sorted(refused) == [4, 5, 6, 7, 8, 9, 10, 11]
    assert "unknown category" in refused[4]
    assert "not a date-time" in refused[5]
    assert "unknown severity" in refused[6]
    assert "latitude" in refused[7]
    assert "title: is required" in refused[8]
    assert "already used on line 3" in refused[9]
    assert "future" in refused[10]
    assert "values for" in refused[11]
    assert preview.ignored_columns == ["Remarque"]
    first = preview.accepted[0].item
    assert first.draft.category == "security" and first.draft.severity == 4
    assert first.draft.flagged_for_authorities is True
    assert first.origin == "csv:autre_main_courante/A-1"
    assert counts(store) == (0, 0)  # a preview writes nothing


def test_csv_import_dry_run_then_real_then_again(store, eventlog):
    dry_preview, dry = import_csv(eventlog, ACTOR, _csv(), "autre", dry_run=True)
    assert len(dry.created) == 2 and len(dry.refused) == 8
    assert counts(store) == (0, 0)
    with pytest.raises(CsvRefused) as refused:  # whole or not at all: every bad line listed
        import_csv(eventlog, ACTOR, _csv(), "autre")
    assert refused.value.preview.refused == dry_preview.refused
    assert str(refused.value).count("\n  line ") == 8
    assert counts(store) == (0, 0)
    _, report = import_csv(eventlog, ACTOR, _csv(), "autre", skip_refused=True)
    assert len(report.created) == 2
    with store.session() as session:
        event = session.scalar(select(Event).where(Event.origin == "csv:autre/A-1"))
    assert event.id == origin_id("csv:autre/A-1")
    assert (event.latitude, event.longitude) == (48.8809, 2.3553)  # French decimal commas
    assert counts(store) == (2, 2)  # two events, two outbox entries
    _, again = import_csv(eventlog, ACTOR, _csv(), "autre", skip_refused=True)
    assert again.created == [] and len(again.already_present) == 2
    assert counts(store) == (2, 2)


def test_csv_without_identifier_column_is_not_duplicated(store, eventlog):
    when = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    data = f"title,category,severity,occurred_at\nA,crowd,1,{when}\nB,crowd,2,{when}\n".encode()
    assert len(import_csv(eventlog, ACTOR, data, "x")[1].created) == 2
    assert import_csv(eventlog, ACTOR, data, "x")[1].created == []


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"title;category\nA;crowd\n", "lacks the column"),
    ("titre;catégorie".encode("latin-1"), "not UTF-8"),
])
def test_csv_refused_files(store, eventlog, data, message):
    with pytest.raises(CsvError, match=message):
        import_csv(eventlog, ACTOR, data, "x")
    assert counts(store) == (0, 0)
