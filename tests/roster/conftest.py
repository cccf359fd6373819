"""A local store with the Paris 2024 roster demo, seeded once per module (the planner takes seconds)."""
from __future__ import annotations

import shutil
from datetime import date

import pytest

from console.models.actor import Actor
from console.models.demo import seed_reference
from console.models.roster.demo import seed_roster_demo
from console.models.store import LocalStore

TODAY = date(2026, 7, 29)  # a Wednesday during the Games
MANAGER = Actor("demo.manager", "CNCS", "shift_manager", "Nadia Benali")
OPERATOR = Actor("demo.operator", "CNCS", "operator", "Camille Martin")


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("roster_seed") / "local.db"
    store = LocalStore(path)
    with store.transaction() as session:
        seed_reference(session)
        ids = seed_roster_demo(session, TODAY, time_limit=12)
    store.close()
    return path, ids


@pytest.fixture
def seeded(seeded_template, tmp_path):
    """A private copy of the seeded store for each test."""
    path, ids = seeded_template
    copy = tmp_path / "local.db"
    shutil.copy(path, copy)
    store = LocalStore(copy)
    yield store, ids
    store.close()
