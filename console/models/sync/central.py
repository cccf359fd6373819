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

import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    bindparam,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy import exc as sa_exc

from console.models.base import utcnow
from console.models.central_db import central_engine
from console.models.central_tables import AppliedMutation, CentralMeta, ChangeFeedEntry, SyncClient
from console.models.features import register_synced_tables
from console.models.outbox import MUTATION_SCHEMA_VERSION
from console.models.sync.applier import Applier, BatchFailed, chunks, typed_key
from console.models.sync.errors import (
    CentralFault,
    ClonedClient,
    SchemaMismatch,
    TransientError,
    describe,
    is_client_fault,
    is_transient,
)
from console.models.sync.listeners import ChangeListener, LocalListener, PgListener, wake_local
from console.models.sync.messages import (
    FEED_LOCK_KEY,
    META_MIN_CLIENT,
    META_SCHEMA,
    NOTIFY_CHANNEL,
    Ack,
    Mutation,
    PulledChange,
    PullPage,
    PushResult,
)
from console.models.synced_tables import SYNCED_TABLES, synced_table, table_of


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
        if isinstance(error, TransientError):  # already classified (a central fault)
            return error
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
            except BatchFailed:
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
            applier = Applier(conn, client_id, self._max_seq(conn))
            ids = [m.mutation_id for m in mutations]
            known: dict[uuid.UUID, Ack] = {}
            for chunk in chunks(ids, 1000):
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
                        if not is_client_fault(error):
                            raise CentralFault(f"central fault: {describe(error)}") from error
                        applier.discard()
                        ack = applier.reject(mutation, error)
                else:
                    try:
                        ack = applier.apply(mutation)
                    except Exception as error:  # noqa: BLE001
                        if is_transient(error):
                            raise
                        raise BatchFailed from error
                known[mutation.mutation_id] = ack  # a batch may carry the same mutation twice
                acks.append(ack)
            try:
                applier.flush()
                applier.finish()
            except Exception as error:  # noqa: BLE001
                if is_transient(error):
                    raise
                if careful:  # every mutation applied alone; the server's own step failed
                    raise CentralFault(f"central fault: {describe(error)}") from error
                raise BatchFailed from error
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
            # needs the true maximum (security hook, see docs/administration.md).
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
                # A malformed feed row (unknown table, a key that is not one) is skipped and
                # reported, never a crash that stops every workstation's sync.
                skipped = {entry.seq: reason for entry in feed
                           if (reason := _malformed(entry.table_name, entry.row_key))}
                by_table: dict[str, set[str]] = {}
                for entry in feed:
                    if entry.seq not in skipped:
                        by_table.setdefault(entry.table_name, set()).add(entry.row_key)
                rows: dict[tuple[str, str], dict[str, Any]] = {}
                for name, keys in by_table.items():
                    table = synced_table(name)
                    model = table.model
                    key_col = table_of(model).c[table.key]
                    typed = [typed_key(table, k) for k in keys]
                    for chunk in chunks(typed, 1000):
                        for row in conn.execute(select(table_of(model)).where(key_col.in_(chunk))):
                            values = dict(row._mapping)
                            values.pop("pk", None)
                            rows[(name, str(values[table.key]))] = values
                page = PullPage(max_seq=self._max_seq(conn), skipped=skipped)
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
        typed = [typed_key(table, k) for k in keys]
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
            applier = Applier(conn, uuid.UUID(int=0), self._max_seq(conn))
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
                for offset, chunk in enumerate(chunks(list(keys), 5000)):
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
        wake_local(self._local_key())

    def listener(self, wake: threading.Event) -> ChangeListener:
        """Something that sets `wake` when the feed may have grown (and on every reconnect)."""
        if self.dialect == "sqlite":
            return LocalListener(self._local_key(), wake)
        dsn = self.url.set(drivername="postgresql").render_as_string(hide_password=False)
        return PgListener(dsn, wake)


def _malformed(table_name: str, row_key: str) -> str | None:
    """Why a feed row cannot name a row of a synced table, or None when it can."""
    if table_name not in SYNCED_TABLES:
        return f"unknown table {table_name[:64]!r}"
    try:
        typed_key(synced_table(table_name), row_key)
    except (ValueError, TypeError):
        return f"malformed key {str(row_key)[:64]!r} for {table_name}"
    return None
