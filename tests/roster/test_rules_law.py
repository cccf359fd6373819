"""Decree 2000-815 art. 3-I, the rules added to the checker, each at its boundary: the 44 h average
over 12 weeks, 48 h per civil week or in any 7 days, the break; and the soft rules."""
from __future__ import annotations

from datetime import timedelta

import pytest

from console.models.roster.rules import (
    RULES,
    DerogationRule,
    RuleSettings,
    advice,
    broken,
    check,
)
from roster.helpers import day, planning, shift


def rules_of(data, shifts) -> list[str]:
    return sorted(v.rule for v in broken(check(data, shifts)) if not v.rule.startswith("cov"))


def advice_of(data, shifts) -> list[str]:
    return sorted(v.rule for v in advice(check(data, shifts)))


# -- 44 h on average over 12 weeks ----------------------------------------------------------------

def _twelve_weeks(last_hours: float):
    """11 published weeks of 46 h (five 8 h mornings and a 6 h Saturday), then a week of two
    8 h mornings and one of `last_hours`: 506 h + 16 h + last."""
    data = planning(start=day(77), days=7)
    for week in range(11):
        for i in range(5):
            data.prior.append(shift(data, "ann", day(7 * week + i), 7, prior=True))
        data.prior.append(shift(data, "ann", day(7 * week + 5), 7, hours=6, prior=True))
    current = [shift(data, "ann", day(77), 7), shift(data, "ann", day(78), 7),
               shift(data, "ann", day(79), 7, hours=last_hours)]
    return data, current


def test_exactly_44_hours_on_average_over_12_weeks_passes():
    data, current = _twelve_weeks(6)
    assert rules_of(data, current) == []


def test_one_minute_over_the_12_week_average_fails_and_names_the_weeks():
    data, current = _twelve_weeks(6 + 1 / 60)
    found = [v for v in broken(check(data, current)) if v.rule == "average_work"]
    assert [v.rule for v in broken(check(data, current)) if not v.rule.startswith("cov")] == \
        ["average_work"]
    assert found[0].day == day(77) and "01/06-23/08" in found[0].message
    assert set(found[0].shifts) == {s.key for s in current}  # never a prior vacation


def test_the_average_is_a_setting():
    data, current = _twelve_weeks(6 + 1 / 60)
    data.settings = RuleSettings(max_average_work=45 * 60)
    assert rules_of(data, current) == []
    data.settings = RuleSettings(max_average_work=43 * 60)
    assert rules_of(data, current) == ["average_work"]
    data.settings = RuleSettings(average_weeks=4)  # 3 x 46 h + 22 h = 160 h <= 4 x 44 h
    assert rules_of(data, current) == []


def test_weeks_of_the_previous_rosters_alone_are_not_reported():
    data, _current = _twelve_weeks(6)
    data.prior.append(shift(data, "ann", day(76), 7, prior=True))  # 8 h more, all in the past
    assert rules_of(data, [shift(data, "bob", day(77), 7)]) == []


# -- 48 h per civil week, or in any 7 days --------------------------------------------------------

def test_the_civil_week_is_the_default_and_a_rolling_7_days_is_a_setting():
    # Thursday to the next Wednesday: 7 mornings, 56 h in 7 days, but 32 h + 24 h per week
    data = planning(settings=RuleSettings(min_weekly_rest=0))
    shifts = [shift(data, "ann", day(3 + i), 7) for i in range(7)]
    assert rules_of(data, shifts) == []
    data.settings = RuleSettings(min_weekly_rest=0, rolling_week=1)
    found = [v for v in broken(check(data, shifts)) if v.rule == "week_work"]
    assert len(found) == 1  # overlapping windows over the limit: one violation, the worst
    assert found[0].day == day(3) and found[0].message.startswith("56 h in the 7 days from 04/06")


