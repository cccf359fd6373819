"""CAP at the edges: broken values refused by name, batches, long texts, trust, signed alerts."""
from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from console.models.entities import Event, FollowUp
from console.models.eventlog.log import EventLog
from console.models.eventlog.query import EventFilter
from console.models.exchange.cap import CapError, read_alert
from console.models.exchange.cap_export import event_to_cap
from console.models.exchange.importing import origin_id
from console.models.exchange.operations import import_cap, import_cap_files, write_export
from console.models.exchange.trust import Deployment
from console.models.validation import MAX_TEXT, EventDraft
from exchange.conftest import ACTOR, CAP_DIR, counts, make_store
from exchange.mixed_events import IMPORTER, make_mixed_events, tally

DATA = Path(__file__).parent / "data"
A3 = (CAP_DIR / "examples" / "A3_earthquake_report_update.xml").read_text(encoding="utf-8")
DEMO = Deployment(frozenset({"CNCS", "PP", "PREF13"}),
                  frozenset({"demo.operator", "demo.supervisor", "pp.op1", "pref13.op1"}))


def _own_alert(eventlog: EventLog, **params: str) -> str:
    """One of our exports, its console:* parameters replaced by `params`."""
    event, _ = eventlog.create_event(ACTOR, EventDraft(
        title="Colis suspect", category="security", severity=3,
        occurred_at=datetime.now(UTC) - timedelta(minutes=3), latitude=48.9, longitude=2.36))
    text = event_to_cap(event, sender_centre="CNCS", exercise=False).decode()
    for name, value in params.items():
        text, found = re.subn(
            rf"(<valueName>console:{name}</valueName>\s*)(<value>[^<]*</value>|<value\s*/>)",
            rf"\g<1><value>{value}</value>", text)
        assert found == 1, name
    return text


BROKEN_AREAS = {
    "circle abc": ("<circle>32.9525,-115.5527 0</circle>", "<circle>abc</circle>", "<circle>"),
    "circle without radius": ("<circle>32.9525,-115.5527 0</circle>",
                              "<circle>32.9525,-115.5527</circle>", "<circle>"),
    "circle with three numbers": ("<circle>32.9525,-115.5527 0</circle>",
                                  "<circle>32.9,-115.5,3 0</circle>", "<circle>"),
    "circle radius text": ("<circle>32.9525,-115.5527 0</circle>",
                           "<circle>32.9525,-115.5527 wide</circle>", "<circle>"),
    "polygon 1,2 3": ("<circle>32.9525,-115.5527 0</circle>", "<polygon>1,2 3</polygon>",
                      "<polygon>"),
    "polygon letters": ("<circle>32.9525,-115.5527 0</circle>",
                        "<polygon>a,b c,d e,f a,b</polygon>", "<polygon>"),
}


@pytest.mark.parametrize("name", BROKEN_AREAS)
def test_broken_area_is_refused_naming_the_field(name, store, eventlog):
    old, new, field = BROKEN_AREAS[name]
    with pytest.raises(CapError, match=re.escape(field)) as caught:
        import_cap(eventlog, ACTOR, A3.replace(old, new).encode(), exercise=False)
    assert str(caught.value).startswith("refused: ")
    assert counts(store) == (0, 0)


BROKEN_PARAMETERS = {
    "severity abc": ({"severity": "abc"}, "console:severity"),
    "severity 9": ({"severity": "9"}, "console:severity"),
    "id not a uuid": ({"id": "not-a-uuid"}, "console:id"),
    "zone not a uuid": ({"zone": "zzz"}, "console:zone"),
    "latitude text": ({"latitude": "north"}, "console:latitude"),
    "occurred_at text": ({"occurred_at": "yesterday"}, "console:occurred_at"),
    "status unknown": ({"status": "sleeping"}, "console:status"),
}


@pytest.mark.parametrize("name", BROKEN_PARAMETERS)
def test_broken_console_parameter_is_refused_naming_it(name, store, eventlog, tmp_path):
    params, field = BROKEN_PARAMETERS[name]
    data = _own_alert(eventlog, **params).encode()
    other = make_store(tmp_path / "other.sqlite3")
    with pytest.raises(CapError, match=field):
        import_cap(EventLog(other), ACTOR, data, exercise=False)
    assert counts(other) == (0, 0)
    other.close()


def test_a_batch_imports_the_good_files_and_names_the_bad_ones(store, eventlog):
    examples = sorted((CAP_DIR / "examples").glob("*.xml"))
    files = [(examples[0].name, examples[0].read_bytes()),
             ("circle.xml", A3.replace("32.9525,-115.5527 0", "abc").encode()),
             ("polygon.xml", A3.replace("<circle>32.9525,-115.5527 0</circle>",
                                        "<polygon>1,2 3</polygon>").encode()),
             ("empty.xml", b""),
             (examples[3].name, examples[3].read_bytes())]
    report = import_cap_files(eventlog, ACTOR, files, exercise=False)
    assert len(report.created) == 2
    assert [name for name, _ in report.refused] == ["circle.xml", "polygon.xml", "empty.xml"]
    assert "<circle>" in report.refused[0][1] and "<polygon>" in report.refused[1][1]
    assert counts(store) == (2, 2)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(circle=st.text(alphabet="0123456789.,- abcE+", max_size=30),
       polygon=st.text(alphabet="0123456789.,- xE", max_size=40),
       severity=st.text(alphabet="0123456789-+. a", max_size=4))
