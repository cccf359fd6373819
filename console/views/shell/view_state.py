"""What the panes share and observe (napari style): the log's filter and the selected event.

The log's filter bar sets the filter; the log table, the map and the dashboard follow it, and the
dashboard's "show these in the log" sets it too. Whoever sets a value passes itself as `source`,
and observers skip what they set themselves, so nothing echoes back. A pane built late reads the
current values: the order in which panes are built changes nothing.
"""
from __future__ import annotations

import uuid

from PySide6.QtCore import QObject, Signal

from console.models.eventlog.query import EventFilter


class ViewState(QObject):
    filter_changed = Signal(object, object)  # EventFilter, source (who set it)
    selection_changed = Signal(object, object)  # uuid.UUID | None, source

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._filter = EventFilter()
        self._selected: uuid.UUID | None = None

    @property
    def filter(self) -> EventFilter:
        return self._filter

    @property
    def selected_event(self) -> uuid.UUID | None:
        return self._selected

    def set_filter(self, flt: EventFilter, source: object = None) -> None:
        """Emitted even when unchanged: setting the filter again asks for fresh rows."""
        self._filter = flt
        self.filter_changed.emit(flt, source)

    def select_event(self, event_id: uuid.UUID | None, source: object = None) -> None:
        """Show this event everywhere. Emitted even when unchanged: "show it again" is a request."""
        self._selected = event_id
        self.selection_changed.emit(event_id, source)
