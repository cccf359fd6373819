"""What every pane is given: the local store, the signed-in actor, the services, the change hub."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal

from console.models.actor import Actor
from console.models.changes import Changes
from console.models.eventlog.log import EventLog
from console.models.store import LocalStore


class ChangeHub(QObject):
    """One signal for "the store changed": local operations and the sync thread both emit it.

    Emitting from another thread is safe: Qt queues the call to the receivers' thread.
    """

    changed = Signal(object)  # Changes
    connection_changed = Signal(object)  # a dict describing the link state (see console.models.sync)
    event_selected = Signal(object)  # uuid.UUID: a pane asks the others to show this event
    new_event_at = Signal(float, float)  # latitude, longitude: start an entry at a map point
    export_done = Signal(str, str, int)  # kind, path, rows: exports are audited

    def publish(self, changes: Changes) -> None:
        if changes:
            self.changed.emit(changes)


@dataclass
class AppContext:
    store: LocalStore
    actor: Actor
    hub: ChangeHub
    mode: str = "demo"  # "demo" (embedded central) or "central" (PostgreSQL)
    central_url: str | None = None
    exercise: bool = False  # exercise session: separate data, marked on every screen and report
    services: dict[str, Any] = field(default_factory=dict)  # sync engine, tile cache...

    def __post_init__(self) -> None:
        self.eventlog = EventLog(self.store)
