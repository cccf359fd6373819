"""Exercise data never mixes with real events: stores are stamped and checked."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine

from console.models.migrations import upgrade_central
from console.models.purpose import PurposeMismatch, check_central, check_local
from console.models.store import LocalStore


def test_local_cache_is_stamped_and_refused_in_the_other_kind_of_session(tmp_path):
    store = LocalStore(tmp_path / "exercise.sqlite3")
    check_local(store, exercise=True)
    check_local(store, exercise=True)  # same kind: fine
    with pytest.raises(PurposeMismatch, match="holds exercise data but this session is real"):
        check_local(store, exercise=False)
    real = LocalStore(tmp_path / "real.sqlite3")
    check_local(real, exercise=False)
    with pytest.raises(PurposeMismatch, match="without --exercise"):
        check_local(real, exercise=True)


def test_central_database_stamp(pg_url):
    engine = create_engine(pg_url)
    upgrade_central(engine)
    with engine.begin() as connection:
        check_central(connection, exercise=False)  # never stamped: real data
        with pytest.raises(PurposeMismatch):
            check_central(connection, exercise=True)
    engine.dispose()


def test_embedded_exercise_central_refuses_a_real_session(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'central.sqlite3'}")
    upgrade_central(engine)
    with engine.begin() as connection:
        check_central(connection, exercise=True, stamp=True)
    with engine.begin() as connection:
        check_central(connection, exercise=True)
        with pytest.raises(PurposeMismatch, match="with --exercise"):
            check_central(connection, exercise=False)
    engine.dispose()
