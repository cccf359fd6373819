"""Who held which desk at a given moment, and staffing against coverage, from PUBLISHED rosters."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from console.models.roster.planning import planning_data
from console.models.roster.tables import Assignment, Coverage, Desk, Operator, Roster, VacationTemplate


@dataclass(frozen=True)
class DutyRow:
    username: str | None  # the console user, when the operator has one
    operator_id: uuid.UUID
    display_name: str
    centre_code: str
    desk_code: str
    desk_name: str
    vacation: str  # template code
    starts_at: datetime
    ends_at: datetime


# (assignment, operator, desk, vacation template, centre code)
_DutyQuery = Select[Assignment, Operator, Desk, VacationTemplate, str]


def _published(query: _DutyQuery, centre_code: str | None) -> _DutyQuery:
    query = query.join(Roster, Roster.id == Assignment.roster_id).where(
        Roster.status == "published", Roster.deleted.is_(False), Assignment.deleted.is_(False))
    if centre_code:
        query = query.where(Roster.centre_code == centre_code)
    return query


def on_duty(session: Session, at: datetime, centre_code: str | None = None) -> list[DutyRow]:
    """Operators holding a desk at `at` (aware), per the published roster; sorted by desk."""
    query = select(Assignment, Operator, Desk, VacationTemplate, Roster.centre_code).join(
        Operator, Operator.id == Assignment.operator_id).join(
        Desk, Desk.id == Assignment.desk_id).join(
        VacationTemplate, VacationTemplate.id == Assignment.template_id).where(
        Assignment.starts_at <= at, Assignment.ends_at > at)
    rows = session.execute(_published(query, centre_code)).all()
    result = [DutyRow(op.username, op.id, op.display_name, centre, desk.code, desk.name, tpl.code,
                      a.starts_at, a.ends_at) for a, op, desk, tpl, centre in rows]
    return sorted(result, key=lambda r: (r.centre_code, r.desk_code, r.display_name))


def vacations_of(session: Session, username: str, start: datetime,
                 end: datetime) -> list[dict[str, Any]]:
    """A user's published vacations overlapping [start, end), oldest first."""
    query = select(Assignment, Operator, Desk, VacationTemplate, Roster.centre_code).join(
        Operator, Operator.id == Assignment.operator_id).join(
        Desk, Desk.id == Assignment.desk_id).join(
        VacationTemplate, VacationTemplate.id == Assignment.template_id).where(
        Operator.username == username, Assignment.starts_at < end, Assignment.ends_at > start)
    rows = session.execute(_published(query, None).order_by(Assignment.starts_at)).all()
    return [{"id": a.id, "operator": op.display_name, "centre": centre, "desk": desk.code,
             "desk_name": desk.name, "vacation": tpl.code, "day": a.day, "starts_at": a.starts_at,
             "ends_at": a.ends_at} for a, op, desk, tpl, centre in rows]


@dataclass(frozen=True)
class StaffingRow:
    desk_code: str
    vacation: str
    starts_at: datetime
    ends_at: datetime
    required: int
    on_duty: int

    @property
    def missing(self) -> int:
        return max(0, self.required - self.on_duty)


def staffing(session: Session, centre_code: str, start: datetime,
             end: datetime) -> list[StaffingRow]:
    """For every vacation of the published roster overlapping [start, end): required vs staffed."""
    result: list[StaffingRow] = []
    rosters = session.scalars(select(Roster).where(
        Roster.centre_code == centre_code, Roster.status == "published",
        Roster.deleted.is_(False))).all()
    for roster in rosters:
        data, _ops, desks, templates = planning_data(session, roster)
        counts: dict[tuple[date, uuid.UUID, uuid.UUID], int] = {}
        for a in session.scalars(select(Assignment).where(
                Assignment.roster_id == roster.id, Assignment.deleted.is_(False),
                Assignment.starts_at < end, Assignment.ends_at > start)):
            key = (a.day, a.template_id, a.desk_id)
            counts[key] = counts.get(key, 0) + 1
        slots = set(counts) | set(data.required)
        for day, tpl, desk in slots:
            if tpl not in data.templates or desk not in data.desks:
                continue
            s, e = data.slot_times(day, tpl)
            if s < end and e > start:
                result.append(StaffingRow(data.desks[desk].code, data.templates[tpl].code, s, e,
                                          data.required.get((day, tpl, desk), 0),
                                          counts.get((day, tpl, desk), 0)))
    _ = Coverage  # coverage is read through planning_data
    return sorted(result, key=lambda r: (r.starts_at, r.desk_code))
