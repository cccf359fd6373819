"""The central side of sync: push (apply client mutations once) and pull (the change feed).

Runs in the workstation's process against the central database over SQLAlchemy: the same code
for PostgreSQL and for the demo's embedded SQLite central. Every central write is a plain
INSERT/UPDATE on the entity tables and the feed, under the user's own login, so row-level
security can police it.

Why pulls can never skip a row: a push takes a transaction-scoped lock (PostgreSQL
`pg_advisory_xact_lock`; SQLite `BEGIN IMMEDIATE`) before it allocates feed positions and keeps
it until commit, and PostgreSQL makes a commit visible before it releases the locks. So
allocation order is commit order: once a reader sees seq n, every seq below n is visible too.
"""
from __future__ import annotations

import json
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Uuid,
    bindparam,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from console.models.base import UTCDateTime, utcnow
from console.models.central_db import central_engine
from console.models.central_tables import AppliedMutation, CentralMeta, ChangeFeedEntry, SyncClient
from console.models.features import register_synced_tables
from console.models.outbox import MUTATION_SCHEMA_VERSION
from console.models.records import from_record
from console.models.sync.errors import (
    ClonedClient,
    MutationRejected,
    SchemaMismatch,
    TransientError,
    is_transient,
)
from console.models.sync.upgrade import upgrade_payload
from console.models.synced_tables import SyncConflict, SyncedTable, centre_of_record, synced_table, table_of

NOTIFY_CHANNEL = "console_changes"
FEED_LOCK_KEY = 0x636F6E73  # "cons": the advisory lock serialising feed allocation
META_SCHEMA = "mutation_schema_version"
META_MIN_CLIENT = "min_client_schema_version"


@dataclass
class Mutation:
    mutation_id: uuid.UUID
    kind: str
    payload: dict[str, Any]
    schema_version: int
    author: str


@dataclass
class Ack:
    mutation_id: uuid.UUID
    status: str  # applied | conflict | rejected
    seq: int | None = None
    error: str | None = None
    version: int | None = None


@dataclass
class PushResult:
    acks: list[Ack]
    client_id: uuid.UUID
    token: uuid.UUID
    max_seq: int


@dataclass
class PulledChange:
    seq: int
    change_id: uuid.UUID
    table: str
    values: dict[str, Any] | None  # column values of the row now (None: not visible any more)


@dataclass
class PullPage:
    changes: list[PulledChange] = field(default_factory=list)
    max_seq: int = 0  # highest seq in the feed when the page was read

    @property
    def last(self) -> PulledChange | None:
        return self.changes[-1] if self.changes else None


class _BatchFailed(Exception):
    """A data error in the fast path: retry the batch mutation by mutation."""


# -- embedded central: in-process wake-ups ---------------------------------------------------------

_LOCAL_LISTENERS: dict[str, weakref.WeakSet] = {}
_LOCAL_LOCK = threading.Lock()


