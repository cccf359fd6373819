"""Every read of the signed-in user goes to the audit trail: the searches and filters of the log
(the final one after typing settles), each entry opened, each export and report.

One observer of the shared view state and of the hub, so no pane has to remember to trace; the
trace itself (a write to the central database, or the protected offline queue) runs on the
operation runner, never on the GUI thread.
"""
from __future__ import annotations

import logging
import uuid
from typing import Any

from PySide6.QtCore import QObject, QTimer

from console.models.eventlog.query import EventFilter
from console.views.shell.context import AppContext

log = logging.getLogger(__name__)
SETTLE_MS = 1500  # a search typed letter by letter is one read, not one per letter


def filter_details(flt: EventFilter) -> dict[str, Any]:
    return {"text": flt.text, "time_from": flt.time_from.isoformat() if flt.time_from else None,
            "time_to": flt.time_to.isoformat() if flt.time_to else None,
            "categories": sorted(flt.categories), "severities": sorted(flt.severities),
            "statuses": sorted(flt.statuses), "centres": sorted(flt.centres),
            "zone": str(flt.zone_id) if flt.zone_id else None, "venue": flt.venue_code}


class ReadTracer(QObject):
    def __init__(self, context: AppContext, tracer: Any) -> None:
        super().__init__()
        self.context = context
        self.tracer = tracer  # SecurityService: trace(kind, detail)
        self._last_open: uuid.UUID | None = None
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._trace_filter)
        context.view_state.filter_changed.connect(lambda *_: self._settle.start())
        context.view_state.selection_changed.connect(self._trace_open)
        context.hub.export_done.connect(self._trace_export)

    def trace(self, kind: str, detail: dict[str, Any]) -> None:
        tracer = self.tracer
        self.context.ops.read(lambda: tracer.trace(kind, detail),
                              on_error=lambda error: log.error("read not traced: %s", error))

    def _trace_filter(self) -> None:
        flt = self.context.view_state.filter
        self.trace("search" if flt.text else "filter", filter_details(flt))

    def _trace_open(self, event_id: uuid.UUID | None, _source: object = None) -> None:
        if event_id is not None and event_id != self._last_open:
            self._last_open = event_id
            self.trace("open", {"event": str(event_id)})

    def _trace_export(self, kind: str, path: str, rows: int) -> None:
        self.trace("report" if kind == "report" else "export",
                   {"kind": kind, "path": path, "rows": rows})

    def flush(self) -> None:
        """At sign-out: a filter still settling is traced now."""
        if self._settle.isActive():
            self._settle.stop()
            self._trace_filter()
