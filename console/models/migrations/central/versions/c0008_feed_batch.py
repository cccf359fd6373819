"""feed batch: a push's feed rows validated and written in one call, not one trigger per row

Revision ID: c0008_feed_batch
Revises: c0007_status_rule
Create Date: 2026-12-01

c0005 made the change feed writable only through `console_feed_insert`, a row trigger that
checks the caller, the position, the table, the key and the centre of each row: safe, but a
500-change push then runs thousands of small queries (the sync replay went from ~2x to ~7x a
bare INSERT). `console_feed_append` makes the same checks set-based (and refuses a row of a
centre the caller may not see), once per batch (one query
per table named in the batch), then writes the rows with one INSERT. The row trigger stays for
single rows and for any other INSERT into `change_feed`.
"""
from __future__ import annotations

from alembic import op

revision = 'c0008_feed_batch'
down_revision = 'c0007_status_rule'
branch_labels = None
depends_on = None

DEFINER = "SECURITY DEFINER SET search_path = pg_catalog, public"
FEED_LOCK_KEY = 0x636F6E73  # the feed allocation lock (console.models.sync.messages)
FEED_MAX_GAP = 1_000_000  # as c0005: a refused mutation leaves a gap in the client's positions
UUID_RE = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
SIGNATURE = "console_feed_append(bigint[], uuid[], text[], text[], text[], uuid[])"


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(f"""CREATE FUNCTION console_feed_append(p_seq bigint[], p_change uuid[],
          p_table text[], p_key text[], p_centre text[], p_mutation uuid[])
          RETURNS integer LANGUAGE plpgsql {DEFINER}
          AS $$
          DECLARE n integer; last bigint; t text; key_col text; key_uuid boolean;
                  has_centre boolean; bad text;
          BEGIN
            IF NOT console_has('base') AND NOT pg_has_role(session_user,
                   (SELECT relowner FROM pg_class WHERE oid = 'change_feed_log'::regclass), 'MEMBER') THEN
              RAISE EXCEPTION 'change feed: only console users publish changes'
                USING ERRCODE = 'insufficient_privilege';
            END IF;
            n := coalesce(array_length(p_seq, 1), 0);
            IF n = 0 THEN RETURN 0; END IF;
            IF coalesce(array_length(p_change, 1), 0) <> n OR coalesce(array_length(p_table, 1), 0) <> n
               OR coalesce(array_length(p_key, 1), 0) <> n OR coalesce(array_length(p_centre, 1), 0) <> n
               OR coalesce(array_length(p_mutation, 1), 0) <> n THEN
              RAISE EXCEPTION 'change feed: the batch arrays differ in length'
                USING ERRCODE = 'invalid_parameter_value';
            END IF;
            PERFORM pg_advisory_xact_lock({FEED_LOCK_KEY});
            SELECT coalesce(max(seq), 0) INTO last FROM change_feed_log;
            IF EXISTS (SELECT 1 FROM unnest(p_seq) WITH ORDINALITY AS s(seq, i)
                        WHERE s.seq IS NULL OR s.seq <= last OR s.seq > last + {FEED_MAX_GAP}
                           OR (s.i > 1 AND s.seq <= p_seq[s.i - 1])) THEN
              RAISE EXCEPTION 'change feed positions refused: the next position is %', last + 1
                USING ERRCODE = 'insufficient_privilege';
            END IF;
            FOR t IN SELECT DISTINCT x FROM unnest(p_table) AS x LOOP
              SELECT f.key_col, f.key_uuid, f.has_centre INTO key_col, key_uuid, has_centre
                FROM console_feed_table(t) f;
              IF key_col IS NULL THEN
                RAISE EXCEPTION 'change feed: % is not a synced table', left(coalesce(t, 'NULL'), 64)
                  USING ERRCODE = 'insufficient_privilege';
              END IF;
              SELECT r.k INTO bad FROM unnest(p_table, p_key) AS r(tb, k)
               WHERE r.tb = t AND (r.k IS NULL OR (key_uuid AND r.k !~* '{UUID_RE}')) LIMIT 1;
              IF FOUND THEN
                RAISE EXCEPTION 'change feed: % is not a valid key of %', left(coalesce(bad, 'NULL'), 64), t
                  USING ERRCODE = 'insufficient_privilege';
              END IF;
              bad := NULL;
              EXECUTE format('SELECT r.k FROM unnest($1, $2, $3) AS r(tb, k, c) '
                             'LEFT JOIN %I x ON x.%I = r.k%s WHERE r.tb = $4 AND (x.%I IS NULL%s) LIMIT 1',
                             t, key_col, CASE WHEN key_uuid THEN '::uuid' ELSE '' END, key_col,
                             CASE WHEN has_centre THEN ' OR x.centre_code::text IS DISTINCT FROM r.c' ELSE '' END)
                INTO bad USING p_table, p_key, p_centre, t;
              IF bad IS NOT NULL THEN
                RAISE EXCEPTION 'change feed: no % row % of that centre', t, left(bad, 64)
                  USING ERRCODE = 'insufficient_privilege';
              END IF;
              -- A console user publishes only rows of centres it may see (the owner: any).
              IF EXISTS (SELECT 1 FROM users WHERE username = session_user)
                 AND EXISTS (SELECT 1 FROM unnest(p_table, p_centre) AS r(tb, c)
                              WHERE r.tb = t AND r.c IS NOT NULL
                                AND NOT r.c = ANY(console_visible_centres())) THEN
                RAISE EXCEPTION 'change feed: a centre of this batch is not yours'
                  USING ERRCODE = 'insufficient_privilege';
              END IF;
            END LOOP;
            INSERT INTO change_feed_log(seq, change_id, table_name, row_key, centre_code,
                                        mutation_id, committed_at)
            SELECT r.s, coalesce(r.c, gen_random_uuid()), r.tb, r.k, r.ce, r.m,
                   now() AT TIME ZONE 'UTC'
              FROM unnest(p_seq, p_change, p_table, p_key, p_centre, p_mutation)
                   AS r(s, c, tb, k, ce, m);
            RETURN n;
          END $$""")
    op.execute(f"""DO $$ BEGIN
           REVOKE ALL ON FUNCTION {SIGNATURE} FROM PUBLIC;
           EXECUTE format('GRANT EXECUTE ON FUNCTION {SIGNATURE} TO %I', console_role('base'));
         END $$""")


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(f"DROP FUNCTION IF EXISTS {SIGNATURE}")
