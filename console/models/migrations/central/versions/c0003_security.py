"""security: roles, grants, row-level security, tamper-evident audit trail, user administration

Revision ID: c0003_security
Revises: c0002_sync
Create Date: 2026-11-23

Why it is all in SQL: workstations talk to PostgreSQL directly, so the database itself must
refuse what a role may not do; a modified client gets nothing more than its login allows.
Group roles are named `<database>_<role>` (roles are cluster-wide; two console databases in one
cluster, or test databases, must not share them). On SQLite (the embedded central of the demo)
only the tables are created: the application applies the same rules (console.models.security).
"""
from __future__ import annotations

# ruff: noqa: E501  (SQL text reads better unwrapped)
import re

import sqlalchemy as sa
from alembic import op

revision = 'c0003_security'
down_revision = 'c0002_sync'
branch_labels = None
depends_on = None

GROUP_ROLES = ("base", "operator", "supervisor", "shift_manager", "auditor", "administrator")
FEED_LOCK_KEY = 0x636F6E73  # same key as console.models.sync.central: feed allocation
AUDIT_LOCK_KEY = 0x61756474  # "audt": serialises the audit chain
GENESIS = "0" * 64
ENTITY_AUDITED = {"events": "id", "follow_ups": "id", "event_links": "id", "zones": "id",
                  "centres": "code", "users": "username", "supervisions": "username"}


def role_prefix(database: str) -> str:
    return re.sub(r"[^a-z0-9_]", "_", database.lower())[:40]


