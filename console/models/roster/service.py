"""Roster operations on the local store: edits, planning, publication, derogations, swaps.

Every write puts the row and its `put:<table>` outbox mutation in one transaction. Only shift
managers change a roster; operators see their own published vacations and
may ask for a swap. Rows are never deleted: removal sets the `deleted` tombstone.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.models.actor import Actor
from console.models.base import utcnow
from console.models.changes import Changes
from console.models.outbox import NotAllowed, enqueue_put, resolve_conflict
from console.models.roster.planning import centre_tz, planning_data, template_info
from console.models.roster.rules import (
    RULES,
    PlanningData,
    Shift,
    Violation,
    broken,
    check,
)
from console.models.roster.tables import (
    Assignment,
    Derogation,
    Desk,
    Operator,
    Roster,
    SwapRequest,
    VacationTemplate,
)
from console.models.security.roles import may_edit_roster, require_roster_edit
from console.models.store import LocalStore
from console.models.validation import ValidationError


def is_manager(actor: Actor) -> bool:
    """May the actor edit rosters at all: the one rule, console.models.security.roles."""
    return may_edit_roster(actor)


def require_manager(actor: Actor) -> None:
    require_roster_edit(actor)


@dataclass
class RosterSnapshot:
    """A roster as plain values: what the pane shows and the checker checks."""

    roster: Roster
    data: PlanningData
    shifts: dict[uuid.UUID, Shift] = field(default_factory=dict)
    fixed: set[uuid.UUID] = field(default_factory=set)
    operators: list[Operator] = field(default_factory=list)
    desks: list[Desk] = field(default_factory=list)
    templates: list[VacationTemplate] = field(default_factory=list)

    def violations(self) -> list[Violation]:
        return check(self.data, self.shifts.values())


def _shift(a: Assignment) -> Shift:
    return Shift(a.id, a.operator_id, a.desk_id, a.template_id, a.day, a.starts_at, a.ends_at)


class RosterService:
    """Roster operations of one workstation's local store."""

    def __init__(self, store: LocalStore) -> None:
        self.store = store

    # -- reading -------------------------------------------------------------------------------

    def rosters(self, centre_code: str) -> list[Roster]:
        with self.store.session() as session:
            return list(session.scalars(select(Roster).where(
                Roster.centre_code == centre_code, Roster.deleted.is_(False)).order_by(
                    Roster.start_day.desc(), Roster.status)))

    def snapshot(self, roster_id: uuid.UUID, actor: Actor | None = None) -> RosterSnapshot:
        """The roster with everything needed to show and check it.

        An operator (not a manager) sees only their own vacations, and only once published.
        """
        with self.store.session() as session:
            roster = self._roster(session, roster_id)
            data, operators, desks, templates = planning_data(session, roster)
            rows = session.scalars(select(Assignment).where(
                Assignment.roster_id == roster_id, Assignment.deleted.is_(False))).all()
            if actor is not None and not is_manager(actor):
                if roster.status != "published":
                    rows = []
                own = {o.id for o in operators if o.username == actor.username}
                rows = [r for r in rows if r.operator_id in own]
                operators = [o for o in operators if o.id in own]
            snap = RosterSnapshot(roster, data, operators=operators, desks=desks,
                                  templates=templates)
            for row in rows:
                snap.shifts[row.id] = _shift(row)
                if row.fixed:
                    snap.fixed.add(row.id)
            return snap

    # -- editing ---------------------------------------------------------------------------------

    @staticmethod
    def _roster(session: Session, roster_id: uuid.UUID) -> Roster:
        roster = session.get(Roster, roster_id)
        if roster is None or roster.deleted:
            raise ValidationError({"roster": "unknown roster"})
        return roster

    def _slot_times(self, session: Session, roster: Roster, template_id: uuid.UUID,
                    day: date) -> tuple[datetime, datetime]:
        tpl = session.get(VacationTemplate, template_id)
        if tpl is None:
            raise ValidationError({"template": "unknown shift"})
        data = PlanningData(centre_tz(session, roster.centre_code), day, day)
        data.templates[tpl.id] = template_info(tpl)
        return data.slot_times(day, tpl.id)

    def assign(self, actor: Actor, roster_id: uuid.UUID, operator_id: uuid.UUID,
               desk_id: uuid.UUID, template_id: uuid.UUID, day: date,
               assignment_id: uuid.UUID | None = None, fixed: bool = False) -> Assignment:
        """Create an assignment (or bring back a removed one with the same id: redo/undo)."""
        require_manager(actor)
        with self.store.transaction() as session:
            roster = self._roster(session, roster_id)
            if not (roster.start_day <= day < roster.end_day):
                raise ValidationError({"day": "the day is outside the roster's period"})
            starts_at, ends_at = self._slot_times(session, roster, template_id, day)
            row = session.get(Assignment, assignment_id) if assignment_id else None
            if row is None:
                row = Assignment(id=assignment_id or uuid.uuid4(), roster_id=roster_id,
                                 version=0, author=actor.username)
                session.add(row)
            row.deleted = False
            row.operator_id, row.desk_id, row.template_id, row.day = (operator_id, desk_id,
                                                                      template_id, day)
            row.starts_at, row.ends_at, row.fixed = starts_at, ends_at, fixed
            row.author, row.updated_at = actor.username, utcnow()
            enqueue_put(session, row, actor.username)
        return row

    def move(self, actor: Actor, assignment_id: uuid.UUID, **changes: Any) -> Assignment:
        """Change operator, desk, vacation or day of an assignment."""
        require_manager(actor)
        with self.store.session() as session:
            row = session.get(Assignment, assignment_id)
            if row is None:
                raise ValidationError({"assignment": "unknown assignment"})
            values: dict[str, Any] = dict(operator_id=row.operator_id, desk_id=row.desk_id,
                          template_id=row.template_id, day=row.day, fixed=row.fixed)
        values.update(changes)
        return self.assign(actor, row.roster_id, assignment_id=assignment_id, **values)

    def remove(self, actor: Actor, assignment_id: uuid.UUID) -> None:
        require_manager(actor)
        with self.store.transaction() as session:
            row = session.get(Assignment, assignment_id)
            if row is None:
                raise ValidationError({"assignment": "unknown assignment"})
            row.deleted, row.author, row.updated_at = True, actor.username, utcnow()
            enqueue_put(session, row, actor.username)

    def apply_plan(self, actor: Actor, roster_id: uuid.UUID,
                   cells: Iterable[tuple[uuid.UUID, uuid.UUID, uuid.UUID, date]]) -> Changes:
        """Make the roster's assignments exactly `cells`, keeping rows that stay unchanged."""
        require_manager(actor)
        wanted = set(cells)
        with self.store.transaction() as session:
            roster = self._roster(session, roster_id)
            current = session.scalars(select(Assignment).where(
                Assignment.roster_id == roster_id, Assignment.deleted.is_(False))).all()
            have: dict[tuple[uuid.UUID, uuid.UUID, uuid.UUID, date], Assignment] = {}
            for row in current:
                key = (row.operator_id, row.desk_id, row.template_id, row.day)
                if key in wanted and key not in have:
                    have[key] = row
                else:
                    row.deleted, row.author, row.updated_at = True, actor.username, utcnow()
                    enqueue_put(session, row, actor.username)
            tz = centre_tz(session, roster.centre_code)
            data = PlanningData(tz, roster.start_day, roster.end_day)
            for t in session.scalars(select(VacationTemplate)):
                data.templates[t.id] = template_info(t)
            now = utcnow()
            for op, desk, tpl, day in wanted - set(have):
                start, end = data.slot_times(day, tpl)
                row = Assignment(id=uuid.uuid4(), roster_id=roster_id, operator_id=op,
                                 desk_id=desk, template_id=tpl, day=day, starts_at=start,
                                 ends_at=end, fixed=False, author=actor.username, updated_at=now,
                                 version=0, deleted=False)
                session.add(row)
                enqueue_put(session, row, actor.username)
        return Changes(roster=True)

    def set_fixed(self, actor: Actor, assignment_id: uuid.UUID, fixed: bool) -> None:
        self.move(actor, assignment_id, fixed=fixed)

    def publish(self, actor: Actor, roster_id: uuid.UUID) -> list[Violation]:
        """Publish a draft; earlier published rosters it overlaps are archived.

        Refused while a rule is broken without a recorded derogation: publication is the moment
        the roster becomes binding.
        """
        require_manager(actor)
        remaining = broken(self.snapshot(roster_id).violations())
        if remaining:
            raise ValidationError({"publish": f"{len(remaining)} broken rule(s) remain; fix them "
                                   f"or record a derogation"})
        with self.store.transaction() as session:
            roster = self._roster(session, roster_id)
            for other in session.scalars(select(Roster).where(
                    Roster.centre_code == roster.centre_code, Roster.status == "published",
                    Roster.id != roster.id, Roster.start_day < roster.end_day,
                    Roster.end_day > roster.start_day)):
                other.status = "archived"
                enqueue_put(session, other, actor.username)
            roster.status, roster.published_at, roster.published_by = ("published", utcnow(),
                                                                       actor.username)
            enqueue_put(session, roster, actor.username)
        return []

    def add_derogation(self, actor: Actor, roster_id: uuid.UUID, rule: str, reason: str,
                       operator_id: uuid.UUID | None = None, day: date | None = None
                       ) -> Derogation:
        require_manager(actor)
        reason = (reason or "").strip()
        errors = {}
        if rule not in RULES:
            errors["rule"] = "unknown rule"
        if len(reason) < 10:
            errors["reason"] = "a derogation needs its reason (at least 10 characters)"
        if errors:
            raise ValidationError(errors)
        with self.store.transaction() as session:
            self._roster(session, roster_id)
            row = Derogation(id=uuid.uuid4(), roster_id=roster_id, rule=rule, reason=reason,
                             operator_id=operator_id, day=day, author=actor.username,
                             recorded_at=utcnow(), version=0, deleted=False)
            session.add(row)
            enqueue_put(session, row, actor.username)
        return row

    # -- swaps ------------------------------------------------------------------------------------

    def request_swap(self, actor: Actor, assignment_id: uuid.UUID, to_operator_id: uuid.UUID,
                     other_assignment_id: uuid.UUID | None = None, reason: str = ""
                     ) -> SwapRequest:
        """An operator offers their vacation to a colleague (optionally taking one in return)."""
        with self.store.transaction() as session:
            row = session.get(Assignment, assignment_id)
            if row is None or row.deleted:
                raise ValidationError({"assignment": "unknown assignment"})
            owner = session.get(Operator, row.operator_id)
            if not is_manager(actor) and (owner is None or owner.username != actor.username):
                raise NotAllowed("you may only offer your own shifts")
            swap = SwapRequest(id=uuid.uuid4(), roster_id=row.roster_id,
                               assignment_id=assignment_id, to_operator_id=to_operator_id,
                               other_assignment_id=other_assignment_id, status="pending",
                               reason=reason, requested_by=actor.username, requested_at=utcnow(),
                               decision_note="", version=0, deleted=False)
            session.add(swap)
            enqueue_put(session, swap, actor.username)
        return swap

    def swaps(self, roster_id: uuid.UUID, status: str | None = "pending") -> list[SwapRequest]:
        with self.store.session() as session:
            query = select(SwapRequest).where(SwapRequest.roster_id == roster_id,
                                              SwapRequest.deleted.is_(False))
            if status:
                query = query.where(SwapRequest.status == status)
            return list(session.scalars(query.order_by(SwapRequest.requested_at)))

    def swap_violations(self, swap_id: uuid.UUID) -> list[Violation]:
        """Broken rules the swap would introduce (none: it may be approved)."""
        with self.store.session() as session:
            swap = session.get(SwapRequest, swap_id)
            if swap is None:
                raise ValidationError({"swap": "unknown swap request"})
            first = session.get(Assignment, swap.assignment_id)
            other = session.get(Assignment, swap.other_assignment_id) \
                if swap.other_assignment_id else None
        snap = self.snapshot(swap.roster_id)
        before = {(v.rule, v.operator, v.day, v.desk, v.template) for v in
                  broken(snap.violations())}
        shifts = dict(snap.shifts)
        from dataclasses import replace
        if first is None or first.deleted or first.id not in shifts:
            raise ValidationError({"swap": "the shift no longer exists"})
        giver = first.operator_id
        shifts[first.id] = replace(shifts[first.id], operator=swap.to_operator_id)
        if other is not None:
            if other.deleted or other.id not in shifts:
                raise ValidationError({"swap": "the shift no longer exists"})
            shifts[other.id] = replace(shifts[other.id], operator=giver)
        after = broken(check(snap.data, shifts.values()))
        return [v for v in after if (v.rule, v.operator, v.day, v.desk, v.template) not in before]

    def decide_swap(self, actor: Actor, swap_id: uuid.UUID, approve: bool,
                    note: str = "") -> SwapRequest:
        require_manager(actor)
        if approve:
            new = self.swap_violations(swap_id)
            if new:
                raise ValidationError({"swap": "the swap breaks: " + "; ".join(
                    f"{v.label}: {v.message}" for v in new)})
        with self.store.transaction() as session:
            swap = session.get(SwapRequest, swap_id)
            if swap is None or swap.status != "pending":
                raise ValidationError({"swap": "this request is not pending"})
            if approve:
                first = session.get(Assignment, swap.assignment_id)
                if first is None:
                    raise ValidationError({"swap": "the shift no longer exists"})
                giver = first.operator_id
                first.operator_id, first.updated_at, first.author = (swap.to_operator_id,
                                                                     utcnow(), actor.username)
                enqueue_put(session, first, actor.username)
                if swap.other_assignment_id:
                    other = session.get(Assignment, swap.other_assignment_id)
                    if other is None:
                        raise ValidationError({"swap": "the shift no longer exists"})
                    other.operator_id, other.updated_at, other.author = (giver, utcnow(),
                                                                         actor.username)
                    enqueue_put(session, other, actor.username)
            swap.status = "approved" if approve else "refused"
            swap.decided_by, swap.decided_at, swap.decision_note = actor.username, utcnow(), note
            enqueue_put(session, swap, actor.username)
        return swap


