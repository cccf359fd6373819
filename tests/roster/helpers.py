"""Small builders for rule tests: a period, operators, desks and shifts at arbitrary times."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from console.models.roster.rules import (
    DeskInfo,
    OperatorInfo,
    PlanningData,
    RuleSettings,
    Shift,
    TemplateInfo,
)

MONDAY = date(2026, 6, 1)  # a Monday, no DST change nearby
PARIS = ZoneInfo("Europe/Paris")


def planning(days: int = 14, settings: RuleSettings | None = None, start: date = MONDAY,
             ) -> PlanningData:
    data = PlanningData(PARIS, start, start + timedelta(days=days), settings or RuleSettings())
    data.operators["ann"] = OperatorInfo("ann", "Ann", frozenset({"RADIO"}))
    data.operators["bob"] = OperatorInfo("bob", "Bob", frozenset())
    data.desks["D1"] = DeskInfo("D1", "D1", "Desk 1")
    data.desks["RAD"] = DeskInfo("RAD", "RAD", "Radio", frozenset({"RADIO"}))
    return data


_counter = iter(range(1, 10**9))


def shift(data: PlanningData, op: str, day: date, hh: int, mm: int = 0, hours: float = 8,
          desk: str = "D1", prior: bool = False, pause: int | None = None) -> Shift:
    """A shift starting at hh:mm local on `day`, lasting `hours` of wall-clock time (its template
    is made on demand, with a 20-minute break when longer than 6 h unless `pause` says)."""
    minutes = round(hours * 60)
    key = f"T{hh:02d}{mm:02d}_{minutes}" + ("" if pause is None else f"_b{pause}")
    pause = (20 if minutes > 360 else 0) if pause is None else pause
    if key not in data.templates:
        data.templates[key] = TemplateInfo(key, key, hh * 60 + mm, minutes, pause)
    return data.make_shift(f"s{next(_counter)}", op, desk, key, day, prior=prior)


def day(n: int) -> date:
    return MONDAY + timedelta(days=n)


def local(d: date, hh: int, mm: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, hh, mm, tzinfo=PARIS)
