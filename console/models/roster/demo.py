"""Demo reference data of vacation planning (Paris 2024) and a published roster built by the planner.

CNCS works 3x8 vacations on six desks; the police room (PP) works 12-hour vacations on four
desks under the police derogation (decree 2002-1279: 12 h of work a day). Competition days need
more staff on the busiest desks. Deterministic (seeded), relative to `today`.
"""
from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from console.models.base import utcnow
from console.models.roster.rules import DeskInfo, OperatorInfo, PlanningData, RuleSettings, TemplateInfo
from console.models.roster.solver import Planner
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

TZ = ZoneInfo("Europe/Paris")
# centre -> (code, name, qualifications, default per vacation, on competition days)
DESKS = {
    "CNCS": [("CHEF", "Chef de salle", "CHEF", 1, 1),
             ("SYN", "Synthèse et situation", "RENS", 1, 2),
             ("SECU", "Sécurité publique", "", 1, 2),
             ("TRANS", "Liaison transports", "", 1, 1),
             ("CYBER", "Veille cyber", "CYBER", 1, 1),
             ("COM", "Communication de crise", "COM", 1, 1)],
    "PP": [("PC", "Poste de commandement", "CHEF", 1, 1),
           ("RADIO", "Radio et dispatching", "RADIO", 1, 1),
           ("VIDEO", "Vidéoprotection", "VIDEO", 1, 2),
           ("OPJ", "Permanence judiciaire", "OPJ", 1, 1)],
}
TEMPLATES = {
    "CNCS": [("M", "Matin 07:00-15:00", 7 * 60, 8 * 60), ("A", "Après-midi 15:00-23:00",
                                                          15 * 60, 8 * 60),
             ("N", "Nuit 23:00-07:00", 23 * 60, 8 * 60)],
    "PP": [("J12", "Jour 07:00-19:00", 7 * 60, 12 * 60), ("N12", "Nuit 19:00-07:00", 19 * 60,
                                                           12 * 60)],
}
QUALS = {"CNCS": ("CHEF", "RENS", "CYBER", "COM"), "PP": ("CHEF", "RADIO", "VIDEO", "OPJ")}
OPERATORS = {"CNCS": 46, "PP": 24}
BREAK = 20  # minutes of break in every demo vacation (8 h and 12 h: one 20-minute break)
# console users who also appear in the roster
LINKED = {"CNCS": [("demo.operator", "Camille Martin", "RENS,COM"),
                   ("demo.supervisor", "Col. Antoine Leroy", "CHEF,RENS"),
                   ("demo.manager", "Nadia Benali", "CHEF")],
          "PP": [("pp.op1", "Lucas Bernard", "RADIO,VIDEO"), ("pp.op2", "Inès Dubois", "OPJ,VIDEO"),
                 ("pp.sup", "Cdt. Marc Petit", "CHEF,OPJ")]}
FIRST = ["Alice", "Bruno", "Chloé", "David", "Élodie", "Fabien", "Gaëlle", "Hervé", "Isabelle",
         "Jérôme", "Karine", "Laurent", "Manon", "Nicolas", "Océane", "Pierre", "Quentin",
         "Romane", "Sébastien", "Tiphaine", "Ulysse", "Valérie", "William", "Yasmine", "Zoé"]
LAST = ["Arnaud", "Blanc", "Chevalier", "Denis", "Étienne", "Fournier", "Girard", "Henry",
        "Lefebvre", "Mercier", "Noël", "Perrin", "Robin", "Simon", "Thomas", "Vincent"]
POLICE_RULES = RuleSettings(max_day_work=12 * 60, max_amplitude=12 * 60)
POLICE_REASON = ("Décret 2002-1279 : cycles de 12 heures de la salle de commandement de la "
                 "préfecture de police pendant les Jeux")


def competition_days(start: date, days: int) -> set[date]:
    """Weekends plus two weekdays a week: the big sessions of the scenario."""
    return {start + timedelta(days=i) for i in range(days)
            if (start + timedelta(days=i)).weekday() in (2, 4, 5, 6)}