# -- operators list and sync conflicts -------------------------------------------------------------

def centre_operators(store: LocalStore, centre_code: str) -> list[Operator]:
    """Every operator of a centre (the colleagues a swap may be offered to)."""
    with store.session() as session:
        return list(session.scalars(select(Operator).where(
            Operator.centre_code == centre_code, Operator.deleted.is_(False)).order_by(
                Operator.display_name)))


def roster_conflicts(store: LocalStore) -> list[Any]:
    """Unresolved edit conflicts on roster tables (detected centrally by the sync engine)."""
    from console.models.roster.tables import ROSTER_TABLES
    from console.models.synced_tables import SyncConflict
    names = [m.__tablename__ for m in ROSTER_TABLES]
    with store.session() as session:
        return list(session.scalars(select(SyncConflict).where(
            SyncConflict.resolved.is_(False), SyncConflict.table_name.in_(names)).order_by(
                SyncConflict.created_at)))


def resolve_roster_conflict(store: LocalStore, actor: Actor, conflict_id: uuid.UUID,
                            keep_proposed: bool) -> None:
    """Keep the row as the central has it, or put the losing edit again over it."""
    import json

    from console.models.synced_tables import SyncConflict, synced_table
    require_manager(actor)
    with store.transaction() as session:
        conflict = session.scalar(select(SyncConflict).where(SyncConflict.id == conflict_id))
        if conflict is None:
            raise ValidationError({"conflict": "unknown conflict"})
        model: Any = None
        record: dict[str, Any] | None = None
        if keep_proposed:
            model = synced_table(conflict.table_name).model
            record = json.loads(conflict.proposed)
            current = session.get(model, uuid.UUID(str(record["id"])))
            record["version"] = current.version if current is not None else 0
        resolve_conflict(session, conflict_id, actor.username,
                         "kept the other edit" if keep_proposed else "kept the current row",
                         model, record)
