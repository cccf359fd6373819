"""What the planner and the rule checker need of a roster, read from the store as plain values."""
from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.models.roster.rules import (
    DerogationRule,
    DeskInfo,
    OperatorInfo,
    PlanningData,
    RuleSettings,
    Shift,
    TemplateInfo,
)
from console.models.roster.tables import (
    Absence,
    Assignment,
    Coverage,
    Derogation,
    Desk,
    Operator,
    Roster,
    VacationTemplate,
)
from console.models.timezones import centre_zone

# How far back the published rosters are read: the 44 h average runs over the 12 weeks that end
# in each week of the period, so 12 weeks cover the first one whatever its weekday.
PRIOR_DAYS = 7 * 12


def split_codes(text: str) -> frozenset[str]:
    return frozenset(c.strip() for c in (text or "").split(",") if c.strip())


def template_info(tpl: VacationTemplate) -> TemplateInfo:
    return TemplateInfo(tpl.id, tpl.code, tpl.start_minute, tpl.duration_minutes,
                        tpl.break_minutes or 0)


def centre_tz(session: Session, centre_code: str) -> ZoneInfo:
    return centre_zone(session, centre_code)


def planning_data(session: Session, roster: Roster) -> tuple[PlanningData, list[Operator],
                                                              list[Desk], list[VacationTemplate]]:
    """Reference data, coverage, absences, previous roster and derogations of a roster."""
    tz = centre_tz(session, roster.centre_code)
    data = PlanningData(tz, roster.start_day, roster.end_day, RuleSettings.from_json(roster.rules))
    centre = roster.centre_code
    operators = list(session.scalars(select(Operator).where(
        Operator.centre_code == centre, Operator.deleted.is_(False)).order_by(
            Operator.team, Operator.display_name)))
    desks = list(session.scalars(select(Desk).where(
        Desk.centre_code == centre, Desk.deleted.is_(False)).order_by(Desk.sort_order, Desk.code)))
    templates = list(session.scalars(select(VacationTemplate).where(
        VacationTemplate.centre_code == centre, VacationTemplate.deleted.is_(False)).order_by(
            VacationTemplate.sort_order, VacationTemplate.start_minute)))
    for op in operators:
        data.operators[op.id] = OperatorInfo(op.id, op.display_name, split_codes(op.qualifications),
                                             op.contract_minutes, op.team, op.username)
    for desk in desks:
        data.desks[desk.id] = DeskInfo(desk.id, desk.code, desk.name,
                                       split_codes(desk.qualifications))
    for tpl in templates:
        data.templates[tpl.id] = template_info(tpl)
    coverage = session.scalars(select(Coverage).where(
        Coverage.centre_code == centre, Coverage.deleted.is_(False))).all()
    defaults = {(c.template_id, c.desk_id): c.required for c in coverage if c.day is None}
    overrides = {(c.day, c.template_id, c.desk_id): c.required for c in coverage
                 if c.day is not None}
    for day in data.days:
        for tpl in data.templates:
            for desk in data.desks:
                need = overrides.get((day, tpl, desk), defaults.get((tpl, desk), 0))
                if need:
                    data.required[(day, tpl, desk)] = need
    back = timedelta(days=max(PRIOR_DAYS, 7 * data.settings.average_weeks))
    lo = data.local_midnight(roster.start_day - back)
    hi = data.local_midnight(roster.end_day + timedelta(days=1))
    for absence in session.scalars(select(Absence).where(
            Absence.deleted.is_(False), Absence.starts_at < hi, Absence.ends_at > lo)):
        if absence.operator_id in data.operators:
            data.absences.setdefault(absence.operator_id, []).append(
                (absence.starts_at, absence.ends_at, absence.kind))
    previous = session.scalars(select(Assignment).join(
        Roster, Roster.id == Assignment.roster_id).where(
            Roster.centre_code == centre, Roster.status == "published", Roster.id != roster.id,
            Roster.deleted.is_(False), Assignment.deleted.is_(False),
            Assignment.day < roster.start_day,
            Assignment.day >= roster.start_day - back))
    data.prior = [Shift(a.id, a.operator_id, a.desk_id, a.template_id, a.day, a.starts_at,
                        a.ends_at, prior=True) for a in previous]
    data.derogations = [DerogationRule(d.rule, d.reason, d.operator_id, d.day) for d in
                        session.scalars(select(Derogation).where(
                            Derogation.roster_id == roster.id, Derogation.deleted.is_(False)))]
    return data, operators, desks, templates
