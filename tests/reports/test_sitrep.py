"""A situation report a prefect's staff can use: every figure recounted by independent SQL.

The store is written through the real event log (real SQLite) with a controlled clock, so that
follow-ups land before and after the end of the period: an event closed after the end was still
open at the end, a decision one minute after the end belongs to the next report. The recounts
read the SQLite file with the sqlite3 module and plain SQL, not the application's queries.
"""
from __future__ import annotations

import re
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from console.models.actor import Actor
from console.models.demo import seed_reference
from console.models.enums import Category, Severity, label
from console.models.eventlog import log as log_module
from console.models.eventlog.log import EventLog
from console.models.reports.data import ReportRequest
from console.models.store import LocalStore
from console.models.validation import EventDraft
from reports.conftest import DEMO_END
from reports.test_report import figure, pdf_pages, pdf_text

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")

START = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
END = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
BUILT = END + timedelta(hours=3)  # the report is written three hours after its period
OPERATOR = Actor(username="demo.operator", centre_code="CNCS", role="operator")
SUPERVISOR = Actor(username="demo.supervisor", centre_code="CNCS", role="supervisor")
LABELS = {  # headline label -> key of the recount, in each language
    "fr": {"Événements": "total", "Encore ouverts en fin de période": "open",
           "Critiques encore ouverts": "critical_open", "Signalés aux autorités": "flagged",
           "Décisions": "decisions", "Délai moyen de prise en compte": "ack",
           "Délai moyen de clôture": "close"},
    "en": {"Events": "total", "Still open at the end of the period": "open",
           "Critical still open": "critical_open", "Flagged for the authorities": "flagged",
           "Decisions": "decisions", "Mean time to acknowledge": "ack",
           "Mean time to close": "close"},
}


@pytest.fixture(scope="module")
def app():
    from console.views.reports.builder import ensure_application

    return ensure_application()


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def store(tmp_path, monkeypatch):
    """Seven events around a 6-hour period, their follow-ups written at chosen moments."""
    clock = Clock()
    monkeypatch.setattr(log_module, "utcnow", clock)
    store = LocalStore(tmp_path / "local.sqlite3")
    with store.transaction() as session:
        seed_reference(session)
    log = EventLog(store)

    def event(minutes: float, title: str, category: str, severity: int, **kw):  # noqa: ANN202
        at = END + timedelta(minutes=minutes)
        clock.now = at
        created, _ = log.create_event(OPERATOR, EventDraft(
            title=title, category=category, severity=severity, occurred_at=at,
            place=kw.pop("place", ""), flagged_for_authorities=kw.pop("flagged", False)),
            now=at, allow_past=True, **kw)
        return created.id

    def follow(minutes: float, event_id, kind: str, text: str = "", status=None) -> None:  # noqa: ANN001
        clock.now = END + timedelta(minutes=minutes)
        log.add_follow_up(SUPERVISOR, event_id, kind, text, new_status=status)

    # In progress before the end, closed after it: open at the end, listed with its venue's name.
    a = event(-300, "Colis suspect", "security", 4, venue_code="PA3")
    follow(-290, a, "ack")
    follow(-280, a, "status", status="in_progress")
    follow(-20, a, "decision", "Périmètre de sécurité de 200 m")
    follow(30, a, "status", status="closed")
    # Closed before the end: not open at the end; its decision one minute after the end is not
    # counted, the one one minute before is.
    b = event(-240, "Malaise dans la foule", "health", 3, venue_code="LDA")
    follow(-236, b, "ack")
    follow(-30, b, "status", status="closed")
    follow(-1, b, "decision", "Renfort d'un poste de secours")
    follow(1, b, "decision", "Levée du dispositif")
    # Open all along, flagged, no venue: the place as typed; acknowledged only after the end.
    c = event(-120, "Rixe rue de Rivoli", "crowd", 4, place="Rue de Rivoli", flagged=True)
    follow(45, c, "ack")
    # Closed before the end, reopened after it: closed at the end.
    e = event(-90, "Drone au-dessus du site", "security", 3, venue_code="SDF")
    follow(-60, e, "status", status="closed")
    follow(10, e, "status", status="open")
    event(-60, "Retard RER B", "transport", 2)
    event(-400, "Avant la période", "security", 4)  # before the period
    event(5, "Après la période", "health", 4)  # after the end
    follow(6, c, "decision", "Décision sur un événement ouvert, après la fin")
    yield store
    store.close()


