"""The audit trail: append a record, verify the hash chain, search it.

On PostgreSQL the chain is computed by the database (trigger `audit_log_chain`): position, time
and author come from the server and no console user may write the table directly. The embedded
SQLite central has no server, so `append` computes the same chain in Python there. `verify`
rebuilds every hash from the stored columns, independently of the database's own functions.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Executable, Text, cast, func, or_, select, text

from console.models.security.tables import audit_log

GENESIS = "0" * 64
GENESIS_TIME = "1970-01-01T00:00:00.000000Z"  # the time before any record
ACTIONS = ("sign_in", "sign_out", "sign_in_failed", "offline_sign_in", "lock", "unlock",
           "export", "report", "access")


def _field(value: str | None) -> str:
    return "-;" if value is None else f"{len(value)}:{value};"


def format_at(at: datetime) -> str:
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(pos: int, at: datetime, actor: str, workstation: str, action: str,
              table_name: str | None, row_key: str | None, old: str | None, new: str | None,
              details: str | None) -> str:
    """The text a record's hash covers (same definition as SQL console_audit_canonical)."""
    return "".join(_field(v) for v in (str(pos), format_at(at), actor, workstation, action,
                                       table_name, row_key, old, new, details))


def chain_hash(prev_hash: str, canonical_text: str) -> str:
    return hashlib.sha256((prev_hash + canonical_text).encode("utf-8")).hexdigest()


@dataclass
class AuditRecord:
    pos: int
    at: datetime
    actor: str
    workstation: str
    action: str
    table_name: str | None
    row_key: str | None
    old: str | None  # JSON text as stored
    new: str | None
    details: str | None
    prev_hash: str
    hash: str

    def json(self, name: str) -> Any:
        value = getattr(self, name)
        return None if value is None else json.loads(value)

    def recomputed_hash(self) -> str:
        return chain_hash(self.prev_hash, canonical(
            self.pos, self.at, self.actor, self.workstation, self.action, self.table_name,
            self.row_key, self.old, self.new, self.details))


def _columns(dialect: str = "postgresql") -> tuple[ColumnElement[Any], ...]:
    c = audit_log.c
    # SQLite keeps the time as the ISO text that was hashed: read it back as text.
    at = c.at if dialect == "postgresql" else cast(c.at, Text)
    return (c.pos, at, c.actor, c.workstation, c.action, c.table_name, c.row_key,
            cast(c.old, Text), cast(c.new, Text), cast(c.details, Text), c.prev_hash, c.hash)


def _records(conn: Connection, query: Executable) -> Iterator[AuditRecord]:
    for row in conn.execute(query):
        at = row[1]
        if isinstance(at, str):
            at = datetime.fromisoformat(at)
        yield AuditRecord(row[0], at, *row[2:])


# -- writing -----------------------------------------------------------------------------------

def _json_text(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str)


def append(conn: Connection, action: str, *, actor: str, workstation: str = "",
           table_name: str | None = None, row_key: str | None = None, old: Any = None,
           new: Any = None, details: Any = None) -> int:
    """Append one record; returns its position.

    PostgreSQL: only the actions a client may report go through (`console_audit_event`); the
    server sets author, time and workstation. SQLite (embedded central): chained here, inside the
    caller's write transaction (which holds SQLite's write lock, so positions cannot race).
    """
    if conn.dialect.name == "postgresql":
        return int(conn.scalar(text("SELECT console_audit_event(:a, CAST(:d AS jsonb))"),
                               {"a": action, "d": _json_text(details)}))
    seal_staged(conn)  # row changes staged before this record come before it in the chain
    return _append_sqlite(conn, action, actor=actor, workstation=workstation,
                          table_name=table_name, row_key=row_key, old_t=_json_text(old),
                          new_t=_json_text(new), det_t=_json_text(details),
                          at=datetime.now(UTC))


# Stored as text exactly as hashed (a JSON column would re-serialise it).
_INSERT = text(
    "INSERT INTO audit_log (pos, at, actor, workstation, action, table_name, row_key, old, "
    "new, details, prev_hash, hash) VALUES (:pos, :at, :actor, :ws, :action, :t, :k, :o, "
    ":n, :d, :p, :h)")


