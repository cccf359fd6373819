"""The workstation side of sync: the outbox, sync state, and applying pulled changes locally.

A pulled page is applied in ONE SQLite transaction together with the new cursor, so a crash
(even kill -9) in the middle leaves either the old cursor and old rows or the new ones.
"""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Uuid, bindparam, delete, func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from console.models.base import utcnow
from console.models.changes import Changes
from console.models.features import register_synced_tables
from console.models.local_tables import OutboxEntry, SyncState
from console.models.store import LocalStore
from console.models.sync.messages import Ack, Mutation, PullPage
from console.models.synced_tables import SYNCED_TABLES, SyncConflict, children_of, synced_table, table_of

# Keys of SyncState.
CLIENT_ID = "client_id"
TOKEN = "token"
CURSOR = "cursor"
ANCHOR_SEQ = "anchor_seq"
ANCHOR_CHANGE = "anchor_change_id"
LAST_ACK = "last_ack_mutation_id"
LAST_SYNC = "last_sync_at"

ACKED_RETENTION = timedelta(days=30)
BIG_PULL = 500  # above this many rows a pull says "everything changed" instead of listing ids


# -- sync state ------------------------------------------------------------------------------------

def get_state(session: Session, key: str) -> str | None:
    return session.scalar(select(SyncState.value).where(SyncState.key == key))


def set_state(session: Session, key: str, value: Any) -> None:
    if value is None:
        session.execute(delete(SyncState).where(SyncState.key == key))
        return
    session.merge(SyncState(key=key, value=str(value)))


def identity(store: LocalStore) -> tuple[uuid.UUID, uuid.UUID | None]:
    """This workstation's client id (created on first use) and its current push token."""
    with store.transaction() as session:
        client = get_state(session, CLIENT_ID)
        if client is None:
            client = str(uuid.uuid4())
            set_state(session, CLIENT_ID, client)
        token = get_state(session, TOKEN)
    return uuid.UUID(client), uuid.UUID(token) if token else None


def new_identity(store: LocalStore) -> uuid.UUID:
    """Take a fresh client id: this disk is a copy of another workstation's."""
    client = uuid.uuid4()
    with store.transaction() as session:
        set_state(session, CLIENT_ID, client)
        set_state(session, TOKEN, None)
    return client


def cursor(store: LocalStore) -> int:
    with store.session() as session:
        return int(get_state(session, CURSOR) or 0)


def anchors(store: LocalStore) -> tuple[int | None, uuid.UUID | None, uuid.UUID | None]:
    with store.session() as session:
        seq = get_state(session, ANCHOR_SEQ)
        change = get_state(session, ANCHOR_CHANGE)
        ack = get_state(session, LAST_ACK)
    return (int(seq) if seq else None, uuid.UUID(change) if change else None,
            uuid.UUID(ack) if ack else None)


# -- the outbox ------------------------------------------------------------------------------------

def pending_count(store: LocalStore) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(OutboxEntry)
                              .where(OutboxEntry.state == "pending")) or 0


def status_counts(store: LocalStore) -> tuple[int, int, int]:
    """(waiting, refused, open conflicts) for the status bar, counted in one read: the engine
    reports after every batch of a long push."""
    with store.session() as session:
        by_state = dict(session.execute(
            select(OutboxEntry.state, func.count()).where(
                OutboxEntry.state.in_(("pending", "rejected"))).group_by(OutboxEntry.state)).all())
        conflicts = session.scalar(select(func.count()).select_from(SyncConflict).where(
            SyncConflict.resolved.is_(False))) or 0
    return by_state.get("pending", 0), by_state.get("rejected", 0), conflicts


def rejected_entries(store: LocalStore) -> list[OutboxEntry]:
    """Mutations the central database refused for good: shown to the operator with their error."""
    with store.session() as session:
        return list(session.scalars(select(OutboxEntry).where(OutboxEntry.state == "rejected")
                                    .order_by(OutboxEntry.seq)))


