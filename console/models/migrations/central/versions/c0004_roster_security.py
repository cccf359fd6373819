"""roster security: the roster tables get the grants, row-level security and audit of c0003

Revision ID: c0004_roster_security
Revises: c0002_roster, c0003_security
Create Date: 2026-11-23

Merges the roster and security branches: whichever ran first, the vacation tables end up
secured. Shift managers write the roster of their centre; an operator may offer their own
vacation (a swap request), which a shift manager then decides.
"""
from __future__ import annotations

# ruff: noqa: E501  (SQL text reads better unwrapped)
import sqlalchemy as sa
from alembic import op

revision = 'c0004_roster_security'
down_revision = ('c0002_roster', 'c0003_security')
branch_labels = None
depends_on = None

ROSTER_TABLES = ("rosters", "roster_desks", "roster_templates", "roster_operators",
                 "roster_absences", "roster_coverage", "roster_assignments",
                 "roster_derogations", "roster_swaps")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        from console.models.security.audit import sqlite_stage_triggers

        for table in ROSTER_TABLES:
            for statement in sqlite_stage_triggers(bind, table, "id"):
                op.execute(statement)
        return
    for table in ROSTER_TABLES:
        op.execute(sa.text("SELECT console_secure_roster_table(:t)").bindparams(t=table))
    definer = "SECURITY DEFINER SET search_path = pg_catalog, public"
    op.execute(f"""CREATE FUNCTION console_owns_assignment(p_assignment uuid) RETURNS boolean
                   LANGUAGE sql STABLE {definer} AS $$
                   SELECT EXISTS (SELECT 1 FROM roster_assignments a
                                    JOIN roster_operators o ON o.id = a.operator_id
                                   WHERE a.id = p_assignment AND NOT a.deleted
                                     AND o.username = session_user) $$""")
    op.execute("REVOKE ALL ON FUNCTION console_owns_assignment(uuid) FROM PUBLIC")
    op.execute("DO $$ BEGIN EXECUTE format('GRANT EXECUTE ON FUNCTION console_owns_assignment(uuid) TO %I', console_role('base')); END $$")
    # Offering one's own vacation: insert only, pending, in one's own name and centre. The
    # column grant on server_seq lets the sync push lock the row (SELECT ... FOR UPDATE needs an
    # UPDATE privilege); the policies still let only shift managers change existing rows.
    op.execute("DO $$ BEGIN EXECUTE format('GRANT INSERT, UPDATE (server_seq) ON roster_swaps TO %I', console_role('base')); END $$")
    op.execute("""CREATE POLICY roster_swaps_offer ON roster_swaps FOR INSERT
                  WITH CHECK (requested_by = session_user AND status = 'pending' AND NOT deleted
                              AND console_owns_assignment(assignment_id)
                              AND console_roster_centre(roster_id) = console_my_centre())""")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        for table in ROSTER_TABLES:
            for verb in ("ins", "upd", "del"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_audit_{verb}")
        return
    op.execute("DROP POLICY IF EXISTS roster_swaps_offer ON roster_swaps")
    op.execute("DROP FUNCTION IF EXISTS console_owns_assignment(uuid)")
    for table in ROSTER_TABLES:
        op.execute(f"ALTER TABLE IF EXISTS {table} DISABLE ROW LEVEL SECURITY")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_audit ON {table}")
