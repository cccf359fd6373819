"""The import dialog on a CSV file: checked and imported off the GUI thread with a progress bar,
the repeated hour of a clock change chosen in the dialog, refused lines left out by consent."""
from __future__ import annotations

import pytest

from console.views.shell.context import AppContext, ChangeHub
from exchange.conftest import ACTOR, counts
from exchange.test_csv_import import _file


@pytest.fixture
def context(store):
    return AppContext(store=store, actor=ACTOR, hub=ChangeHub())


def test_big_file_shows_progress_and_imports_whole(qtbot, context, store, tmp_path):
    from console.views.exchange.import_dialog import ImportDialog

    path = tmp_path / "autre.csv"
    path.write_bytes(_file(1500, bad_line=700))
    dialog = ImportDialog(context)
    qtbot.addWidget(dialog)
    seen: list[int] = []
    dialog.progress.valueChanged.connect(seen.append)
    dialog.load(path)
    qtbot.waitUntil(context.ops.is_idle, timeout=20000)
    assert dialog.tabs.tabText(0) == "To import (1499)" and dialog.tabs.tabText(1) == "Refused (1)"
    # (the English catalogue, not loaded here, says "line" or "lines")
    assert dialog.import_button.text().startswith("Import the valid lines, leave out 1 refused")
    assert any(0 < value < 100 for value in seen)  # the reading moved the bar
    seen.clear()
    with qtbot.waitSignal(context.hub.changed, timeout=20000) as changed:
        dialog.import_button.click()
    assert len(changed.args[0].new_events) == 1499
    assert any(0 < value < 100 for value in seen)  # and so did the writing
    assert dialog.progress.isHidden() and "1499 imported" in dialog.summary.text()
    assert counts(store) == (1499, 1499)


def test_repeated_hour_chosen_in_the_dialog(qtbot, context, store, tmp_path):
    from console.views.exchange.import_dialog import ImportDialog

    path = tmp_path / "nuit.csv"
    path.write_text("ref;titre;catégorie;gravité;date;heure\n1;Double;crowd;2;26/10/2025;02:30\n",
                    encoding="utf-8")
    dialog = ImportDialog(context, path=path)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(context.ops.is_idle, timeout=5000)
    assert "happens twice" in dialog.refused_table.item(0, 1).text()
    assert not dialog.import_button.isEnabled()
    dialog.ambiguous.setCurrentIndex(dialog.ambiguous.findData("later"))  # reads the file again
    qtbot.waitUntil(lambda: dialog.accepted_table.rowCount() == 1, timeout=5000)
    assert dialog.accepted_table.item(0, 1).text() == "26/10/2025 02:30"
    assert dialog.import_button.isEnabled() and dialog.import_button.text() == "Import"
