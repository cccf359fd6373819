"""The working-time rules as the shift manager reads them, through the translation catalogue.

Each label is written out here so that lupdate finds it; the codes are those of
console.models.roster.rule_types.RULES (tests/roster/test_rules_view.py keeps the two in step).
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def tr(text: str) -> str:
    """lupdate files `tr("...")` calls of a module under the empty context, where the console's
    translator also looks (console.views.shell.i18n.ConsoleTranslator)."""
    return QCoreApplication.translate("RosterRules", text)


def rule_labels() -> dict[str, str]:
    """Rule code -> label in the interface language."""
    return {
        "coverage_hole": tr("Coverage hole"),
        "coverage_excess": tr("Coverage excess"),
        "qualification": tr("Missing qualification"),
        "absence": tr("Assigned during an absence"),
        "overlap": tr("Two shifts at once"),
        "daily_rest": tr("Daily rest too short"),
        "weekly_rest": tr("Weekly rest too short"),
        "week_work": tr("Too many hours in a week"),
        "average_work": tr("Average weekly hours too high"),
        "day_work": tr("Too many hours in a day"),
        "amplitude": tr("Amplitude of the day too long"),
        "break": tr("Break missing"),
        "consecutive_nights": tr("Too many nights in a row"),
        "backward_rotation": tr("Backward rotation"),
    }


def rule_label(code: str) -> str:
    return rule_labels().get(code, code)


def setting_labels() -> dict[str, tuple[str, str]]:
    """RuleSettings field -> (label, unit) for the rules dialog; units "h", "min" or "" (count),
    "switch" for a yes/no value."""
    return {
        "min_daily_rest": (tr("Daily rest, at least"), "h"),
        "min_weekly_rest": (tr("Weekly rest, at least"), "h"),
        "max_week_work": (tr("Work in a week, at most"), "h"),
        "rolling_week": (tr("Count the weekly maximum in any 7 days (stricter than the "
                             "civil week)"), "switch"),
        "max_average_work": (tr("Average work per week, at most"), "h"),
        "average_weeks": (tr("Weeks of the average"), ""),
        "max_day_work": (tr("Work in a day, at most"), "h"),
        "max_amplitude": (tr("Amplitude of the day, at most"), "h"),
        "break_after": (tr("A break is due beyond"), "h"),
        "min_break": (tr("Break, at least"), "min"),
        "max_consecutive_nights": (tr("Nights in a row, at most (advice)"), ""),
        "rotation_reset": (tr("Rest that allows a backward rotation (advice)"), "h"),
    }