def test_fuzzed_values_give_an_event_or_a_cap_error(circle, polygon, severity):
    """Whatever the area and the parameters hold: an alert, or a CapError, nothing else."""
    text = A3.replace("<circle>32.9525,-115.5527 0</circle>",
                      f"<circle>{circle}</circle><polygon>{polygon}</polygon>")
    text = text.replace("<parameter>", "<parameter><valueName>console:severity</valueName>"
                        f"<value>{severity}</value></parameter><parameter>", 1)
    text = text.replace("<sender>trinet@caltech.edu</sender>", "<sender>console:CNCS</sender>")
    try:
        alert = read_alert(text.encode(), exercise=False, deployment=DEMO)
    except CapError as error:
        assert str(error).startswith("refused: ")
    else:
        assert alert.incoming.draft.severity in (1, 2, 3, 4)


def test_long_description_is_cut_with_a_visible_mark_and_a_warning(store, eventlog):
    long = "x" * (MAX_TEXT + 4_321)
    data = A3.replace("A minor earthquake", long + " A minor earthquake").encode()
    # The whole text: the alert's own description with its CAP details, as when it fits.
    whole = len(read_alert(A3.encode(), exercise=False).incoming.draft.description) \
        + len(long) + 1
    report = import_cap(eventlog, ACTOR, data, exercise=False)
    with store.session() as session:
        event = session.scalar(select(Event))
    assert len(event.description) == MAX_TEXT
    mark = re.search(r" \[truncated: ([\d,]+) characters\]$", event.description)
    cut = int(mark.group(1).replace(",", ""))
    assert MAX_TEXT - len(mark.group(0)) + cut == whole  # N is exactly what was cut
    assert event.description.startswith("x" * 1000)
    assert [why for _, why in report.warnings] == [
        f"description: {whole:,} characters, more than the {MAX_TEXT:,} allowed: "
        f"the last {cut:,} were cut (marked in the text)"]


def test_signed_naads_alert_is_imported_and_the_signature_is_not_claimed(store, eventlog):
    data = (DATA / "naads_signed_alert.xml").read_bytes()
    report = import_cap(eventlog, ACTOR, data, exercise=False)
    assert len(report.created) == 1
    assert any("signature was not verified" in why for _, why in report.warnings)
    with store.session() as session:
        event = session.scalar(select(Event))
    assert event.title == "avertissement de pluie verglaçante en vigueur"  # fr-CA chosen
    assert event.origin == "cap:cap-pac@canada.ca/urn:oid:2.49.0.1.124.3371852410.2026"
    assert event.latitude == pytest.approx((45.4153 + 45.4165 + 45.7019 + 45.5247) / 4)


def test_a_broken_cap_part_of_a_signed_alert_is_still_refused(store, eventlog):
    data = (DATA / "naads_signed_alert.xml").read_text(encoding="utf-8")
    with pytest.raises(CapError, match="invalid CAP 1.2 message"):
        import_cap(eventlog, ACTOR, data.replace("<urgency>Expected</urgency>",
                                                 "<urgency>Soon</urgency>", 1).encode(),
                   exercise=False)


def test_console_parameters_from_a_stranger_are_ignored(store, eventlog, tmp_path):
    text = _own_alert(eventlog, severity="1", author="demo.supervisor", status="closed")
    forged = text.replace("<sender>console:CNCS</sender>", "<sender>console:ELSEWHERE</sender>")
    other = make_store(tmp_path / "other.sqlite3")
    report = import_cap(EventLog(other), IMPORTER, forged.encode(), exercise=False)
    with other.session() as session:
        event = session.scalar(select(Event))
    assert (event.author, event.centre_code, event.status) == ("pref13.op1", "PREF13", "open")
    assert event.severity == 3  # the CAP <severity> Severe, not console:severity 1
    assert event.id == origin_id(event.origin) and event.origin.startswith(
        "cap:console:ELSEWHERE/")
    assert any("not a console of this deployment" in why for _, why in report.warnings)
    other.close()


def test_cap_round_trip_keeps_author_centre_and_status(store, eventlog, tmp_path):
    make_mixed_events(eventlog, 24)
    folder = tmp_path / "cap"
    with store.session() as session:
        assert write_export(session, EventFilter(), "cap", folder, exercise=False,
                            sender_centre="CNCS").events == 24
    other = make_store(tmp_path / "other.sqlite3")
    files = [(p.name, p.read_bytes()) for p in sorted(folder.glob("*.xml"))]
    report = import_cap_files(EventLog(other), IMPORTER, files, exercise=False)
    assert len(report.created) == 24 and not report.refused
    assert tally(other) == tally(store)
    with store.session() as session, other.session() as copy:
        closed = {e.id: e.closed_at for e in session.scalars(
            select(Event).where(Event.status == "closed"))}
        again = {e.id: e.closed_at for e in copy.scalars(
            select(Event).where(Event.status == "closed"))}
        assert again == closed
        # The status is a follow-up of the importing user, saying where it came from.
        assert {f.author for f in copy.scalars(select(FollowUp))} == {IMPORTER.username}
    other.close()


@pytest.mark.skipif(shutil.which("xmllint") is None, reason="xmllint (libxml2-utils) missing")
def test_exports_validate_with_xmllint_against_the_oasis_schema(store, eventlog, tmp_path):
    make_mixed_events(eventlog, 6)
    eventlog.create_event(ACTOR, EventDraft(
        title="Sans position <&>", description="", category="media", severity=1,
        occurred_at=datetime.now(UTC) - timedelta(hours=1)))
    folder = tmp_path / "cap"
    with store.session() as session:
        write_export(session, EventFilter(), "cap", folder, exercise=True, sender_centre="CNCS")
    files = sorted(str(p) for p in folder.glob("*.xml"))
    assert len(files) == 7
    result = subprocess.run(["xmllint", "--noout", "--schema",
                             str(CAP_DIR / "CAP-v1.2.xsd"), *files],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count(" validates") == 7