def _append_sqlite(conn: Connection, action: str, *, actor: str, workstation: str,
                   table_name: str | None, row_key: str | None, old_t: str | None,
                   new_t: str | None, det_t: str | None, at: datetime) -> int:
    last = conn.execute(select(audit_log.c.pos, audit_log.c.hash)
                        .order_by(audit_log.c.pos.desc()).limit(1)).first()
    pos = (last[0] if last else 0) + 1
    prev = last[1] if last else GENESIS
    digest = chain_hash(prev, canonical(pos, at, actor, workstation, action, table_name, row_key,
                                        old_t, new_t, det_t))
    conn.execute(_INSERT, {"pos": pos, "at": format_at(at), "actor": actor, "ws": workstation,
                           "action": action, "t": table_name, "k": row_key, "o": old_t,
                           "n": new_t, "d": det_t, "p": prev, "h": digest})
    return pos


# -- embedded central: row changes staged by SQLite triggers, chained here ----------------------

def sqlite_stage_triggers(conn: Connection, table: str, key: str) -> list[str]:
    """SQLite triggers copying every change of `table` to audit_stage (pure SQL, no functions:
    a connection that knows nothing of the console can still write the table)."""
    from sqlalchemy import inspect

    if not inspect(conn).has_table(table):
        return []
    columns = [c["name"] for c in inspect(conn).get_columns(table)]
    quoted = [f'"{c}"' for c in columns]

    def obj(ref: str) -> str:
        return "json_object(" + ", ".join(f"'{c}', {ref}.{q}" for c, q in zip(columns, quoted,
                                                                              strict=True)) + ")"
    actor = "NEW.author" if "author" in columns else "NULL"
    old_actor = "OLD.author" if "author" in columns else "NULL"
    now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
    changed = " OR ".join(f"OLD.{q} IS NOT NEW.{q}" for c, q in zip(columns, quoted, strict=True)
                          if c not in ("server_seq", "pk")) or "0"
    return [
        f"CREATE TRIGGER {table}_audit_ins AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO audit_stage (at, actor, action, table_name, row_key, old, new) VALUES "
        f"({now}, {actor}, 'insert', '{table}', NEW.\"{key}\", NULL, {obj('NEW')}); END",
        f"CREATE TRIGGER {table}_audit_upd AFTER UPDATE ON {table} WHEN {changed} BEGIN "
        f"INSERT INTO audit_stage (at, actor, action, table_name, row_key, old, new) VALUES "
        f"({now}, {actor}, 'update', '{table}', NEW.\"{key}\", {obj('OLD')}, {obj('NEW')}); END",
        f"CREATE TRIGGER {table}_audit_del AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO audit_stage (at, actor, action, table_name, row_key, old, new) VALUES "
        f"({now}, {old_actor}, 'delete', '{table}', OLD.\"{key}\", {obj('OLD')}, NULL); END",
    ]


def seal_staged(conn: Connection) -> int:
    """Chain the staged row changes of an embedded central into audit_log (in stage order)."""
    from sqlalchemy import inspect

    if conn.dialect.name == "postgresql" or not inspect(conn).has_table("audit_stage"):
        return 0
    staged = conn.execute(text("SELECT id, at, actor, action, table_name, row_key, old, new "
                               "FROM audit_stage ORDER BY id")).all()
    if not staged:
        return 0
    last = conn.execute(select(audit_log.c.pos, audit_log.c.hash)
                        .order_by(audit_log.c.pos.desc()).limit(1)).first()
    pos, prev = (last[0], last[1]) if last else (0, GENESIS)
    rows = []
    for row in staged:  # chained here in one pass, written in one executemany
        pos += 1
        at = format_at(datetime.fromisoformat(row.at.replace("Z", "+00:00")))
        actor = row.actor or "system"
        digest = chain_hash(prev, "".join(_field(v) for v in (
            str(pos), at, actor, "", row.action, row.table_name, row.row_key, row.old, row.new,
            None)))
        rows.append({"pos": pos, "at": at, "actor": actor, "ws": "", "action": row.action,
                     "t": row.table_name, "k": row.row_key, "o": row.old, "n": row.new,
                     "d": None, "p": prev, "h": digest})
        prev = digest
    conn.execute(_INSERT, rows)
    conn.execute(text("DELETE FROM audit_stage WHERE id <= :i"), {"i": staged[-1].id})
    return len(staged)


