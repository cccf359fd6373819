"""The outbox contract every feature writes through, and that sync reads.

A local write and its outbox entry go in one SQLite transaction, so a crash keeps both or
neither. Two kinds of mutation:
- `insert:<table>`: an append-only fact (its record);
- `put:<table>`: a mutable row (`{"row": record, "base_version": n}`), applied centrally only if
  nobody changed the row since version n, otherwise kept as a conflict for a person to settle.
"""
from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from console.models.base import Base, utcnow
from console.models.local_tables import OutboxEntry
from console.models.records import from_record, to_record
from console.models.synced_tables import SyncConflict, synced_table, table_of

# Version of the mutation payloads this client writes; the central database accepts older ones.
MUTATION_SCHEMA_VERSION = 1


class NotAllowed(PermissionError):
    """The actor's role or centre does not allow this action."""


def enqueue(session: Session, kind: str, payload: dict[str, Any], author: str,
            mutation_id: uuid.UUID | None = None) -> OutboxEntry:
    """Queue one mutation in the caller's transaction."""
    entry = OutboxEntry(
        mutation_id=mutation_id or uuid.uuid4(),
        kind=kind,
        payload=json.dumps(payload, ensure_ascii=False),
        schema_version=MUTATION_SCHEMA_VERSION,
        author=author,
        created_at=utcnow(),
        state="pending",
        attempts=0,
    )
    session.add(entry)
    return entry


def enqueue_many(session: Session, kind: str, payloads: list[dict[str, Any]], author: str) -> None:
    """enqueue for many mutations at once (one INSERT executed for all), in the caller's
    transaction: bulk imports."""
    if not payloads:
        return
    created_at = utcnow()
    session.execute(insert(table_of(OutboxEntry)), [
        {"mutation_id": uuid.uuid4(), "kind": kind,
         "payload": json.dumps(payload, ensure_ascii=False),
         "schema_version": MUTATION_SCHEMA_VERSION, "author": author, "created_at": created_at,
         "state": "pending", "attempts": 0} for payload in payloads])


def enqueue_put(session: Session, row: Base, author: str) -> OutboxEntry:
    """Queue a mutable row already changed in this session, against the version it was read at."""
    row.server_seq = None  # type: ignore[attr-defined]  # pending again until the central applies it
    session.flush()
    return enqueue(session, f"put:{row.__tablename__}",
                   {"row": to_record(row), "base_version": row.version},  # type: ignore[attr-defined]
                   author)


def put_row(session: Session, model: type[Base], record: dict[str, Any] | Base, author: str,
            ) -> OutboxEntry:
    """Write a mutable row locally and queue `put:<table>` against the version it was read at.

    `record` is a row object or its record (see console.models.records); its `version` is the
    base version (the last one this workstation got from the central database; 0 for a new row).
    Deleting is a put with `deleted=True`.
    """
    table = synced_table(model.__tablename__)
    if table.mode != "put":
        raise ValueError(f"{table.name} is not a mutable synced table")
    if isinstance(record, Base):
        record = to_record(record)
    record = dict(record)
    record.setdefault("deleted", False)
    base = int(record.get("version") or 0)
    key = record[table.key]
    typed = uuid.UUID(str(key)) if not isinstance(key, uuid.UUID) and table.key == "id" else key
    existing = session.scalar(select(model).where(getattr(model, table.key) == typed))
    values = from_record(model, record)
    values["version"] = getattr(existing, "version", base) if existing is not None else base
    if existing is None:
        session.add(model(**values))
    else:
        for name, value in values.items():
            setattr(existing, name, value)
        setattr(existing, "server_seq", None)  # noqa: B010 - pending again
    session.flush()
    record["version"] = values["version"]
    return enqueue(session, f"put:{table.name}", {"row": record, "base_version": values["version"]},
                   author)


def resolve_conflict(session: Session, conflict_id: uuid.UUID, author: str, resolution: str,
                     model: type[Base] | None = None, record: dict[str, Any] | None = None,
                     ) -> list[OutboxEntry]:
    """A person settles a conflict: optionally put the chosen row (against the current
    version), then mark the conflict resolved."""
    entries = []
    if model is not None and record is not None:
        entries.append(put_row(session, model, record, author))
    conflict = session.scalar(select(SyncConflict).where(SyncConflict.id == conflict_id))
    if conflict is not None:
        conflict.resolved, conflict.resolved_by = True, author
        conflict.resolved_at, conflict.resolution = utcnow(), resolution
        conflict.server_seq = None
    entries.append(enqueue(session, "resolve:sync_conflicts",
                           {"conflict_id": str(conflict_id), "resolution": resolution}, author))
    return entries
