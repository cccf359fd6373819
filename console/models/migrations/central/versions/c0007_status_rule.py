"""status rule: closure wins

Revision ID: c0007_status_rule
Revises: c0006_client_actions
Create Date: 2026-12-01

c0005 derived an event's status in the database with "the last status follow-up wins", so two
workstations that changed a status offline got whichever arrived last. The rule is now the one
of console.models.eventlog.log.status_outcome: once closed, only an explicit reopen
(new_status 'open') changes the status; any other status follow-up is kept but not applied
(the client shows it as a conflict), and a second close keeps the first closure's time.
`console_event_derive` is replaced (CREATE OR REPLACE keeps its owner, grants and trigger);
events whose stored status the new rule changes are derived again.
On SQLite (embedded demo central) nothing changes: the Python hook derives the state there.
"""
from __future__ import annotations

# ruff: noqa: E501  (SQL text reads better unwrapped)
from alembic import op

revision = 'c0007_status_rule'
down_revision = 'c0006_client_actions'
branch_labels = None
depends_on = None

DEFINER = "SECURITY DEFINER SET search_path = pg_catalog, public"

# c0005's step: every status follow-up replaces the status.
LAST_WINS = """
              IF f.kind = 'status' AND coalesce(f.new_status, '') <> '' THEN
                NEW.status := f.new_status;
                NEW.closed_at := CASE WHEN f.new_status = 'closed' THEN f.recorded_at END;"""
# Closure wins: on a closed event, a status other than 'open' is kept but not applied.
CLOSURE_WINS = """
              IF f.kind = 'status' AND coalesce(f.new_status, '') <> '' THEN
                IF NEW.status <> 'closed' OR f.new_status = 'open' THEN
                  NEW.status := f.new_status;
                  NEW.closed_at := CASE WHEN f.new_status = 'closed' THEN f.recorded_at END;
                END IF;"""


def _derive_function(status_step: str) -> str:
    """console_event_derive as c0005 wrote it, with the given status step."""
    return f"""CREATE OR REPLACE FUNCTION console_event_derive() RETURNS trigger LANGUAGE plpgsql {DEFINER}
          AS $$
          DECLARE f record; client events;
          BEGIN
            client := NEW;
            IF TG_OP = 'INSERT' THEN
              NEW.recorded_at := now() AT TIME ZONE 'UTC';
            ELSE
              NEW.recorded_at := OLD.recorded_at;
            END IF;
            NEW.status := 'open'; NEW.closed_at := NULL;
            NEW.acknowledged_by := NULL; NEW.acknowledged_at := NULL;
            NEW.last_activity_at := NEW.recorded_at;
            FOR f IN SELECT kind, new_status, author, recorded_at FROM follow_ups
                      WHERE event_id = NEW.id ORDER BY server_seq NULLS LAST, pk LOOP
              NEW.last_activity_at := greatest(NEW.last_activity_at, f.recorded_at);{status_step}
              ELSIF f.kind = 'ack' AND NEW.acknowledged_by IS NULL THEN
                NEW.acknowledged_by := f.author; NEW.acknowledged_at := f.recorded_at;
              END IF;
            END LOOP;
            -- An update that changes the status or the acknowledger to anything else is refused;
            -- derived dates a client sends are simply replaced.
            IF TG_OP = 'UPDATE' AND (
                 (client.status IS DISTINCT FROM OLD.status AND client.status IS DISTINCT FROM NEW.status)
              OR (client.acknowledged_by IS DISTINCT FROM OLD.acknowledged_by
                  AND client.acknowledged_by IS DISTINCT FROM NEW.acknowledged_by)) THEN
              RAISE EXCEPTION 'the state of event % is derived from its follow-ups: add a follow-up instead', NEW.id
                USING ERRCODE = 'insufficient_privilege';
            END IF;
            RETURN NEW;
          END $$"""


# Events that a status follow-up other than a reopen reached after a closure: only they can
# derive differently under the other rule (the trigger does the work on UPDATE).
REDERIVE_TOUCHED = """
    UPDATE events SET status = status WHERE id IN (
      SELECT later.event_id FROM follow_ups closing JOIN follow_ups later
          ON later.event_id = closing.event_id AND later.kind = 'status'
         AND coalesce(later.new_status, '') NOT IN ('', 'open')
         AND (coalesce(later.server_seq, 9223372036854775807), later.pk)
           > (coalesce(closing.server_seq, 9223372036854775807), closing.pk)
       WHERE closing.kind = 'status' AND closing.new_status = 'closed')"""


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(_derive_function(CLOSURE_WINS))
    op.execute(REDERIVE_TOUCHED)


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(_derive_function(LAST_WINS))
    op.execute(REDERIVE_TOUCHED)