def recount(path: Path, start: datetime, end: datetime) -> dict:
    """Every figure of the report, from the SQLite file with plain SQL."""
    def text(moment: datetime) -> str:
        return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    db = sqlite3.connect(path)
    period = {"start": text(start), "end": text(end)}
    status_at_end = """
        COALESCE((SELECT f.new_status FROM follow_ups f WHERE f.event_id = e.id
                  AND f.kind = 'status' AND f.new_status IS NOT NULL AND f.recorded_at < :end
                  ORDER BY f.recorded_at DESC, f.pk DESC LIMIT 1), 'open')"""
    rows = db.execute(f"""
        SELECT e.category, e.severity, {status_at_end} IN ('open', 'in_progress'),
               e.flagged_for_authorities
        FROM events e WHERE e.occurred_at >= :start AND e.occurred_at < :end""",
                      period).fetchall()
    decisions = db.execute("""
        SELECT count(*) FROM follow_ups f JOIN events e ON e.id = f.event_id
        WHERE f.kind = 'decision' AND f.recorded_at < :end
          AND e.occurred_at >= :start AND e.occurred_at < :end""", period).fetchone()[0]
    ack = db.execute("""
        SELECT avg((julianday(first_ack) - julianday(recorded_at)) * 86400) FROM (
            SELECT e.recorded_at, (SELECT min(f.recorded_at) FROM follow_ups f
                                   WHERE f.event_id = e.id AND f.kind = 'ack') AS first_ack
            FROM events e WHERE e.occurred_at >= :start AND e.occurred_at < :end)
        WHERE first_ack < :end""", period).fetchone()[0]
    # Closed at the end: its closing time is the first "closed" after the last reopening.
    close = db.execute(f"""
        SELECT avg((julianday(closed) - julianday(recorded_at)) * 86400) FROM (
            SELECT e.recorded_at, {status_at_end} AS status_then,
                   (SELECT min(f.recorded_at) FROM follow_ups f
                    WHERE f.event_id = e.id AND f.kind = 'status' AND f.new_status = 'closed'
                      AND f.recorded_at < :end AND f.recorded_at > COALESCE((
                          SELECT max(g.recorded_at) FROM follow_ups g
                          WHERE g.event_id = e.id AND g.kind = 'status'
                            AND g.new_status IN ('open', 'in_progress')
                            AND g.recorded_at < :end), '')) AS closed
            FROM events e WHERE e.occurred_at >= :start AND e.occurred_at < :end)
        WHERE status_then = 'closed'""", period).fetchone()[0]
    open_serious = db.execute(f"""
        SELECT e.title, e.venue_code, e.place FROM events e
        WHERE e.occurred_at >= :start AND e.occurred_at < :end AND e.severity >= 3
          AND {status_at_end} IN ('open', 'in_progress')""", period).fetchall()
    venues = dict(db.execute("SELECT code, name FROM venues"))
    db.close()
    by_category: dict[str, list[int]] = {}
    for category, severity, is_open, _ in rows:
        counts = by_category.setdefault(category, [0, 0, 0, 0, 0, 0])
        counts[0] += 1
        counts[5 - severity] += 1  # critical, high, moderate, low
        counts[5] += is_open
    return {
        "total": len(rows), "open": sum(r[2] for r in rows),
        "critical_open": sum(r[2] for r in rows if r[1] == 4),
        "flagged": sum(r[3] for r in rows), "decisions": decisions,
        "ack": duration(ack), "close": duration(close),
        "by_category": by_category,
        "open_serious": [(title, venues.get(code) or place) for title, code, place in open_serious],
    }


def duration(seconds: float | None) -> str:
    """As operators say it: '7 min', '2 h 05', '-' when nothing was measured."""
    if seconds is None:
        return "-"
    minutes = int(round(seconds / 60))
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d}"


def category_rows(text: str, language: str) -> dict[str, list[int]]:
    """The incidents-by-category table as printed: label -> [total, 4, 3, 2, 1, open at end]."""
    found = {}
    for category in Category:
        name = label(category, language)
        match = re.search(r"^\s*" + re.escape(name) + r"((?:\s+\d+){6})\s*$", text, re.M)
        if match:
            found[category.value] = [int(n) for n in match.group(1).split()]
    return found


def build(store: LocalStore, path: Path, start: datetime, end: datetime, language: str,
          now: datetime) -> str:
    from console.views.reports.builder import build_report

    request = ReportRequest(time_from=start, time_to=end, author="Cdt. Test", language=language)
    build_report(store, request, path, path.with_suffix(".html"), now=now)
    return pdf_text(path)


