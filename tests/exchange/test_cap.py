"""CAP 1.2: the specification's examples import once; hostile or malformed XML changes nothing."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from console.models.entities import Event
from console.models.exchange.cap import CapError, parse, read_alert
from console.models.exchange.cap_export import event_to_cap
from console.models.exchange.importing import origin_id
from console.models.exchange.operations import import_cap
from console.models.local_tables import OutboxEntry
from console.models.records import to_record
from console.models.validation import EventDraft
from exchange.conftest import ACTOR, CAP_DIR, counts, make_store

EXAMPLES = sorted((CAP_DIR / "examples").glob("*.xml"))


def test_the_four_specification_examples_are_present():
    assert [p.name[:2] for p in EXAMPLES] == ["A1", "A2", "A3", "A4"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_specification_example_imports_once(path, store, eventlog):
    data = path.read_bytes()
    report = import_cap(eventlog, ACTOR, data, exercise=False)
    assert len(report.created) == 1 and not report.refused
    alert = read_alert(data, exercise=False)
    origin = f"cap:{alert.sender}/{alert.identifier}"
    with store.session() as session:
        event = session.scalar(select(Event).where(Event.origin == origin))
        outbox = session.scalars(select(OutboxEntry)).all()
    assert event is not None and event.id == origin_id(origin)
    # Queued for sync like a typed event.
    assert [o.kind for o in outbox] == ["insert:events"]
    assert json.loads(outbox[0].payload)["origin"] == origin
    # The same file again: nothing new.
    again = import_cap(eventlog, ACTOR, data, exercise=False)
    assert again.created == [] and len(again.already_present) == 1
    assert counts(store) == (1, 1)


def test_specification_examples_fields(store, eventlog):
    for path in EXAMPLES:
        import_cap(eventlog, ACTOR, path.read_bytes(), exercise=False)
    with store.session() as session:
        events = {e.origin: e for e in session.scalars(select(Event))}
    hsas = events["cap:hsas@dhs.gov/43b080713727"]
    assert hsas.title == "Homeland Security Sets Code ORANGE"
    assert (hsas.category, hsas.severity) == ("security", 3)  # Security / Severe
    assert hsas.occurred_at == datetime(2003, 4, 2, 19, 39, 1, tzinfo=UTC)  # sent, -05:00
    assert hsas.place == "U.S. nationwide and interests worldwide"
    assert hsas.latitude is None and "Protective Measures" in hsas.description
    storm = events["cap:KSTO@NWS.NOAA.GOV/KSTO1055887203"]
    assert storm.title == "SEVERE THUNDERSTORM WARNING"
    # Centre of the polygon (closing vertex not counted twice).
    assert storm.latitude == pytest.approx((38.47 + 38.34 + 38.52 + 38.62) / 4)
    assert storm.longitude == pytest.approx((-120.14 - 119.95 - 119.74 - 119.89) / 4)
    quake = events["cap:trinet@caltech.edu/TRI13970876.2"]
    assert (quake.latitude, quake.longitude) == (32.9525, -115.5527)
    assert quake.severity == 1 and "TRI13970876.1" in quake.description  # Update references
    amber = events["cap:KARO@CLETS.DOJ.CA.GOV/KAR0-0306112239-SW"]
    assert amber.title == "Amber Alert in Los Angeles County"  # en-US block chosen over es-US
    assert amber.source == "Los Angeles Police Dept - LAPD"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE alert [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol9;</identifier></alert>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE alert [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&secret;</identifier></alert>"""


def _example(name: str = "A1") -> str:
    return next(p for p in EXAMPLES if p.name.startswith(name)).read_text(encoding="utf-8")


