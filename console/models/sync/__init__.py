"""Sync between a workstation's local cache and the central database (Qt-free).

Public API: `CentralStore` (push/pull on PostgreSQL or the embedded SQLite central),
`SyncEngine` (outbox push, change-feed pull, status, backoff), `put_row`/`resolve_conflict`
(mutable rows), errors in `console.models.sync.errors`. See the README, "Central database and offline operation".
"""
from __future__ import annotations

# Every synced table must be registered before a pull can apply it, whichever pane is open.
from console.models import roster as _roster  # noqa: F401
from console.models.sync.central import Ack, CentralStore, Mutation, PullPage, PushResult
from console.models.sync.engine import SyncEngine, SyncStatus
from console.models.sync.errors import ClonedClient, SchemaMismatch, TransientError
from console.models.sync.local import put_row, resolve_conflict

__all__ = ["Ack", "CentralStore", "ClonedClient", "Mutation", "PullPage", "PushResult",
           "SchemaMismatch", "SyncEngine", "SyncStatus", "TransientError", "put_row",
           "resolve_conflict"]
