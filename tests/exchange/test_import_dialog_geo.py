"""The import dialog takes GeoJSON and KML too, and lists the import's warnings."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from console.models.demo import seed_reference
from console.models.store import LocalStore
from console.views.shell.context import AppContext, ChangeHub
from exchange.conftest import ACTOR
from exchange.test_geo_roundtrip import FOREIGN_KML

NAADS = Path(__file__).parent / "data" / "naads_signed_alert.xml"


@pytest.fixture
def context(tmp_path):
    store = LocalStore(tmp_path / "local.sqlite3")
    with store.transaction() as session:
        seed_reference(session)
    yield AppContext(store=store, actor=ACTOR, hub=ChangeHub())
    store.close()


def test_kml_preview_then_import_lists_refusals_and_warnings(qtbot, context, tmp_path):
    from console.views.exchange.import_dialog import ImportDialog

    when = (datetime.now(UTC) - timedelta(hours=1)).isoformat(timespec="seconds")
    path = tmp_path / "carte.kml"
    path.write_text(FOREIGN_KML.format(when=when), encoding="utf-8")
    dialog = ImportDialog(context, path=path)
    qtbot.addWidget(dialog)
    assert (dialog.accepted_table.rowCount(), dialog.refused_table.rowCount()) == (3, 2)
    assert dialog.summary.text() == "3 to import, 2 refused."
    with qtbot.waitSignal(context.hub.changed, timeout=5000) as blocker:
        dialog.import_button.click()
    assert len(blocker.args[0].new_events) == 3
    assert "3 imported" in dialog.summary.text()
    assert "Warning: placemark 1 (Point de rassemblement): no category given: logistics" \
        in dialog.summary.text()


def test_signed_alert_says_its_signature_was_not_verified(qtbot, context):
    from console.views.exchange.import_dialog import ImportDialog

    dialog = ImportDialog(context, path=NAADS)
    qtbot.addWidget(dialog)
    assert dialog.import_button.isEnabled() and "cap-pac@canada.ca" in dialog.summary.text()
    dialog.import_button.click()
    qtbot.waitUntil(lambda: "imported" in dialog.summary.text(), timeout=5000)
    assert "signature was not verified" in dialog.summary.text()
