"""The event log pane driven as an operator would: keyboard entry, filters, follow-ups, live rows."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QDateTime, Qt, QTimer
from PySide6.QtWidgets import QApplication

from console.models.actor import Actor
from console.models.eventlog.query import EventFilter
from console.models.store import LocalStore
from console.models.validation import EventDraft
from console.views.eventlog.form import EventFormDialog
from console.views.eventlog.pane import EventLogPane
from console.views.eventlog.table_model import EVENT_ID_ROLE, EventTableModel
from console.views.shell.context import AppContext, ChangeHub

OPERATOR = Actor("alice", "CNCS", display_name="Alice")
COLLEAGUE = Actor("bob", "CNCS", display_name="Bob")


@pytest.fixture
def context(tmp_path) -> AppContext:
    return AppContext(store=LocalStore(tmp_path / "local.sqlite3"), actor=OPERATOR, hub=ChangeHub())


@pytest.fixture
def pane(qtbot, context) -> EventLogPane:
    widget = EventLogPane(context)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    settle(qtbot, context)
    return widget


def settle(qtbot, context) -> None:
    """Wait until the runner has delivered every result (reads and writes are asynchronous)."""
    qtbot.waitUntil(context.ops.is_idle, timeout=5000)


def add(context, title, actor=COLLEAGUE, **kw) -> object:
    values = dict(title=title, category="security", severity=2, place="Concorde")
    values.update(kw)
    event, changes = context.eventlog.create_event(actor, EventDraft(**values))
    context.hub.publish(changes)
    return event


def fill_form_with_keyboard(qtbot, dialog: EventFormDialog, title: str) -> None:
    qtbot.keyClicks(dialog.title_edit, title)
    dialog.category_combo.setFocus()
    qtbot.keyClicks(dialog.category_combo, "Health")
    dialog.severity_combo.setFocus()
    qtbot.keyClicks(dialog.severity_combo, "High")
    qtbot.keyClicks(dialog.place_edit, "Stade de France")
    qtbot.keyClicks(dialog.latitude_edit, "48.92447")
    qtbot.keyClicks(dialog.longitude_edit, "2.36015")
    qtbot.keyClicks(dialog.source_edit, "SAMU")


def test_ctrl_n_enter_creates_an_entry_that_shows_in_the_table(qtbot, pane, context):
    def drive_dialog():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, EventFormDialog)
        fill_form_with_keyboard(qtbot, dialog, "Malaise en tribune")
        qtbot.keyClick(dialog.source_edit, Qt.Key.Key_Return)

    QTimer.singleShot(200, drive_dialog)
    qtbot.keyClick(pane.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert pane.model.rowCount() == 1
    index = pane.model.index(0, 4)
    assert pane.model.data(index) == "Malaise en tribune"
    assert pane.model.data(pane.model.index(0, 2)) == "Health"
    assert pane.selected_event_id() == pane.model.data(index, EVENT_ID_ROLE)
    qtbot.waitUntil(lambda: "Malaise en tribune" in pane.detail.header.text())


def test_escape_cancels_and_saves_nothing(qtbot, pane):
    def drive_dialog():
        dialog = QApplication.activeModalWidget()
        qtbot.keyClicks(dialog.title_edit, "Brouillon")
        qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Escape)

    QTimer.singleShot(200, drive_dialog)
    pane.new_entry()
    assert pane.model.rowCount() == 0


@pytest.mark.parametrize("field,setup", [
    ("title", lambda d: d.title_edit.clear()),
    ("category", lambda d: d.category_combo.setCurrentIndex(0)),
    ("severity", lambda d: d.severity_combo.setCurrentIndex(0)),
    ("occurred_at", lambda d: d.occurred_edit.setDateTime(QDateTime.currentDateTime().addDays(1))),
    ("latitude", lambda d: d.latitude_edit.setText("123")),
    ("longitude", lambda d: d.longitude_edit.setText("east")),
    ("place", lambda d: d.place_edit.setText("x" * 301)),
    ("source", lambda d: d.source_edit.setText("s" * 201)),
    ("description", lambda d: d.description_edit.setPlainText("ctrl \x01 char")),
])
def test_bad_input_shows_message_next_to_field_and_saves_nothing(qtbot, context, field, setup):
    dialog = EventFormDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    fill_form_with_keyboard(qtbot, dialog, "Entree valide")
    setup(dialog)
    dialog.submit()
    settle(qtbot, context)
    label = dialog.error_labels[field]
    assert label.isVisible() and label.text()
    assert dialog.created is None and dialog.isVisible()
    with context.store.session() as session:
        from console.models.eventlog.query import count_events

        assert count_events(session, EventFilter()) == 0
    # Correcting the field clears the message and saves.
    {"title": lambda: dialog.title_edit.setText("Corrigé"),
     "category": lambda: dialog.category_combo.setCurrentIndex(1),
     "severity": lambda: dialog.severity_combo.setCurrentIndex(1),
     "occurred_at": lambda: dialog.occurred_edit.setDateTime(QDateTime.currentDateTime()),
     "latitude": lambda: dialog.latitude_edit.setText("48.9"),
     "longitude": lambda: dialog.longitude_edit.setText("2.36"),
     "place": lambda: dialog.place_edit.setText("Concorde"),
     "source": lambda: dialog.source_edit.setText("SAMU"),
     "description": lambda: dialog.description_edit.setPlainText("ok")}[field]()
    dialog.submit()
    settle(qtbot, context)
    assert dialog.created is not None and not label.isVisible()


def test_filters_combine_text_and_category(qtbot, pane, context):
    add(context, "Colis suspect gare de Lyon", category="security")
    add(context, "Retard RER gare de Lyon", category="transport")
    add(context, "Malaise Concorde", category="health")
    assert pane.model.rowCount() == 3
    qtbot.keyClicks(pane.filter_bar.text_edit, "gare lyon")
    qtbot.waitUntil(lambda: pane.model.rowCount() == 2)
    transport = next(a for a in pane.filter_bar.category.actions_ if a.data() == "transport")
    transport.setChecked(True)
    assert pane.model.rowCount() == 1
    assert pane.model.data(pane.model.index(0, 4)) == "Retard RER gare de Lyon"
    pane.filter_bar.clear()
    assert pane.model.rowCount() == 3


def test_saved_view_restores_the_filter(qtbot, pane, context):
    add(context, "Drone au-dessus du stade", severity=4)
    add(context, "File d'attente", severity=1)
    next(a for a in pane.filter_bar.severity.actions_ if a.data() == 4).setChecked(True)
    pane.save_view("Critiques")
    settle(qtbot, context)
    assert pane.filter_bar.views_combo.findData("Critiques") > 0
    pane.filter_bar.clear()
    assert pane.model.rowCount() == 2
    pane.open_view("Critiques")
    qtbot.waitUntil(lambda: pane.model.rowCount() == 1)
    assert pane.filter_bar.severity.selected() == {4}
    assert context.view_state.filter.severities == {4}  # the map and dashboard see it too


def test_follow_up_and_acknowledgement_from_the_detail_panel(qtbot, pane, context):
    event = add(context, "Rixe devant l'entrée", actor=COLLEAGUE)
    assert pane.select_event(event.id)
    detail = pane.detail
    settle(qtbot, context)
    qtbot.keyClicks(detail.follow_up_edit, "Police sur place")
    qtbot.keyClick(detail.follow_up_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, context)
    assert detail.follow_up_edit.toPlainText() == ""
    qtbot.mouseClick(detail.ack_button, Qt.MouseButton.LeftButton)
    settle(qtbot, context)
    qtbot.mouseClick(detail.start_button, Qt.MouseButton.LeftButton)
    settle(qtbot, context)
    thread = [(f.kind, f.author) for f in context.eventlog.thread(event.id)]
    assert thread == [("note", "alice"), ("ack", "alice"), ("status", "alice")]
    assert "Police sur place" in detail.thread_view.toPlainText()
    assert pane.model.data(pane.model.index(0, 8)) == "alice"  # acknowledged-by column
    assert pane.model.data(pane.model.index(0, 3)) == "In progress"
    # An empty follow-up is refused with a message, nothing written.
    qtbot.mouseClick(detail.add_button, Qt.MouseButton.LeftButton)
    settle(qtbot, context)
    assert detail.message.text()
    assert len(context.eventlog.thread(event.id)) == 3


def test_own_entry_cannot_be_acknowledged_by_its_author(qtbot, pane, context):
    event = add(context, "Mon entrée", actor=OPERATOR)
    pane.select_event(event.id)
    settle(qtbot, context)
    assert pane.detail.detail is not None and pane.detail.detail.event.id == event.id
    assert pane.detail.start_button.isEnabled()  # the entry is shown: its actions are on...
    assert not pane.detail.ack_button.isEnabled()  # ...but not acknowledging one's own entry


def test_new_entries_appear_live_at_top_and_wait_while_reading(qtbot, pane, context):
    for i in range(60):
        add(context, f"Événement {i}")
    assert pane.model.rowCount() == 60
    add(context, "Arrivé en direct")
    assert pane.model.data(pane.model.index(0, 4)) == "Arrivé en direct"
    # The operator scrolls down to read: new rows must not move what they read.
    qtbot.waitUntil(lambda: pane.table.verticalScrollBar().maximum() > 30)
    pane.table.verticalScrollBar().setValue(30)
    top_before = pane.table.rowAt(0)
    title_before = pane.model.data(pane.model.index(top_before, 4))
    add(context, "Pendant la lecture")
    assert pane.model.data(pane.model.index(pane.table.rowAt(0), 4)) == title_before
    assert pane.new_entries_button.isVisible()
    assert "1" in pane.new_entries_button.text()
    qtbot.mouseClick(pane.new_entries_button, Qt.MouseButton.LeftButton)
    assert pane.model.data(pane.model.index(0, 4)) == "Pendant la lecture"
    assert not pane.new_entries_button.isVisible()


def test_link_selection_from_another_pane(qtbot, pane, context):
    first = add(context, "Premier")
    add(context, "Second")
    received = []
    context.view_state.selection_changed.connect(lambda *args: received.append(args))
    context.view_state.select_event(first.id, "map")  # e.g. a click on the map
    assert pane.selected_event_id() == first.id
    assert received == [(first.id, "map")]  # the log does not echo the selection back (no loop)
    pane.table.selectRow(0)  # the operator picks another row: the other panes are told
    assert len(received) == 2 and received[1][0] != first.id and received[1][1] is pane


def test_table_model_passes_qt_model_tester(qtmodeltester, context):
    for i in range(450):  # more than two pages
        context.eventlog.create_event(COLLEAGUE, EventDraft(
            title=f"E{i}", category="crowd", severity=1 + i % 4,
            occurred_at=datetime.now(UTC) - timedelta(minutes=i)))
    model = EventTableModel(context.store)
    qtmodeltester.check(model)
    assert model.rowCount() == 450
    assert model.data(model.index(449, 4)) == "E449"
