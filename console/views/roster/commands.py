"""Undoable roster edits (QUndoCommand): each redo/undo is itself a recorded, synced write.

A command does not write itself: it hands its write to `write` (the pane's, which runs it through
the operation runner and redraws when it is done)."""
from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from console.models.actor import Actor
from console.models.roster.rules import Shift
from console.models.roster.service import RosterService


def _values(shift: Shift) -> dict[str, Any]:
    return dict(operator_id=shift.operator, desk_id=shift.desk, template_id=shift.template,
                day=shift.day)


Write = Callable[[Callable[[], Any]], None]


class _Command(QUndoCommand):
    def __init__(self, service: RosterService, actor: Actor, write: Write, text: str) -> None:
        super().__init__(text)
        self.service, self.actor, self.write = service, actor, write


class AssignCommand(_Command):
    def __init__(self, service, actor, write, roster_id: uuid.UUID, values: dict[str, Any],
                 text: str = "Assign") -> None:
        super().__init__(service, actor, write, text)
        self.roster_id, self.values = roster_id, values
        self.assignment_id = uuid.uuid4()  # kept so that redo brings back the same row

    def redo(self) -> None:
        self.write(lambda: self.service.assign(self.actor, self.roster_id,
                                               assignment_id=self.assignment_id, **self.values))

    def undo(self) -> None:
        self.write(lambda: self.service.remove(self.actor, self.assignment_id))


class RemoveCommand(_Command):
    def __init__(self, service, actor, write, roster_id: uuid.UUID, shift: Shift,
                 fixed: bool = False) -> None:
        super().__init__(service, actor, write, "Remove")
        self.roster_id, self.shift, self.fixed = roster_id, shift, fixed

    def redo(self) -> None:
        self.write(lambda: self.service.remove(self.actor, self.shift.key))

    def undo(self) -> None:
        self.write(lambda: self.service.assign(self.actor, self.roster_id,
                                               assignment_id=self.shift.key, fixed=self.fixed,
                                               **_values(self.shift)))


class MoveCommand(_Command):
    def __init__(self, service, actor, write, shift: Shift, changes: dict[str, Any]) -> None:
        super().__init__(service, actor, write, "Move")
        self.shift, self.changes = shift, changes

    def redo(self) -> None:
        self.write(lambda: self.service.move(self.actor, self.shift.key, **self.changes))

    def undo(self) -> None:
        self.write(lambda: self.service.move(self.actor, self.shift.key, **_values(self.shift)))


class FixCommand(_Command):
    def __init__(self, service, actor, write, shift: Shift, fixed: bool) -> None:
        super().__init__(service, actor, write, "Fix" if fixed else "Unfix")
        self.shift, self.fixed = shift, fixed

    def redo(self) -> None:
        self.write(lambda: self.service.set_fixed(self.actor, self.shift.key, self.fixed))

    def undo(self) -> None:
        self.write(lambda: self.service.set_fixed(self.actor, self.shift.key, not self.fixed))


class PlanCommand(_Command):
    """Apply a planner result; undo restores the previous set of assignments."""

    def __init__(self, service, actor, write, roster_id: uuid.UUID, before: list[tuple],
                 after: list[tuple]) -> None:
        super().__init__(service, actor, write, "Automatic planning")
        self.roster_id, self.before, self.after = roster_id, before, after

    def redo(self) -> None:
        self.write(lambda: self.service.apply_plan(self.actor, self.roster_id, self.after))

    def undo(self) -> None:
        self.write(lambda: self.service.apply_plan(self.actor, self.roster_id, self.before))
