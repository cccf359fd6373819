"""The event log pane (main courante): filterable live table, entry form, detail and follow-ups."""
from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.models.changes import Changes
from console.models.eventlog.query import EventFilter
from console.models.eventlog.reads import (
    export_view,
    known_centres,
    remove_saved_view,
    saved_view,
    saved_view_names,
    store_saved_view,
)
from console.views.eventlog.detail import EventDetailPanel
from console.views.eventlog.filter_bar import FilterBar
from console.views.eventlog.form import EventFormDialog
from console.views.eventlog.table_model import EVENT_ID_ROLE, EventTableModel
from console.views.shell.context import AppContext
from console.views.shell.i18n import centre_timezone


class EventLogPane(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.model = EventTableModel(
            context.store, centre_timezone(context.store, context.actor.centre_code), parent=self)
        self.filter_bar = FilterBar([])  # the centres arrive with the first read below
        self.table = self._build_table()
        self.detail = EventDetailPanel(context)
        self._build_buttons()
        self._lay_out()
        self._selecting_from_outside = False
        self._add_actions()
        self._connect()
        if context.view_state.filter != self.model.filter:
            self._on_shared_filter(context.view_state.filter, None)  # set before this pane was built
        context.ops.read(lambda: known_centres(context.store), on_done=self.filter_bar.set_centres)
        self._refresh_saved_views()
        self._update_count()

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("event_table")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(False)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        # Fixed row heights: the view never measures a million rows.
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(22)
        header = table.horizontalHeader()
        # The title is what operators read: it gets the room, the rest keeps to its content.
        for column, width in enumerate((100, 68, 78, 78, 280, 140, 58, 90, 90)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        header.moveSection(4, 1)
        return table

    def _build_buttons(self) -> None:
        self.new_button = QPushButton(self.tr("New entry (Ctrl+N)"))
        self.new_button.setObjectName("new_entry")
        self.export_csv_button = QPushButton(self.tr("Export CSV"))
        self.export_geojson_button = QPushButton(self.tr("Export GeoJSON"))
        self.count_label = QLabel()
        self.new_entries_button = QPushButton()
        self.new_entries_button.setObjectName("new_entries_banner")
        self.new_entries_button.setStyleSheet(
            "background:#1a73e8;color:white;font-weight:bold;padding:3px 10px;border-radius:3px")
        self.new_entries_button.hide()

    def _lay_out(self) -> None:
        toolbar = QHBoxLayout()
        toolbar.addWidget(self.new_button)
        toolbar.addWidget(self.new_entries_button)
        toolbar.addStretch(1)
        toolbar.addWidget(self.count_label)
        toolbar.addWidget(self.export_csv_button)
        toolbar.addWidget(self.export_geojson_button)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(toolbar)
        layout.addWidget(self.filter_bar)
        layout.addWidget(splitter, 1)

    def _connect(self) -> None:
        context = self.context
        # The bar sets the shared filter; the table follows the shared filter, whoever set it.
        self.filter_bar.filter_changed.connect(
            lambda flt: context.view_state.set_filter(flt, self.filter_bar))
        context.view_state.filter_changed.connect(self._on_shared_filter)
        self.filter_bar.save_requested.connect(self.save_view)
        self.filter_bar.delete_requested.connect(self.delete_view)
        self.filter_bar.view_chosen.connect(self.open_view)
        self.new_button.clicked.connect(lambda: self.new_entry())
        self.new_entries_button.clicked.connect(self.show_new_entries)
        self.export_csv_button.clicked.connect(lambda: self.export("csv"))
        self.export_geojson_button.clicked.connect(lambda: self.export("geojson"))
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.detail.link_activated.connect(self.select_event)
        context.hub.changed.connect(self.on_changes)
        context.view_state.selection_changed.connect(self._on_shared_selection)
        context.hub.new_event_at.connect(lambda lat, lon: self.new_entry(lat, lon))
        self.table.verticalScrollBar().valueChanged.connect(self._scrolled)

    def _add_actions(self) -> None:
        new_action = QAction(self.tr("New entry"), self)
        new_action.setShortcut(QKeySequence("Ctrl+N"))
        new_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        new_action.triggered.connect(lambda: self.new_entry())
        find_action = QAction(self.tr("Search the log"), self)
        find_action.setShortcut(QKeySequence.StandardKey.Find)
        find_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        find_action.triggered.connect(self.filter_bar.text_edit.setFocus)
        self.addActions([new_action, find_action])
        self.new_action, self.find_action = new_action, find_action

    # -- filtering ---------------------------------------------------------------------------------

    @property
    def current_filter(self) -> EventFilter:
        return self.model.filter

    def set_filter(self, flt: EventFilter) -> None:
        """Show this filter here and in every pane that follows the log (map, dashboard)."""
        self.context.view_state.set_filter(flt, self)

    def _on_shared_filter(self, flt: EventFilter, source: object) -> None:
        if source is not self.filter_bar:
            self.filter_bar.apply(flt, emit=False)  # the bar shows what the table shows
        selected = self.selected_event_id()
        self.model.reload(flt)
        self.new_entries_button.hide()
        self._update_count()
        if selected is not None:
            self.select_event(selected, quiet=True)

    def _update_count(self) -> None:
        self.count_label.setText(self.tr("%n entries", "", self.model.rowCount()))

    # -- live updates ------------------------------------------------------------------------------

    def on_changes(self, changes: Changes, initiator: object = None) -> None:
        if initiator is self:
            return  # our own operation: its callback already shows the result
        if changes.new_events or changes.everything:
            if self._at_top():
                # At the top the operator watches the newest entries: keep showing them.
                self._reload_keeping_place(to_top=True)
            else:
                self._show_pending()
        elif changes.events:
            if self.model.filter.statuses:
                # A status change can move an entry in or out of the filter.
                self._reload_keeping_place()
            else:
                self.model.refresh_rows()
        if initiator is not self.detail and self.detail.event_id is not None and (
                self.detail.event_id in changes.events or changes.everything):
            self.detail.show_event(self.detail.event_id)

    def _at_top(self) -> bool:
        return self.table.verticalScrollBar().value() == 0

    def _scrolled(self, value: int) -> None:
        if value == 0 and self.new_entries_button.isVisible():
            self.show_new_entries()

    def _show_pending(self) -> None:
        pending = self.model.pending_new()
        if pending:
            self.new_entries_button.setText(self.tr("▲ %n new entries", "", pending))
            self.new_entries_button.show()

    def show_new_entries(self) -> None:
        self.new_entries_button.hide()
        self._reload_keeping_place(to_top=True)

    def _reload_keeping_place(self, to_top: bool = False) -> None:
        """Take the newest snapshot without moving what the operator is looking at."""
        selected = self.selected_event_id()
        top_row = self.table.rowAt(0)
        top_id = self.model.data(self.model.index(top_row, 0), EVENT_ID_ROLE) \
            if top_row >= 0 and not to_top else None
        self.model.reload()
        self._update_count()
        if selected is not None:
            self.select_event(selected, quiet=True, scroll=False)
        if top_id is not None:
            row = self.model.row_of(top_id)
            if row is not None:
                self.table.scrollTo(self.model.index(row, 0),
                                    QAbstractItemView.ScrollHint.PositionAtTop)
        else:
            self.table.scrollToTop()

    # -- selection ---------------------------------------------------------------------------------

    def selected_event_id(self) -> uuid.UUID | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid():
            return None
        return self.model.data(index, EVENT_ID_ROLE)

    def _row_changed(self, current, _previous) -> None:
        event_id = self.model.data(current, EVENT_ID_ROLE) if current.isValid() else None
        self.detail.show_event(event_id)
        if event_id is not None and not self._selecting_from_outside:
            self.context.view_state.select_event(event_id, self)

    def _on_shared_selection(self, event_id: uuid.UUID | None, source: object) -> None:
        if source is not self and event_id is not None and event_id != self.selected_event_id():
            self.select_event(event_id, quiet=True)

    def select_event(self, event_id: uuid.UUID, quiet: bool = False, scroll: bool = True) -> bool:
        row = self.model.row_of(event_id)
        if row is None and self.model.pending_new():
            self.model.reload()
            self._update_count()
            row = self.model.row_of(event_id)
        if row is None:
            self.detail.show_event(event_id)  # outside the filter: still show it
            return False
        index = self.model.index(row, 0)
        self._selecting_from_outside = quiet
        try:
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
        finally:
            self._selecting_from_outside = False
        if scroll:
            self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        return True

    # -- entry -------------------------------------------------------------------------------------

    def new_entry(self, latitude: float | None = None, longitude: float | None = None) -> None:
        dialog = EventFormDialog(self.context, self, latitude, longitude, initiator=self)
        if dialog.exec() and dialog.created is not None:
            self.model.reload()
            self._update_count()
            self.table.scrollToTop()
            self.select_event(dialog.created.id)

    # -- saved views and export --------------------------------------------------------------------

    def _refresh_saved_views(self) -> None:
        store, user = self.context.store, self.context.actor.username
        self.context.ops.read(lambda: saved_view_names(store, user),
                              on_done=self.filter_bar.set_saved_views)

    def save_view(self, name: str) -> None:
        store, user, flt = self.context.store, self.context.actor.username, self.model.filter
        self.context.ops.write(lambda: store_saved_view(store, user, name, flt), initiator=self,
                               on_done=self.filter_bar.set_saved_views)

    def delete_view(self, name: str) -> None:
        store, user = self.context.store, self.context.actor.username
        self.context.ops.write(lambda: remove_saved_view(store, user, name), initiator=self,
                               on_done=self.filter_bar.set_saved_views)

    def open_view(self, name: str) -> None:
        store, user = self.context.store, self.context.actor.username
        def show(flt: EventFilter | None) -> None:
            if flt is not None:  # else deleted meanwhile (at another workstation of this user)
                self.filter_bar.apply(flt)

        self.context.ops.read(lambda: saved_view(store, user, name), on_done=show)

    def export(self, kind: str, path: Path | None = None) -> None:
        """Write the current view to a file off the GUI thread; the export is then audited."""
        if path is None:
            suffix = {"csv": "CSV (*.csv)", "geojson": "GeoJSON (*.geojson)"}[kind]
            chosen, _ = QFileDialog.getSaveFileName(self, self.tr("Export the current view"),
                                                    f"main-courante.{kind}", suffix)
            if not chosen:
                return
            path = Path(chosen)
        store, flt, target = self.context.store, self.model.filter, path
        exercise = self.context.exercise
        self.context.ops.read(
            lambda: export_view(store, kind, flt, target, exercise=exercise),
            on_done=lambda count: self.context.hub.export_done.emit(kind, str(target), count),
            on_error=self._export_failed)

    def _export_failed(self, error: BaseException) -> None:
        from console.views.shell.operations import error_text

        message = str(error) if isinstance(error, OSError) else error_text(error)
        QMessageBox.warning(self, self.tr("Export failed"), message)
