"""The same role x action table against the embedded mode, where the application applies the rules."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import exc, select, text
from sqlalchemy.orm import Session

from console.models.actor import Actor
from console.models.base import Base
from console.models.entities import Centre, Event, User
from console.models.eventlog.log import EventLog
from console.models.outbox import NotAllowed
from console.models.records import from_record, to_record
from console.models.security import audit, embedded
from console.models.store import LocalStore
from console.models.sync import CentralStore, SyncEngine
from console.models.validation import EventDraft
from security.conftest import roster_tables
from security.matrix import cells

ROLES = ("operator", "supervisor", "shift_manager", "auditor", "administrator")
CENTRES = ("A", "B")


def _draft(title: str) -> EventDraft:
    return EventDraft(title=title, category="security", severity=2, occurred_at=datetime.now(UTC))


@pytest.fixture(scope="module")
def embedded_central(tmp_path_factory):  # noqa: ANN201
    path = tmp_path_factory.mktemp("embedded") / "central.sqlite3"
    central = CentralStore.embedded(path)
    central.migrate()
    Base.metadata.create_all(central.engine, tables=roster_tables())
    writer = Actor("seed", "A", "operator")
    with Session(central.engine) as session, session.begin():
        session.add_all([Centre(code="A", name="A"), Centre(code="B", name="B"),
                         Centre(code="A1", name="A1", parent_code="A")])
        session.flush()
        session.add_all([User(username=f"{role[:4]}.{c.lower()}", display_name=role,
                              centre_code=c, role=role, active=True)
                         for role in ROLES for c in CENTRES])
        for code in ("A", "B", "A1"):
            for i in range(2):
                session.add(Event(centre_code=code, author=writer.username,
                                  recorded_at=datetime.now(UTC), occurred_at=datetime.now(UTC),
                                  title=f"{code} #{i}", description="", category="security",
                                  severity=2, place="", source="", status="open",
                                  last_activity_at=datetime.now(UTC)))
    central.publish_unfed_rows()
    with central.engine.begin() as conn:
        audit.append(conn, "sign_in", actor="seed", workstation="WS", details={"mode": "demo"})
    yield central
    central.dispose()


class Seat:
    """One user signed in at one workstation of the embedded mode."""

    def __init__(self, central: CentralStore, path, username: str) -> None:  # noqa: ANN001
        self.central = central
        with Session(central.engine) as session:
            self.actor = embedded.actor_from_users(session, username, "WS")
            self.policy = embedded.AccessPolicy.for_actor(session, self.actor)
        self.store = LocalStore(path)
        self.log = EventLog(self.store)
        self.log.access = self.policy
        SyncEngine(self.store, central, username=username, centres=self.policy.centres,
                   embedded=True).sync_once()

    def events_of(self, centre: str) -> list[uuid.UUID]:
        """Ids of two events of `centre`; copied into the cache if sync kept them out (as a
        modified client could), so that the application's own check is what refuses."""
        with Session(self.central.engine) as session:
            rows = session.scalars(select(Event).where(Event.centre_code == centre)
                                   .order_by(Event.pk).limit(2)).all()
            records = [to_record(r) for r in rows]
        with self.store.transaction() as session:
            for record in records:
                if session.scalar(select(Event.pk).where(Event.id == uuid.UUID(record["id"]))) is None:
                    session.add(Event(**from_record(Event, record)))
        return [uuid.UUID(r["id"]) for r in records]

    def sees(self, centre: str) -> bool:
        with self.store.session() as session:
            return session.scalar(select(Event.pk).where(Event.centre_code == centre)
                                  .limit(1)) is not None


