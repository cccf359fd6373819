"""Changes the central database refused: kept on the workstation, shown, and settled by a person.

A refused change is never dropped by the machine: its row stays in the local cache as the author
wrote it (a refused put is not overwritten by later pulls either), and its outbox entry keeps the
reason. From there a person retries it (after the cause is fixed), exports it (to hand it over by
other means), or a supervisor discards it, which restores the row as the central has it and is
recorded in the audit trail by the caller.
"""
from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from console.models.features import register_synced_tables
from console.models.local_tables import OutboxEntry
from console.models.security.roles import Role, roles_of
from console.models.store import LocalStore
from console.models.synced_tables import SYNCED_TABLES, synced_table

REFUSED = "rejected"  # the outbox state of a refused change
DISCARDED = "discarded"  # settled by a supervisor: kept as history, never sent again
RETRIED = "retried"  # sent again as a new mutation: kept as history


@dataclass(frozen=True)
class RefusedChange:
    mutation_id: uuid.UUID
    kind: str
    table: str
    key: str
    summary: str  # what a person recognises: the title, text or name of the row
    author: str
    written_at: datetime
    reason: str
    payload: dict[str, Any]


def row_of(kind: str, payload: Any) -> tuple[str, str, dict[str, Any]]:
    """(table, key, record) a mutation writes; empty key when it writes no known row."""
    _, _, name = kind.partition(":")
    record = payload.get("row", {}) if kind.startswith("put:") and isinstance(payload, dict) else payload
    if name not in SYNCED_TABLES or not isinstance(record, dict):
        return name, "", {}
    return name, str(record.get(synced_table(name).key, "")), record


def _summary(record: dict[str, Any]) -> str:
    for field in ("title", "text", "name", "display_name", "code"):
        if record.get(field):
            return str(record[field])[:200]
    return ""


def refused_changes(store: LocalStore) -> list[RefusedChange]:
    register_synced_tables()  # what each change wrote is read through the registry
    with store.session() as session:
        entries = session.scalars(select(OutboxEntry).where(OutboxEntry.state == REFUSED)
                                  .order_by(OutboxEntry.seq)).all()
    result = []
    for entry in entries:
        payload = json.loads(entry.payload)
        table, key, record = row_of(entry.kind, payload)
        result.append(RefusedChange(entry.mutation_id, entry.kind, table, key, _summary(record),
                                    entry.author, entry.created_at, entry.last_error or "",
                                    payload))
    return result


def retry(store: LocalStore, mutation_ids: Iterable[uuid.UUID]) -> int:
    """Send refused changes again (the cause was fixed: a right granted, a parent synced).

    The central remembers its answer to a mutation id (that is what makes pushes idempotent), so
    a retry is a new mutation carrying the same change; the refused entry stays as history."""
    with store.transaction() as session:
        entries = session.scalars(select(OutboxEntry).where(
            OutboxEntry.mutation_id.in_(list(mutation_ids)), OutboxEntry.state == REFUSED)
            .order_by(OutboxEntry.seq)).all()
        for entry in entries:
            entry.state = RETRIED
            session.add(OutboxEntry(
                mutation_id=uuid.uuid4(), kind=entry.kind, payload=entry.payload,
                schema_version=entry.schema_version, author=entry.author,
                created_at=entry.created_at, state="pending", attempts=0))
    return len(entries)


def export(store: LocalStore, mutation_ids: Iterable[uuid.UUID], path: Path) -> int:
    """Write the refused changes as JSON (written whole or not at all), for another channel."""
    wanted = set(mutation_ids)
    changes = [c for c in refused_changes(store) if c.mutation_id in wanted]
    document = [{"mutation_id": str(c.mutation_id), "kind": c.kind, "author": c.author,
                 "written_at": c.written_at.isoformat(), "refused_because": c.reason,
                 "change": c.payload} for c in changes]
    partial = path.with_name(path.name + ".part")
    with partial.open("w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False, indent=2)
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(path)
    return len(document)


def mark_discarded(store: LocalStore, mutation_ids: Iterable[uuid.UUID], by: str) -> int:
    """The entries stay as history (state `discarded`, who decided); they are never sent."""
    with store.transaction() as session:
        result = session.execute(update(OutboxEntry).where(
            OutboxEntry.mutation_id.in_(list(mutation_ids)), OutboxEntry.state == REFUSED)
            .values(state=DISCARDED, last_error=OutboxEntry.last_error + f" (discarded by {by})"))
    return int(result.rowcount)  # type: ignore[attr-defined]


def may_discard(role_field: str | None) -> bool:
    """Only a supervisor (or an administrator) discards what someone wrote; anyone may retry or
    export. The role field may list several roles, comma-separated."""
    return bool(roles_of(role_field or "") & {Role.SUPERVISOR, Role.ADMINISTRATOR})
