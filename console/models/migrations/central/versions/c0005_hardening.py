"""hardening: what an independent review did as each login role, now refused by the database

Revision ID: c0005_hardening
Revises: c0004_roster_security
Create Date: 2026-12-01

1. The change feed is written through the view `change_feed` only: its INSTEAD OF trigger runs
   as the owner and validates each row (synced table, existing row, centre, next position).
   The table itself (`change_feed_log`) has no write grant; the client's INSERT is unchanged.
2. SECURITY DEFINER functions: pinned search_path, no PUBLIC execute, rights checked inside;
   `console_publish` and `console_is_console_user` are internal (no grant at all).
3. Group roles are verified before reuse (console.models.security.pg.check_group_roles) and user
   names shaped like a group role are refused.
4. sync_clients / applied_mutations: each login sees and writes its own workstations' rows.
5. Status, acknowledgement, closure, last activity and recorded_at are computed by triggers.
6. origin is unique per centre. 7. Length and bidi limits mirror console.models.validation.
8. TRUNCATE of an audited table: the owner's only, and audited.
On SQLite (embedded demo central) nothing changes: it has no logins to refuse anything to.
"""
from __future__ import annotations

# ruff: noqa: E501  (SQL text reads better unwrapped)
from alembic import op

revision = 'c0005_hardening'
down_revision = 'c0004_roster_security'
branch_labels = None
depends_on = None

FEED_LOCK_KEY = 0x636F6E73  # same key as console.models.sync.central: feed allocation
# A push allocates its positions before writing and a rejected mutation leaves a gap (its
# savepoint is rolled back, not the counter): a new row may skip at most this many positions.
FEED_MAX_GAP = 1_000_000
DEFINER = "SECURITY DEFINER SET search_path = pg_catalog, public"
MAX_TITLE, MAX_TEXT, MAX_PLACE = 300, 20_000, 300  # console.models.validation
BIDI = r"[\u202A-\u202E\u2066-\u2069]"
ENTITY_AUDITED = ("events", "follow_ups", "event_links", "zones", "centres", "users",
                  "supervisions")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    from console.models.security.pg import GroupRoleError, check_group_roles

    problems = check_group_roles(bind)
    if problems:
        raise GroupRoleError("init-central refuses to reuse these roles: " + "; ".join(problems))
    _feed()
    _definer_rights()
    _user_names()
    _workstation_rows()
    _derived_state()
    _origin_and_limits()
    _truncate()
    _lock_definer_functions()