HOSTILE = {
    "billion laughs": (BILLION_LAUGHS, "DTD or entities"),
    "external entity": (XXE, "DTD or entities"),
    "CAP 1.1 namespace": (_example().replace(":cap:1.2", ":cap:1.1").encode(),
                          "not a CAP 1.2 alert"),
    "no namespace": (_example().replace(' xmlns = "urn:oasis:names:tc:emergency:cap:1.2"', "")
                     .encode(), "not a CAP 1.2 alert"),
    "missing sender": (_example().replace("<sender>hsas@dhs.gov</sender>", "").encode(),
                       "invalid CAP 1.2 message"),
    "bad severity": (_example().replace("<severity>Severe</severity>",
                                        "<severity>Huge</severity>").encode(),
                     "invalid CAP 1.2 message"),
    "time without offset": (_example().replace("2003-04-02T14:39:01-05:00",
                                               "2003-04-02T14:39:01").encode(),
                            "invalid CAP 1.2 message"),
    "not well-formed": (_example()[:400].encode(), "not well-formed"),
    "no info": (_example().split("<info>")[0].encode() + b"</alert>", "no <info>"),
    "cancel": (_example().replace("<msgType>Alert</msgType>", "<msgType>Cancel</msgType>")
               .encode(), "Cancel message"),
    "test status": (_example().replace("<status>Actual</status>", "<status>Test</status>")
                    .encode(), "status 'Test'"),
    "exercise in a real session": (_example().replace("<status>Actual</status>",
                                                      "<status>Exercise</status>").encode(),
                                   "exercise message"),
    "empty": (b"", "not well-formed"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_or_malformed_message_is_refused_and_changes_nothing(name, store, eventlog):
    data, message = HOSTILE[name]
    before = counts(store)
    with pytest.raises(CapError, match=message) as caught:
        import_cap(eventlog, ACTOR, data, exercise=False)
    assert str(caught.value).startswith("refused: ")
    assert counts(store) == before


def test_exercise_alert_accepted_in_an_exercise_session(store, eventlog):
    data = _example().replace("<status>Actual</status>", "<status>Exercise</status>").encode()
    assert len(import_cap(eventlog, ACTOR, data, exercise=True).created) == 1


ROUND_TRIP_FIELDS = ("id", "title", "description", "category", "severity", "occurred_at",
                     "place", "latitude", "longitude", "source", "flagged_for_authorities",
                     "zone_id", "venue_code")


def _typed_event(eventlog):
    import uuid

    event, _ = eventlog.create_event(ACTOR, EventDraft(
        title="Colis suspect <quai> & \"porte\" 3", description="Ligne 1\nLigne 2 é à ç",
        category="crowd", severity=4,
        occurred_at=datetime.now(UTC).replace(microsecond=123456) - timedelta(minutes=12),
        place="Stade de France, porte H", latitude=48.924471, longitude=2.360151,
        source="Vidéoprotection", flagged_for_authorities=True),
        zone_id=uuid.uuid4(), venue_code="SDF")
    return event


def test_round_trip_event_cap_event_keeps_every_field(store, eventlog, tmp_path):
    from console.models.eventlog.log import EventLog

    original = _typed_event(eventlog)
    data = event_to_cap(original, sender_centre="CNCS", exercise=False)
    parse(data)  # valid against the official schema
    other = make_store(tmp_path / "other.sqlite3")
    report = import_cap(EventLog(other), ACTOR, data, exercise=False)
    assert report.created == [original.id]
    with other.session() as session:
        copy = session.scalar(select(Event).where(Event.id == original.id))
    before, after = to_record(original), to_record(copy)
    assert {k: after[k] for k in ROUND_TRIP_FIELDS} == {k: before[k] for k in ROUND_TRIP_FIELDS}
    assert copy.origin == f"cap:console:CNCS/{original.id}"
    # Importing our own export into the store it came from adds nothing.
    assert import_cap(eventlog, ACTOR, data, exercise=False).created == []
    other.close()


def test_exercise_export_is_marked(store, eventlog):
    data = event_to_cap(_typed_event(eventlog), sender_centre="CNCS", exercise=True)
    assert b"<status>Exercise</status>" in data and b"EXERCICE / EXERCISE" in data
    with pytest.raises(CapError, match="exercise message"):
        read_alert(data, exercise=False)
