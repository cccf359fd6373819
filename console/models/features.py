"""The features whose tables sync carries, registered explicitly in one place."""
from __future__ import annotations

from console.models.eventlog import synced as eventlog_synced
from console.models.roster import synced as roster_synced
from console.models.synced_tables import register_reference_tables


def register_synced_tables() -> None:
    """Fill the sync registry (idempotent): reference data, the event log, the roster."""
    register_reference_tables()
    eventlog_synced.register()
    roster_synced.register()
