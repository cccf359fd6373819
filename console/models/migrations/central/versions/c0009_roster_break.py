"""roster break: the break a vacation template includes; vacation times read on the wall clock

Revision ID: c0009_roster_break
Revises: c0008_feed_batch
Create Date: 2026-12-02

The central side of the local revision 0003_roster_break: `roster_templates.break_minutes`
(0 for existing templates: no break recorded), and every stored assignment's start and end
recomputed from its day and template in its centre's zone (PostgreSQL reads a skipped or
repeated wall time as the later reading, as the console does; an embedded SQLite central runs the
local revision's Python repair). The update goes through the
audit trigger like any change; versions are kept, as the workstations repair their copies the
same way when they migrate.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'c0009_roster_break'
down_revision = 'c0008_feed_batch'
branch_labels = None
depends_on = None

DEFAULT_TIMEZONE = "Europe/Paris"  # frozen copy of console.models.base.DEFAULT_TIMEZONE


def upgrade() -> None:
    op.add_column('roster_templates', sa.Column('break_minutes', sa.Integer(), nullable=False,
                                                server_default='0'))
    if op.get_bind().dialect.name != 'postgresql':
        _repair_in_python()  # an embedded central (SQLite): the local revision's code
        return
    op.execute(f"""
        WITH wall AS (
          SELECT a.id, a.day + make_interval(mins => t.start_minute) AS wall_start,
                 a.day + make_interval(mins => t.start_minute + t.duration_minutes) AS wall_end,
                 CASE WHEN EXISTS (SELECT 1 FROM pg_timezone_names z WHERE z.name = c.timezone)
                      THEN c.timezone ELSE '{DEFAULT_TIMEZONE}' END AS zone
            FROM roster_assignments a
            JOIN roster_templates t ON t.id = a.template_id
            JOIN rosters r ON r.id = a.roster_id
            LEFT JOIN centres c ON c.code = r.centre_code)
        UPDATE roster_assignments a
           SET starts_at = (w.wall_start AT TIME ZONE w.zone) AT TIME ZONE 'UTC',
               ends_at = (w.wall_end AT TIME ZONE w.zone) AT TIME ZONE 'UTC'
          FROM wall w
         WHERE w.id = a.id
           AND (a.starts_at, a.ends_at) IS DISTINCT FROM
               ((w.wall_start AT TIME ZONE w.zone) AT TIME ZONE 'UTC',
                (w.wall_end AT TIME ZONE w.zone) AT TIME ZONE 'UTC')""")


def _repair_in_python() -> None:
    from importlib import import_module

    local = import_module("console.models.migrations.local.versions.0003_roster_break")
    local.repair_vacation_times(op.get_bind())


def downgrade() -> None:
    op.drop_column('roster_templates', 'break_minutes')
