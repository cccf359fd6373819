"""Fixtures of the sync tests: a migrated central database and workstations around it."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from console.models.actor import Actor
from console.models.eventlog.log import EventLog
from console.models.migrations import upgrade_central
from console.models.store import LocalStore
from console.models.sync import CentralStore, SyncEngine
from console.models.synced_tables import SYNCED_TABLES
from console.models.validation import EventDraft
from sync.mutable_model import ensure_test_tables

OPERATOR = Actor(username="op.a", centre_code="CNCS", role="operator")
OTHER = Actor(username="op.b", centre_code="CNCS", role="operator")


class Workstation:
    """A local store, its event log service and a sync engine, as one workstation has them."""

    def __init__(self, path: Path, central: CentralStore, actor: Actor = OPERATOR,
                 **engine_args) -> None:
        self.path = path
        self.actor = actor
        self.store = LocalStore(path)
        ensure_test_tables(self.store.engine)
        self.log = EventLog(self.store)
        self.central = central
        self.engine = SyncEngine(self.store, central, username=actor.username, **engine_args)

    def write(self, title: str = "event") -> uuid.UUID:
        event, _ = self.log.create_event(self.actor, draft(title))
        return event.id

    def sync(self):  # noqa: ANN201
        return self.engine.sync_once()

    def close(self) -> None:
        self.store.close()


def draft(title: str) -> EventDraft:
    return EventDraft(title=title, category="security", severity=2,
                      occurred_at=datetime.now(UTC))


def snapshot(engine) -> dict[str, list[tuple]]:  # noqa: ANN001
    """Every synced row (without local surrogate keys), sorted: equal snapshots = same data."""
    result = {}
    with engine.connect() as conn:
        for name, table in SYNCED_TABLES.items():
            columns = [c for c in table.model.__table__.columns if c.name != "pk"]
            rows = conn.execute(select(*columns)).all()
            result[name] = sorted(tuple(str(v) for v in row) for row in rows)
    return result


def assert_converged(central: CentralStore, *workstations: Workstation) -> dict:
    expected = snapshot(central.engine)
    for ws in workstations:
        got = snapshot(ws.store.engine)
        for name in expected:
            assert got[name] == expected[name], f"{ws.path.name}: table {name} differs"
        pending = ws.engine.status
        del pending
    # Nothing doubled: UUIDs are unique keys, and titles written once appear once.
    titles = list(expected["events"])
    assert len(titles) == len(set(titles))
    return expected


@pytest.fixture
def central(pg_url) -> Iterator[CentralStore]:
    store = CentralStore(pg_url)
    upgrade_central(store.engine)
    ensure_test_tables(store.engine)
    yield store
    store.dispose()


@pytest.fixture
def embedded_central(tmp_path) -> Iterator[CentralStore]:
    store = CentralStore.embedded(tmp_path / "central.sqlite3")
    upgrade_central(store.engine)
    ensure_test_tables(store.engine)
    yield store
    store.dispose()


@pytest.fixture
def workstations(tmp_path, central):  # noqa: ANN001, ANN201
    made: list[Workstation] = []

    def make(name: str = "ws", actor: Actor = OPERATOR, central_store: CentralStore | None = None,
             **engine_args) -> Workstation:
        ws = Workstation(tmp_path / f"{name}-{len(made)}.sqlite3", central_store or central, actor,
                         **engine_args)
        made.append(ws)
        return ws

    yield make
    for ws in made:
        ws.close()
