"""A demo store shared by the report tests: seeded once per module (7 days, ~7,500 events)."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from console.models.demo import seed_demo
from console.models.store import LocalStore

# A fixed "now" keeps every figure reproducible from one run to the next.
DEMO_END = datetime(2026, 8, 11, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory) -> LocalStore:
    store = LocalStore(tmp_path_factory.mktemp("demo") / "local.sqlite3")
    with store.transaction() as session:
        seed_demo(session, end=DEMO_END)
    yield store
    store.close()
