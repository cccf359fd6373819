"""Randomized: writes, edits, link cuts (also mid-push) and reconnections across three
workstations; after every run all of them hold exactly the central data, nothing lost or doubled."""
from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from console.models.entities import Event
from console.models.migrations import upgrade_central
from console.models.outbox import put_row
from console.models.records import to_record
from console.models.sync import CentralStore, TransientError, local
from sync.conftest import OPERATOR, OTHER, Workstation, assert_converged
from sync.mutable_model import TestAssignment, ensure_test_tables
from sync.tcp_proxy import CuttableProxy

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def template_db():
    """A migrated central database that each example copies (CREATE DATABASE ... TEMPLATE)."""
    from tests.conftest import PG_ADMIN_URL

    name = f"console_tpl_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_ADMIN_URL).set(database=name)
    engine = create_engine(url)
    upgrade_central(engine)
    ensure_test_tables(engine)
    engine.dispose()
    yield admin, name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_three_workstations_converge(template_db, tmp_path_factory):
    admin, template = template_db

    class Machine(RuleBasedStateMachine):
        @initialize()
        def setup(self) -> None:
            self.db = f"console_hyp_{uuid.uuid4().hex[:10]}"
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{self.db}" TEMPLATE "{template}"'))
            self.url = make_url(admin.url).set(database=self.db).render_as_string(
                hide_password=False)
            self.central = CentralStore(self.url)
            root = Path(tmp_path_factory.mktemp("ws"))
            self.proxies = [CuttableProxy() for _ in range(3)]
            self.stations = [
                Workstation(root / f"ws{i}.sqlite3", CentralStore(p.url_for(self.url)),
                            (OPERATOR, OTHER, OPERATOR)[i], batch_size=7)
                for i, p in enumerate(self.proxies)]
            self.written: set[uuid.UUID] = set()
            self.rows: list[uuid.UUID] = []

        @rule(i=st.integers(0, 2), n=st.integers(1, 4))
        def write(self, i: int, n: int) -> None:
            for _ in range(n):
                self.written.add(self.stations[i].write(f"ws{i}"))

        @rule(i=st.integers(0, 2), data=st.data())
        def follow_up(self, i: int, data) -> None:  # noqa: ANN001
            ws = self.stations[i]
            with ws.store.session() as session:
                ids = session.scalars(select(Event.id).order_by(Event.pk).limit(20)).all()
            if ids:
                ws.log.add_follow_up(ws.actor, data.draw(st.sampled_from(ids)), "note", "n")

        @rule(i=st.integers(0, 2), data=st.data(), who=st.sampled_from(["ann", "bob", "cat"]))
        def edit(self, i: int, data, who: str) -> None:  # noqa: ANN001
            ws = self.stations[i]
            with ws.store.transaction() as session:
                known = session.scalars(select(TestAssignment)).all()
                if known and data.draw(st.booleans()):
                    record = {**to_record(data.draw(st.sampled_from(known))), "username": who}
                else:
                    row_id = uuid.uuid4()
                    record = {"id": str(row_id), "centre_code": "CNCS", "desk": "D",
                              "username": who}
                put_row(session, TestAssignment, record, ws.actor.username)

        @rule(i=st.integers(0, 2))
        def sync(self, i: int) -> None:
            try:
                self.stations[i].sync()
            except TransientError:
                assert self.proxies[i].down or self.stations[i].central.before_commit

        @rule(i=st.integers(0, 2))
        def cut(self, i: int) -> None:
            self.proxies[i].cut()

        @rule(i=st.integers(0, 2), answer_lost=st.booleans())
        def cut_during_next_push(self, i: int, answer_lost: bool) -> None:
            proxy = self.proxies[i]
            central = self.stations[i].central

            def hook() -> None:
                central.before_commit = None
                if answer_lost:
                    proxy.swallow_replies = True
                    threading.Timer(0.2, proxy.cut).start()
                else:
                    proxy.cut()

            central.before_commit = hook

        @precondition(lambda self: any(p.down for p in self.proxies))
        @rule(i=st.integers(0, 2))
        def reconnect(self, i: int) -> None:
            self.proxies[i].restore()
            self.stations[i].central.before_commit = None

        @invariant()
        def nothing_doubled_locally(self) -> None:
            for ws in getattr(self, "stations", []):
                assert local.pending_count(ws.store) >= 0

        def teardown(self) -> None:
            try:
                for proxy, ws in zip(self.proxies, self.stations, strict=True):
                    proxy.restore()
                    ws.central.before_commit = None
                for _ in range(2):
                    for ws in self.stations:
                        ws.sync()
                for ws in self.stations:
                    assert local.pending_count(ws.store) == 0
                    assert local.rejected_entries(ws.store) == []
                expected = assert_converged(self.central, *self.stations)
                with self.central.engine.connect() as conn:
                    central_ids = conn.scalars(select(Event.id)).all()
                assert len(central_ids) == len(set(central_ids))  # nothing doubled
                assert set(central_ids) == self.written  # nothing lost
                assert len(expected["events"]) == len(self.written)
            finally:
                for ws, proxy in zip(self.stations, self.proxies, strict=True):
                    ws.close()
                    ws.central.dispose()
                    proxy.close()
                self.central.dispose()
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)'))

    Machine.TestCase.settings = settings(
        max_examples=12, stateful_step_count=15, deadline=None,
        suppress_health_check=list(HealthCheck))
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(Machine, settings=Machine.TestCase.settings)
