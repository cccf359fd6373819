"""Situation report from the demo scenario: PDF text and HTML checked against the store."""
from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from console.models.entities import Event, FollowUp
from console.models.eventlog.query import EventFilter, count_events
from console.models.reports.data import ReportRequest
from console.models.reports.lists import MAX_LISTED_DECISIONS
from console.models.reports.template import TemplateError
from reports.conftest import DEMO_END

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "report_page1.png"


@pytest.fixture(scope="module")
def app():
    from console.views.reports.builder import ensure_application

    return ensure_application()


def pdf_text(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    text = subprocess.run(["pdftotext", "-layout", *pages, str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    return unicodedata.normalize("NFKC", text)  # the PDF fonts use fi/fl ligatures


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True,
                          text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def figure(text: str, label: str) -> str:
    """The value printed right of (or under) a headline label in the PDF text."""
    match = re.search(re.escape(label) + r"\s+([\d]+(?: h \d\d| min)?|-)", text)
    assert match, f"{label!r} not found"
    return match.group(1)


def test_week_report_matches_the_store(app, demo_store, tmp_path):
    from console.views.reports.builder import build_report

    start = DEMO_END - timedelta(days=7)
    request = ReportRequest(time_from=start, time_to=DEMO_END, author="demo.operator")
    pdf, html_path = tmp_path / "week.pdf", tmp_path / "week.html"
    result = build_report(demo_store, request, pdf, html_path, now=DEMO_END)
    text = pdf_text(pdf)

    period = EventFilter(time_from=start, time_to=DEMO_END)
    with demo_store.session() as session:
        total = count_events(session, period)
        still_open = count_events(session, EventFilter(time_from=start, time_to=DEMO_END,
                                                       statuses={"open", "in_progress"}))
        critical_open = count_events(session, EventFilter(
            time_from=start, time_to=DEMO_END, statuses={"open", "in_progress"},
            severities={4}))
        flagged = session.scalar(select(func.count()).select_from(Event).where(
            Event.occurred_at >= start, Event.occurred_at < DEMO_END,
            Event.flagged_for_authorities.is_(True)))
        decisions = session.scalar(select(func.count()).select_from(FollowUp).join(
            Event, Event.id == FollowUp.event_id).where(
            FollowUp.kind == "decision", Event.occurred_at >= start,
            Event.occurred_at < DEMO_END))
    assert total > 7000
    assert figure(text, "Événements") == str(total)
    assert figure(text, "Encore ouverts en fin de période") == str(still_open)
    assert figure(text, "Critiques encore ouverts") == str(critical_open)
    assert figure(text, "Signalés aux autorités") == str(flagged)
    assert figure(text, "Décisions") == str(decisions)
    assert figure(text, "Délai moyen de prise en compte") == "6 min"  # the demo acks in 0.5-12 min
    assert f"{decisions} décisions prises pendant la période." in text
    listed = min(decisions, MAX_LISTED_DECISIONS)
    start = text.index(f"{decisions} décisions prises")
    section = text[start:text.index("Carte", start)]
    assert section.count("Décision: ") == listed
    # On duty: what the roster says at the end of the period (here: no published roster).
    from console.models.reports.stats import staffing

    with demo_store.session() as session:
        staff = staffing(session, DEMO_END, None)
    on_duty = text[text.index("Personnel de permanence"):]
    if staff.available:
        assert all(name in on_duty for name in staff.on_duty)
    else:
        assert "Aucun planning publié ne couvre ce moment." in on_duty
    assert "EXERCICE" not in text
    # Every page carries its number; the count agrees with the PDF itself.
    pages = pdf_pages(pdf)
    assert pages == result.pages > 3
    assert f"page {pages} / {pages}" in text

    html = html_path.read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == 4  # 3 charts + map, embedded
    assert "src='http" not in html and "src=\"http" not in html  # nothing fetched when opened
    assert str(total) in html

    # First page rendered to an image (looked at by hand, kept in docs/screenshots).
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(tmp_path / "page1")], check=True)
    image = tmp_path / "page1.png"
    assert image.stat().st_size > 50_000  # charts and tables, not a blank page
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(image, SCREENSHOT)


def test_scoped_report_and_exercise_mark_on_every_page(app, demo_store, tmp_path):
    from console.views.reports.builder import build_report

    start = DEMO_END - timedelta(hours=24)
    request = ReportRequest(time_from=start, time_to=DEMO_END, centre="PP",
                            category="security", exercise=True)
    pdf = tmp_path / "pp.pdf"
    result = build_report(demo_store, request, pdf, None, now=DEMO_END)
    with demo_store.session() as session:
        total = count_events(session, EventFilter(time_from=start, time_to=DEMO_END,
                                                  centres={"PP"}, categories={"security"}))
    text = pdf_text(pdf)
    assert figure(text, "Événements") == str(total) and total > 0
    assert "centre PP" in text and "catégorie Sécurité" in text
    for page in range(1, result.pages + 1):
        assert "EXERCICE / EXERCISE" in pdf_text(pdf, page), f"page {page} unmarked"


def test_centre_template_overrides_the_default(app, demo_store, tmp_path):
    from console.config import data_dir
    from console.models.reports.template import template_path
    from console.views.reports.builder import build_report

    folder = data_dir() / "report_templates"
    folder.mkdir(parents=True)
    (folder / "PP.html").write_text(
        "<html><body><h1>Préfecture de police - $title</h1>$headline $events</body></html>",
        encoding="utf-8")
    assert template_path("PP") == folder / "PP.html"
    assert template_path("CNCS").name == "default.html"
    request = ReportRequest(time_from=DEMO_END - timedelta(hours=6), time_to=DEMO_END,
                            centre="PP", exercise=True)
    out = tmp_path / "pp.html"
    build_report(demo_store, request, None, out, now=DEMO_END)
    html = out.read_text(encoding="utf-8")
    assert "Préfecture de police" in html
    assert "EXERCICE / EXERCISE" in html  # marked even though the template forgot the banner
    (folder / "PP.html").write_text("<p>$no_such_thing</p>", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"\$no_such_thing"):
        build_report(demo_store, request, None, tmp_path / "bad.html", now=DEMO_END)
    assert not (tmp_path / "bad.html").exists()


def test_bad_requests_are_refused(demo_store, tmp_path):
    with pytest.raises(ValueError, match="end must come after"):
        ReportRequest(time_from=DEMO_END, time_to=DEMO_END - timedelta(hours=1)).validate()
    with pytest.raises(ValueError, match="unknown category"):
        ReportRequest(time_from=DEMO_END - timedelta(hours=1), time_to=DEMO_END,
                      category="weather").validate()


def test_command_line(app, demo_store, tmp_path, capsys):
    from security.demo_signin import demo_central

    from console.cli import main

    demo_central()  # the report reads the store as a signed-in user of centre PP
    out = tmp_path / "cli.pdf"
    code = main(["report", "--user", "pp.op1", "--store", str(demo_store.path),
                 "--from", "2026-08-11T08:00", "--to", "2026-08-11T14:00", "--out", str(out),
                 "--centre", "PP", "--language", "fr"])
    assert code == 0 and out.exists()
    err = capsys.readouterr().err
    assert "6/6 done" in err and "report written" in err
    # Times without offset are Paris time: 08:00-14:00 CEST = 06:00-12:00 UTC.
    with demo_store.session() as session:
        total = count_events(session, EventFilter(
            time_from=DEMO_END - timedelta(hours=6), time_to=DEMO_END, centres={"PP"}))
    assert figure(pdf_text(out), "Événements") == str(total)
    assert "par Lucas Bernard" in pdf_text(out)  # the signed-in user wrote it
    english = tmp_path / "cli-en.pdf"
    assert main(["report", "--user", "pp.op1", "--store", str(demo_store.path),
                 "--from", "2026-08-11T08:00", "--to", "2026-08-11T14:00", "--out",
                 str(english), "--centre", "PP", "--language", "en"]) == 0
    assert figure(pdf_text(english), "Events") == str(total)
    assert "Situation report" in pdf_text(english)
    assert main(["report", "--user", "pp.op1", "--store", str(demo_store.path), "--from",
                 "yesterday",
                 "--out", str(out)]) == 2
    assert "not a date-time" in capsys.readouterr().err
    assert main(["report", "--store", str(demo_store.path)]) == 2