def test_rolling_window_exactly_48_hours_passes_one_minute_more_fails():
    settings = RuleSettings(min_weekly_rest=0, rolling_week=1)
    data = planning(settings=settings)
    six = [shift(data, "ann", day(3 + i), 7) for i in range(6)]  # Thursday to Tuesday: 48 h
    assert rules_of(data, six) == []
    data = planning(settings=settings)
    more = [shift(data, "ann", day(3 + i), 7) for i in range(5)] + \
        [shift(data, "ann", day(8), 7, hours=8 + 1 / 60)]
    assert rules_of(data, more) == ["week_work"]


def test_rolling_window_counts_the_previous_roster():
    data = planning(start=day(7), settings=RuleSettings(min_weekly_rest=0, rolling_week=1))
    data.prior = [shift(data, "ann", day(3 + i), 7, prior=True) for i in range(4)]  # Thu-Sun
    shifts = [shift(data, "ann", day(7 + i), 7) for i in range(3)]  # Mon-Wed: 56 h in 7 days
    assert rules_of(data, shifts) == ["week_work"]
    assert rules_of(data, shifts[:2]) == []  # 48 h


def test_settings_from_json_keep_the_new_values_and_ignore_damaged_ones():
    settings = RuleSettings(rolling_week=1, max_consecutive_nights=2, min_break=30)
    assert RuleSettings.from_json(settings.to_json()) == settings
    assert RuleSettings.from_json('{"rolling_week": "x", "min_break": 25}') == \
        RuleSettings(min_break=25)
    assert RuleSettings.from_json("[1, 2]") == RuleSettings()


# -- the break ------------------------------------------------------------------------------------

def test_six_hours_without_a_break_pass_six_hours_one_minute_fail():
    data = planning()
    assert rules_of(data, [shift(data, "ann", day(0), 7, hours=6, pause=0)]) == []
    found = [v for v in broken(check(data, [shift(data, "ann", day(0), 7, hours=6 + 1 / 60,
                                                  pause=0)])) if v.rule != "coverage_excess"]
    assert [v.rule for v in found] == ["break"]
    assert "0 min of break recorded (needs 20 min)" in found[0].message


def test_a_recorded_break_of_20_minutes_passes_19_fails():
    data = planning()
    assert rules_of(data, [shift(data, "ann", day(0), 7, pause=20)]) == []
    assert rules_of(data, [shift(data, "ann", day(0), 7, pause=19)]) == ["break"]


def test_twelve_hours_need_one_break_twelve_hours_one_minute_two():
    data = planning(settings=RuleSettings(max_day_work=13 * 60, max_amplitude=13 * 60))
    assert rules_of(data, [shift(data, "ann", day(0), 7, hours=12, pause=20)]) == []
    assert rules_of(data, [shift(data, "ann", day(0), 7, hours=12 + 1 / 60, pause=20)]) == \
        ["break"]
    assert rules_of(data, [shift(data, "ann", day(0), 7, hours=12 + 1 / 60, pause=40)]) == []


def test_the_break_values_are_settings():
    data = planning(settings=RuleSettings(break_after=8 * 60))
    assert rules_of(data, [shift(data, "ann", day(0), 7, pause=0)]) == []
    data = planning(settings=RuleSettings(min_break=30))
    assert rules_of(data, [shift(data, "ann", day(0), 7, pause=20)]) == ["break"]


# -- soft rules: consecutive nights, forward rotation ----------------------------------------------

def test_three_nights_in_a_row_pass_four_are_advised_against():
    data = planning()
    assert advice_of(data, [shift(data, "ann", day(i), 23) for i in range(3)]) == []
    four = [shift(data, "ann", day(i), 23) for i in range(4)]
    found = advice(check(data, four))
    assert [v.rule for v in found] == ["consecutive_nights"] and found[0].day == day(3)
    assert rules_of(data, four) == []  # advice blocks nothing
    data.settings = RuleSettings(max_consecutive_nights=4)
    assert advice_of(data, four) == []


def test_nights_of_the_previous_roster_count_in_the_run():
    data = planning(start=day(7))
    data.prior = [shift(data, "ann", day(5 + i), 23, prior=True) for i in range(2)]
    assert advice_of(data, [shift(data, "ann", day(7), 23)]) == []
    assert advice_of(data, [shift(data, "ann", day(7 + i), 23) for i in range(2)]) == \
        ["consecutive_nights"]