BUDGET = {"CNCS": 4.0, "PP": 2.0}  # planner seconds per centre: the seed stays under 10 s
DAYS = 28  # the published roster covers four weeks


def seed_roster_demo(session: Session, today: date | None = None, *,
                     time_limit: float | None = None) -> dict[str, uuid.UUID]:
    """Reference data, absences, a published roster for the current 4 weeks, an empty next draft.

    Returns the roster ids by centre (published) and "<centre>:draft". `time_limit` (seconds per
    centre) overrides the default budget, e.g. for a loaded test machine.
    """
    today = today or datetime.now(TZ).date()
    rng = random.Random(2024)  # one stream for every centre, drawn in this order: deterministic
    start = today - timedelta(days=today.weekday())
    now = utcnow()
    result: dict[str, uuid.UUID] = {}
    for centre in DESKS:
        data = PlanningData(TZ, start, start + timedelta(days=DAYS),
                            POLICE_RULES if centre == "PP" else RuleSettings())
        desk_rows = _add_desks(session, data, centre)
        tpl_rows = _add_templates(session, data, centre)
        op_rows = _add_operators(session, data, centre, rng)
        _add_coverage(session, data, centre, desk_rows, tpl_rows)
        _add_absences(session, data, op_rows, rng)
        roster = _add_published_roster(session, data, centre, now)
        _add_planned_assignments(session, data, roster,
                                 time_limit or BUDGET[centre], now)
        result[centre] = roster.id
        result[f"{centre}:draft"] = _add_next_draft(session, data, centre).id
    session.flush()
    return result


def _add_desks(session: Session, data: PlanningData, centre: str) -> list[Desk]:
    rows = []
    for order, (code, name, quals, _n, _c) in enumerate(DESKS[centre]):
        row = Desk(id=uuid.uuid4(), centre_code=centre, code=code, name=name,
                   qualifications=quals, sort_order=order, version=0, deleted=False)
        rows.append(row)
        data.desks[row.id] = DeskInfo(row.id, code, name, frozenset(q for q in [quals] if q))
    session.add_all(rows)
    return rows


def _add_templates(session: Session, data: PlanningData, centre: str) -> list[VacationTemplate]:
    rows = []
    for order, (code, name, start_minute, duration) in enumerate(TEMPLATES[centre]):
        row = VacationTemplate(id=uuid.uuid4(), centre_code=centre, code=code, name=name,
                               start_minute=start_minute, duration_minutes=duration,
                               break_minutes=BREAK, sort_order=order, version=0,
                               deleted=False)
        rows.append(row)
        data.templates[row.id] = TemplateInfo(row.id, code, start_minute, duration, BREAK)
    session.add_all(rows)
    return rows


def _demo_people(centre: str, rng: random.Random) -> list[tuple[str | None, str, str]]:
    """(username, name, qualifications): the linked console users, then random distinct names."""
    people: list[tuple[str | None, str, str]] = list(LINKED[centre])
    while len(people) < OPERATORS[centre]:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if any(p[1] == name for p in people):
            continue
        quals = ",".join(q for q in QUALS[centre] if rng.random() < 0.5)
        people.append((None, name, quals))
    return people


def _add_operators(session: Session, data: PlanningData, centre: str,
                   rng: random.Random) -> list[Operator]:
    rows = []
    for i, (username, name, quals) in enumerate(_demo_people(centre, rng)):
        row = Operator(id=uuid.uuid4(), centre_code=centre, username=username,
                       display_name=name, team=f"{centre}-{'ABCD'[i % 4]}",
                       contract_minutes=rng.choice((35, 35, 38)) * 60 if centre == "CNCS"
                       else 40 * 60, qualifications=quals, version=0, deleted=False)
        rows.append(row)
        data.operators[row.id] = OperatorInfo(row.id, name, frozenset(
            q for q in quals.split(",") if q), row.contract_minutes, row.team, username)
    session.add_all(rows)
    return rows


