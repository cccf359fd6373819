"""CSV import at the edges: long values, date + time columns, physical line numbers, clock
changes, whole-or-nothing, and the bulk writer keeping every invariant of a typed entry."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

from console.models.entities import Event
from console.models.eventlog.query import EventFilter, count_events
from console.models.exchange.csvimport import preview_csv
from console.models.exchange.csvwrite import CsvRefused
from console.models.exchange.importing import origin_id
from console.models.exchange.operations import import_csv
from console.models.local_tables import OutboxEntry
from console.models.records import from_record, to_record
from exchange.conftest import ACTOR, counts

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def _preview(body: str, tz: ZoneInfo = PARIS, **options):  # noqa: ANN003, ANN202
    return preview_csv(body.encode("utf-8"), "autre", NOW, tz=tz, **options)


def _times(preview) -> list[datetime]:  # noqa: ANN001
    return [line.item.draft.occurred_at.astimezone(UTC) for line in preview.accepted]


# -- 1. a value longer than the csv module's default limit (131,072 characters) --------------

def test_over_long_value_is_refused_on_its_line_and_the_rest_is_read():
    long_text = "x" * 131_073
    preview = _preview("ref;titre;catégorie;gravité;date;description;remarque\n"
                       f"1;Court;crowd;2;01/10/2026 10:00;ok;{long_text}\n"
                       f'2;Long;crowd;2;01/10/2026 11:00;"{long_text}";\n'
                       "3;Après;crowd;2;01/10/2026 12:00;;\n")
    assert [line.number for line in preview.accepted] == [2, 4]  # a long ignored column is fine
    assert preview.refused == [
        (3, "description: is too long (131073 characters, at most 20000)")]


# -- 2. separate date and time columns ---------------------------------------------------------

@pytest.mark.parametrize("header, rows", [
    ("ref;Titre;Catégorie;Gravité;Date;Heure", ["1;A;crowd;2;26/07/2024;18:30",
                                                "2;B;crowd;2;27/07/2024;07h05"]),
    ("ref,Title,Category,Severity,Date,Time", ["1,A,crowd,2,2024-07-26,18:30",
                                              "2,B,crowd,2,2024-07-27,07:05:00"]),
    ("ref,Title,Category,Severity,Date,Time", ["1,A,crowd,2,26/07/2024,18:30",
                                              "2,B,crowd,2,2024-07-27,07:05+02:00"]),
])
def test_date_and_time_columns_are_combined(header, rows):
    preview = _preview("\n".join([header, *rows]) + "\n")
    assert preview.refused == []
    assert _times(preview) == [datetime(2024, 7, 26, 16, 30, tzinfo=UTC),
                               datetime(2024, 7, 27, 5, 5, tzinfo=UTC)]
    assert set(preview.columns) >= {"date", "time"}


def test_a_date_without_its_time_is_refused_not_taken_as_midnight():
    preview = _preview("ref;titre;catégorie;gravité;date;heure\n"
                       "1;A;crowd;2;26/07/2024;\n"
                       "2;B;crowd;2;26/07/2024;25:00\n"
                       "3;C;crowd;2;26/07/2024 09:15;\n")
    assert dict(preview.refused)[2] == ("occurred_at: the date '26/07/2024' has no time: "
                                        "the time column is empty")
    assert "not a date-time" in dict(preview.refused)[3]
    assert _times(preview) == [datetime(2024, 7, 26, 7, 15, tzinfo=UTC)]  # time in the date
    one_column = _preview("ref;titre;catégorie;gravité;date\n1;A;crowd;2;26/07/2024\n")
    assert "has a date but no time of day" in one_column.refused[0][1]


def test_a_date_time_column_wins_over_date_and_time():
    preview = _preview("ref,title,category,severity,occurred_at,date,time\n"
                       "1,A,crowd,2,2024-07-26T18:30:00+02:00,01/01/2020,00:00\n")
    assert _times(preview) == [datetime(2024, 7, 26, 16, 30, tzinfo=UTC)]
    assert preview.ignored_columns == ["date", "time"]


# -- 3. physical line numbers --------------------------------------------------------------------

def test_refused_lines_are_named_by_their_physical_line_in_the_file():
    body = ('ref;titre;catégorie;gravité;date;description\n'   # line 1
            '1;Foule;crowd;2;01/10/2026 10:00;"premier\n'      # line 2: a record on 3 lines
            'deuxième\n'                                        # line 3
            'troisième"\n'                                      # line 4
            '\n'                                                # line 5: blank
            '2;;crowd;2;01/10/2026 10:00;sans titre\n'          # line 6
            '3;Ok;crowd;2;01/10/2026 10:00;"a\r\nb"\r\n'        # line 7-8, CRLF inside
            '4;Tard;crowd;9;01/10/2026 10:00;\n')               # line 9
    preview = _preview(body)
    assert [line.number for line in preview.accepted] == [2, 7]
    assert [number for number, _ in preview.refused] == [6, 9]
    assert preview.accepted[0].item.draft.description == "premier\ndeuxième\ntroisième"


# -- 4. clock changes ----------------------------------------------------------------------------

CLOCKS = ("ref;titre;catégorie;gravité;date\n"
          "1;Saut;crowd;2;29/03/2026 02:30\n"        # does not exist in Paris
          "2;Double;crowd;2;25/10/2026 02:30\n"      # happens twice
          "3;Double avec décalage;crowd;2;2026-10-25T02:30+01:00\n"
          "4;Normal;crowd;2;25/10/2026 04:00\n")


def test_a_time_the_clocks_skip_is_refused_and_a_repeated_one_needs_its_offset():
    preview = _preview(CLOCKS)
    refused = dict(preview.refused)
    assert refused[2] == ("occurred_at: 29/03/2026 02:30 does not exist in Europe/Paris: the "
                          "clocks go forward at that hour; check the time or write its offset")
    assert refused[3].startswith("occurred_at: 25/10/2026 02:30 happens twice in Europe/Paris")
    assert "2026-10-25T02:30+02:00 for the first, +01:00 for the second" in refused[3]
    assert _times(preview) == [datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
                               datetime(2026, 10, 25, 3, 0, tzinfo=UTC)]


@pytest.mark.parametrize("choice, hour", [("earlier", 0), ("later", 1)])
def test_the_import_may_say_which_repeated_time_it_means(choice, hour):
    preview = _preview(CLOCKS, ambiguous=choice)
    assert [number for number, _ in preview.refused] == [2]  # the skipped time stays refused
    assert _times(preview)[0] == datetime(2026, 10, 25, hour, 30, tzinfo=UTC)


def test_clock_changes_of_the_importing_centres_zone():
    new_york = ZoneInfo("America/New_York")
    preview = _preview("ref;titre;catégorie;gravité;date;heure\n"
                       "1;A;crowd;2;08/03/2026;02:30\n"      # skipped in New York
                       "2;B;crowd;2;01/11/2026;01:30\n"      # repeated in New York
                       "3;C;crowd;2;29/03/2026;02:30\n", tz=new_york)  # Paris' gap: fine here
    refused = dict(preview.refused)
    assert "does not exist in America/New_York" in refused[2]
    assert "happens twice in America/New_York" in refused[3]
    assert _times(preview) == [datetime(2026, 3, 29, 6, 30, tzinfo=UTC)]


# -- 5. whole or nothing, and the bulk writer's invariants ---------------------------------------

def _file(lines: int, bad_line: int | None = None) -> bytes:
    rows = ["ref;titre;catégorie;gravité;date;latitude;longitude;description"]
    for i in range(lines):
        severity = "énorme" if i + 2 == bad_line else str(1 + i % 4)
        rows.append(f"R-{i};Foule gare {i};crowd;{severity};{1 + i % 28:02d}/03/2025 "
                    f"{i % 24:02d}:{i % 60:02d};48,{9200 + i % 50};2,{3600 + i % 50};texte {i}")
    return ("\n".join(rows) + "\n").encode("utf-8")


def test_a_file_with_a_refused_line_writes_nothing_unless_told(store, eventlog):
    data = _file(1200, bad_line=1100)
    with pytest.raises(CsvRefused, match="line 1100: severity: unknown severity 'énorme'"):
        import_csv(eventlog, ACTOR, data, "big")
    assert counts(store) == (0, 0)
    _, report = import_csv(eventlog, ACTOR, data, "big", skip_refused=True)
    assert len(report.created) == 1199 and report.refused[0][0] == "line 1100"
    assert counts(store) == (1199, 1199)


def test_bulk_import_keeps_outbox_fts_and_zone_tagging(store, eventlog):
    zone, _ = eventlog.create_zone(ACTOR, "Périmètre gare", "circle",
                                   {"type": "Point", "coordinates": [2.3625, 48.9225]},
                                   radius_m=2000)
    fractions: list[float] = []
    _, report = import_csv(eventlog, ACTOR, _file(1200), "big",
                           progress=lambda fraction, _text: fractions.append(fraction))
    assert len(report.created) == 1200 and report.changes.new_events == set(report.created)
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(fractions) >= 4
    with store.session() as session:
        events = {e.id: e for e in session.scalars(select(Event))}
        outbox = [e for e in session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq))
                  if e.kind == "insert:events"]
        # The same record a typed entry queues (every column, the same values), one per
        # event, in the file's order.
        assert [from_record(Event, json.loads(e.payload)) for e in outbox] == [
            from_record(Event, to_record(events[event_id])) for event_id in report.created]
        assert set(json.loads(outbox[0].payload)) == set(to_record(events[report.created[0]]))
        assert {e.author for e in outbox} == {"demo.operator"}
        first = events[origin_id("csv:big/R-0")]
        assert (first.centre_code, first.author, first.status) == ("CNCS", "demo.operator", "open")
        assert first.zone_id == zone.id  # tagged with the perimeter it falls in
        assert count_events(session, EventFilter(text="gare")) == 1200  # full-text index
        assert session.scalar(text("SELECT count(*) FROM events_fts")) == 1200
    again = import_csv(eventlog, ACTOR, _file(1200), "big")[1]
    assert again.created == [] and len(again.already_present) == 1200
    assert counts(store) == (1200, 1201)  # 1200 events + the zone's entry
