"""What the roster pane reads in one go off the GUI thread, and the Changes its writes publish."""
from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from console.models.actor import Actor
from console.models.changes import Changes
from console.models.roster.rules import Violation
from console.models.roster.service import (
    RosterService,
    RosterSnapshot,
    centre_operators,
    roster_conflicts,
)


def roster_write(call: Callable[[], Any]) -> tuple[Any, Changes]:
    """Run a roster write; every such write changes the roster (the dashboard's staffing...)."""
    return call(), Changes(roster=True)


def visible_rosters(service: RosterService, centre_code: str, manager: bool) -> list[Any]:
    """The rosters of a centre a user may open: all for a manager, the published ones otherwise."""
    rosters = service.rosters(centre_code)
    return rosters if manager else [r for r in rosters if r.status == "published"]


@dataclass
class RosterPaneData:
    snapshot: RosterSnapshot | None = None
    violations: list[Violation] = field(default_factory=list)
    swaps: list[Any] = field(default_factory=list)
    colleagues: list[Any] = field(default_factory=list)  # every operator of the centre
    conflicts: list[Any] = field(default_factory=list)
    # (operator id, day) -> what conflicts there: the grid marks those cells
    conflict_cells: dict[tuple[uuid.UUID, date], list[str]] = field(default_factory=dict)


def conflict_cells(conflicts: list[Any], snapshot: RosterSnapshot) -> dict[
        tuple[uuid.UUID, date], list[str]]:
    """The grid cells an assignment conflict concerns: where the row is now, and where the edit
    that lost wanted it (a move between two operators or days marks both)."""
    cells: dict[tuple[uuid.UUID, date], list[str]] = {}
    for conflict in conflicts:
        if conflict.table_name != "roster_assignments":
            continue
        try:
            proposed = json.loads(conflict.proposed)
            wanted = (uuid.UUID(str(proposed["operator_id"])), date.fromisoformat(
                str(proposed["day"])[:10]))
        except (ValueError, KeyError, TypeError):
            continue
        text = (f"sync conflict: {conflict.author}'s edit (version {conflict.base_version}) met "
                f"another made meanwhile (version {conflict.current_version})")
        places = {wanted}
        current = snapshot.shifts.get(uuid.UUID(conflict.row_id)) if len(conflict.row_id) == 36 \
            else None
        if current is not None:
            places.add((current.operator, current.day))
        for place in places:
            cells.setdefault(place, []).append(text)
    return cells


def roster_pane_data(service: RosterService, roster_id: uuid.UUID | None, actor: Actor,
                     manager: bool) -> RosterPaneData:
    """A roster's snapshot, its rule checks (for a manager), pending swaps and sync conflicts."""
    data = RosterPaneData()
    try:
        data.conflicts = roster_conflicts(service.store)
    except Exception:  # noqa: BLE001 - the sync tables may be absent in an old store
        data.conflicts = []
    if roster_id is None:
        return data
    data.snapshot = service.snapshot(roster_id, actor)
    data.violations = data.snapshot.violations() if manager else []
    data.swaps = service.swaps(roster_id)
    data.colleagues = centre_operators(service.store, data.snapshot.roster.centre_code)
    data.conflict_cells = conflict_cells(data.conflicts, data.snapshot)
    return data