def _feed() -> None:
    x = op.execute
    x("ALTER TABLE change_feed RENAME TO change_feed_log")
    x("DROP POLICY feed_write ON change_feed_log")
    x("""CREATE VIEW change_feed WITH (security_invoker = true) AS
         SELECT seq, change_id, table_name, row_key, centre_code, mutation_id, committed_at
           FROM change_feed_log""")
    x("REVOKE ALL ON change_feed_log, change_feed FROM PUBLIC")
    x("DO $$ BEGIN EXECUTE format('REVOKE ALL ON change_feed_log FROM %I', console_role('base')); "
      "EXECUTE format('GRANT SELECT ON change_feed_log TO %I', console_role('base')); "
      "EXECUTE format('GRANT SELECT, INSERT ON change_feed TO %I', console_role('base')); END $$")
    # What the feed may name: a table of the schema with a server_seq column, its key column
    # (id, else username, else code), whether that key is a uuid, whether rows carry a centre.
    x(f"""CREATE FUNCTION console_feed_table(p_table text, OUT key_col text, OUT key_uuid boolean,
                                             OUT has_centre boolean)
          LANGUAGE sql STABLE {DEFINER} AS $$
          SELECT k.attname::text, k.atttypid = 'uuid'::regtype,
                 EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
                            AND a.attname = 'centre_code' AND NOT a.attisdropped)
            FROM pg_class c
            JOIN pg_attribute s ON s.attrelid = c.oid AND s.attname = 'server_seq' AND NOT s.attisdropped
            JOIN pg_attribute k ON k.attrelid = c.oid AND NOT k.attisdropped
                 AND k.attname IN ('id', 'username', 'code')
           WHERE c.relnamespace = 'public'::regnamespace AND c.relname = p_table
             AND c.relkind = 'r' AND p_table <> 'change_feed_log'
           ORDER BY array_position(ARRAY['id', 'username', 'code'], k.attname::text)
           LIMIT 1 $$""")
    x(f"""CREATE FUNCTION console_feed_insert() RETURNS trigger LANGUAGE plpgsql {DEFINER}
          AS $$
          DECLARE last bigint; key_col text; key_uuid boolean; has_centre boolean;
                  found boolean; row_centre text;
          BEGIN
            IF NOT console_has('base') AND NOT pg_has_role(session_user,
                   (SELECT relowner FROM pg_class WHERE oid = 'change_feed_log'::regclass), 'MEMBER') THEN
              RAISE EXCEPTION 'change feed: only console users publish changes'
                USING ERRCODE = 'insufficient_privilege';
            END IF;
            PERFORM pg_advisory_xact_lock({FEED_LOCK_KEY});
            SELECT coalesce(max(seq), 0) INTO last FROM change_feed_log;
            IF NEW.seq IS NULL THEN
              NEW.seq := last + 1;
            ELSIF NEW.seq <= last OR NEW.seq > last + {FEED_MAX_GAP} THEN
              RAISE EXCEPTION 'change feed position % refused: the next position is %', NEW.seq, last + 1
                USING ERRCODE = 'insufficient_privilege';
            END IF;
            SELECT f.key_col, f.key_uuid, f.has_centre INTO key_col, key_uuid, has_centre
              FROM console_feed_table(NEW.table_name) f;
            IF key_col IS NULL THEN
              RAISE EXCEPTION 'change feed: % is not a synced table', left(NEW.table_name, 64)
                USING ERRCODE = 'insufficient_privilege';
            END IF;
            IF key_uuid AND NEW.row_key !~* '^[0-9a-f]{{8}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{12}}$' THEN
              RAISE EXCEPTION 'change feed: % is not a valid key of %', left(NEW.row_key, 64), NEW.table_name
                USING ERRCODE = 'insufficient_privilege';
            END IF;
            EXECUTE format('SELECT true, %s FROM %I WHERE %I = $1%s',
                           CASE WHEN has_centre THEN 'centre_code::text' ELSE 'NULL::text' END,
                           NEW.table_name, key_col, CASE WHEN key_uuid THEN '::uuid' ELSE '' END)
              INTO found, row_centre USING NEW.row_key;
            IF found IS NULL THEN
              RAISE EXCEPTION 'change feed: no % row %', NEW.table_name, left(NEW.row_key, 64)
                USING ERRCODE = 'insufficient_privilege';
            END IF;
            IF has_centre AND NEW.centre_code IS DISTINCT FROM row_centre THEN
              RAISE EXCEPTION 'change feed: the centre of % % is %, not %', NEW.table_name,
                    NEW.row_key, row_centre, coalesce(NEW.centre_code, 'none')
                USING ERRCODE = 'insufficient_privilege';
            END IF;
            IF NOT has_centre AND NEW.centre_code IS NOT NULL
               AND EXISTS (SELECT 1 FROM users WHERE username = session_user)
               AND NOT NEW.centre_code = ANY(console_visible_centres()) THEN
              RAISE EXCEPTION 'change feed: centre % is not yours', left(NEW.centre_code, 32)
                USING ERRCODE = 'insufficient_privilege';
            END IF;
            NEW.change_id := coalesce(NEW.change_id, gen_random_uuid());
            NEW.committed_at := now() AT TIME ZONE 'UTC';
            INSERT INTO change_feed_log(seq, change_id, table_name, row_key, centre_code,
                                        mutation_id, committed_at)
            VALUES (NEW.seq, NEW.change_id, NEW.table_name, NEW.row_key, NEW.centre_code,
                    NEW.mutation_id, NEW.committed_at);
            RETURN NEW;
          END $$""")
    x("""CREATE TRIGGER change_feed_insert INSTEAD OF INSERT ON change_feed
         FOR EACH ROW EXECUTE FUNCTION console_feed_insert()""")
    x(f"""CREATE OR REPLACE FUNCTION console_feed_max_seq() RETURNS bigint LANGUAGE sql STABLE
          {DEFINER} AS $$ SELECT coalesce(max(seq), 0) FROM change_feed_log $$""")
    # Internal: called by the user-administration functions (which run as the owner) only.
    x(f"""CREATE OR REPLACE FUNCTION console_publish(p_table text, p_key text, p_centre text)
          RETURNS bigint LANGUAGE plpgsql {DEFINER}
          AS $$
          DECLARE s bigint;
          BEGIN
            IF p_table NOT IN ('users', 'centres', 'venues') THEN
              RAISE EXCEPTION 'console_publish: % is not reference data', left(p_table, 64)
                USING ERRCODE = 'invalid_parameter_value';
            END IF;
            PERFORM pg_advisory_xact_lock({FEED_LOCK_KEY});
            SELECT coalesce(max(seq), 0) + 1 INTO s FROM change_feed_log;
            INSERT INTO change_feed_log(seq, change_id, table_name, row_key, centre_code,
                                        mutation_id, committed_at)
            VALUES (s, gen_random_uuid(), p_table, p_key, p_centre, NULL, now() AT TIME ZONE 'UTC');
            EXECUTE format('UPDATE %I SET server_seq = $1 WHERE %I = $2', p_table,
                           CASE p_table WHEN 'users' THEN 'username' ELSE 'code' END)
              USING s, p_key;
            RETURN s;
          END $$""")