class CentralStore:
    """Push and pull against one central database (PostgreSQL or embedded SQLite)."""

    def __init__(self, url: str | Engine, *, password: str | None = None) -> None:
        register_synced_tables()
        self.engine = url if isinstance(url, Engine) else central_engine(url, password=password)
        self.dialect = self.engine.dialect.name
        self.url = self.engine.url
        # Test hook: called inside the push transaction after the changes are written and before
        # the commit (a slow writer in the out-of-order test).
        self.before_commit: Callable[[], None] | None = None

    @classmethod
    def embedded(cls, path: Path | str) -> CentralStore:
        return cls(f"sqlite:///{path}")

    def dispose(self) -> None:
        self.engine.dispose()

    # -- schema --------------------------------------------------------------------------------

    def migrate(self) -> None:
        """Create or upgrade the central schema (Alembic), then publish rows not yet in the feed."""
        from console.models.migrations import upgrade_central

        upgrade_central(self.engine)
        self.publish_unfed_rows()

    def check_schema(self) -> None:
        """Refuse clearly when this console and the central schema cannot talk."""
        try:
            with self._read() as conn:
                meta = dict(conn.execute(select(CentralMeta.key, CentralMeta.value)).all())
        except sa_exc.DBAPIError as error:
            if is_transient(error):
                raise TransientError(str(error.orig)) from error
            raise SchemaMismatch("the central database has no console schema: run "
                                 "`console init-central`") from error
        central = int(meta.get(META_SCHEMA, "-1"))
        minimum = int(meta.get(META_MIN_CLIENT, "0"))
        if central < MUTATION_SCHEMA_VERSION:
            raise SchemaMismatch(
                f"the central database speaks sync schema {central}, older than this console's "
                f"{MUTATION_SCHEMA_VERSION}: run `console init-central` with this release first")
        if minimum > MUTATION_SCHEMA_VERSION:
            raise SchemaMismatch(
                f"the central database needs consoles of sync schema {minimum} or later; this "
                f"one speaks {MUTATION_SCHEMA_VERSION}: install the new release")

    # -- transactions --------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            if self.dialect == "sqlite":
                conn = conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                if self.dialect == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": FEED_LOCK_KEY})
                yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            if self.dialect == "sqlite":
                conn = conn.execution_options(sqlite_begin="DEFERRED")
            else:
                conn = conn.execution_options(isolation_level="REPEATABLE READ",
                                              postgresql_readonly=True)
            with conn.begin():
                yield conn

    def _wrap(self, error: BaseException) -> BaseException:
        if is_transient(error):
            return TransientError(f"central database unreachable: {error}")
        return error

    # -- push ----------------------------------------------------------------------------------

    def push(self, client_id: uuid.UUID, token: uuid.UUID | None, username: str,
             mutations: list[Mutation]) -> PushResult:
        """Apply mutations in order, each exactly once; returns one ack per mutation.

        The whole batch is tried in one transaction; if one mutation fails on its data, the batch
        is retried with a savepoint per mutation, so that only the bad ones are rejected.
        """
        try:
            try:
                return self._push(client_id, token, username, mutations, careful=False)
            except _BatchFailed:
                return self._push(client_id, token, username, mutations, careful=True)
        except (ClonedClient, SchemaMismatch):
            raise
        except Exception as error:  # noqa: BLE001 - classified, re-raised
            wrapped = self._wrap(error)
            if wrapped is error:
                raise
            raise wrapped from error

    def _push(self, client_id: uuid.UUID, token: uuid.UUID | None, username: str,
              mutations: list[Mutation], *, careful: bool) -> PushResult:
        with self._write() as conn:
            new_token = self._rotate_token(conn, client_id, token, username)
            applier = _Applier(conn, client_id, self._max_seq(conn))
            ids = [m.mutation_id for m in mutations]
            known: dict[uuid.UUID, Ack] = {}
            for chunk in _chunks(ids, 1000):
                for row in conn.execute(select(AppliedMutation).where(
                        AppliedMutation.mutation_id.in_(chunk))):
                    known[row.mutation_id] = Ack(row.mutation_id, row.status, row.seq, row.error,
                                                 row.version)
            acks: list[Ack] = []
            for mutation in mutations:
                if mutation.mutation_id in known:
                    acks.append(known[mutation.mutation_id])
                    continue
                if careful:
                    applier.flush()
                    try:
                        with conn.begin_nested():
                            ack = applier.apply(mutation)
                            applier.flush()
                    except Exception as error:  # noqa: BLE001 - classified below
                        if is_transient(error):
                            raise
                        applier.discard()
                        ack = applier.reject(mutation, error)
                else:
                    try:
                        ack = applier.apply(mutation)
                    except Exception as error:  # noqa: BLE001
                        if is_transient(error):
                            raise
                        raise _BatchFailed from error
                known[mutation.mutation_id] = ack  # a batch may carry the same mutation twice
                acks.append(ack)
            try:
                applier.flush()
                applier.finish()
            except Exception as error:  # noqa: BLE001
                if is_transient(error) or careful:
                    raise
                raise _BatchFailed from error
            max_seq = applier.next_seq - 1
            if self.dialect == "postgresql" and applier.wrote:
                conn.execute(text("SELECT pg_notify(:c, :p)"),
                             {"c": NOTIFY_CHANNEL, "p": str(max_seq)})
            if self.before_commit is not None:
                self.before_commit()
        if self.dialect == "sqlite" and applier.wrote:
            self._wake_local()
        return PushResult(acks, client_id, new_token, max_seq)

    def _rotate_token(self, conn: Connection, client_id: uuid.UUID, token: uuid.UUID | None,
                      username: str) -> uuid.UUID:
        now = utcnow()
        new_token = uuid.uuid4()
        row = conn.execute(select(SyncClient).where(SyncClient.client_id == client_id)
                           .with_for_update()).first()
        if row is None:
            # First contact (or a central restored from a backup older than this client: it is
            # simply registered again; its mutation ids keep the push idempotent).
            conn.execute(insert(SyncClient).values(
                client_id=client_id, token=new_token, previous_token=None, username=username,
                created_at=now, last_push_at=now))
            return new_token
        if token is not None and token == row.token:
            previous = row.token
        elif token == row.previous_token:
            # The last answer was lost on the way back (token None: the very first one).
            previous = row.previous_token
        else:
            raise ClonedClient(f"workstation identity {client_id} is already in use elsewhere")
        conn.execute(update(SyncClient).where(SyncClient.client_id == client_id).values(
            token=new_token, previous_token=previous, last_push_at=now, username=username))
        return new_token

    @staticmethod
    def _max_seq(conn: Connection) -> int:
        if conn.dialect.name == "postgresql" and conn.scalar(
                text("SELECT to_regproc('console_feed_max_seq') IS NOT NULL")):
            # Row-level security hides other centres' feed rows from this login; the allocation
            # needs the true maximum (security hook, see the README, access rights).
            return int(conn.scalar(text("SELECT console_feed_max_seq()")) or 0)
        return int(conn.scalar(select(func.coalesce(func.max(ChangeFeedEntry.seq), 0))) or 0)

    def max_seq(self) -> int:
        try:
            with self._read() as conn:
                return self._max_seq(conn)
        except Exception as error:  # noqa: BLE001
            raise self._wrap(error) from error

    # -- pull ----------------------------------------------------------------------------------

    def pull(self, cursor: int, limit: int = 2000,
             centres: Iterable[str] | None = None) -> PullPage:
        """Changes after `cursor` in feed order, with the rows' current values (one snapshot)."""
        try:
            with self._read() as conn:
                query = (select(ChangeFeedEntry).where(ChangeFeedEntry.seq > cursor)
                         .order_by(ChangeFeedEntry.seq).limit(limit))
                if centres is not None:
                    query = query.where(ChangeFeedEntry.centre_code.in_(list(centres))
                                        | ChangeFeedEntry.centre_code.is_(None))
                feed = conn.execute(query).all()
                by_table: dict[str, set[str]] = {}
                for entry in feed:
                    by_table.setdefault(entry.table_name, set()).add(entry.row_key)
                rows: dict[tuple[str, str], dict[str, Any]] = {}
                for name, keys in by_table.items():
                    table = synced_table(name)
                    model = table.model
                    key_col = table_of(model).c[table.key]
                    typed = [_typed_key(table, k) for k in keys]
                    for chunk in _chunks(typed, 1000):
                        for row in conn.execute(select(table_of(model)).where(key_col.in_(chunk))):
                            values = dict(row._mapping)
                            values.pop("pk", None)
                            rows[(name, str(values[table.key]))] = values
                page = PullPage(max_seq=self._max_seq(conn))
                for entry in feed:
                    page.changes.append(PulledChange(
                        entry.seq, entry.change_id, entry.table_name,
                        rows.get((entry.table_name, entry.row_key))))
                return page
        except Exception as error:  # noqa: BLE001
            raise self._wrap(error) from error

    def still_has(self, seq: int | None, change_id: uuid.UUID | None,
                  mutation_id: uuid.UUID | None) -> bool:
        """False when the central lost the last change we pulled or the last mutation it acked:
        it was restored from a backup (or replaced)."""
        try:
            with self._read() as conn:
                if seq is not None and change_id is not None:
                    found = conn.scalar(select(ChangeFeedEntry.change_id)
                                        .where(ChangeFeedEntry.seq == seq))
                    if found != change_id:
                        return False
                if mutation_id is not None and conn.scalar(select(AppliedMutation.status).where(
                        AppliedMutation.mutation_id == mutation_id)) is None:
                    return False
                return True
        except Exception as error:  # noqa: BLE001
            raise self._wrap(error) from error

    def fetch_rows(self, table_name: str, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Current central values of some rows (to undo a rejected local change)."""
        table = synced_table(table_name)
        key_col = table_of(table.model).c[table.key]
        typed = [_typed_key(table, k) for k in keys]
        result: dict[str, dict[str, Any]] = {}
        try:
            with self._read() as conn:
                for row in conn.execute(select(table_of(table.model)).where(key_col.in_(typed))):
                    values = dict(row._mapping)
                    values.pop("pk", None)
                    result[str(values[table.key])] = values
        except Exception as error:  # noqa: BLE001
            raise self._wrap(error) from error
        return result

    def publish_unfed_rows(self) -> int:
        """Give a feed position to rows written without one (seeding, admin imports)."""
        from console.models.synced_tables import SYNCED_TABLES

        count = 0
        with self._write() as conn:
            applier = _Applier(conn, uuid.UUID(int=0), self._max_seq(conn))
            inspector = inspect(conn)
            for table in SYNCED_TABLES.values():
                model = table_of(table.model)
                if not inspector.has_table(model.name):
                    continue  # registered by a capability whose migration has not run here
                key_col = model.c[table.key]
                order = model.c.get("pk", key_col)
                keys = conn.execute(select(key_col).where(model.c.server_seq.is_(None))
                                    .order_by(order)).scalars().all()
                if not keys:
                    continue
                centres: dict[str, str | None] = {}
                if table.centre_of is None and "centre_code" in model.c:
                    centres = {str(k): c for k, c in conn.execute(
                        select(key_col, model.c.centre_code)
                        .where(model.c.server_seq.is_(None)))}
                elif table.parent is not None:
                    parent = synced_table(table.parent.table)
                    parent_model = table_of(parent.model)
                    centres = {str(k): c for k, c in conn.execute(
                        select(key_col, parent_model.c.centre_code).join(
                            parent_model,
                            parent_model.c[parent.key] == model.c[table.parent.key])
                        .where(model.c.server_seq.is_(None)))}
                elif table.centre_of is not None:
                    centres = {str(k): table.centre_of(conn, {table.key: k}) for k in keys}
                first = applier.next_seq
                feed = []
                for key in keys:
                    feed.append(applier.feed_row(table.name, str(key), centres.get(str(key)),
                                                 None))
                conn.execute(insert(ChangeFeedEntry), feed)
                for offset, chunk in enumerate(_chunks(list(keys), 5000)):
                    start = first + offset * 5000
                    conn.execute(
                        model.update().where(key_col == bindparam("key_")).values(
                            server_seq=bindparam("seq_")),
                        [{"key_": k, "seq_": start + i} for i, k in enumerate(chunk)])
                count += len(keys)
            if count and self.dialect == "postgresql":
                conn.execute(text("SELECT pg_notify(:c, :p)"),
                             {"c": NOTIFY_CHANNEL, "p": str(applier.next_seq - 1)})
        if count and self.dialect == "sqlite":
            self._wake_local()
        return count

    # -- wake-ups ------------------------------------------------------------------------------

    def _local_key(self) -> str:
        return str(Path(self.url.database or "").resolve())

    def _wake_local(self) -> None:
        with _LOCAL_LOCK:
            waiters = list(_LOCAL_LISTENERS.get(self._local_key(), ()))
        for waiter in waiters:
            waiter.set()

    def listener(self, wake: threading.Event) -> ChangeListener:
        """Something that sets `wake` when the feed may have grown (and on every reconnect)."""
        if self.dialect == "sqlite":
            return LocalListener(self, wake)
        return PgListener(self, wake)


class ChangeListener:
    """Sets `wake` on a change notification; `connected` says whether it can hear them."""

    connected = False

    def start(self) -> None: ...

    def stop(self) -> None: ...


class _WakeHandle:
    """A weakly referenced holder of the event, so a forgotten listener unregisters itself."""

    def __init__(self, event_: threading.Event) -> None:
        self.event = event_

    def set(self) -> None:
        self.event.set()


class LocalListener(ChangeListener):
    """Embedded central: pushes in this process wake every listener of the same file."""

    def __init__(self, central: CentralStore, wake: threading.Event) -> None:
        self.central = central
        self.handle = _WakeHandle(wake)

    def start(self) -> None:
        with _LOCAL_LOCK:
            _LOCAL_LISTENERS.setdefault(self.central._local_key(), weakref.WeakSet()).add(
                self.handle)
        self.connected = True
        self.handle.set()

    def stop(self) -> None:
        with _LOCAL_LOCK:
            _LOCAL_LISTENERS.get(self.central._local_key(), weakref.WeakSet()).discard(self.handle)
        self.connected = False


class PgListener(ChangeListener):
    """LISTEN on an autocommit psycopg connection in a thread; a notification is only a wake-up.

    Notifications sent while this connection was down are lost by design, so every (re)connect
    also sets `wake`: the engine pulls and catches up.
    """

    def __init__(self, central: CentralStore, wake: threading.Event, *,
                 poll: float = 0.5, heartbeat: float = 10.0) -> None:
        self.central = central
        self.wake = wake
        self.poll = poll
        self.heartbeat = heartbeat
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.connected = False
        self.notifications = 0

    def _dsn(self) -> str:
        url = self.central.url.set(drivername="postgresql")
        return url.render_as_string(hide_password=False)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="console-listen", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        import psycopg

        delay = 0.5
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._dsn(), autocommit=True, connect_timeout=5,
                                     keepalives=1, keepalives_idle=5, keepalives_interval=2,
                                     keepalives_count=3, application_name="console-listen"
                                     ) as conn:
                    conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    self.connected = True
                    delay = 0.5
                    self.wake.set()  # anything missed while disconnected: pull now
                    beat = time.monotonic()
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=self.poll):
                            self.notifications += 1
                            self.wake.set()
                        if time.monotonic() - beat > self.heartbeat:
                            conn.execute("SELECT 1")  # a dead link raises here
                            beat = time.monotonic()
            except Exception:  # noqa: BLE001 - any failure means: reconnect with backoff
                pass
            self.connected = False
            self._stop.wait(delay)
            delay = min(delay * 2, 5.0)


# -- applying mutations ----------------------------------------------------------------------------

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


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _typed_key(table: SyncedTable, key: Any) -> Any:
    column = table_of(table.model).c[table.key]
    if isinstance(column.type, Uuid) and not isinstance(key, uuid.UUID):
        return uuid.UUID(str(key))
    return key


class _Applier:
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
