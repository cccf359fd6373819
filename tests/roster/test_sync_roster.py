"""Roster rows through the real sync engine: central seed -> workstations, edits, one conflict."""
from __future__ import annotations

import uuid
from datetime import date

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select
from sqlalchemy.orm import Session

from console.models.actor import Actor
from console.models.demo import seed_reference
from console.models.roster.demo import seed_roster_demo
from console.models.roster.duty import on_duty
from console.models.roster.service import RosterService, roster_conflicts
from console.models.roster.tables import Assignment
from console.models.store import LocalStore
from console.models.sync import SyncEngine
from console.models.sync.central import CentralStore

MANAGER = Actor("demo.manager", "CNCS", "shift_manager")
OTHER_MANAGER = Actor("demo.manager2", "CNCS", "shift_manager")


@pytest.fixture
def central(tmp_path):
    store = CentralStore.embedded(tmp_path / "central.sqlite3")
    store.migrate()
    with Session(store.engine) as session, session.begin():
        seed_reference(session)
        ids = seed_roster_demo(session, date(2026, 7, 29), time_limit=8)
    store.publish_unfed_rows()
    yield store, ids
    store.dispose()


def workstation(tmp_path, central, actor, name):
    store = LocalStore(tmp_path / f"{name}.sqlite3")
    return store, SyncEngine(store, central, username=actor.username)


def test_roster_rows_sync_both_ways_and_conflicts_surface(tmp_path, central):
    central_store, ids = central
    a_store, a_sync = workstation(tmp_path, central_store, MANAGER, "a")
    b_store, b_sync = workstation(tmp_path, central_store, OTHER_MANAGER, "b")
    a_sync.sync_once()
    b_sync.sync_once()
    a, b = RosterService(a_store), RosterService(b_store)
    snap_a, snap_b = a.snapshot(ids["CNCS"]), b.snapshot(ids["CNCS"])
    assert snap_a.shifts and set(snap_a.shifts) == set(snap_b.shifts)
    # a manager edits on a: the put reaches the central and then b
    shift = next(iter(snap_a.shifts.values()))
    other = next(o.id for o in snap_a.operators if o.id != shift.operator)
    a.move(MANAGER, shift.key, operator_id=other)
    a_sync.sync_once()
    b_sync.sync_once()
    with b_store.session() as session:
        row = session.get(Assignment, shift.key)
        assert row.operator_id == other and row.version >= 1
        duty = on_duty(session, shift.start, "CNCS")
        assert other in {d.operator_id for d in duty}
    # two offline edits of the same assignment: one is applied, the other becomes a conflict
    third = next(o.id for o in snap_a.operators if o.id not in (shift.operator, other))
    a.move(MANAGER, shift.key, operator_id=shift.operator)
    b.move(OTHER_MANAGER, shift.key, operator_id=third)
    a_sync.sync_once()
    b_sync.sync_once()
    a_sync.sync_once()
    for store in (a_store, b_store):
        with store.session() as session:
            assert session.get(Assignment, shift.key).operator_id == shift.operator
        conflicts = roster_conflicts(store)
        assert len(conflicts) == 1 and conflicts[0].table_name == "roster_assignments"
    assert uuid.UUID(conflicts[0].row_id) == shift.key
    # The losing manager's grid shows it where it happened: the cell the row is in now and the
    # cell the losing edit wanted, both marked, never a silent revert.
    from console.models.roster.pane_data import roster_pane_data
    from console.views.roster.item_models import OperatorGridModel

    data = roster_pane_data(b, ids["CNCS"], OTHER_MANAGER, manager=True)
    assert set(data.conflict_cells) == {(shift.operator, shift.day), (third, shift.day)}
    grid = OperatorGridModel()
    grid.set_snapshot(data.snapshot, data.violations)
    grid.set_conflicts(data.conflict_cells)
    for operator in (shift.operator, third):
        row = [o.id for o in grid.operators].index(operator)
        cell = grid.index(row, grid.days.index(shift.day))
        assert grid.data(cell).startswith("⚠")
        assert "sync conflict" in grid.data(cell, Qt.ItemDataRole.ToolTipRole)
    with central_store.engine.connect() as conn:
        assert conn.execute(select(Assignment.operator_id).where(
            Assignment.id == shift.key)).scalar() == shift.operator
    # a shift manager keeps the losing edit: it is put again over the current version
    from console.models.roster.service import resolve_roster_conflict
    resolve_roster_conflict(b_store, OTHER_MANAGER, conflicts[0].id, keep_proposed=True)
    b_sync.sync_once()
    a_sync.sync_once()
    for store in (a_store, b_store):
        with store.session() as session:
            assert session.get(Assignment, shift.key).operator_id == third
        assert roster_conflicts(store) == []
    a_store.close()
    b_store.close()