def _definer_rights() -> None:
    """Definer functions a policy calls answer only about what the caller may see."""
    x = op.execute
    x(f"""CREATE OR REPLACE FUNCTION console_event_was_closed(p_event uuid) RETURNS boolean
          LANGUAGE sql STABLE {DEFINER} AS $$
          SELECT EXISTS (SELECT 1 FROM follow_ups f JOIN events e ON e.id = f.event_id
                          WHERE f.event_id = p_event AND f.new_status = 'closed'
                            AND e.centre_code = ANY(console_visible_centres())) $$""")
    x(f"""CREATE OR REPLACE FUNCTION console_roster_centre(p_roster uuid) RETURNS text
          LANGUAGE plpgsql STABLE {DEFINER} AS $$
          DECLARE c text;
          BEGIN
            IF to_regclass('rosters') IS NULL THEN RETURN NULL; END IF;
            SELECT centre_code INTO c FROM rosters WHERE id = p_roster;
            RETURN CASE WHEN c = ANY(console_visible_centres()) THEN c END;
          END $$""")
    x(f"""CREATE OR REPLACE FUNCTION console_operator_centre(p_operator uuid) RETURNS text
          LANGUAGE plpgsql STABLE {DEFINER} AS $$
          DECLARE c text;
          BEGIN
            IF to_regclass('roster_operators') IS NULL THEN RETURN NULL; END IF;
            SELECT centre_code INTO c FROM roster_operators WHERE id = p_operator;
            RETURN CASE WHEN c = ANY(console_visible_centres()) THEN c END;
          END $$""")
    # One's own roles (sign-in), or anyone's for an administrator (user list); NULL otherwise.
    x(f"""CREATE OR REPLACE FUNCTION console_roles_of(p_username text) RETURNS text
          LANGUAGE sql STABLE {DEFINER} AS $$
          SELECT CASE WHEN p_username = session_user::text OR console_has('administrator') THEN
            (SELECT coalesce(string_agg(r, ',' ORDER BY r), '') FROM unnest(ARRAY['operator',
                    'supervisor', 'shift_manager', 'auditor', 'administrator']) AS r
              WHERE EXISTS (SELECT 1 FROM pg_auth_members m
                              JOIN pg_roles g ON g.oid = m.roleid AND g.rolname = console_role(r)
                              JOIN pg_roles u ON u.oid = m.member AND u.rolname = p_username))
          END $$""")