def next_batch(store: LocalStore, limit: int) -> list[Mutation]:
    """The oldest pending mutations, in the order they were written."""
    table = table_of(OutboxEntry)
    with store.session() as session:
        rows = session.execute(
            select(table.c.mutation_id, table.c.kind, table.c.payload, table.c.schema_version,
                   table.c.author)
            .where(table.c.state == "pending").order_by(table.c.seq).limit(limit)).all()
    return [Mutation(m, kind, json.loads(payload), version, author)
            for m, kind, payload, version, author in rows]


def record_acks(store: LocalStore, acks: list[Ack], token: uuid.UUID) -> int:
    """Mark acked/refused entries and keep the new token, in one transaction; returns how many
    were refused. A refused change keeps its local row and its entry (see sync.refused)."""
    refused_count = 0
    with store.transaction() as session:
        table = table_of(OutboxEntry)
        done = [{"m": a.mutation_id, "s": a.seq,
                 "e": a.error if a.status == "conflict" else None}
                for a in acks if a.status != "rejected"]
        if done:  # one executemany: a 500-entry batch costs one statement, not 500 ORM flushes
            session.execute(
                table.update().where(table.c.mutation_id == bindparam("m")).values(
                    state="acked", acked_seq=bindparam("s"), last_error=bindparam("e"),
                    attempts=table.c.attempts + 1), done)
        refused = {a.mutation_id: a for a in acks if a.status == "rejected"}
        if refused:
            for entry in session.scalars(select(OutboxEntry).where(
                    OutboxEntry.mutation_id.in_(list(refused)))):
                entry.attempts += 1
                entry.state = "rejected"
                entry.last_error = refused[entry.mutation_id].error
                refused_count += 1
        acked_ids = [a.mutation_id for a in acks if a.status != "rejected"]
        if acked_ids:
            set_state(session, LAST_ACK, acked_ids[-1])
        set_state(session, TOKEN, token)
    return refused_count


def restore_rows(store: LocalStore, table_name: str, central_rows: dict[str, dict[str, Any]],
                 refused: list[tuple[str, dict[str, Any]]]) -> Changes:
    """Put rows back as the central database has them (or remove them if it has none): only
    when a supervisor discards refused changes, never on the machine's own decision."""
    changes = Changes()
    if table_name not in SYNCED_TABLES:
        return changes
    table = synced_table(table_name)
    model = table.model
    key_col = getattr(model, table.key)
    with store.transaction() as session:
        for key, record in reversed(refused):
            typed = uuid.UUID(key) if isinstance(key_col.type, Uuid) and key else key
            values = central_rows.get(key)
            if values is not None:
                _upsert(session, table, [values])
            elif key:
                try:
                    with session.begin_nested():
                        for child in children_of(table_name):  # its pending children go too
                            child_table = table_of(child.model)
                            session.execute(delete(child_table).where(
                                child_table.c[child.parent.key] == typed,  # type: ignore[union-attr]
                                child_table.c.server_seq.is_(None)))
                        session.execute(delete(model).where(
                            key_col == typed, table_of(model).c.server_seq.is_(None)))
                except IntegrityError:
                    pass  # a dependent row still needs it; the refused entry stays visible
            try:
                table.changes_of(changes, {**record, **(values or {})}, False)
            except (KeyError, ValueError):
                changes.everything = True
    return changes


def requeue_acked(store: LocalStore, now: datetime | None = None) -> int:
    """After a central restore: send again every retained acknowledged mutation, in order."""
    with store.transaction() as session:
        result = session.execute(update(OutboxEntry).where(
            OutboxEntry.state == "acked",
            OutboxEntry.created_at >= (now or utcnow()) - ACKED_RETENTION,
        ).values(state="pending", acked_seq=None))
        for key in (CURSOR, ANCHOR_SEQ, ANCHOR_CHANGE, LAST_ACK):
            set_state(session, key, None)
        return getattr(result, "rowcount", 0) or 0


