"""A fresh local store per test, with the demo's reference data (centres, users, venues)."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from console.models.actor import Actor
from console.models.demo import seed_reference
from console.models.entities import Event
from console.models.eventlog.log import EventLog
from console.models.local_tables import OutboxEntry
from console.models.store import LocalStore

ACTOR = Actor(username="demo.operator", centre_code="CNCS", display_name="Camille Martin")
CAP_DIR = Path(__file__).resolve().parents[2] / "resources" / "cap"


def make_store(path: Path) -> LocalStore:
    store = LocalStore(path)
    with store.transaction() as session:
        seed_reference(session)
    return store


@pytest.fixture
def store(tmp_path):
    store = make_store(tmp_path / "local.sqlite3")
    yield store
    store.close()


@pytest.fixture
def eventlog(store) -> EventLog:
    return EventLog(store)


def counts(store: LocalStore) -> tuple[int, int]:
    """(events, outbox entries): what an import may change."""
    with store.session() as session:
        return (session.scalar(select(func.count()).select_from(Event)),
                session.scalar(select(func.count()).select_from(OutboxEntry)))