GROUP_SUFFIX_PATTERN = "_(base|operator|supervisor|shift_manager|auditor|administrator)$"


def _user_names() -> None:
    # A user name shaped like a group role could squat the groups of a later database.
    op.execute(f"""CREATE OR REPLACE FUNCTION console_check_username(p_username text) RETURNS void
          LANGUAGE plpgsql IMMUTABLE AS $$
          BEGIN
            IF p_username IS NULL OR p_username !~ '^[a-z][a-z0-9._-]{{1,62}}$'
               OR p_username LIKE 'pg\\_%' THEN
              RAISE EXCEPTION 'invalid user name: 2-63 characters, lower-case letters, digits, ., _ or -, starting with a letter'
                USING ERRCODE = 'invalid_parameter_value';
            END IF;
            IF p_username ~ '{GROUP_SUFFIX_PATTERN}' THEN
              RAISE EXCEPTION 'invalid user name %: names ending in _base, _operator, _supervisor, _shift_manager, _auditor or _administrator are reserved for group roles', p_username
                USING ERRCODE = 'invalid_parameter_value';
            END IF;
          END $$""")


def _workstation_rows() -> None:
    x = op.execute
    x("ALTER TABLE sync_clients ENABLE ROW LEVEL SECURITY")
    x("""CREATE POLICY sync_clients_own ON sync_clients FOR ALL
         USING (username = session_user) WITH CHECK (username = session_user)""")
    # A workstation id already registered by another login: say so (RLS hides that row, so
    # the bare error would be a duplicate key).
    x(f"""CREATE FUNCTION console_sync_client_check() RETURNS trigger LANGUAGE plpgsql {DEFINER}
          AS $$
          BEGIN
            IF EXISTS (SELECT 1 FROM sync_clients WHERE client_id = NEW.client_id
                                                     AND username <> NEW.username) THEN
              RAISE EXCEPTION 'workstation identity % is registered to another login', NEW.client_id
                USING ERRCODE = 'unique_violation';
            END IF;
            RETURN NEW;
          END $$""")
    x("""CREATE TRIGGER sync_clients_check BEFORE INSERT ON sync_clients
         FOR EACH ROW EXECUTE FUNCTION console_sync_client_check()""")
    x("""CREATE FUNCTION console_my_clients() RETURNS uuid[] LANGUAGE sql STABLE
         AS $$ SELECT coalesce(array_agg(client_id), '{}') FROM sync_clients
                WHERE username = session_user $$""")
    x("ALTER TABLE applied_mutations ENABLE ROW LEVEL SECURITY")
    x("""CREATE POLICY applied_mutations_own ON applied_mutations FOR ALL
         USING (client_id = ANY((SELECT console_my_clients())::uuid[]))
         WITH CHECK (client_id = ANY((SELECT console_my_clients())::uuid[]))""")


