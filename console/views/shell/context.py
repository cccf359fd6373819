"""What every pane is given: the local store, the signed-in actor, the change hub, the operation
runner and the shared view state."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal

from console.models.actor import Actor
from console.models.changes import Changes
from console.models.eventlog.log import EventLog
from console.models.store import LocalStore


class ChangeHub(QObject):
    """One signal for "the store changed": the operation runner and the sync thread both emit it.

    `changed` carries (changes, initiator): the pane whose operation made the changes, or None
    for the sync engine. A pane skips the changes it initiated (it already shows them).
    Emitting from another thread is safe: Qt queues the call to the receivers' thread.
    """

    changed = Signal(object, object)  # Changes, initiator
    connection_changed = Signal(object)  # a dict describing the link state (see console.models.sync)
    new_event_at = Signal(float, float)  # latitude, longitude: start an entry at a map point
    export_done = Signal(str, str, int)  # kind, path, rows: exports are audited

    def publish(self, changes: Changes, initiator: object = None) -> None:
        if changes:
            self.changed.emit(changes, initiator)


@dataclass
class AppContext:
    store: LocalStore
    actor: Actor
    hub: ChangeHub
    mode: str = "demo"  # "demo" (embedded central) or "central" (PostgreSQL)
    central_url: str | None = None
    exercise: bool = False  # exercise session: separate data, marked on every screen and report
    # Real services only (sync controller, central store, security, roster service); panes
    # never find each other here: they share `view_state`.
    services: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from console.views.shell.operations import OperationRunner
        from console.views.shell.view_state import ViewState

        self.eventlog = EventLog(self.store)
        self.ops = OperationRunner(self.hub)
        self.view_state = ViewState()
