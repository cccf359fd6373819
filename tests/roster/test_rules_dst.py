"""Vacations on the centre's wall clock across the clock changes: times, lengths, rules, coverage."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from console.models.roster.rules import (
    PlanningData,
    RuleSettings,
    TemplateInfo,
    broken,
    check,
    wall_to_utc,
)
from roster.helpers import planning, shift

PARIS = ZoneInfo("Europe/Paris")
SPRING = date(2026, 3, 29)  # Paris: 02:00 CET -> 03:00 CEST
AUTUMN = date(2026, 10, 25)  # Paris and London: 03:00 CEST -> 02:00 CET


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def hard(data, shifts):
    return sorted(v.rule for v in broken(check(data, shifts)) if not v.rule.startswith("cov"))


def test_night_before_the_autumn_change_ends_at_seven_local_and_lasts_nine_hours():
    data = planning(start=AUTUMN - timedelta(days=6), days=7)
    night = shift(data, "ann", AUTUMN - timedelta(days=1), 23)
    assert night.start == utc(2026, 10, 24, 21) and night.end == utc(2026, 10, 25, 6)
    assert night.end.astimezone(PARIS).hour == 7 and night.minutes == 9 * 60
    morning = shift(data, "bob", AUTUMN, 7)
    assert morning.start == night.end  # no desk is empty between the night and the morning


def test_night_before_the_spring_change_ends_at_seven_local_and_lasts_seven_hours():
    data = planning(start=SPRING - timedelta(days=6), days=7)
    night = shift(data, "ann", SPRING - timedelta(days=1), 23)
    assert night.start == utc(2026, 3, 28, 22) and night.end == utc(2026, 3, 29, 5)
    assert night.end.astimezone(PARIS).hour == 7 and night.minutes == 7 * 60
    assert shift(data, "bob", SPRING, 7).start == night.end


def test_a_skipped_wall_time_reads_forward_and_a_repeated_one_as_its_second_occurrence():
    # 02:30 does not exist on 29 March: the clock then shows 03:30
    assert wall_to_utc(SPRING, 150, PARIS) == utc(2026, 3, 29, 1, 30)
    assert wall_to_utc(SPRING, 150, PARIS).astimezone(PARIS).hour == 3
    # 02:30 happens twice on 25 October: the second time (winter time, +01:00)
    assert wall_to_utc(AUTUMN, 150, PARIS) == utc(2026, 10, 25, 1, 30)
    # the ordinary hours around them are untouched
    assert wall_to_utc(SPRING, 60, PARIS) == utc(2026, 3, 29, 0)
    assert wall_to_utc(AUTUMN, 3 * 60, PARIS) == utc(2026, 10, 25, 2)


def test_twelve_hour_night_of_the_autumn_change_lasts_thirteen_hours_for_the_rules():
    settings = RuleSettings(max_day_work=12 * 60, max_amplitude=12 * 60)
    data = planning(start=AUTUMN - timedelta(days=6), days=14, settings=settings)
    usual = shift(data, "ann", AUTUMN - timedelta(days=3), 19, hours=12)
    changed = shift(data, "bob", AUTUMN - timedelta(days=1), 19, hours=12)
    assert usual.minutes == 12 * 60 and changed.minutes == 13 * 60
    assert hard(data, [usual]) == []
    # 13 h of real work: over the day's limit and amplitude, and two breaks are due
    assert hard(data, [changed]) == ["amplitude", "break", "day_work"]


def test_ten_hour_wall_night_on_the_autumn_change_is_eleven_hours_of_work():
    data = planning(start=AUTUMN - timedelta(days=13), days=14)
    ordinary = shift(data, "ann", AUTUMN - timedelta(days=8), 21, hours=10)
    changed = shift(data, "ann", AUTUMN - timedelta(days=1), 21, hours=10)
    assert ordinary.minutes == 600 and changed.minutes == 660
    assert hard(data, [ordinary]) == []
    assert hard(data, [changed]) == ["day_work"]


def test_daily_rest_after_the_autumn_night_is_real_time():
    # the night ends at 07:00 local (06:00 UTC): a vacation at 18:00 leaves exactly 11 h
    data = planning(start=AUTUMN - timedelta(days=6), days=7)
    night = shift(data, "ann", AUTUMN - timedelta(days=1), 23)
    assert hard(data, [night, shift(data, "ann", AUTUMN, 18)]) == []
    assert hard(data, [night, shift(data, "ann", AUTUMN, 17, 59)]) == ["daily_rest"]


def test_daily_rest_after_the_spring_night_is_real_time():
    data = planning(start=SPRING - timedelta(days=6), days=7)
    night = shift(data, "ann", SPRING - timedelta(days=1), 23)
    assert hard(data, [night, shift(data, "ann", SPRING, 18)]) == []
    assert hard(data, [night, shift(data, "ann", SPRING, 17, 59)]) == ["daily_rest"]


def test_weekly_hours_count_the_hour_the_autumn_change_adds():
    # Monday-Friday mornings (40 h) and Sunday 00:00-07:00 on the wall clock: 8 real hours
    data = planning(start=AUTUMN - timedelta(days=6), days=7,
                    settings=RuleSettings(min_weekly_rest=0))
    shifts = [shift(data, "ann", AUTUMN - timedelta(days=6 - i), 7) for i in range(5)]
    shifts.append(shift(data, "ann", AUTUMN, 0, hours=7))
    assert shifts[-1].minutes == 8 * 60
    assert hard(data, shifts) == []  # exactly 48 h
    data.settings = RuleSettings(min_weekly_rest=0, max_week_work=48 * 60 - 1)
    found = [v for v in broken(check(data, shifts)) if v.rule == "week_work"]
    assert len(found) == 1 and found[0].message.startswith("48 h in the week of 19/10")


def test_coverage_slots_stay_wall_clock_slots_across_the_change():
    data = planning(start=AUTUMN - timedelta(days=1), days=2)
    night = shift(data, "ann", AUTUMN - timedelta(days=1), 23)
    data.required[(night.day, night.template, "D1")] = 1
    assert [v.rule for v in check(data, [night])] == []


def _centre(zone: str, start: date) -> PlanningData:
    data = PlanningData(ZoneInfo(zone), start, start + timedelta(days=14))
    data.templates["N"] = TemplateInfo("N", "N", 23 * 60, 8 * 60, 20)
    return data


def test_a_centre_in_london_follows_its_own_clock():
    london = _centre("Europe/London", AUTUMN - timedelta(days=6))
    start, end = london.slot_times(AUTUMN - timedelta(days=1), "N")
    assert start == utc(2026, 10, 24, 22) and end == utc(2026, 10, 25, 7)  # 23:00 BST -> 07:00
    assert end - start == timedelta(hours=9)


def test_a_centre_in_new_york_changes_a_week_later_and_cayenne_never():
    new_york = _centre("America/New_York", AUTUMN - timedelta(days=6))
    start, end = new_york.slot_times(AUTUMN - timedelta(days=1), "N")
    assert end - start == timedelta(hours=8)  # nothing changes there on 25 October
    start, end = new_york.slot_times(date(2026, 10, 31), "N")  # clocks go back on 1 November
    assert start == utc(2026, 11, 1, 3) and end == utc(2026, 11, 1, 12)  # 07:00 EST
    cayenne = _centre("America/Cayenne", AUTUMN - timedelta(days=6))
    start, end = cayenne.slot_times(AUTUMN - timedelta(days=1), "N")
    assert start == utc(2026, 10, 25, 2) and end - start == timedelta(hours=8)