def _add_coverage(session: Session, data: PlanningData, centre: str, desk_rows: list[Desk],
                  tpl_rows: list[VacationTemplate]) -> None:
    """A default need per desk and vacation, more on competition days for the busiest desks."""
    busy = competition_days(data.start_day, DAYS)
    for desk_row, (_code, _name, _q, normal, busy_need) in zip(desk_rows, DESKS[centre],
                                                               strict=True):
        for tpl in tpl_rows:
            session.add(Coverage(id=uuid.uuid4(), centre_code=centre, desk_id=desk_row.id,
                                 template_id=tpl.id, day=None, required=normal, version=0,
                                 deleted=False))
            if busy_need != normal:
                for day in sorted(busy):
                    session.add(Coverage(id=uuid.uuid4(), centre_code=centre,
                                         desk_id=desk_row.id, template_id=tpl.id, day=day,
                                         required=busy_need, version=0, deleted=False))
            for day in data.days:
                data.required[(day, tpl.id, desk_row.id)] = busy_need if day in busy \
                    else normal


def _add_absences(session: Session, data: PlanningData, op_rows: list[Operator],
                  rng: random.Random) -> None:
    """A few absences: leave, sickness, training (about 5% of operator-days)."""
    for _ in range(len(op_rows) // 3):
        op = rng.choice(op_rows[3:])  # the linked demo users stay available
        first = data.start_day + timedelta(days=rng.randrange(DAYS))
        length = rng.randint(1, 4)
        lo = datetime.combine(first, time(0), TZ)
        hi = datetime.combine(first + timedelta(days=length), time(0), TZ)
        kind = rng.choice(("leave", "leave", "sickness", "training"))
        session.add(Absence(id=uuid.uuid4(), operator_id=op.id, kind=kind, starts_at=lo,
                            ends_at=hi, note="", version=0, deleted=False))
        data.absences.setdefault(op.id, []).append((lo, hi, kind))


def _add_published_roster(session: Session, data: PlanningData, centre: str,
                          now: datetime) -> Roster:
    start = data.start_day
    roster = Roster(id=uuid.uuid4(), centre_code=centre, name=f"{centre} - semaines du "
                    f"{start:%d/%m}", start_day=start, end_day=data.end_day,
                    status="published", rules=data.settings.to_json(),
                    author="demo.manager", published_at=now, published_by="demo.manager",
                    version=0, deleted=False)
    session.add(roster)
    if centre == "PP":
        session.add(Derogation(id=uuid.uuid4(), roster_id=roster.id, rule="day_work",
                               reason=POLICE_REASON, author="demo.manager", recorded_at=now,
                               version=0, deleted=False))
    return roster


def _add_planned_assignments(session: Session, data: PlanningData, roster: Roster,
                             time_limit: float, now: datetime) -> None:
    """The planner fills the published roster."""
    plan = Planner(data, time_limit=time_limit).solve()
    for op, desk, tpl, day in plan.cells:
        s, e = data.slot_times(day, tpl)
        session.add(Assignment(id=uuid.uuid4(), roster_id=roster.id, operator_id=op,
                               desk_id=desk, template_id=tpl, day=day, starts_at=s,
                               ends_at=e, fixed=False, author="demo.manager",
                               updated_at=now, version=0, deleted=False))


def _add_next_draft(session: Session, data: PlanningData, centre: str) -> Roster:
    nxt = data.end_day
    draft = Roster(id=uuid.uuid4(), centre_code=centre, name=f"{centre} - semaines du "
                   f"{nxt:%d/%m} (brouillon)", start_day=nxt,
                   end_day=nxt + timedelta(days=DAYS), status="draft",
                   rules=data.settings.to_json(), author="demo.manager", version=0,
                   deleted=False)
    session.add(draft)
    return draft
