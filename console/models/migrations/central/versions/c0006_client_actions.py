"""client actions: reads (access) and a supervisor's discard of refused changes are audited

Revision ID: c0006_client_actions
Revises: c0005_hardening
Create Date: 2026-12-01

`console_audit_event` accepted a closed list of client actions that named no read and no
discard. It now also accepts `access` (a search, filter, opened entry, audit query: the kind in
details.access) and `discard_refused` (refused changes put back by a supervisor). Same checks as
before: a console user only, details bounded; the server sets author, time and chain.
"""
from __future__ import annotations

from alembic import op

revision = 'c0006_client_actions'
down_revision = 'c0005_hardening'
branch_labels = None
depends_on = None

DEFINER = "SECURITY DEFINER SET search_path = pg_catalog, public"
BASE_ACTIONS = ("sign_in", "sign_out", "sign_in_failed", "offline_sign_in", "lock", "unlock",
                "export", "report")
NEW_ACTIONS = ("access", "discard_refused")


def _audit_event(actions: tuple[str, ...]) -> str:
    listed = ", ".join(f"'{a}'" for a in actions)
    # CREATE OR REPLACE keeps the owner and the grants (c0005 gave EXECUTE to base only).
    return f"""CREATE OR REPLACE FUNCTION console_audit_event(p_action text,
                                                          p_details jsonb DEFAULT NULL)
          RETURNS bigint LANGUAGE plpgsql {DEFINER}
          AS $$
          DECLARE p bigint;
          BEGIN
            IF NOT console_has('base') THEN
              RAISE EXCEPTION 'not a console user' USING ERRCODE = 'insufficient_privilege';
            END IF;
            IF p_action NOT IN ({listed}) THEN
              RAISE EXCEPTION 'unknown audit action %', left(p_action, 40)
                USING ERRCODE = 'invalid_parameter_value';
            END IF;
            IF p_details IS NOT NULL AND length(p_details::text) > 20000 THEN
              RAISE EXCEPTION 'audit details too long' USING ERRCODE = 'invalid_parameter_value';
            END IF;
            INSERT INTO audit_log(pos, at, actor, action, details, prev_hash, hash)
            VALUES (0, now(), '', p_action, p_details, '', '') RETURNING pos INTO p;
            RETURN p;
          END $$"""


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(_audit_event(BASE_ACTIONS + NEW_ACTIONS))


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(_audit_event(BASE_ACTIONS))
