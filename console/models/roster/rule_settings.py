"""A shift manager's changes to the working-time rule values of a roster and to the break each
vacation template records; synced writes like every roster edit (row + outbox, one transaction).

Values are checked before anything is written: a bad one is refused with its field named, and the
stored settings stay as they were.
"""
from __future__ import annotations

import uuid
from dataclasses import fields

from console.models.actor import Actor
from console.models.outbox import enqueue_put
from console.models.roster.rules import RuleSettings
from console.models.roster.tables import Roster, VacationTemplate
from console.models.security.roles import require_roster_edit
from console.models.store import LocalStore
from console.models.validation import ValidationError

# field -> (lowest, highest) accepted value; minutes unless the name says otherwise
LIMITS: dict[str, tuple[int, int]] = {
    "min_daily_rest": (0, 24 * 60),
    "min_weekly_rest": (0, 7 * 24 * 60),
    "max_week_work": (60, 7 * 24 * 60),
    "rolling_week": (0, 1),
    "max_average_work": (60, 7 * 24 * 60),
    "average_weeks": (1, 52),
    "max_day_work": (60, 24 * 60),
    "max_amplitude": (60, 24 * 60),
    "break_after": (0, 24 * 60),
    "min_break": (0, 240),
    "max_consecutive_nights": (1, 31),
    "rotation_reset": (0, 7 * 24 * 60),
}
MAX_BREAK = 240  # minutes of break a template may record


def validate_settings(settings: RuleSettings) -> None:
    errors = {}
    for f in fields(settings):
        low, high = LIMITS[f.name]
        value = getattr(settings, f.name)
        if not low <= value <= high:
            errors[f.name] = f"must be between {low} and {high}"
    if errors:
        raise ValidationError(errors)


def set_rules(store: LocalStore, actor: Actor, roster_id: uuid.UUID,
              settings: RuleSettings) -> None:
    """Store a roster's rule values (the checker, the planner and publication read them)."""
    save_rules(store, actor, roster_id, settings, {})


def set_template_break(store: LocalStore, actor: Actor, template_id: uuid.UUID,
                       minutes: int) -> None:
    """Record the break a vacation template includes (minutes, 0 for none)."""
    save_rules(store, actor, None, None, {template_id: minutes})


def save_rules(store: LocalStore, actor: Actor, roster_id: uuid.UUID | None,
               settings: RuleSettings | None, breaks: dict[uuid.UUID, int]) -> None:
    """A roster's rule values and the breaks of templates, all written or none (the dialog)."""
    require_roster_edit(actor)
    if settings is not None:
        validate_settings(settings)
    bad = {str(k): m for k, m in breaks.items() if not 0 <= m <= MAX_BREAK}
    if bad:
        raise ValidationError({"break_minutes": f"must be between 0 and {MAX_BREAK}"})
    with store.transaction() as session:
        if settings is not None:
            roster = session.get(Roster, roster_id)
            if roster is None or roster.deleted:
                raise ValidationError({"roster": "unknown roster"})
            if roster.status == "archived":
                raise ValidationError({"roster": "an archived roster is not changed"})
            if roster.rules != settings.to_json():
                roster.rules = settings.to_json()
                enqueue_put(session, roster, actor.username)
        for template_id, minutes in breaks.items():
            template = session.get(VacationTemplate, template_id)
            if template is None or template.deleted:
                raise ValidationError({"template": "unknown vacation"})
            if template.break_minutes != minutes:
                template.break_minutes = minutes
                enqueue_put(session, template, actor.username)
