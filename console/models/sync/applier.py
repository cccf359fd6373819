"""Applying pushed mutations on the central database: each once, in order, with its feed row.

Inserts of the same table are written in runs (executemany); a put is checked against the
version it was read at and becomes a conflict when another workstation changed the row since.
"""
from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Uuid,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from console.models.base import UTCDateTime, utcnow
from console.models.central_tables import AppliedMutation, ChangeFeedEntry
from console.models.records import from_record
from console.models.sync.errors import (
    MutationRejected,
)
from console.models.sync.messages import Ack, Mutation
from console.models.sync.upgrade import upgrade_payload
from console.models.synced_tables import SyncConflict, SyncedTable, centre_of_record, synced_table, table_of


class BatchFailed(Exception):
    """A data error in the fast path: retry the batch mutation by mutation."""


def _insert_rows(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    """Plain INSERTs of many rows (never COPY: row-level security polices INSERT, not COPY)."""
    if not rows:
        return
    # Rows are grouped by the columns they carry, so a missing one still gets its default.
    # executemany: psycopg 3 pipelines it (a multi-row VALUES measured 5x slower here, most of it
    # in compiling a new statement per batch).
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    for group in groups.values():
        conn.execute(insert(table), group)


_PG_ARRAY_TYPES = {"seq": "bigint", "change_id": "uuid", "mutation_id": "uuid",
                   "client_id": "uuid", "version": "integer"}


def _insert_bookkeeping(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    """The feed and applied-mutation rows of a batch in ONE `INSERT ... SELECT FROM unnest()`
    on PostgreSQL (a single statement instead of one per row; still a plain INSERT)."""
    if conn.dialect.name != "postgresql" or len(rows) < 2:
        _insert_rows(conn, table, rows)
        return
    if table.name == "change_feed" and _has_feed_append(conn):
        _append_feed(conn, rows)
        return
    columns = [c for c in table.columns if c.name in rows[0]]
    params: dict[str, list[Any]] = {}
    casts = []
    for i, column in enumerate(columns):
        if isinstance(column.type, UTCDateTime):
            values = [row[column.name].astimezone(UTC).replace(tzinfo=None)
                      if row[column.name] is not None else None for row in rows]
            pg_type = "timestamp"
        else:
            values = [row[column.name] for row in rows]
            pg_type = _PG_ARRAY_TYPES.get(column.name, "text")
        params[f"p{i}"] = values
        casts.append(f"CAST(:p{i} AS {pg_type}[])")
    names = ", ".join(c.name for c in columns)
    conn.execute(text(f"INSERT INTO {table.name} ({names}) SELECT * FROM unnest({', '.join(casts)})"),
                 params)


_FEED_APPEND = "console_feed_append(bigint[], uuid[], text[], text[], text[], uuid[])"


def _has_feed_append(conn: Connection) -> bool:
    """Does this central validate a batch of feed rows in one call (migration c0008)? Asked
    once per database connection."""
    if "feed_append" not in conn.info:
        conn.info["feed_append"] = bool(conn.scalar(
            text("SELECT to_regprocedure(:f) IS NOT NULL"), {"f": _FEED_APPEND}))
    return bool(conn.info["feed_append"])


def _append_feed(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """A batch's feed rows through the database's set-based check: the same rules as the row
    trigger, one call instead of one trigger run per row."""
    conn.execute(text(
        "SELECT console_feed_append(CAST(:s AS bigint[]), CAST(:c AS uuid[]), "
        "CAST(:t AS text[]), CAST(:k AS text[]), CAST(:ce AS text[]), CAST(:m AS uuid[]))"),
        {"s": [r["seq"] for r in rows], "c": [r["change_id"] for r in rows],
         "t": [r["table_name"] for r in rows], "k": [r["row_key"] for r in rows],
         "ce": [r["centre_code"] for r in rows], "m": [r.get("mutation_id") for r in rows]})


def _to_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _to_datetime(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


_CONVERTERS: dict[type, list[tuple[str, Callable[[Any], Any] | None]]] = {}


def _values_of(model: type, record: dict[str, Any]) -> dict[str, Any]:
    """`records.from_record` with the column inspection done once per model (the replay of a
    20,000-change queue spends its Python time here)."""
    converters = _CONVERTERS.get(model)
    if converters is None:
        from sqlalchemy import inspect as sa_inspect

        from console.models.records import LOCAL_ONLY_COLUMNS

        converters = []
        column: Any
        for column in sa_inspect(model).columns:
            if column.key in LOCAL_ONLY_COLUMNS:
                continue
            convert: Callable[[Any], Any] | None = None
            if isinstance(column.type, Uuid):
                convert = _to_uuid
            elif isinstance(column.type, UTCDateTime):
                convert = _to_datetime
            converters.append((column.key, convert))
        _CONVERTERS[model] = converters
    values: dict[str, Any] = {}
    for key, convert in converters:
        if key in record:
            value = record[key]
            values[key] = convert(value) if convert is not None and value is not None else value
    return values


def chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def typed_key(table: SyncedTable, key: Any) -> Any:
    column = table_of(table.model).c[table.key]
    if isinstance(column.type, Uuid) and not isinstance(key, uuid.UUID):
        return uuid.UUID(str(key))
    return key


class Applier:
    """Applies mutations inside one push transaction, batching consecutive inserts per table."""

    def __init__(self, conn: Connection, client_id: uuid.UUID, max_seq: int) -> None:
        self.conn = conn
        self.client_id = client_id
        self.next_seq = max_seq + 1
        self.now = utcnow()
        self.wrote = False
        self._run_table: SyncedTable | None = None
        self._run_rows: list[dict[str, Any]] = []
        self._feed: list[dict[str, Any]] = []
        self._applied: list[dict[str, Any]] = []
        self._hooked: dict[str, set[Any]] = {}  # table -> keys for its after_apply hook
        self._centres: dict[tuple[str, Any], str | None] = {}  # rows inserted in this batch
        self._session: Session | None = None

    def allocate(self) -> int:
        seq = self.next_seq
        self.next_seq += 1
        return seq

    def feed_row(self, table: str, key: str, centre: str | None,
                 mutation_id: uuid.UUID | None) -> dict[str, Any]:
        self.wrote = True
        return {"seq": self.allocate(), "change_id": uuid.uuid4(), "table_name": table,
                "row_key": key, "centre_code": centre, "mutation_id": mutation_id,
                "committed_at": self.now}

    def _centre(self, table: SyncedTable, values: dict[str, Any], record: dict[str, Any]
                ) -> str | None:
        if table.centre_of is None and table.parent is None:
            return record.get("centre_code")
        if table.centre_of is None and table.parent is not None:
            parent_key = (table.parent.table, values[table.parent.key])
            if parent_key not in self._centres:
                self.flush()  # the parent may be in the run not yet written
                self._centres[parent_key] = centre_of_record(self.conn, table, record)
            return self._centres[parent_key]
        return centre_of_record(self.conn, table, record)

    def apply(self, mutation: Mutation) -> Ack:
        verb, _, name = mutation.kind.partition(":")
        try:
            payload = upgrade_payload(mutation.kind, mutation.payload, mutation.schema_version)
            if verb == "resolve" and name == "sync_conflicts":
                return self._resolve(mutation, payload)
            table = synced_table(name)
        except KeyError as error:
            raise MutationRejected(f"unknown mutation {mutation.kind!r}") from error
        if verb == "insert" and table.mode == "insert":
            return self._insert(mutation, table, payload)
        if verb == "put" and table.mode == "put":
            return self._put(mutation, table, payload)
        raise MutationRejected(f"unknown mutation {mutation.kind!r}")

    def _insert(self, mutation: Mutation, table: SyncedTable, record: dict[str, Any]) -> Ack:
        values = _values_of(table.model, record)
        if table.key not in values:
            raise MutationRejected(f"{table.name} record without {table.key}")
        if table is not self._run_table:
            self.flush()
            self._run_table = table
        centre = self._centre(table, values, record)
        self._centres[(table.name, values[table.key])] = centre
        feed = self.feed_row(table.name, str(values[table.key]), centre, mutation.mutation_id)
        values["server_seq"] = feed["seq"]
        self._run_rows.append(values)
        self._feed.append(feed)
        if table.after_apply is not None:
            self._hooked.setdefault(table.name, set()).add(table.hook_key(values))
        return self._ack(mutation, "applied", feed["seq"], key=str(values[table.key]))

    def _ack(self, mutation: Mutation, status: str, seq: int | None, *, key: str | None = None,
             version: int | None = None, error: str | None = None) -> Ack:
        self._applied.append({
            "mutation_id": mutation.mutation_id, "client_id": self.client_id,
            "kind": mutation.kind, "status": status, "seq": seq, "row_key": key,
            "version": version, "error": error, "author": mutation.author,
            "applied_at": self.now})
        return Ack(mutation.mutation_id, status, seq, error, version)

    def _put(self, mutation: Mutation, table: SyncedTable, payload: dict[str, Any]) -> Ack:
        self.flush()
        record = payload["row"]
        base = int(payload.get("base_version", 0))
        values = from_record(table.model, record)
        model = table_of(table.model)
        key = values[table.key]
        current = self.conn.execute(select(model).where(model.c[table.key] == key)
                                    .with_for_update()).first()
        centre = values.get("centre_code") if "centre_code" in values else None
        if current is not None and current.version != base and self._changed_by_others(
                mutation.kind, str(key), base, current.version):
            return self._conflict(mutation, table, record, base, current, centre)
        version = (current.version if current is not None else base) + 1
        feed = self.feed_row(table.name, str(key), centre, mutation.mutation_id)
        values.update(version=version, server_seq=feed["seq"])
        values.pop("pk", None)
        if current is None:
            self.conn.execute(insert(model).values(**values))
        else:
            self.conn.execute(update(model).where(model.c[table.key] == key).values(**values))
        self._feed.append(feed)
        return self._ack(mutation, "applied", feed["seq"], key=str(key), version=version)

    def _changed_by_others(self, kind: str, key: str, base: int, current: int) -> bool:
        """Was a version after `base` made by another workstation (or by no recorded put)?"""
        if current < base:
            return True
        makers = self.conn.execute(select(AppliedMutation.client_id, AppliedMutation.version).where(
            AppliedMutation.kind == kind, AppliedMutation.row_key == key,
            AppliedMutation.status == "applied", AppliedMutation.version > base)).all()
        mine = {version for client, version in makers if client == self.client_id}
        # Every version in (base, current] must be this workstation's own earlier edit (two
        # edits queued offline both carry the same base); anything else is someone else's.
        return any(v not in mine for v in range(base + 1, current + 1))

    def _conflict(self, mutation: Mutation, table: SyncedTable, record: dict[str, Any],
                  base: int, current: Any, centre: str | None) -> Ack:
        conflict_feed = self.feed_row("sync_conflicts", "", centre, mutation.mutation_id)
        conflict_id = uuid.uuid4()
        conflict_feed["row_key"] = str(conflict_id)
        self.conn.execute(insert(table_of(SyncConflict)).values(
            id=conflict_id, table_name=table.name, row_id=str(record[table.key]),
            mutation_id=mutation.mutation_id, base_version=base,
            current_version=current.version, proposed=json.dumps(record, ensure_ascii=False),
            author=mutation.author, centre_code=centre, created_at=self.now, resolved=False,
            server_seq=conflict_feed["seq"]))
        # Re-publish the row as it stands, so the author's workstation drops its optimistic edit.
        row_feed = self.feed_row(table.name, str(record[table.key]), centre, mutation.mutation_id)
        model = table_of(table.model)
        self.conn.execute(update(model).where(model.c[table.key] == current._mapping[table.key])
                          .values(server_seq=row_feed["seq"]))
        self._feed.extend([conflict_feed, row_feed])
        return self._ack(mutation, "conflict", conflict_feed["seq"], key=str(record[table.key]),
                         error=f"edited meanwhile (version {current.version}, yours {base}); "
                               f"kept as conflict {conflict_id}")

    def _resolve(self, mutation: Mutation, payload: dict[str, Any]) -> Ack:
        self.flush()
        conflict_id = uuid.UUID(str(payload["conflict_id"]))
        table = table_of(SyncConflict)
        row = self.conn.execute(select(table).where(table.c.id == conflict_id)).first()
        if row is None:
            raise MutationRejected(f"unknown conflict {conflict_id}")
        feed = self.feed_row("sync_conflicts", str(conflict_id), row.centre_code,
                             mutation.mutation_id)
        self.conn.execute(update(table).where(table.c.id == conflict_id).values(
            resolved=True, resolved_by=mutation.author,
            resolved_at=self.now, resolution=str(payload.get("resolution", ""))[:2000],
            server_seq=feed["seq"]))
        self._feed.append(feed)
        return self._ack(mutation, "applied", feed["seq"], key=str(conflict_id))

    def reject(self, mutation: Mutation, error: BaseException) -> Ack:
        message = str(getattr(error, "orig", None) or error).strip().splitlines()
        text_ = (message[0] if message else type(error).__name__)[:2000]
        ack = self._ack(mutation, "rejected", None, error=text_)
        self.conn.execute(insert(AppliedMutation), self._applied)
        self._applied.clear()
        return ack

    def discard(self) -> None:
        """Forget what the failed mutation queued (its savepoint was rolled back)."""
        self._run_rows.clear()
        self._feed.clear()
        self._applied.clear()
        self._run_table = None

    def flush(self) -> None:
        """Write the queued insert run, feed rows and acks (the executemany fast path)."""
        if self._run_rows and self._run_table is not None:
            _insert_rows(self.conn, table_of(self._run_table.model),
                         self._run_rows)
            self._run_rows = []
        if self._feed:
            _insert_bookkeeping(self.conn, table_of(ChangeFeedEntry), self._feed)
            self._feed = []
        if self._applied:
            _insert_bookkeeping(self.conn, table_of(AppliedMutation), self._applied)
            self._applied = []

    def finish(self) -> None:
        """Run the features' after_apply hooks on what this batch inserted (derived state)."""
        if not self._hooked:
            return
        session = Session(bind=self.conn, autoflush=False)
        try:
            for name, keys in self._hooked.items():
                hook = synced_table(name).after_apply
                if hook is not None:
                    hook(session, keys)
            session.flush()
        finally:
            session.close()
        self._hooked.clear()
