"""Each working-time rule on its own, with its boundaries (exact limit passes, one minute more fails)."""
from __future__ import annotations

from datetime import date

from console.models.roster.rules import (
    DerogationRule,
    RuleSettings,
    broken,
    check,
)
from roster.helpers import day, local, planning, shift


def rules_of(data, shifts, coverage: bool = False) -> list[str]:
    """Broken rules; coverage is left out unless asked (most tests staff no requirement)."""
    return sorted(v.rule for v in broken(check(data, shifts))
                  if coverage or not v.rule.startswith("coverage"))


def time_rules(found):
    """The hard time rules (coverage and the soft rules have their own tests)."""
    return [v for v in found if not v.rule.startswith("coverage") and not v.soft]


# -- daily rest -----------------------------------------------------------------------------------

def test_exactly_eleven_hours_of_rest_passes():
    data = planning()
    a = shift(data, "ann", day(0), 7)          # 07:00-15:00
    b = shift(data, "ann", day(1), 2)          # 02:00 next day: 11 h 00 of rest
    assert rules_of(data, [a, b]) == []


def test_ten_hours_fifty_nine_of_rest_fails():
    data = planning()
    a = shift(data, "ann", day(0), 7)
    b = shift(data, "ann", day(1), 1, 59)      # 10 h 59
    found = time_rules(broken(check(data, [a, b])))
    assert [v.rule for v in found] == ["daily_rest"]
    assert found[0].operator == "ann" and found[0].day == day(1)
    assert set(found[0].shifts) == {a.key, b.key}
    assert "10 h 59" in found[0].message


def test_afternoon_then_morning_breaks_daily_rest():
    data = planning()
    assert rules_of(data, [shift(data, "ann", day(0), 15), shift(data, "ann", day(1), 7)]) == \
        ["daily_rest"]


def test_night_then_afternoon_breaks_and_night_then_night_passes():
    data = planning()
    night = shift(data, "ann", day(0), 23)
    assert rules_of(data, [night, shift(data, "ann", day(1), 15)]) == ["daily_rest"]
    assert rules_of(data, [night, shift(data, "ann", day(1), 23)]) == []


def test_daily_rest_is_a_setting():
    data = planning(settings=RuleSettings(min_daily_rest=8 * 60))
    assert rules_of(data, [shift(data, "ann", day(0), 15), shift(data, "ann", day(1), 7)]) == []


# -- overlap, day work, amplitude -----------------------------------------------------------------

def test_two_vacations_at_once():
    data = planning()
    a = shift(data, "ann", day(0), 7)
    b = shift(data, "ann", day(0), 14, desk="RAD")
    assert "overlap" in rules_of(data, [a, b])


def test_back_to_back_vacations_do_not_overlap_but_break_day_work():
    data = planning()
    rules = rules_of(data, [shift(data, "ann", day(0), 7), shift(data, "ann", day(0), 15)])
    assert "overlap" not in rules
    assert "day_work" in rules and "amplitude" in rules


def test_exactly_ten_hours_of_work_passes_ten_hours_one_minute_fails():
    data = planning(settings=RuleSettings(max_amplitude=24 * 60))
    ok = [shift(data, "ann", day(0), 6, hours=5), shift(data, "ann", day(0), 13, hours=5)]
    assert rules_of(data, ok) == []
    bad = [shift(data, "ann", day(2), 6, hours=5), shift(data, "ann", day(2), 13, hours=5 + 1 / 60)]
    assert rules_of(data, bad) == ["day_work"]


def test_amplitude_of_twelve_hours_passes_one_minute_more_fails():
    data = planning()
    ok = [shift(data, "ann", day(0), 7, hours=4), shift(data, "ann", day(0), 15, hours=4)]
    assert rules_of(data, ok) == []                       # 07:00-19:00, 8 h of work
    bad = [shift(data, "ann", day(2), 7, hours=4), shift(data, "ann", day(2), 15, 1, hours=4)]
    assert rules_of(data, bad) == ["amplitude"]


def test_twelve_hour_vacation_needs_the_police_setting():
    data = planning()
    assert rules_of(data, [shift(data, "ann", day(0), 7, hours=12)]) == ["day_work"]
    police = planning(settings=RuleSettings(max_day_work=12 * 60))
    assert rules_of(police, [shift(police, "ann", day(0), 7, hours=12)]) == []


# -- weekly rules ---------------------------------------------------------------------------------

def test_forty_eight_hours_in_a_week_pass_one_minute_more_fails():
    settings = RuleSettings(min_weekly_rest=0)
    data = planning(settings=settings)
    six = [shift(data, "ann", day(i), 7) for i in range(6)]  # 48 h
    assert rules_of(data, six) == []
    data = planning(settings=settings)
    more = [shift(data, "ann", day(i), 7) for i in range(5)] + \
        [shift(data, "ann", day(5), 7, hours=8 + 1 / 60)]
    assert rules_of(data, more) == ["week_work"]


def test_night_across_sunday_midnight_is_split_between_weeks():
    settings = RuleSettings(min_weekly_rest=0)
    data = planning(settings=settings)
    # Mon..Fri mornings (40 h) + Sunday night 23:00-07:00 counts 1 h in week 1, 7 h in week 2.
    shifts = [shift(data, "ann", day(i), 7) for i in range(5)] + [shift(data, "ann", day(6), 23)]
    assert rules_of(data, shifts) == []
    data.settings = RuleSettings(min_weekly_rest=0, max_week_work=40 * 60)
    found = time_rules(broken(check(data, shifts)))
    assert [v.rule for v in found] == ["week_work"] and found[0].day == day(0)
    assert "41 h" in found[0].message


