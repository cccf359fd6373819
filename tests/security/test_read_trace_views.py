"""The window traces the user's reads without any pane having to: a settled search or filter,
each entry opened, each export and report (the real tracing is tested in test_reads_traced)."""
from __future__ import annotations

import threading
import uuid

from console.models.actor import Actor
from console.models.eventlog.query import EventFilter
from console.models.store import LocalStore
from console.views.security.read_trace import ReadTracer
from console.views.shell.context import AppContext, ChangeHub


class Tracer:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict, bool]] = []

    def trace(self, kind: str, detail: dict) -> None:
        on_gui = threading.current_thread() is threading.main_thread()
        self.calls.append((kind, detail, on_gui))


def test_reads_are_traced_once_settled_and_off_the_gui_thread(qtbot, tmp_path):
    context = AppContext(store=LocalStore(tmp_path / "l.sqlite3"), hub=ChangeHub(),
                         actor=Actor("op", "CNCS", role="operator"))
    tracer = Tracer()
    reads = ReadTracer(context, tracer)
    reads._settle.setInterval(100)
    for typed in ("T", "Tr", "Tro", "Trocadéro"):  # typed letter by letter
        context.view_state.set_filter(EventFilter(text=typed, categories={"crowd"}), "log")
    qtbot.waitUntil(lambda: len(tracer.calls) == 1)
    kind, detail, on_gui = tracer.calls[0]
    assert (kind, detail["text"], detail["categories"], on_gui) == ("search", "Trocadéro",
                                                                    ["crowd"], False)
    event_id = uuid.uuid4()
    context.view_state.select_event(event_id, "log")
    context.view_state.select_event(event_id, "map")  # the same entry shown twice: one read
    context.hub.export_done.emit("geojson", "/tmp/vue.geojson", 12)
    context.hub.export_done.emit("report", "/tmp/point.pdf", 40)
    qtbot.waitUntil(lambda: len(tracer.calls) == 4)
    by_kind = {kind: detail for kind, detail, _ in tracer.calls[1:]}  # reads run side by side
    assert sorted(by_kind) == ["export", "open", "report"]
    assert by_kind["open"] == {"event": str(event_id)}
    assert by_kind["export"] == {"kind": "geojson", "path": "/tmp/vue.geojson", "rows": 12}
    context.view_state.set_filter(EventFilter(statuses={"open"}), "dashboard")
    reads.flush()  # signing out before it settled: still traced
    qtbot.waitUntil(lambda: len(tracer.calls) == 5)
    assert tracer.calls[4][0] == "filter" and tracer.calls[4][1]["statuses"] == ["open"]
    context.store.close()