def section(text: str, first: str, then: str) -> str:
    start = text.index(first)
    return text[start:text.index(then, start)]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_figure_matches_an_sql_recount(app, store, tmp_path, language):
    text = build(store, tmp_path / f"report-{language}.pdf", START, END, language, BUILT)
    expected = recount(store.path, START, END)
    # The scenario holds what the recount must catch (the recount is not an echo of the report).
    assert expected["total"] == 5 and expected["open"] == 3 and expected["decisions"] == 2
    assert expected["critical_open"] == 2 and expected["ack"] == "7 min"
    assert expected["close"] == "2 h 00"  # closed 30 min after recording, and 3 h 30
    for name, key in LABELS[language].items():
        assert figure(text, name) == str(expected[key]), name
    assert category_rows(text, language) == expected["by_category"]

    words = {"fr": ("Événements critiques et graves encore ouverts", "Incidents par catégorie",
                    "décisions prises pendant la période", "Carte\n"),
             "en": ("Critical and high events still open", "Incidents by category",
                    "decisions taken during the period", "Map\n")}[language]
    # Order: page 1 headline and charts, then the open serious events, categories, decisions.
    positions = [text.index(w) for w in words]
    assert positions == sorted(positions)
    assert text.index(words[0]) > text.index("\f")  # a page of its own after the charts
    listed = section(text, words[0], words[1])
    assert sorted(title for title, _ in expected["open_serious"]) == ["Colis suspect",
                                                                      "Rixe rue de Rivoli"]
    for title, place in expected["open_serious"]:
        assert title in listed and place in listed
    assert "Pont Alexandre III" in listed and "PA3" not in listed
    assert "Malaise dans la foule" not in listed and "Drone au-dessus" not in listed
    # Statuses as of the end: the closure 30 min after the end does not show.
    assert label("in_progress", language) in listed
    decisions = section(text, words[2], words[3])
    assert "Périmètre de sécurité" in decisions and "Renfort d'un poste" in decisions
    assert "Levée du dispositif" not in decisions and "après la fin" not in decisions
    # Categories and severities in the report's language, venues by name.
    other = "en" if language == "fr" else "fr"
    for value in (Category.SECURITY, Category.CROWD, Severity.CRITICAL, Severity.HIGH):
        assert label(value, language) in text
        if label(value, other) != label(value, language):
            assert label(value, other) not in text
    assert "Paris La Défense Arena" in text


def test_an_empty_period_says_so(app, store, tmp_path):
    text = build(store, tmp_path / "empty.pdf", START - timedelta(days=30),
                 START - timedelta(days=29), "en", BUILT)
    assert figure(text, "Events") == "0"
    for sentence in ("No critical or high event was still open at the end of the period.",
                     "No incident in the period.", "No decision in the period.",
                     "No geolocated event."):
        assert sentence in text
    assert "By category: none" in text and "Generated 10/03/2026 16:00 by Cdt. Test" in text
    # The headline and charts fill page 1; the empty lists share page 2 instead of one each.
    assert pdf_pages(tmp_path / "empty.pdf") == 2


@pytest.mark.parametrize("language", ["fr", "en"])
def test_demo_report_of_a_past_day_matches_sql(app, demo_store, tmp_path, language):
    """The demo log, a day that ended six hours before its last entry: events closed since
    were open at the end of the day, decisions taken since are not counted."""
    end = DEMO_END - timedelta(hours=6)
    start = end - timedelta(hours=24)
    text = build(demo_store, tmp_path / "day.pdf", start, end, language, DEMO_END)
    expected = recount(demo_store.path, start, end)
    later = recount(demo_store.path, start, DEMO_END)
    assert expected["total"] > 500 and expected["decisions"] > 0
    for name, key in LABELS[language].items():
        assert figure(text, name) == str(expected[key]), name
    assert category_rows(text, language) == expected["by_category"]
    intro = {"fr": r"(\d+) événements? critiques? ou graves? encore ouverts?",
             "en": r"(\d+) critical or high events? still open"}[language]
    assert int(re.search(intro, text).group(1)) == len(expected["open_serious"])
    assert later["total"] >= expected["total"]  # the later window sees the events since, too


def test_map_caption_says_what_lies_outside(app, demo_store):
    from console.models.reports.reads import report_data
    from console.views.reports.mapsnap import map_snapshot

    for language, words in (("en", "lie outside the area shown on this map"),
                            ("fr", "hors de la zone représentée sur cette carte")):
        request = ReportRequest(time_from=DEMO_END - timedelta(days=7), time_to=DEMO_END,
                                language=language)
        _, caption = map_snapshot(report_data(demo_store, request, now=DEMO_END))
        assert words in caption
        assert "drawn outside the frame" not in caption
        found = re.search(r"(\d+) (?:events?|événements?) (?:lie|se trouvent)", caption)
        outside = int(found.group(1))
        # The demo has events in Marseille and Lille, far from the Paris cluster drawn.
        assert outside > 0


def test_map_counts_every_event_outside_even_when_it_draws_one_in_k(app, demo_store,
                                                                    monkeypatch):
    from console.models.reports.reads import report_data
    from console.views.reports import mapsnap

    request = ReportRequest(time_from=DEMO_END - timedelta(days=7), time_to=DEMO_END,
                            language="en")
    data = report_data(demo_store, request, now=DEMO_END)
    _, caption = mapsnap.map_snapshot(data)
    every = int(re.search(r"(\d+) events lie outside", caption).group(1))
    monkeypatch.setattr(mapsnap, "MAX_POINTS", 100)
    _, sampled = mapsnap.map_snapshot(data)
    assert "1 in 74 drawn" in sampled  # 7,399 points / 100
    assert int(re.search(r"(\d+) events lie outside", sampled).group(1)) == every


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="report language 'de'"):
        ReportRequest(time_from=START, time_to=END, language="de").validate()
