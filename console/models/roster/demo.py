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


def seed_roster_demo(session: Session, today: date | None = None, *,
                     time_limit: float | None = None) -> dict[str, uuid.UUID]:
    """Reference data, absences, a published roster for the current 4 weeks, an empty next draft.

    Returns the roster ids by centre (published) and "<centre>:draft". `time_limit` (seconds per
    centre) overrides the default budget, e.g. for a loaded test machine.
    """
    today = today or datetime.now(TZ).date()
    rng = random.Random(2024)
    start = today - timedelta(days=today.weekday())
    days = 28
    now = utcnow()
    result: dict[str, uuid.UUID] = {}
    for centre, desks in DESKS.items():
        data = PlanningData(TZ, start, start + timedelta(days=days),
                            POLICE_RULES if centre == "PP" else RuleSettings())
        desk_rows, tpl_rows, op_rows = [], [], []
        for order, (code, name, quals, _n, _c) in enumerate(desks):
            row = Desk(id=uuid.uuid4(), centre_code=centre, code=code, name=name,
                       qualifications=quals, sort_order=order, version=0, deleted=False)
            desk_rows.append(row)
            data.desks[row.id] = DeskInfo(row.id, code, name, frozenset(q for q in [quals] if q))
        for order, (code, name, start_minute, duration) in enumerate(TEMPLATES[centre]):
            tpl_row = VacationTemplate(id=uuid.uuid4(), centre_code=centre, code=code, name=name,
                                   start_minute=start_minute, duration_minutes=duration,
                                   sort_order=order, version=0, deleted=False)
            tpl_rows.append(tpl_row)
            data.templates[tpl_row.id] = TemplateInfo(tpl_row.id, code, start_minute, duration)
        people: list[tuple[str | None, str, str]] = list(LINKED[centre])
        while len(people) < OPERATORS[centre]:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if any(p[1] == name for p in people):
                continue
            quals = ",".join(q for q in QUALS[centre] if rng.random() < 0.5)
            people.append((None, name, quals))
        for i, (username, name, quals) in enumerate(people):
            op_row = Operator(id=uuid.uuid4(), centre_code=centre, username=username,
                           display_name=name, team=f"{centre}-{'ABCD'[i % 4]}",
                           contract_minutes=rng.choice((35, 35, 38)) * 60 if centre == "CNCS"
                           else 40 * 60, qualifications=quals, version=0, deleted=False)
            op_rows.append(op_row)
            data.operators[op_row.id] = OperatorInfo(op_row.id, name, frozenset(
                q for q in quals.split(",") if q), op_row.contract_minutes, op_row.team,
                username)
        session.add_all([*desk_rows, *tpl_rows, *op_rows])
        busy = competition_days(start, days)
        for desk_row, (_code, _name, _q, normal, busy_need) in zip(desk_rows, desks, strict=True):
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
        # a few absences: leave, sickness, training (about 5% of operator-days)
        for _ in range(len(op_rows) // 3):
            op = rng.choice(op_rows[3:])  # the linked demo users stay available
            first = start + timedelta(days=rng.randrange(days))
            length = rng.randint(1, 4)
            lo = datetime.combine(first, time(0), TZ)
            hi = datetime.combine(first + timedelta(days=length), time(0), TZ)
            kind = rng.choice(("leave", "leave", "sickness", "training"))
            session.add(Absence(id=uuid.uuid4(), operator_id=op.id, kind=kind, starts_at=lo,
                                ends_at=hi, note="", version=0, deleted=False))
            data.absences.setdefault(op.id, []).append((lo, hi, kind))
        roster = Roster(id=uuid.uuid4(), centre_code=centre, name=f"{centre} - semaines du "
                        f"{start:%d/%m}", start_day=start, end_day=start + timedelta(days=days),
                        status="published", rules=data.settings.to_json(),
                        author="demo.manager", published_at=now, published_by="demo.manager",
                        version=0, deleted=False)
        session.add(roster)
        if centre == "PP":
            session.add(Derogation(id=uuid.uuid4(), roster_id=roster.id, rule="day_work",
                                   reason=POLICE_REASON, author="demo.manager", recorded_at=now,
                                   version=0, deleted=False))
        plan = Planner(data, time_limit=time_limit or BUDGET[centre]).solve()
        for op, desk, tpl, day in plan.cells:
            s, e = data.slot_times(day, tpl)
            session.add(Assignment(id=uuid.uuid4(), roster_id=roster.id, operator_id=op,
                                   desk_id=desk, template_id=tpl, day=day, starts_at=s,
                                   ends_at=e, fixed=False, author="demo.manager",
                                   updated_at=now, version=0, deleted=False))
        result[centre] = roster.id
        nxt = start + timedelta(days=days)
        draft = Roster(id=uuid.uuid4(), centre_code=centre, name=f"{centre} - semaines du "
                       f"{nxt:%d/%m} (brouillon)", start_day=nxt,
                       end_day=nxt + timedelta(days=days), status="draft",
                       rules=data.settings.to_json(), author="demo.manager", version=0,
                       deleted=False)
        session.add(draft)
        result[f"{centre}:draft"] = draft.id
    session.flush()
    return result