def _tables() -> None:
    op.create_table(
        'supervisions',
        sa.Column('username', sa.String(64), nullable=False),
        sa.Column('centre_code', sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint('username', 'centre_code', name=op.f('pk_supervisions')))
    json_type = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), 'postgresql')
    op.create_table(
        'audit_log',
        sa.Column('pos', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                  autoincrement=False, nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actor', sa.Text(), nullable=False),
        sa.Column('workstation', sa.Text(), nullable=False, server_default=''),
        sa.Column('action', sa.String(32), nullable=False),
        sa.Column('table_name', sa.String(64), nullable=True),
        sa.Column('row_key', sa.Text(), nullable=True),
        sa.Column('old', json_type, nullable=True),
        sa.Column('new', json_type, nullable=True),
        sa.Column('details', json_type, nullable=True),
        sa.Column('prev_hash', sa.String(64), nullable=False),
        sa.Column('hash', sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint('pos', name=op.f('pk_audit_log')))
    op.create_index('ix_audit_log_at', 'audit_log', ['at'])
    op.create_index('ix_audit_log_actor_at', 'audit_log', ['actor', 'at'])
    op.create_index('ix_audit_log_table_key', 'audit_log', ['table_name', 'row_key'])


def upgrade() -> None:
    _tables()
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        # Embedded central: no logins to enforce anything, but the trail stays append-only, and
        # row changes are staged by triggers, then chained by console.models.security.audit.
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"""CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log
                           BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""")
        op.create_table(
            'audit_stage',
            sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column('at', sa.Text(), nullable=False),
            sa.Column('actor', sa.Text(), nullable=True),
            sa.Column('action', sa.String(32), nullable=False),
            sa.Column('table_name', sa.String(64), nullable=False),
            sa.Column('row_key', sa.Text(), nullable=True),
            sa.Column('old', sa.Text(), nullable=True),
            sa.Column('new', sa.Text(), nullable=True),
            sqlite_autoincrement=True)
        from console.models.security.audit import sqlite_stage_triggers

        for table, key in ENTITY_AUDITED.items():
            for statement in sqlite_stage_triggers(bind, table, key):
                op.execute(statement)
        return
    prefix = role_prefix(bind.scalar(sa.text("SELECT current_database()")))
    x = op.execute

    # -- roles ------------------------------------------------------------------------------
    x(f"""CREATE FUNCTION console_role(r text) RETURNS text LANGUAGE sql IMMUTABLE
          AS $$ SELECT '{prefix}_' || r $$""")
    for role in GROUP_ROLES:
        name = f"{prefix}_{role}"
        x(f"""DO $$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{name}') THEN
                  CREATE ROLE "{name}" NOLOGIN;
                END IF; END $$""")
    r = {role: f'"{prefix}_{role}"' for role in GROUP_ROLES}
    for role in GROUP_ROLES[1:]:
        x(f"GRANT {r['base']} TO {r[role]}")
    x(f"GRANT {r['operator']} TO {r['supervisor']}")  # a supervisor does all an operator does
    x("DO $$ BEGIN EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', "
      "current_database()); EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', "
      "current_database(), console_role('base')); END $$")
    x(f"GRANT USAGE ON SCHEMA public TO {r['base']}")

    # -- who is acting: functions the policies call ------------------------------------------
    definer = "SECURITY DEFINER SET search_path = pg_catalog, public"
    x("""CREATE FUNCTION console_has(r text) RETURNS boolean LANGUAGE sql STABLE
         AS $$ SELECT pg_has_role(session_user, console_role(r), 'MEMBER') $$""")
    x(f"""CREATE FUNCTION console_my_centre() RETURNS text LANGUAGE sql STABLE {definer}
          AS $$ SELECT centre_code FROM users WHERE username = session_user AND active $$""")
    # Own centre; a supervisor adds the centres below it (parent_code) and those named in
    # `supervisions`, with their own sub-centres. UNION stops a cycle in the hierarchy.
    x(f"""CREATE FUNCTION console_visible_centres() RETURNS text[] LANGUAGE sql STABLE {definer}
          AS $$
          WITH RECURSIVE sup AS (SELECT console_has('supervisor') AS yes),
          roots AS (
            SELECT centre_code AS code FROM users WHERE username = session_user AND active
            UNION
            SELECT s.centre_code FROM supervisions s, sup
             WHERE sup.yes AND s.username = session_user
               AND EXISTS (SELECT 1 FROM users u WHERE u.username = session_user AND u.active)),
          tree AS (
            SELECT code FROM roots
            UNION
            SELECT c.code FROM centres c JOIN tree t ON c.parent_code = t.code, sup WHERE sup.yes)
          SELECT coalesce(array_agg(code), '{{}}') FROM tree $$""")
    x(f"""CREATE FUNCTION console_write_centres() RETURNS text[] LANGUAGE sql STABLE {definer}
          AS $$ SELECT CASE
                  WHEN console_has('supervisor') THEN console_visible_centres()
                  WHEN console_has('operator') THEN
                       coalesce(array_remove(ARRAY[console_my_centre()], NULL), '{{}}')
                  ELSE '{{}}'::text[] END $$""")
    x(f"""CREATE FUNCTION console_roster_centres() RETURNS text[] LANGUAGE sql STABLE {definer}
          AS $$ SELECT CASE WHEN console_has('shift_manager')
                  THEN coalesce(array_remove(ARRAY[console_my_centre()], NULL), '{{}}')
                  ELSE '{{}}'::text[] END $$""")
    # Feed allocation must see the whole feed, whatever rows RLS hides from the caller.
    x(f"""CREATE FUNCTION console_feed_max_seq() RETURNS bigint LANGUAGE sql STABLE {definer}
          AS $$ SELECT coalesce(max(seq), 0) FROM change_feed $$""")

    # -- privileges ---------------------------------------------------------------------------
    x("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC")
    x(f"""GRANT SELECT ON centres, users, venues, events, follow_ups, event_links, zones,
          change_feed, applied_mutations, sync_clients, central_meta, sync_conflicts,
          supervisions TO {r['base']}""")
    x(f"GRANT INSERT, UPDATE ON sync_clients TO {r['base']}")
    x(f"GRANT INSERT ON applied_mutations, change_feed TO {r['base']}")
    x(f"GRANT INSERT ON events, follow_ups, zones TO {r['operator']}")
    # Events are append-only facts; only their derived state (recomputed from follow-ups) moves.
    x(f"""GRANT UPDATE (status, acknowledged_by, acknowledged_at, closed_at, last_activity_at,
          server_seq) ON events TO {r['operator']}""")
    x(f"GRANT INSERT ON event_links TO {r['supervisor']}")
    x(f"GRANT INSERT, UPDATE ON sync_conflicts TO {r['shift_manager']}")
    x(f"GRANT INSERT, UPDATE ON centres, users, venues, supervisions TO {r['administrator']}")
    x(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {r['base']}")

    # -- row-level security -------------------------------------------------------------------
    vis = "(SELECT console_visible_centres())::text[]"
    wr = "(SELECT console_write_centres())::text[]"
    for table in ("events", "follow_ups", "event_links", "zones", "centres", "users", "venues",
                  "supervisions", "change_feed", "sync_conflicts"):
        x(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    x(f"CREATE POLICY events_read ON events FOR SELECT USING (centre_code = ANY({vis}))")
    x(f"""CREATE POLICY events_write ON events FOR INSERT
          WITH CHECK (centre_code = ANY({wr}) AND author = session_user)""")
    # A definer function: a policy of events reading follow_ups (whose policy reads events)
    # would recurse.
    x(f"""CREATE FUNCTION console_event_was_closed(p_event uuid) RETURNS boolean LANGUAGE sql
          STABLE {definer} AS $$ SELECT EXISTS (SELECT 1 FROM follow_ups
                                  WHERE event_id = p_event AND new_status = 'closed') $$""")
    # Closing is a supervisor's act; an operator may still touch a closed event's derived state
    # (a note on it) because the closing follow-up exists.
    x(f"""CREATE POLICY events_derive ON events FOR UPDATE USING (centre_code = ANY({wr}))
          WITH CHECK (centre_code = ANY({wr}) AND (status <> 'closed' OR console_has('supervisor')
                OR console_event_was_closed(id)))""")
    x("""CREATE POLICY follow_ups_read ON follow_ups FOR SELECT
         USING (EXISTS (SELECT 1 FROM events e WHERE e.id = follow_ups.event_id))""")
    x(f"""CREATE POLICY follow_ups_write ON follow_ups FOR INSERT
          WITH CHECK (author = session_user
                AND EXISTS (SELECT 1 FROM events e WHERE e.id = follow_ups.event_id
                                                   AND e.centre_code = ANY({wr}))
                AND (new_status IS DISTINCT FROM 'closed' OR console_has('supervisor')))""")
    x("""CREATE POLICY links_read ON event_links FOR SELECT
         USING (EXISTS (SELECT 1 FROM events e WHERE e.id = event_links.event_id)
                AND EXISTS (SELECT 1 FROM events e WHERE e.id = event_links.target_id))""")
    x(f"""CREATE POLICY links_write ON event_links FOR INSERT
          WITH CHECK (author = session_user AND console_has('supervisor')
                AND EXISTS (SELECT 1 FROM events e WHERE e.id = event_links.event_id
                                                   AND e.centre_code = ANY({wr}))
                AND EXISTS (SELECT 1 FROM events e WHERE e.id = event_links.target_id
                                                   AND e.centre_code = ANY({wr})))""")
    x(f"CREATE POLICY zones_read ON zones FOR SELECT USING (centre_code = ANY({vis}))")
    x(f"""CREATE POLICY zones_write ON zones FOR INSERT
          WITH CHECK (centre_code = ANY({wr}) AND author = session_user)""")
    for table in ("centres", "users", "venues", "supervisions"):
        x(f"CREATE POLICY {table}_read ON {table} FOR SELECT USING (true)")
        x(f"""CREATE POLICY {table}_admin ON {table} FOR ALL
              USING (console_has('administrator')) WITH CHECK (console_has('administrator'))""")
    x(f"""CREATE POLICY feed_read ON change_feed FOR SELECT
          USING (centre_code IS NULL OR centre_code = ANY({vis}))""")
    x(f"""CREATE POLICY feed_write ON change_feed FOR INSERT
          WITH CHECK (centre_code IS NULL OR centre_code = ANY({vis}))""")
    x(f"""CREATE POLICY conflicts_read ON sync_conflicts FOR SELECT
          USING (centre_code IS NULL OR centre_code = ANY({vis}))""")
    x("""CREATE POLICY conflicts_write ON sync_conflicts FOR ALL
         USING (console_has('shift_manager') AND (centre_code IS NULL
                OR centre_code = ANY((SELECT console_roster_centres())::text[])))
         WITH CHECK (console_has('shift_manager') AND (centre_code IS NULL
                OR centre_code = ANY((SELECT console_roster_centres())::text[])))""")

    # -- audit trail ----------------------------------------------------------------------------
    x("REVOKE ALL ON audit_log FROM PUBLIC")
    x(f"GRANT SELECT ON audit_log TO {r['auditor']}")
    # The canonical text of a record: each field as <length>:<text>; (NULL as -;), so that no
    # choice of field contents can make two different records hash alike. Python's verifier
    # (console.models.security.audit) rebuilds the same text from the stored columns.
    x("""CREATE FUNCTION console_audit_field(v text) RETURNS text LANGUAGE sql IMMUTABLE
         AS $$ SELECT CASE WHEN v IS NULL THEN '-;' ELSE length(v)::text || ':' || v || ';' END $$""")
    x("""CREATE FUNCTION console_audit_canonical(a audit_log) RETURNS text LANGUAGE sql STABLE
         AS $$ SELECT console_audit_field(a.pos::text)
              || console_audit_field(to_char(a.at AT TIME ZONE 'UTC',
                                             'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
              || console_audit_field(a.actor) || console_audit_field(a.workstation)
              || console_audit_field(a.action) || console_audit_field(a.table_name)
              || console_audit_field(a.row_key) || console_audit_field(a.old::text)
              || console_audit_field(a.new::text) || console_audit_field(a.details::text) $$""")
    # Every insert, whoever makes it, is chained here: position, time and author come from the
    # server, never from the caller. The advisory lock (held to commit) makes position order =
    # commit order, so each record's predecessor is the one committed just before it.
    x(f"""CREATE FUNCTION console_audit_chain() RETURNS trigger LANGUAGE plpgsql {definer}
          AS $$
          DECLARE last_pos bigint; last_hash text;
          BEGIN
            PERFORM pg_advisory_xact_lock({AUDIT_LOCK_KEY});
            SELECT pos, hash INTO last_pos, last_hash FROM audit_log ORDER BY pos DESC LIMIT 1;
            NEW.pos := coalesce(last_pos, 0) + 1;
            NEW.prev_hash := coalesce(last_hash, '{GENESIS}');
            NEW.at := date_trunc('microseconds', clock_timestamp());
            NEW.actor := session_user;
            NEW.workstation := left(coalesce(nullif(current_setting('console.workstation', true), ''),
                                             current_setting('application_name'), ''), 200);
            NEW.hash := encode(sha256(convert_to(NEW.prev_hash || console_audit_canonical(NEW),
                                                 'UTF8')), 'hex');
            RETURN NEW;
          END $$""")
    x("""CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
         FOR EACH ROW EXECUTE FUNCTION console_audit_chain()""")
    x("""CREATE FUNCTION console_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RAISE EXCEPTION 'the audit trail is append-only (% refused)', TG_OP
               USING ERRCODE = 'insufficient_privilege'; END $$""")
    x("""CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
         FOR EACH ROW EXECUTE FUNCTION console_audit_refuse()""")
    x("""CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
         FOR EACH STATEMENT EXECUTE FUNCTION console_audit_refuse()""")
    # Row changes of audited tables; TG_ARGV[0] names the key column. A change of server_seq
    # alone is sync bookkeeping (re-publication), not a change of the data.
    x(f"""CREATE FUNCTION console_audit_row() RETURNS trigger LANGUAGE plpgsql {definer}
          AS $$
          DECLARE o jsonb; n jsonb;
          BEGIN
            IF TG_OP <> 'INSERT' THEN o := to_jsonb(OLD); END IF;
            IF TG_OP <> 'DELETE' THEN n := to_jsonb(NEW); END IF;
            IF TG_OP = 'UPDATE' AND (o - 'server_seq') = (n - 'server_seq') THEN RETURN NULL; END IF;
            INSERT INTO audit_log(pos, at, actor, action, table_name, row_key, old, new,
                                  prev_hash, hash)
            VALUES (0, now(), '', lower(TG_OP), TG_TABLE_NAME,
                    coalesce(n, o) ->> TG_ARGV[0], o, n, '', '');
            RETURN NULL;
          END $$""")
    for table, key in ENTITY_AUDITED.items():
        x(f"""CREATE TRIGGER {table}_audit AFTER INSERT OR UPDATE OR DELETE ON {table}
              FOR EACH ROW EXECUTE FUNCTION console_audit_row('{key}')""")
    # What the client reports: sign-in/out, failed sign-in (written when it next can), lock,
    # export, report. The caller chooses only the action (from a closed list) and the details.
    x(f"""CREATE FUNCTION console_audit_event(p_action text, p_details jsonb DEFAULT NULL)
          RETURNS bigint LANGUAGE plpgsql {definer}
          AS $$
          DECLARE p bigint;
          BEGIN
            IF NOT console_has('base') THEN
              RAISE EXCEPTION 'not a console user' USING ERRCODE = 'insufficient_privilege';
            END IF;
            IF p_action NOT IN ('sign_in', 'sign_out', 'sign_in_failed', 'offline_sign_in',
                                'lock', 'unlock', 'export', 'report') THEN
              RAISE EXCEPTION 'unknown audit action %', left(p_action, 40)
                USING ERRCODE = 'invalid_parameter_value';
            END IF;
            IF p_details IS NOT NULL AND length(p_details::text) > 20000 THEN
              RAISE EXCEPTION 'audit details too long' USING ERRCODE = 'invalid_parameter_value';
            END IF;
            INSERT INTO audit_log(pos, at, actor, action, details, prev_hash, hash)
            VALUES (0, now(), '', p_action, p_details, '', '') RETURNING pos INTO p;
            RETURN p;
          END $$""")

    # -- user administration ----------------------------------------------------------------------
    x("""CREATE FUNCTION console_require_admin() RETURNS void LANGUAGE plpgsql STABLE AS $$
          BEGIN
            IF NOT console_has('administrator') THEN
              RAISE EXCEPTION 'only an administrator manages users'
                USING ERRCODE = 'insufficient_privilege';
            END IF;
          END $$""")
    x(f"""CREATE FUNCTION console_publish(p_table text, p_key text, p_centre text)
          RETURNS bigint LANGUAGE plpgsql {definer}
          AS $$
          DECLARE s bigint;
          BEGIN
            PERFORM pg_advisory_xact_lock({FEED_LOCK_KEY});
            SELECT coalesce(max(seq), 0) + 1 INTO s FROM change_feed;
            INSERT INTO change_feed(seq, change_id, table_name, row_key, centre_code, mutation_id,
                                    committed_at)
            VALUES (s, gen_random_uuid(), p_table, p_key, p_centre, NULL,
                    now() AT TIME ZONE 'UTC');
            EXECUTE format('UPDATE %I SET server_seq = $1 WHERE %I = $2', p_table,
                           CASE p_table WHEN 'users' THEN 'username' ELSE 'code' END)
              USING s, p_key;
            RETURN s;
          END $$""")
    x("""CREATE FUNCTION console_check_role_name(p_role text) RETURNS void LANGUAGE plpgsql
          IMMUTABLE AS $$
          BEGIN
            IF p_role NOT IN ('operator', 'supervisor', 'shift_manager', 'auditor',
                              'administrator') THEN
              RAISE EXCEPTION 'unknown role %', left(p_role, 40)
                USING ERRCODE = 'invalid_parameter_value';
            END IF;
          END $$""")
    x(f"""CREATE FUNCTION console_roles_of(p_username text) RETURNS text LANGUAGE sql STABLE
          {definer} AS $$
          SELECT coalesce(string_agg(r, ',' ORDER BY r), '') FROM unnest(ARRAY['operator',
                 'supervisor', 'shift_manager', 'auditor', 'administrator']) AS r
           WHERE EXISTS (SELECT 1 FROM pg_auth_members m
                           JOIN pg_roles g ON g.oid = m.roleid AND g.rolname = console_role(r)
                           JOIN pg_roles u ON u.oid = m.member AND u.rolname = p_username) $$""")
    # Only names a console user may have: no quoting tricks, no clash with system roles.
    x("""CREATE FUNCTION console_check_username(p_username text) RETURNS void LANGUAGE plpgsql
          IMMUTABLE AS $$
          BEGIN
            IF p_username IS NULL OR p_username !~ '^[a-z][a-z0-9._-]{1,62}$'
               OR p_username LIKE 'pg\\_%' THEN
              RAISE EXCEPTION 'invalid user name: 2-63 characters, lower-case letters, digits, ., _ or -, starting with a letter'
                USING ERRCODE = 'invalid_parameter_value';
            END IF;
          END $$""")
    # The password arrives as a SCRAM verifier computed by the client (libpq), never in clear.
    x(f"""CREATE FUNCTION console_create_user(p_username text, p_display text, p_centre text,
                                              p_role text, p_verifier text DEFAULT NULL)
          RETURNS void LANGUAGE plpgsql {definer}
          AS $$
          BEGIN
            PERFORM console_require_admin();
            PERFORM console_check_username(p_username);
            PERFORM console_check_role_name(p_role);
            IF p_verifier IS NOT NULL AND p_verifier NOT LIKE 'SCRAM-SHA-256$%' THEN
              RAISE EXCEPTION 'the password must arrive as a SCRAM-SHA-256 verifier'
                USING ERRCODE = 'invalid_parameter_value';
            END IF;
            IF length(coalesce(p_display, '')) > 200 THEN
              RAISE EXCEPTION 'display name too long (at most 200 characters)'
                USING ERRCODE = 'invalid_parameter_value';
            END IF;
            IF NOT EXISTS (SELECT 1 FROM centres WHERE code = p_centre) THEN
              RAISE EXCEPTION 'unknown centre %', left(p_centre, 40)
                USING ERRCODE = 'invalid_parameter_value';
            END IF;
            IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_username) THEN
              RAISE EXCEPTION 'a database role named % already exists', p_username
                USING ERRCODE = 'duplicate_object';
            END IF;
            EXECUTE format('CREATE ROLE %I LOGIN', p_username);
            IF p_verifier IS NOT NULL THEN
              EXECUTE format('ALTER ROLE %I PASSWORD %L', p_username, p_verifier);
            END IF;
            EXECUTE format('GRANT %I, %I TO %I', console_role('base'), console_role(p_role),
                           p_username);
            INSERT INTO users(username, display_name, centre_code, role, active)
            VALUES (p_username, coalesce(p_display, ''), p_centre, p_role, true);
            PERFORM console_publish('users', p_username, p_centre);
            INSERT INTO audit_log(pos, at, actor, action, table_name, row_key, details,
                                  prev_hash, hash)
            VALUES (0, now(), '', 'user_add', 'users', p_username,
                    jsonb_build_object('centre', p_centre, 'role', p_role), '', '');
          END $$""")
    x(f"""CREATE FUNCTION console_is_console_user(p_username text) RETURNS void LANGUAGE plpgsql
          {definer} AS $$
          BEGIN
            IF NOT EXISTS (SELECT 1 FROM users WHERE username = p_username)
               OR NOT pg_has_role(p_username, console_role('base'), 'MEMBER')
               OR EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_username AND rolsuper) THEN
              RAISE EXCEPTION 'no console user named %', left(p_username, 63)
                USING ERRCODE = 'undefined_object';
            END IF;
          END $$""")
    x(f"""CREATE FUNCTION console_set_user_active(p_username text, p_active boolean)
          RETURNS void LANGUAGE plpgsql {definer}
          AS $$
          BEGIN
            PERFORM console_require_admin();
            PERFORM console_is_console_user(p_username);
            IF p_username = session_user AND NOT p_active THEN
              RAISE EXCEPTION 'an administrator cannot disable their own account'
                USING ERRCODE = 'invalid_parameter_value';
            END IF;
            EXECUTE format('ALTER ROLE %I %s', p_username,
                           CASE WHEN p_active THEN 'LOGIN' ELSE 'NOLOGIN' END);
            UPDATE users SET active = p_active WHERE username = p_username;
            PERFORM console_publish('users', p_username,
                                    (SELECT centre_code FROM users WHERE username = p_username));
            INSERT INTO audit_log(pos, at, actor, action, table_name, row_key, prev_hash, hash)
            VALUES (0, now(), '', CASE WHEN p_active THEN 'user_enable' ELSE 'user_disable' END,
                    'users', p_username, '', '');
            IF NOT p_active THEN  -- a disabled user is cut off now, not at their next login
              PERFORM pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE usename = p_username AND pid <> pg_backend_pid();
            END IF;
          END $$""")
    x(f"""CREATE FUNCTION console_grant_role(p_username text, p_role text, p_grant boolean DEFAULT true)
          RETURNS void LANGUAGE plpgsql {definer}
          AS $$
          BEGIN
            PERFORM console_require_admin();
            PERFORM console_is_console_user(p_username);
            PERFORM console_check_role_name(p_role);
            IF p_grant THEN
              EXECUTE format('GRANT %I TO %I', console_role(p_role), p_username);
            ELSE
              EXECUTE format('REVOKE %I FROM %I', console_role(p_role), p_username);
            END IF;
            UPDATE users SET role = left(console_roles_of(p_username), 32)
             WHERE username = p_username;
            PERFORM console_publish('users', p_username,
                                    (SELECT centre_code FROM users WHERE username = p_username));
            INSERT INTO audit_log(pos, at, actor, action, table_name, row_key, details,
                                  prev_hash, hash)
            VALUES (0, now(), '', CASE WHEN p_grant THEN 'role_grant' ELSE 'role_revoke' END,
                    'users', p_username, jsonb_build_object('role', p_role), '', '');
          END $$""")
    x(f"""CREATE FUNCTION console_set_supervision(p_username text, p_centre text, p_on boolean)
          RETURNS void LANGUAGE plpgsql {definer}
          AS $$
          BEGIN
            PERFORM console_require_admin();
            PERFORM console_is_console_user(p_username);
            IF p_on THEN
              INSERT INTO supervisions(username, centre_code) VALUES (p_username, p_centre)
              ON CONFLICT DO NOTHING;
            ELSE
              DELETE FROM supervisions WHERE username = p_username AND centre_code = p_centre;
            END IF;
          END $$""")

    # -- roster tables: secured when they exist (a later revision calls this for new ones) ------
    x("""CREATE FUNCTION console_secure_roster_table(p_table text) RETURNS void
          LANGUAGE plpgsql AS $$
          DECLARE centre_expr text;
          BEGIN
            IF to_regclass(p_table) IS NULL THEN RETURN; END IF;
            IF EXISTS (SELECT 1 FROM information_schema.columns
                        WHERE table_name = p_table AND column_name = 'centre_code') THEN
              centre_expr := 'centre_code';
            ELSIF EXISTS (SELECT 1 FROM information_schema.columns
                           WHERE table_name = p_table AND column_name = 'roster_id') THEN
              centre_expr := 'console_roster_centre(roster_id)';
            ELSIF EXISTS (SELECT 1 FROM information_schema.columns
                           WHERE table_name = p_table AND column_name = 'operator_id') THEN
              centre_expr := 'console_operator_centre(operator_id)';
            ELSE
              RAISE EXCEPTION 'cannot tell the centre of % rows', p_table;
            END IF;
            EXECUTE format('REVOKE ALL ON %I FROM PUBLIC', p_table);
            EXECUTE format('GRANT SELECT ON %I TO %I', p_table, console_role('base'));
            EXECUTE format('GRANT INSERT, UPDATE ON %I TO %I', p_table,
                           console_role('shift_manager'));
            EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', p_table);
            EXECUTE format('DROP POLICY IF EXISTS %I ON %I', p_table || '_read', p_table);
            EXECUTE format('DROP POLICY IF EXISTS %I ON %I', p_table || '_write', p_table);
            EXECUTE format('CREATE POLICY %I ON %I FOR SELECT USING (%s = ANY((SELECT console_visible_centres())::text[]))',
                           p_table || '_read', p_table, centre_expr);
            EXECUTE format('CREATE POLICY %I ON %I FOR ALL USING (%s = ANY((SELECT console_roster_centres())::text[])) WITH CHECK (%s = ANY((SELECT console_roster_centres())::text[]))',
                           p_table || '_write', p_table, centre_expr, centre_expr);
            EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', p_table || '_audit', p_table);
            EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION console_audit_row(%L)',
                           p_table || '_audit', p_table, 'id');
          END $$""")
    x(f"""CREATE FUNCTION console_roster_centre(p_roster uuid) RETURNS text LANGUAGE plpgsql
          STABLE {definer} AS $$
          BEGIN
            IF to_regclass('rosters') IS NULL THEN RETURN NULL; END IF;
            RETURN (SELECT centre_code FROM rosters WHERE id = p_roster);
          END $$""")
    x(f"""CREATE FUNCTION console_operator_centre(p_operator uuid) RETURNS text LANGUAGE plpgsql
          STABLE {definer} AS $$
          BEGIN
            IF to_regclass('roster_operators') IS NULL THEN RETURN NULL; END IF;
            RETURN (SELECT centre_code FROM roster_operators WHERE id = p_operator);
          END $$""")
    x("""DO $$ DECLARE t text; BEGIN
           FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public'
                     AND (tablename LIKE 'roster\\_%' OR tablename = 'rosters') LOOP
             PERFORM console_secure_roster_table(t);
           END LOOP; END $$""")

    # SECURITY DEFINER functions run as the schema owner: only console users may call them.
    x("""DO $$ DECLARE f record; BEGIN
           FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_proc p
                     JOIN pg_namespace n ON n.oid = p.pronamespace
                    WHERE n.nspname = 'public' AND p.proname LIKE 'console\\_%' LOOP
             EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f.sig);
             EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %I', f.sig, console_role('base'));
           END LOOP; END $$""")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        prefix = role_prefix(bind.scalar(sa.text("SELECT current_database()")))
        for table in ("events", "follow_ups", "event_links", "zones", "centres", "users",
                      "venues", "supervisions", "change_feed", "sync_conflicts"):
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
            op.execute(f"""DO $$ DECLARE p record; BEGIN
                 FOR p IN SELECT policyname FROM pg_policies WHERE tablename = '{table}' LOOP
                   EXECUTE format('DROP POLICY %I ON {table}', p.policyname);
                 END LOOP; END $$""")
        for table in ENTITY_AUDITED:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_audit ON {table}")
        op.execute("DROP TABLE audit_log CASCADE")
        op.execute("""DO $$ DECLARE f record; BEGIN
           FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_proc p
                     JOIN pg_namespace n ON n.oid = p.pronamespace
                    WHERE n.nspname = 'public' AND p.proname LIKE 'console\\_%' LOOP
             EXECUTE format('DROP FUNCTION %s CASCADE', f.sig);
           END LOOP; END $$""")
        for role in reversed(GROUP_ROLES):
            op.execute(f'DROP OWNED BY "{prefix}_{role}"')
            op.execute(f'DROP ROLE IF EXISTS "{prefix}_{role}"')
    else:
        op.drop_table('audit_stage')
        op.drop_table('audit_log')
    op.drop_table('supervisions')
