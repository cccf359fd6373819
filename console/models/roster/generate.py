"""Synthetic planning instances (seeded) for the solver tests and the benchmark."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from console.models.roster.rules import DeskInfo, OperatorInfo, PlanningData, RuleSettings, TemplateInfo

QUALIFICATIONS = ("RADIO", "RENS", "SIC", "CARTO", "CHEF")
BREAK = 20  # minutes of break recorded for each 8-hour vacation (decree 2000-815: 20 min)


def three_by_eight() -> dict[str, TemplateInfo]:
    return {
        "M": TemplateInfo("M", "M", 7 * 60, 8 * 60, BREAK),
        "A": TemplateInfo("A", "A", 15 * 60, 8 * 60, BREAK),
        "N": TemplateInfo("N", "N", 23 * 60, 8 * 60, BREAK),
    }


def generate_instance(operators: int = 60, desks: int = 6, days: int = 28, per_desk: int = 2,
                      absence_rate: float = 0.08, seed: int = 1,
                      start_day: date = date(2026, 6, 29), tz: str = "Europe/Paris",
                      settings: RuleSettings | None = None) -> PlanningData:
    """`absence_rate`: share of operator-days absent, in blocks of 1 to 5 days."""
    rng = random.Random(seed)
    zone = ZoneInfo(tz)
    data = PlanningData(zone, start_day, start_day + timedelta(days=days),
                        settings or RuleSettings())
    data.templates = three_by_eight()
    for i in range(desks):
        # a third of the desks need nothing special, the others one or two qualifications
        needs: frozenset[str] = frozenset()
        if i % 3 == 1:
            needs = frozenset({QUALIFICATIONS[i % len(QUALIFICATIONS)]})
        elif i % 3 == 2:
            needs = frozenset({QUALIFICATIONS[i % len(QUALIFICATIONS)],
                               QUALIFICATIONS[(i + 1) % len(QUALIFICATIONS)]})
        key = f"D{i + 1}"
        data.desks[key] = DeskInfo(key, key, f"Desk {i + 1}", needs)
    for i in range(operators):
        quals = frozenset(q for q in QUALIFICATIONS if rng.random() < 0.6)
        key = f"op{i + 1:03d}"
        data.operators[key] = OperatorInfo(key, f"Operator {i + 1}", quals,
                                           rng.choice((35, 35, 38, 40)) * 60, f"T{i % 4 + 1}")
    for day in data.days:
        for tpl in data.templates:
            for desk in data.desks:
                data.required[(day, tpl, desk)] = per_desk
    target = absence_rate * operators * days
    absent = 0
    while absent < target:
        op = rng.choice(list(data.operators))
        length = rng.randint(1, 5)
        first = start_day + timedelta(days=rng.randrange(days))
        lo = datetime.combine(first, datetime.min.time(), zone)
        hi = datetime.combine(first + timedelta(days=length), datetime.min.time(), zone)
        data.absences.setdefault(op, []).append((lo, hi, rng.choice(("leave", "sickness",
                                                                        "training"))))
        absent += length
    return data
