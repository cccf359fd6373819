"""Sync between a workstation's local cache and the central database (Qt-free).

Public API: `CentralStore` (push/pull on PostgreSQL or the embedded SQLite central),
`SyncEngine` (outbox push, change-feed pull, status, backoff), errors in
`console.models.sync.errors`. The outbox contract it carries is `console.models.outbox`.
"""
from __future__ import annotations

from console.models.sync.central import CentralStore
from console.models.sync.engine import SyncEngine, SyncStatus
from console.models.sync.errors import ClonedClient, SchemaMismatch, TransientError
from console.models.sync.messages import Ack, Mutation, PullPage, PushResult

__all__ = ["Ack", "CentralStore", "ClonedClient", "Mutation", "PullPage", "PushResult",
           "SchemaMismatch", "SyncEngine", "SyncStatus", "TransientError"]
