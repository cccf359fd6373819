"""roster break: the break a vacation template includes; vacation times read on the wall clock

Revision ID: 0003_roster_break
Revises: 0002_roster
Create Date: 2026-12-02

Decree 2000-815 art. 3-I: no 20-minute break, no 6 hours of work. Existing templates get 0 (no
break recorded: the checker flags their vacations until a manager records it; nothing is
invented). Assignments stored before this revision had their end computed as start + fixed
length, wrong on the nights the clocks change: each one is recomputed from its day and template
in its centre's zone, exactly as the central revision c0009 does, so both copies agree without a
sync round (wall times the clock skips or repeats read as the later reading, as PostgreSQL).
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from alembic import op

import console.models.base

revision = '0003_roster_break'
down_revision = '0002_roster'
branch_labels = None
depends_on = None

DEFAULT_TIMEZONE = "Europe/Paris"  # frozen copy of console.models.base.DEFAULT_TIMEZONE


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def _wall_to_utc(day: date, minute: int, tz: ZoneInfo) -> datetime:
    day += timedelta(days=minute // 1440)
    minute %= 1440
    wall = datetime.combine(day, time(minute // 60, minute % 60), tz)
    return max(wall.astimezone(UTC), wall.replace(fold=1).astimezone(UTC))


def upgrade() -> None:
    with op.batch_alter_table('roster_templates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('break_minutes', sa.Integer(), nullable=False,
                                      server_default='0'))
    repair_vacation_times(op.get_bind())


def repair_vacation_times(bind: sa.Connection) -> None:
    """Every stored assignment's start and end recomputed from its day, template and zone."""
    assignments = sa.table('roster_assignments', sa.column('id', sa.Uuid()),
                           sa.column('roster_id', sa.Uuid()), sa.column('template_id', sa.Uuid()),
                           sa.column('day', sa.Date()),
                           sa.column('starts_at', console.models.base.UTCDateTime()),
                           sa.column('ends_at', console.models.base.UTCDateTime()))
    templates = sa.table('roster_templates', sa.column('id', sa.Uuid()),
                         sa.column('start_minute', sa.Integer()),
                         sa.column('duration_minutes', sa.Integer()))
    rosters = sa.table('rosters', sa.column('id', sa.Uuid()), sa.column('centre_code', sa.String()))
    centres = sa.table('centres', sa.column('code', sa.String()), sa.column('timezone', sa.String()))
    rows = bind.execute(sa.select(
        assignments.c.id, assignments.c.day, assignments.c.starts_at, assignments.c.ends_at,
        templates.c.start_minute, templates.c.duration_minutes, centres.c.timezone).select_from(
            assignments.join(templates, templates.c.id == assignments.c.template_id)
            .join(rosters, rosters.c.id == assignments.c.roster_id)
            .outerjoin(centres, centres.c.code == rosters.c.centre_code))).all()
    for row in rows:
        tz = _zone(row.timezone)
        start = _wall_to_utc(row.day, row.start_minute, tz)
        end = _wall_to_utc(row.day, row.start_minute + row.duration_minutes, tz)
        if (start, end) != (row.starts_at, row.ends_at):
            bind.execute(assignments.update().where(assignments.c.id == row.id).values(
                starts_at=start, ends_at=end))


def downgrade() -> None:
    with op.batch_alter_table('roster_templates', schema=None) as batch_op:
        batch_op.drop_column('break_minutes')