def _derived_state() -> None:
    """console.models.eventlog.log.derive_state, in the database: follow-ups in server order
    (server_seq, then pk); the last status wins, the first acknowledgement counts."""
    x = op.execute
    x(f"""CREATE FUNCTION console_event_derive() RETURNS trigger LANGUAGE plpgsql {DEFINER}
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
              NEW.last_activity_at := greatest(NEW.last_activity_at, f.recorded_at);
              IF f.kind = 'status' AND coalesce(f.new_status, '') <> '' THEN
                NEW.status := f.new_status;
                NEW.closed_at := CASE WHEN f.new_status = 'closed' THEN f.recorded_at END;
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
          END $$""")
    x("""CREATE TRIGGER events_derive BEFORE INSERT OR UPDATE ON events
         FOR EACH ROW EXECUTE FUNCTION console_event_derive()""")
    x(f"""CREATE FUNCTION console_follow_up_stamp() RETURNS trigger LANGUAGE plpgsql {DEFINER}
          AS $$ BEGIN NEW.recorded_at := now() AT TIME ZONE 'UTC'; RETURN NEW; END $$""")
    x("""CREATE TRIGGER follow_ups_stamp BEFORE INSERT ON follow_ups
         FOR EACH ROW EXECUTE FUNCTION console_follow_up_stamp()""")
    # After a statement of follow-ups, their events recompute (events_derive does the work).
    x(f"""CREATE FUNCTION console_follow_ups_rederive() RETURNS trigger LANGUAGE plpgsql {DEFINER}
          AS $$
          BEGIN
            UPDATE events SET status = status WHERE id IN (SELECT DISTINCT event_id FROM added);
            RETURN NULL;
          END $$""")
    x("""CREATE TRIGGER follow_ups_rederive AFTER INSERT ON follow_ups
         REFERENCING NEW TABLE AS added FOR EACH STATEMENT
         EXECUTE FUNCTION console_follow_ups_rederive()""")
    x("""ALTER TABLE events ADD CONSTRAINT ck_events_status
         CHECK (status IN ('open', 'in_progress', 'closed'))""")
    x("""ALTER TABLE follow_ups ADD CONSTRAINT ck_follow_ups_new_status
         CHECK (new_status IS NULL OR new_status IN ('', 'open', 'in_progress', 'closed'))""")


def _origin_and_limits() -> None:
    x = op.execute
    x("ALTER TABLE events DROP CONSTRAINT uq_events_origin")
    x("ALTER TABLE events ADD CONSTRAINT uq_events_centre_origin UNIQUE (centre_code, origin)")
    x(f"""ALTER TABLE events ADD CONSTRAINT ck_events_title
          CHECK (char_length(title) <= {MAX_TITLE} AND title !~ '{BIDI}')""")
    x(f"ALTER TABLE events ADD CONSTRAINT ck_events_description CHECK (char_length(description) <= {MAX_TEXT})")
    x(f"ALTER TABLE events ADD CONSTRAINT ck_events_place CHECK (char_length(place) <= {MAX_PLACE})")
    x(f"ALTER TABLE follow_ups ADD CONSTRAINT ck_follow_ups_text CHECK (char_length(text) <= {MAX_TEXT})")


def _truncate() -> None:
    x = op.execute
    x(f"""CREATE FUNCTION console_truncate_guard() RETURNS trigger LANGUAGE plpgsql {DEFINER}
          AS $$
          BEGIN
            IF NOT pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID),
                               'MEMBER') THEN
              RAISE EXCEPTION 'TRUNCATE of % is the owner''s alone', TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege';
            END IF;
            INSERT INTO audit_log(pos, at, actor, action, table_name, prev_hash, hash)
            VALUES (0, now(), '', 'truncate', TG_TABLE_NAME, '', '');
            RETURN NULL;
          END $$""")
    x("""CREATE FUNCTION console_guard_truncate(p_table text) RETURNS void LANGUAGE plpgsql AS $$
          BEGIN
            IF to_regclass(p_table) IS NULL THEN RETURN; END IF;
            EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', p_table || '_truncate', p_table);
            EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION console_truncate_guard()',
                           p_table || '_truncate', p_table);
          END $$""")
    tables = ", ".join(f"'{t}'" for t in ENTITY_AUDITED)
    x(f"""DO $$ DECLARE t text; BEGIN
           FOR t IN SELECT unnest(ARRAY[{tables}]) UNION
                    SELECT tablename FROM pg_tables WHERE schemaname = 'public'
                       AND (tablename LIKE 'roster\\_%' OR tablename = 'rosters') LOOP
             PERFORM console_guard_truncate(t);
           END LOOP; END $$""")
    # A roster table secured by a later revision: that revision calls console_guard_truncate.