def seal_pending(conn: Connection) -> None:
    """Before reading an embedded trail: chain what is staged (in its own write transaction)."""
    if conn.dialect.name == "postgresql":
        return
    if conn.in_transaction():
        seal_staged(conn)  # part of the caller's transaction (it may hold the write lock)
        return
    with conn.engine.begin() as writer:
        seal_staged(writer)


# -- verifying ---------------------------------------------------------------------------------

@dataclass
class Verdict:
    ok: bool
    checked: int
    first_bad: int | None = None
    problem: str = ""
    head_pos: int = 0
    head_hash: str = GENESIS

    def message(self) -> str:
        if self.ok:
            return (f"audit trail intact: {self.checked} records, head {self.head_pos} "
                    f"{self.head_hash}")
        return f"audit trail BROKEN at record {self.first_bad}: {self.problem}"


def verify(conn: Connection, *, anchors: dict[int, str] | None = None,
           batch: int = 5000) -> Verdict:
    """Walk the chain in position order; name the first record altered, removed or reordered.

    `anchors` ({pos: hash}) are heads noted earlier (outside the database): they catch a trail
    truncated at its end or rewritten from some point on with freshly computed hashes.
    """
    seal_pending(conn)
    expected_pos, prev = 1, GENESIS
    checked = 0
    last = 0
    while True:
        query = (select(*_columns(conn.dialect.name)).where(audit_log.c.pos > last)
                 .order_by(audit_log.c.pos).limit(batch))
        rows = list(_records(conn, query))
        if not rows:
            break
        for record in rows:
            if record.pos != expected_pos:
                if record.pos > expected_pos:
                    gone = (f"record {expected_pos} was removed" if record.pos == expected_pos + 1
                            else f"records {expected_pos}-{record.pos - 1} were removed")
                    return Verdict(False, checked, expected_pos, gone + f" (next is {record.pos})")
                return Verdict(False, checked, record.pos, "position out of sequence")
            if record.hash != record.recomputed_hash():
                return Verdict(False, checked, record.pos,
                               "its content or position was altered (hash does not match); "
                               f"{record.action} by {record.actor} at {format_at(record.at)}")
            if record.prev_hash != prev:
                return Verdict(False, checked, record.pos,
                               "it does not follow the previous record (a record before it was "
                               "removed, inserted or reordered)")
            if anchors and record.pos in anchors and anchors[record.pos] != record.hash:
                return Verdict(False, checked, record.pos,
                               "differs from the anchor noted earlier (trail rewritten)")
            prev = record.hash
            expected_pos += 1
            checked += 1
        last = rows[-1].pos
    if anchors:
        beyond = [p for p in anchors if p >= expected_pos]
        if beyond:
            return Verdict(False, checked, min(beyond),
                           f"anchored record {min(beyond)} is missing: the trail ends at "
                           f"{expected_pos - 1} (truncated)")
    return Verdict(True, checked, head_pos=expected_pos - 1, head_hash=prev)


# -- searching ---------------------------------------------------------------------------------

@dataclass
class AuditQuery:
    text: str = ""
    actor: str = ""
    action: str = ""
    table_name: str = ""
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 500


def search(conn: Connection, query: AuditQuery) -> list[AuditRecord]:
    """Records matching every given criterion, newest first; text matches values and details."""
    seal_pending(conn)
    c = audit_log.c
    for name in ("text", "actor", "action", "table_name"):
        value = getattr(query, name)
        if len(value) > 500 or "\x00" in value or value != value.encode(
                "utf-8", "replace").decode("utf-8"):
            raise ValueError(f"search {name}: too long, NUL or invalid Unicode")
    limit = max(1, min(query.limit, 10_000))
    stmt = select(*_columns(conn.dialect.name)).order_by(c.pos.desc()).limit(limit)
    if query.actor:
        stmt = stmt.where(c.actor == query.actor)
    if query.action:
        stmt = stmt.where(c.action == query.action)
    if query.table_name:
        stmt = stmt.where(c.table_name == query.table_name)
    if query.since:
        stmt = stmt.where(c.at >= query.since)
    if query.until:
        stmt = stmt.where(c.at < query.until)
    if query.text:
        needle = query.text.lower()
        stmt = stmt.where(or_(*(func.lower(cast(col, Text)).contains(needle, autoescape=True)
                                for col in (c.old, c.new, c.details, c.row_key, c.actor))))
    return list(_records(conn, stmt))
