"""One set of labels per vocabulary: console.models.enums.label, used by reports, CSV import and
in step with the words the Qt views translate."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from console.models.actor import Actor
from console.models.demo import seed_reference
from console.models.enums import LABELLED, LANGUAGES, Category, Severity, Status, bilingual, label
from console.models.eventlog.log import EventLog
from console.models.exchange.csvimport import CATEGORY_ALIASES, SEVERITY_ALIASES, _plain
from console.models.reports.data import ReportRequest, collect
from console.models.reports.template import render_html
from console.models.store import LocalStore
from console.models.validation import EventDraft

MEMBERS = [member for vocabulary in LABELLED for member in vocabulary]
FRENCH_CATALOGUE = Path(__file__).resolve().parents[2] / "resources" / "translations" / \
    "console_fr.ts"


@pytest.mark.parametrize("member", MEMBERS, ids=lambda m: f"{type(m).__name__}.{m.name}")
def test_every_member_has_a_label_in_both_languages(member):
    for language in LANGUAGES:
        text = label(member, language)
        assert text.strip() and text != str(member.value)  # a label, not the fallback
        assert label(member.value, language) == text  # stored values read the same


def test_values_are_unique_across_vocabularies():
    # label() looks a bare stored value up in one table: two vocabularies must not share one.
    values = [member.value for member in MEMBERS]
    assert len(values) == len(set(values))


def test_unknown_values_and_languages():
    assert label("an_old_category", "fr") == "an_old_category"
    assert bilingual(Status.IN_PROGRESS) == "En cours / In progress"
    assert bilingual(Category.TRANSPORT) == "Transport"
    with pytest.raises(ValueError, match="no labels in 'de'"):
        label(Status.OPEN, "de")


def _catalogue(context: str) -> dict[str, str]:
    root = ET.parse(FRENCH_CATALOGUE).getroot()
    for element in root.iter("context"):
        if element.findtext("name") == context:
            return {m.findtext("source"): m.findtext("translation") for m in element.iter("message")}
    raise AssertionError(f"no context {context} in {FRENCH_CATALOGUE}")


def test_the_views_translate_the_same_words(qapp):
    """The log table and detail panel say in English and (via console_fr.ts) in French what
    reports and the CLI say."""
    from console.views.eventlog.detail import kind_label, link_label
    from console.views.eventlog.table_model import category_label, severity_label, status_label

    views = {Category: (category_label, "QAbstractTableModel"),
             Severity: (severity_label, "QAbstractTableModel"),
             Status: (status_label, "QAbstractTableModel")}
    from console.models.enums import FollowUpKind, LinkKind

    views |= {FollowUpKind: (kind_label, "QWidget"), LinkKind: (link_label, "QWidget")}
    assert set(views) == set(LABELLED)
    for vocabulary, (view_label, context) in views.items():
        french = _catalogue(context)
        for member in vocabulary:
            source = view_label(member.value)  # no translator installed: the English source
            assert source == label(member, "en"), member
            assert french.get(source) == label(member, "fr"), member


def test_csv_import_reads_back_every_label():
    for member in [*Category, *Severity]:
        aliases = CATEGORY_ALIASES if isinstance(member, Category) else SEVERITY_ALIASES
        for language in LANGUAGES:
            assert aliases[_plain(label(member, language))] == member.value


def test_the_report_prints_the_labels(tmp_path):
    store = LocalStore(tmp_path / "local.sqlite3")
    with store.transaction() as session:
        seed_reference(session)
    actor = Actor(username="demo.supervisor", centre_code="CNCS", role="supervisor")
    log = EventLog(store)
    event, _ = log.create_event(actor, EventDraft(title="Colis", category="security", severity=4,
                                                  occurred_at=datetime.now(UTC)))
    log.add_follow_up(actor, event.id, "status", "pris en charge", new_status="in_progress")
    now = datetime.now(UTC) + timedelta(minutes=1)
    for language, words in (("fr", ("Sécurité", "En cours", "(Statut)", "Critique")),
                            ("en", ("Security", "In progress", "(Status)", "Critical"))):
        with store.session() as session:
            data = collect(session, ReportRequest(time_from=now - timedelta(hours=1),
                                                  time_to=now, language=language), now=now)
        html = render_html(data, {}, "", template_text="$headline $open_events $categories")
        for text in words:
            assert text in html, (language, text)
    store.close()