# Who may call each SECURITY DEFINER function (docs/administration.md explains why). "base" is
# every console login; "none" means only triggers or other definer functions use it.
DEFINER_CALLERS = {
    "console_my_centre": "base", "console_visible_centres": "base",
    "console_write_centres": "base", "console_roster_centres": "base",
    "console_feed_max_seq": "base", "console_event_was_closed": "base",
    "console_roster_centre": "base", "console_operator_centre": "base",
    "console_owns_assignment": "base", "console_audit_event": "base",
    "console_roles_of": "base", "console_create_user": "base",
    "console_set_user_active": "base", "console_grant_role": "base",
    "console_set_supervision": "base",
}


def _lock_definer_functions() -> None:
    """Every SECURITY DEFINER function: pinned search_path, no PUBLIC, the listed callers."""
    grants = ", ".join(f"('{name}', '{who}')" for name, who in DEFINER_CALLERS.items())
    op.execute(f"""DO $$ DECLARE f record; BEGIN
           FOR f IN SELECT p.oid::regprocedure AS sig, p.proname::text AS name, c.who
                      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                      LEFT JOIN (VALUES {grants}) AS c(name, who) ON c.name = p.proname
                     WHERE n.nspname = 'public' AND p.prosecdef LOOP
             EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, public', f.sig);
             EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f.sig);
             EXECUTE format('REVOKE ALL ON FUNCTION %s FROM %I', f.sig, console_role('base'));
             IF f.who = 'base' THEN
               EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %I', f.sig, console_role('base'));
             END IF;
           END LOOP; END $$""")
    op.execute("""DO $$ BEGIN
           EXECUTE format('GRANT EXECUTE ON FUNCTION console_my_clients() TO %I', console_role('base'));
           REVOKE ALL ON FUNCTION console_my_clients(), console_guard_truncate(text) FROM PUBLIC;
         END $$""")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    x = op.execute
    for table in ENTITY_AUDITED:
        x(f"DROP TRIGGER IF EXISTS {table}_truncate ON {table}")
    x("""DO $$ DECLARE t text; BEGIN
           FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public'
                     AND (tablename LIKE 'roster\\_%' OR tablename = 'rosters') LOOP
             EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_truncate', t);
           END LOOP; END $$""")
    x("DROP FUNCTION console_guard_truncate(text), console_truncate_guard()")
    for name in ("ck_events_title", "ck_events_description", "ck_events_place", "ck_events_status",
                 "uq_events_centre_origin"):
        x(f"ALTER TABLE events DROP CONSTRAINT {name}")
    x("ALTER TABLE events ADD CONSTRAINT uq_events_origin UNIQUE (origin)")
    x("ALTER TABLE follow_ups DROP CONSTRAINT ck_follow_ups_text, DROP CONSTRAINT ck_follow_ups_new_status")
    x("DROP TRIGGER follow_ups_rederive ON follow_ups")
    x("DROP TRIGGER follow_ups_stamp ON follow_ups")
    x("DROP TRIGGER events_derive ON events")
    x("DROP FUNCTION console_follow_ups_rederive(), console_follow_up_stamp(), console_event_derive()")
    x("DROP POLICY applied_mutations_own ON applied_mutations")
    x("ALTER TABLE applied_mutations DISABLE ROW LEVEL SECURITY")
    x("DROP TRIGGER sync_clients_check ON sync_clients")
    x("DROP POLICY sync_clients_own ON sync_clients")
    x("ALTER TABLE sync_clients DISABLE ROW LEVEL SECURITY")
    x("DROP FUNCTION console_sync_client_check(), console_my_clients()")
    x("DROP VIEW change_feed")
    x("DROP FUNCTION console_feed_insert(), console_feed_table(text)")
    x("ALTER TABLE change_feed_log RENAME TO change_feed")
    x("""CREATE POLICY feed_write ON change_feed FOR INSERT
         WITH CHECK (centre_code IS NULL OR centre_code = ANY((SELECT console_visible_centres())::text[]))""")
    x("DO $$ BEGIN EXECUTE format('GRANT INSERT ON change_feed TO %I', console_role('base')); END $$")
    # The function bodies of c0003 (publish, roles_of, ...) stay in their hardened form.