def test_forward_rotation_passes_backward_after_a_short_rest_is_flagged():
    data = planning()
    forward = [shift(data, "ann", day(0), 7), shift(data, "ann", day(1), 15),
               shift(data, "ann", day(2), 23)]
    assert advice_of(data, forward) == []
    backward = [shift(data, "ann", day(0), 15), shift(data, "ann", day(2), 7)]  # 32 h of rest
    found = advice(check(data, backward))
    assert [v.rule for v in found] == ["backward_rotation"] and found[0].day == day(2)
    assert found[0].message == ("morning on 03/06 follows the afternoon of 01/06 after 32 h "
                                "of rest (forward rotation unless 48 h)")


def test_backward_rotation_after_exactly_48_hours_of_rest_passes_47_59_fails():
    data = planning()
    night = shift(data, "ann", day(0), 23)  # ends day 1 at 07:00
    assert advice_of(data, [night, shift(data, "ann", day(3), 7)]) == []
    assert advice_of(data, [night, shift(data, "ann", day(3), 6, 59)]) == ["backward_rotation"]
    data.settings = RuleSettings(rotation_reset=24 * 60)
    assert advice_of(data, [night, shift(data, "ann", day(3), 6, 59)]) == []


# -- every rule can be derogated, with its reason -------------------------------------------------

SCENARIOS = {
    "average_work": lambda: _twelve_weeks(6 + 1 / 60),
    "week_work": lambda: _rolling_56(),
    "break": lambda: _one(shift_args=dict(hh=7, hours=7, pause=0)),
    "consecutive_nights": lambda: _nights(4),
    "backward_rotation": lambda: _pair(15, 7),
}


def _rolling_56():
    data = planning(settings=RuleSettings(min_weekly_rest=0, rolling_week=1))
    return data, [shift(data, "ann", day(3 + i), 7) for i in range(7)]


def _one(shift_args):
    data = planning()
    hh = shift_args.pop("hh")
    return data, [shift(data, "ann", day(0), hh, **shift_args)]


def _nights(n):
    data = planning()
    return data, [shift(data, "ann", day(i), 23) for i in range(n)]


def _pair(first, second):
    data = planning()
    return data, [shift(data, "ann", day(0), first), shift(data, "ann", day(2), second)]


@pytest.mark.parametrize("rule", sorted(SCENARIOS))
def test_every_new_rule_is_derogated_for_one_operator_and_day_with_its_reason(rule):
    data, shifts = SCENARIOS[rule]()
    found = [v for v in check(data, shifts) if v.rule == rule]
    assert len(found) == 1 and not found[0].accepted
    reason = "Renfort exceptionnel décidé par le chef de service"
    data.derogations = [DerogationRule(rule, reason, operator="bob", day=found[0].day)]
    assert not [v for v in check(data, shifts) if v.rule == rule][0].accepted  # not bob
    data.derogations = [DerogationRule(rule, reason, operator="ann", day=found[0].day)]
    accepted = [v for v in check(data, shifts) if v.rule == rule]
    assert accepted[0].accepted and accepted[0].derogation == reason
    assert rule in RULES and not [v for v in broken(check(data, shifts)) if v.rule == rule]
    assert not [v for v in advice(check(data, shifts)) if v.rule == rule]


def test_every_rule_the_checker_reports_has_a_label():
    assert {"average_work", "break", "consecutive_nights", "backward_rotation"} <= set(RULES)
    assert all(label and label[0].isupper() for label in RULES.values())


def test_rule_values_round_trip_and_defaults_are_the_decree():
    s = RuleSettings()
    assert (s.max_week_work, s.max_average_work, s.average_weeks) == (48 * 60, 44 * 60, 12)
    assert (s.break_after, s.min_break, s.rolling_week) == (360, 20, 0)
    assert timedelta(minutes=s.min_daily_rest) == timedelta(hours=11)