def prune_acked(store: LocalStore, now: datetime | None = None) -> int:
    """Forget acknowledged entries older than the retention period."""
    with store.transaction() as session:
        result = session.execute(delete(OutboxEntry).where(
            OutboxEntry.state == "acked",
            OutboxEntry.created_at < (now or utcnow()) - ACKED_RETENTION))
        return getattr(result, "rowcount", 0) or 0


# -- applying a pull -------------------------------------------------------------------------------

def _pending_put_keys(session: Session) -> set[tuple[str, str]]:
    keys = set()
    for kind, payload in session.execute(select(OutboxEntry.kind, OutboxEntry.payload).where(
            OutboxEntry.state.in_(("pending", "rejected")), OutboxEntry.kind.like("put:%"))):
        # A refused edit is kept as its author wrote it until a person settles it: a pull of the
        # same row must not overwrite it.
        table = kind.partition(":")[2]
        row = json.loads(payload).get("row", {})
        if table in SYNCED_TABLES:
            keys.add((table, str(row.get(synced_table(table).key))))
    return keys


def _upsert(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    model_table = table_of(table.model)
    columns = [c.name for c in model_table.columns if c.name != "pk"]
    stmt = sqlite_insert(model_table)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.key],
        set_={c: stmt.excluded[c] for c in columns if c != table.key})
    clean = [{c: row.get(c) for c in columns} for row in rows]
    session.execute(stmt, clean)


def apply_page(store: LocalStore, page: PullPage) -> Changes:
    """Apply a pulled page and move the cursor, in one local transaction."""
    changes = Changes()
    if not page.changes:
        return changes
    register_synced_tables()
    with store.transaction() as session:
        skip = _pending_put_keys(session)
        hooked: dict[str, set[Any]] = {}  # table -> keys for its after_apply hook
        run_table: Any = None
        run: list[dict[str, Any]] = []

        def flush() -> None:
            if not run:
                return
            keys = [row[run_table.key] for row in run]
            key_col = getattr(run_table.model, run_table.key)
            existing = set()
            for start in range(0, len(keys), 900):
                existing |= {str(k) for k in session.scalars(
                    select(key_col).where(key_col.in_(keys[start:start + 900])))}
            _upsert(session, run_table, run)
            for row in run:
                run_table.changes_of(changes, row, str(row[run_table.key]) not in existing)
                if run_table.after_apply is not None:
                    hooked.setdefault(run_table.name, set()).add(run_table.hook_key(row))
            run.clear()

        for change in page.changes:
            if change.values is None or change.table not in SYNCED_TABLES:
                continue  # not visible to this workstation (row-level security) or unknown here
            table = synced_table(change.table)
            if table.mode == "put" and (table.name, str(change.values[table.key])) in skip:
                continue  # our own newer edit is still on its way; its ack settles it
            if table is not run_table:
                flush()
                run_table = table
            run.append(change.values)
        flush()
        for name, keys in hooked.items():  # the features' derived state (an event's status)
            hook = synced_table(name).after_apply
            if hook is not None:
                hook(session, keys)
        last = page.changes[-1]
        set_state(session, CURSOR, last.seq)
        set_state(session, ANCHOR_SEQ, last.seq)
        set_state(session, ANCHOR_CHANGE, last.change_id)
        set_state(session, LAST_SYNC, utcnow().isoformat())
    if len(page.changes) > BIG_PULL:
        changes.everything = True
    return changes


def mark_synced(store: LocalStore) -> None:
    with store.transaction() as session:
        set_state(session, LAST_SYNC, utcnow().isoformat())


def last_sync(store: LocalStore) -> datetime | None:
    with store.session() as session:
        value = get_state(session, LAST_SYNC)
    return datetime.fromisoformat(value) if value else None


def open_conflicts(store: LocalStore) -> list[SyncConflict]:
    with store.session() as session:
        return list(session.scalars(select(SyncConflict).where(SyncConflict.resolved.is_(False))
                                    .order_by(SyncConflict.server_seq)))
