"""Mutable rows (put:<table>): offline edits of the same row on two workstations -> one conflict."""
from __future__ import annotations

import json
import uuid

from sqlalchemy import select

from console.models.outbox import put_row, resolve_conflict
from console.models.records import to_record
from console.models.sync import local
from sync.conftest import OTHER, assert_converged
from sync.mutable_model import TestAssignment


def assignment(ws, row_id: uuid.UUID) -> TestAssignment:  # noqa: ANN001
    with ws.store.session() as session:
        return session.scalar(select(TestAssignment).where(TestAssignment.id == row_id))


def edit(ws, row_id: uuid.UUID, **changes) -> None:  # noqa: ANN001
    with ws.store.transaction() as session:
        row = session.scalar(select(TestAssignment).where(TestAssignment.id == row_id))
        record = {**to_record(row), **changes}
        put_row(session, TestAssignment, record, ws.actor.username)


def test_two_offline_edits_of_one_assignment_make_one_conflict(central, workstations):
    a, b = workstations("a"), workstations("b", OTHER)
    row_id = uuid.uuid4()
    with a.store.transaction() as session:
        put_row(session, TestAssignment, {"id": str(row_id), "centre_code": "CNCS",
                                          "desk": "PC-1", "username": "alice"}, "op.a")
    a.sync()
    b.sync()
    assert assignment(b, row_id).version == 1
    # Both go offline and give the same vacation to someone else.
    edit(a, row_id, username="bruno")
    edit(b, row_id, username="chloe")
    a.sync()  # a arrives first: applied
    b.sync()  # b arrives second: kept as a conflict, never silently overwritten
    a.sync()
    for ws in (a, b):
        row = assignment(ws, row_id)
        assert (row.username, row.version) == ("bruno", 2)
        conflicts = local.open_conflicts(ws.store)
        assert len(conflicts) == 1
        assert json.loads(conflicts[0].proposed)["username"] == "chloe"
        assert conflicts[0].author == "op.b" and conflicts[0].current_version == 2
    assert_converged(central, a, b)
    # A shift manager settles it on b's side: chloe, against the current version.
    conflict = local.open_conflicts(b.store)[0]
    with b.store.transaction() as session:
        current = to_record(session.scalar(select(TestAssignment).where(
            TestAssignment.id == row_id)))
        resolve_conflict(session, conflict.id, "demo.manager", "chloe keeps the vacation",
                         TestAssignment, {**current, "username": "chloe"})
    b.sync()
    a.sync()
    for ws in (a, b):
        assert (assignment(ws, row_id).username, assignment(ws, row_id).version) == ("chloe", 3)
        assert local.open_conflicts(ws.store) == []
    assert_converged(central, a, b)


def test_two_offline_edits_on_one_workstation_are_not_a_conflict(central, workstations):
    a, b = workstations("a"), workstations("b", OTHER)
    row_id = uuid.uuid4()
    with a.store.transaction() as session:
        put_row(session, TestAssignment, {"id": str(row_id), "centre_code": "CNCS",
                                          "desk": "PC-2", "username": "alice"}, "op.a")
    a.sync()
    edit(a, row_id, username="bruno")
    edit(a, row_id, desk="PC-3")  # same base version as the previous edit, same workstation
    edit(a, row_id, deleted=True)  # and a deletion is a put with a tombstone
    a.sync()
    b.sync()
    row = assignment(b, row_id)
    assert (row.username, row.desk, row.deleted, row.version) == ("bruno", "PC-3", True, 4)
    assert local.open_conflicts(a.store) == []
    assert_converged(central, a, b)