def test_weekly_rest_of_exactly_35_hours_passes_34_59_fails():
    # Week 1 worked every day except a rest from Sat 15:00 to Mon 02:00 (35 h) ...
    # (the Sunday before was worked too, so the unknown past does not count as a rest)
    data = planning(days=7)
    data.prior = [shift(data, "ann", day(-1), 15, prior=True)]
    shifts = [shift(data, "ann", day(i), 7) for i in range(6)]      # Mon..Sat 07-15
    shifts.append(shift(data, "ann", day(7), 2, prior=False))        # next Monday 02:00
    # ... the rest Sat 15:00 -> Mon 02:00 is 35 h: passes
    assert "weekly_rest" not in rules_of(data, shifts)
    data2 = planning(days=7)
    data2.prior = [shift(data2, "ann", day(-1), 15, prior=True)]
    shifts2 = [shift(data2, "ann", day(i), 7) for i in range(6)]
    shifts2.append(shift(data2, "ann", day(7), 1, 59))
    assert "weekly_rest" in rules_of(data2, shifts2)


def test_unknown_past_counts_as_rest():
    data = planning(days=7)
    assert rules_of(data, [shift(data, "ann", day(i), 7) for i in range(6)]) == []


def test_weekly_rest_missing_when_working_every_day():
    data = planning(days=14)
    data.prior = [shift(data, "ann", day(-1), 15, prior=True)]
    shifts = [shift(data, "ann", day(i), 7) for i in range(14)]
    found = [v for v in broken(check(data, shifts)) if v.rule == "weekly_rest"]
    # week 1 touches only 16 h rests; week 2 touches the open (unknown) rest after the last shift
    assert [v.day for v in found] == [day(0)]
    assert "16 h" in found[0].message


# -- coverage, qualification, absence -------------------------------------------------------------

def test_coverage_hole_and_excess():
    data = planning()
    tpl = shift(data, "ann", day(0), 7).template
    data.required[(day(0), tpl, "D1")] = 2
    one = [shift(data, "ann", day(0), 7)]
    found = broken(check(data, one))
    assert [(v.rule, v.message) for v in found] == [("coverage_hole", "D1 T0700_480 01/06: 1 of 2")]
    three = one + [shift(data, "bob", day(0), 7)] + [shift(data, "ann", day(0), 7)]
    assert "coverage_excess" in rules_of(data, three, coverage=True)
    two = one + [shift(data, "bob", day(0), 7)]
    assert rules_of(data, two, coverage=True) == []


def test_assignment_where_nobody_is_required_is_excess():
    data = planning()
    tpl = shift(data, "ann", day(0), 7).template
    data.required[(day(1), tpl, "D1")] = 1
    found = broken(check(data, [shift(data, "ann", day(0), 7), shift(data, "bob", day(1), 7)]))
    assert [(v.rule, v.day) for v in found] == [("coverage_excess", day(0))]


def test_missing_qualification():
    data = planning()
    assert rules_of(data, [shift(data, "ann", day(0), 7, desk="RAD")]) == []
    found = time_rules(broken(check(data, [shift(data, "bob", day(0), 7, desk="RAD")])))
    assert [v.rule for v in found] == ["qualification"] and "RADIO" in found[0].message


def test_absence_boundaries_are_half_open():
    data = planning()
    data.absences["ann"] = [(local(day(0), 15), local(day(1), 7), "leave")]
    assert rules_of(data, [shift(data, "ann", day(0), 7)]) == []       # ends when leave starts
    assert rules_of(data, [shift(data, "ann", day(1), 7)]) == []       # starts when leave ends
    assert rules_of(data, [shift(data, "ann", day(0), 14)]) == ["absence"]


# -- boundary with the previous roster, derogations, settings ---------------------------------------

def test_previous_roster_counts_across_the_boundary():
    data = planning(start=day(7))
    data.prior = [shift(data, "ann", day(6), 15, prior=True)]     # Sunday afternoon, published
    found = time_rules(broken(check(data, [shift(data, "ann", day(7), 7)])))   # Monday morning, new roster
    assert [v.rule for v in found] == ["daily_rest"]
    assert found[0].shifts and all(not k.startswith("prior") for k in found[0].shifts)


def test_violations_only_in_the_previous_roster_are_not_reported():
    data = planning(start=day(7))
    data.prior = [shift(data, "ann", day(5), 15, prior=True), shift(data, "ann", day(6), 7,
                                                                    prior=True)]
    assert rules_of(data, [shift(data, "ann", day(9), 7)]) == []


def test_derogation_accepts_but_keeps_the_violation_visible():
    data = planning()
    a, b = shift(data, "ann", day(0), 15), shift(data, "ann", day(1), 7)
    data.derogations = [DerogationRule("daily_rest", "Crue de la Seine, décision du chef de "
                                       "service", operator="ann", day=day(1))]
    found = time_rules(check(data, [a, b]))
    assert [v.rule for v in found] == ["daily_rest"]
    assert found[0].accepted and "Crue" in found[0].derogation
    assert broken(found) == []
    # a derogation for another day or operator does not apply
    data.derogations = [DerogationRule("daily_rest", "x", operator="bob")]
    assert len(time_rules(broken(check(data, [a, b])))) == 1
    data.derogations = [DerogationRule("daily_rest", "x", day=date(2026, 6, 5))]
    assert len(time_rules(broken(check(data, [a, b])))) == 1


def test_settings_round_trip_and_tolerate_bad_json():
    settings = RuleSettings(min_daily_rest=9 * 60, max_day_work=12 * 60)
    assert RuleSettings.from_json(settings.to_json()) == settings
    assert RuleSettings.from_json("not json") == RuleSettings()
    assert RuleSettings.from_json('{"unknown": 3}') == RuleSettings()