def attempt(seat: Seat, action: str, centre: str) -> bool:
    try:
        if action == "read":
            return seat.sees(centre)
        if action == "create":
            seat.log.create_event(seat.actor, _draft("new"), centre_code=centre)
        elif action == "update":
            seat.log.add_follow_up(seat.actor, seat.events_of(centre)[0], "note", "seen")
        elif action == "close":
            seat.log.add_follow_up(seat.actor, seat.events_of(centre)[1], "status",
                                   new_status="closed")
        elif action == "link":
            first, second = seat.events_of(centre)
            seat.log.link(seat.actor, first, second, "related_to")
        elif action == "roster_edit":
            with Session(seat.central.engine) as session:
                seat.policy.check_roster_edit(session, seat.actor,
                                              {"centre_code": centre, "name": "July"})
        elif action == "audit_read":
            with seat.central.engine.connect() as conn:
                embedded.read_audit(seat.policy, seat.actor, conn, audit.AuditQuery())
        elif action == "audit_write":
            wrote = False
            for sql in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
                try:
                    with seat.central.engine.begin() as conn:
                        conn.execute(text(sql))
                    wrote = True
                except exc.DBAPIError as error:
                    assert "append-only" in str(error)
            return wrote
        elif action == "user_admin":
            with Session(seat.central.engine) as session, session.begin():
                embedded.create_user(seat.policy, seat.actor, session,
                                     f"new.{uuid.uuid4().hex[:6]}", "New", centre, "operator")
        else:
            raise AssertionError(action)
    except NotAllowed:
        return False
    return True


CASES = [(c, role, action, target, ok) for c in CENTRES for role, action, target, ok in cells()]


@pytest.fixture(scope="module")
def seats(embedded_central, tmp_path_factory):  # noqa: ANN201
    root = tmp_path_factory.mktemp("seats")
    made: dict[tuple[str, str], Seat] = {}
    yield lambda role, centre: made.setdefault(
        (role, centre), Seat(embedded_central, root / f"{role}-{centre}.sqlite3",
                             f"{role[:4]}.{centre.lower()}"))
    for seat in made.values():
        seat.store.close()


@pytest.mark.parametrize("centre,role,action,target,expected", CASES,
                         ids=[f"{c}-{r}-{a}-{t}" for c, r, a, t, _ in CASES])
def test_role_action_in_embedded_mode(seats, centre, role, action, target, expected) -> None:
    other = next(c for c in CENTRES if c != centre)
    assert attempt(seats(role, centre), action, centre if target == "own" else other) is expected


def test_embedded_supervisor_sees_sub_centre(seats) -> None:
    assert seats("supervisor", "A").sees("A1")
    assert not seats("operator", "A").sees("A1")
    assert attempt(seats("supervisor", "A"), "close", "A1")


def test_embedded_audit_chain_verifies_and_detects(embedded_central) -> None:
    with embedded_central.engine.connect() as conn:
        verdict = audit.verify(conn)
    assert verdict.ok and verdict.checked >= 1, verdict.message()
    with embedded_central.engine.connect() as conn:
        trans = conn.begin()
        conn.execute(text("DROP TRIGGER audit_log_no_update"))
        conn.execute(text("UPDATE audit_log SET row_key = 'someone' WHERE pos = 1"))
        verdict = audit.verify(conn)
        trans.rollback()
    assert not verdict.ok and verdict.first_bad == 1


def test_embedded_trail_records_row_changes(embedded_central, seats) -> None:
    """Embedded central: triggers stage every row change, the chain takes them in order."""
    seat = seats("supervisor", "B")
    event, _ = seat.log.create_event(seat.actor, _draft("embedded audited"))
    seat.log.add_follow_up(seat.actor, event.id, "status", new_status="closed")
    SyncEngine(seat.store, embedded_central, username=seat.actor.username,
               centres=seat.policy.centres, embedded=True).sync_once()
    with embedded_central.engine.connect() as conn:
        records = audit.search(conn, audit.AuditQuery(text="embedded audited", limit=50))
        verdict = audit.verify(conn)
    assert verdict.ok, verdict.message()
    inserted = [r for r in records if r.action == "insert" and r.table_name == "events"]
    assert inserted and inserted[0].actor == seat.actor.username
    assert inserted[0].json("new")["title"] == "embedded audited"
    with embedded_central.engine.connect() as conn:
        updates = audit.search(conn, audit.AuditQuery(table_name="events", action="update"))
    closed = [r for r in updates if r.row_key == event.id.hex]
    assert closed and closed[0].json("old")["status"] == "open"
    assert closed[0].json("new")["status"] == "closed"
