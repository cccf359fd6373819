"""Report and import dialogs driven like an operator would."""
from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from console.models.actor import Actor
from console.models.demo import seed_reference
from console.models.eventlog.query import EventFilter, count_events
from console.models.store import LocalStore
from console.views.shell.context import AppContext, ChangeHub

ACTOR = Actor(username="demo.operator", centre_code="CNCS", display_name="Camille Martin")
CAP_A1 = (Path(__file__).resolve().parents[2] / "resources" / "cap" / "examples"
          / "A1_homeland_security_advisory.xml")


@pytest.fixture
def context(tmp_path):
    store = LocalStore(tmp_path / "local.sqlite3")
    with store.transaction() as session:
        seed_reference(session)
    yield AppContext(store=store, actor=ACTOR, hub=ChangeHub())
    store.close()


def test_csv_preview_then_import_publishes_changes(qtbot, context, tmp_path):
    from console.views.exchange.import_dialog import ImportDialog

    when = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    path = tmp_path / "pc_sud.csv"
    path.write_text(f"id;title;category;severity;occurred_at\n1;Foule;crowd;2;{when}\n"
                    f"2;Sans gravité;crowd;;{when}\n", encoding="utf-8")
    dialog = ImportDialog(context, path=path)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(context.ops.is_idle, timeout=5000)  # a CSV file is checked off the GUI thread
    assert dialog.accepted_table.rowCount() == 1 and dialog.refused_table.rowCount() == 1
    assert "severity" in dialog.refused_table.item(0, 1).text()
    assert dialog.tabs.tabText(1) == "Refused (1)"
    with context.store.session() as session:
        assert count_events(session, EventFilter()) == 0  # preview writes nothing
    with qtbot.waitSignal(context.hub.changed, timeout=2000) as blocker:
        dialog.import_button.click()
    assert len(blocker.args[0].new_events) == 1
    assert "1 imported" in dialog.summary.text()
    dialog.load(path)  # the same file again
    qtbot.waitUntil(context.ops.is_idle, timeout=5000)
    dialog.import_button.click()
    qtbot.waitUntil(context.ops.is_idle, timeout=5000)
    assert "0 imported, 1 already present" in dialog.summary.text()


def test_cap_file_and_hostile_file(qtbot, context, tmp_path):
    from console.views.exchange.import_dialog import ImportDialog

    dialog = ImportDialog(context, path=CAP_A1)
    qtbot.addWidget(dialog)
    assert dialog.import_button.isEnabled() and "hsas@dhs.gov" in dialog.summary.text()
    bad = tmp_path / "bad.xml"
    bad.write_text('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')
    dialog.load(bad)
    assert not dialog.import_button.isEnabled() and "DTD or entities" in dialog.summary.text()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_report_dialog_writes_the_pdf(qtbot, context, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from console.views.reports.report_dialog import ReportDialog

    def no_modal(*args):  # a modal box would block the test run: fail with its text instead
        raise AssertionError(args[2])

    monkeypatch.setattr(QMessageBox, "warning", no_modal)

    context.exercise = True
    dialog = ReportDialog(context)
    qtbot.addWidget(dialog)
    out = tmp_path / "rapport.pdf"
    dialog.path.setText(str(out))
    dialog.html.setChecked(True)
    traced = []
    context.hub.export_done.connect(lambda *args: traced.append(args))
    progress_seen = []
    dialog.progress.valueChanged.connect(progress_seen.append)
    with qtbot.waitSignal(dialog.finished_report, timeout=60_000) as blocker:
        assert dialog.generate()  # started: the figures are read off the GUI thread
    assert blocker.args == [True]
    assert progress_seen[0] == 1 and progress_seen[-1] == 6  # each step was shown
    assert out.exists() and out.with_suffix(".html").exists()
    assert traced and traced[0][:2] == ("report", str(out))  # the audit trail hears of it
    assert dialog.progress.value() == 6
    assert "EXERCICE / EXERCISE" in out.with_suffix(".html").read_text(encoding="utf-8")


def test_report_dialog_writes_in_the_chosen_language_and_remembers_it(qtbot, context, tmp_path):
    from console.views.reports.report_dialog import ReportDialog
    from console.views.shell.i18n import chosen_language, report_language

    assert report_language() == chosen_language()  # nothing chosen yet: the interface's
    dialog = ReportDialog(context)
    qtbot.addWidget(dialog)
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    out = tmp_path / "rapport.pdf"
    dialog.path.setText(str(out))
    dialog.html.setChecked(True)
    with qtbot.waitSignal(dialog.finished_report, timeout=60_000) as blocker:
        assert dialog.generate()
    assert blocker.args == [True]
    html = out.with_suffix(".html").read_text(encoding="utf-8")
    assert "<html lang=\"fr\">" in html and "Point de situation" in html
    assert "Headline figures" not in html
    assert report_language() == "fr"  # the next report starts from the same choice
    again = ReportDialog(context)
    qtbot.addWidget(again)
    assert again.language.currentData() == "fr"


def test_closing_the_report_dialog_abandons_the_report(qtbot, context, tmp_path):
    from console.views.reports.report_dialog import ReportDialog

    dialog = ReportDialog(context)
    qtbot.addWidget(dialog)
    out = tmp_path / "abandoned.pdf"
    dialog.path.setText(str(out))
    outcomes = []
    dialog.finished_report.connect(outcomes.append)
    assert dialog.generate()
    dialog.reject()  # before the figures even come back from the runner
    qtbot.waitUntil(context.ops.is_idle, timeout=10_000)  # the figures came back...
    assert dialog.progress.value() == 1  # ...and no drawing step started (it would show 2)
    assert outcomes == [False] and not out.exists()
    assert dialog.generate_button.isEnabled()
