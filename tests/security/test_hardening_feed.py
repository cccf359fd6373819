"""Review findings 1, 2 and 4, under real logins: the change feed, SECURITY DEFINER functions,
workstation rows. Each test failed before migration c0005_hardening."""
from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import exc, text

from security.conftest import make_event

BIGINT_MAX = 9223372036854775807
DOCS = Path(__file__).resolve().parents[2] / "docs" / "administration.md"


def _sqlstate(error: exc.DBAPIError) -> str | None:
    return getattr(getattr(error, "orig", None), "sqlstate", None)


def _refused(conn, sql: str, params: dict | None = None) -> exc.DBAPIError:  # noqa: ANN001
    """Run `sql` expecting the database to refuse it; the error, for its message."""
    with pytest.raises(exc.DBAPIError) as raised:
        with conn.begin_nested():
            conn.execute(text(sql), params or {})
    return raised.value


def _push_one_event(db, role: str, centre: str, title: str) -> int:  # noqa: ANN001
    """A real push through the sync code (CentralStore under the login): the feed seq it got."""
    from console.models.entities import Event
    from console.models.records import to_record
    from console.models.sync import CentralStore
    from console.models.sync.messages import Mutation

    login = db.users[(role, centre)]
    central = CentralStore(db.url.replace("postgres@", f"{login}@", 1))
    try:
        with db.owner.connect() as conn:  # a well-formed record, built as the client does
            event_id = make_event(conn, db.centre(centre), login, title)
            row = conn.execute(text("SELECT * FROM events WHERE id = :e"), {"e": event_id}).one()
            conn.rollback()
        values = {k: v.replace(tzinfo=UTC) if isinstance(v, datetime) else v
                  for k, v in row._mapping.items() if k != "pk"}
        record = to_record(Event(**values))
        record["server_seq"] = None
        from console.models.outbox import MUTATION_SCHEMA_VERSION

        mutation = Mutation(uuid.uuid4(), "insert:events", record, MUTATION_SCHEMA_VERSION, login)
        result = central.push(uuid.uuid4(), None, login, [mutation])
        assert result.acks[0].status == "applied", result.acks[0]
        return int(result.acks[0].seq)
    finally:
        central.dispose()


def test_auditor_cannot_poison_the_change_feed(secure_db) -> None:
    """Finding 1: a feed row at the top of bigint broke every later push."""
    db = secure_db
    with db.login(db.users[("auditor", "A")]).connect() as conn:
        error = _refused(conn, "INSERT INTO change_feed (seq, change_id, table_name, row_key, "
                               "centre_code, committed_at) VALUES (:s, gen_random_uuid(), "
                               "'events', 'x', NULL, now())", {"s": BIGINT_MAX})
        assert "change feed" in str(error.orig)
        conn.rollback()
    # The sync push still allocates and writes its feed rows through the same INSERT.
    seq = _push_one_event(db, "operator", "A", "after the attempt")
    assert seq < BIGINT_MAX


def test_feed_rows_are_validated(secure_db) -> None:
    db = secure_db
    event = str(db.events["A"][0])
    with db.owner.connect() as conn:
        top = conn.scalar(text("SELECT coalesce(max(seq), 0) FROM change_feed"))
    insert = ("INSERT INTO change_feed (seq, change_id, table_name, row_key, centre_code, "
              "committed_at) VALUES (:s, gen_random_uuid(), :t, :k, :c, now())")
    with db.login(db.users[("operator", "A")]).connect() as conn:
        cases = [
            ({"s": top + 1, "t": "audit_log", "k": "1", "c": None}, "not a synced table"),
            ({"s": top + 1, "t": "events", "k": "x", "c": db.centre("A")}, "not a valid key"),
            ({"s": top + 1, "t": "events", "k": str(uuid.uuid4()), "c": db.centre("A")},
             "no events row"),
            ({"s": top + 1, "t": "events", "k": event, "c": db.centre("B")}, "centre"),
            ({"s": top + 1, "t": "events", "k": event, "c": None}, "centre"),
            ({"s": top, "t": "events", "k": event, "c": db.centre("A")}, "position"),
            ({"s": top + 10**9, "t": "events", "k": event, "c": db.centre("A")}, "position"),
        ]
        for params, message in cases:
            error = _refused(conn, insert, params)
            assert message in str(error.orig), (params, error)
        for sql in ("UPDATE change_feed SET centre_code = NULL",
                    "DELETE FROM change_feed",
                    "INSERT INTO change_feed_log (seq, change_id, table_name, row_key, "
                    "committed_at) VALUES (1, gen_random_uuid(), 'events', 'x', now())"):
            error = _refused(conn, sql)
            assert _sqlstate(error) in ("42501", "55000"), error
        conn.rollback()


def _definer_functions(conn) -> list[tuple[str, list[str] | None, list[str] | None]]:  # noqa: ANN001
    return conn.execute(text(
        "SELECT p.oid::regprocedure::text, p.proconfig, p.proacl::text[] FROM pg_proc p "
        "JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = 'public' AND p.prosecdef ORDER BY 1")).all()


def test_security_definer_functions_are_pinned_and_documented(secure_db) -> None:
    """Finding 2: every SECURITY DEFINER function has a fixed search_path, no PUBLIC execute,
    and is listed in the administration guide with who may call it."""
    db = secure_db
    docs = DOCS.read_text(encoding="utf-8")
    with db.owner.connect() as conn:
        functions = _definer_functions(conn)
        base = conn.scalar(text("SELECT console_role('base')"))
        publish_for_base = conn.scalar(text(
            "SELECT has_function_privilege(:r, 'console_publish(text,text,text)', 'EXECUTE')"),
            {"r": base})
    assert len(functions) >= 15
    for signature, config, acl in functions:
        assert config and "search_path=pg_catalog, public" in config, signature
        assert acl is not None, f"{signature}: default ACL (PUBLIC may execute)"
        assert not any(entry.startswith("=") for entry in acl), f"{signature}: PUBLIC {acl}"
        name = signature.split("(")[0]
        assert re.search(rf"`{name}\b", docs), f"{name} missing from docs/administration.md"
    assert publish_for_base is False


def test_definer_functions_check_rights_inside(secure_db) -> None:
    db = secure_db
    with db.owner.begin() as conn:  # a closed event of B
        closed_b = make_event(conn, db.centre("B"), "seed", "B closed")
        conn.execute(text("INSERT INTO follow_ups (id, event_id, author, recorded_at, kind, "
                          "text, new_status) VALUES (:id, :e, 'seed', now(), 'status', '', "
                          "'closed')"), {"id": uuid.uuid4(), "e": closed_b})
    admin_b = db.users[("administrator", "B")]
    with db.login(db.users[("auditor", "A")]).connect() as conn:
        error = _refused(conn, "SELECT console_publish('users', :u, NULL)", {"u": admin_b})
        assert _sqlstate(error) == "42501"
        assert conn.scalar(text("SELECT console_roles_of(:u)"), {"u": admin_b}) is None
        assert conn.scalar(text("SELECT console_roles_of(session_user)")) == "auditor"
        assert conn.scalar(text("SELECT console_roster_centre(:r)"),
                           {"r": db.rosters["B"]}) is None
        assert conn.scalar(text("SELECT console_roster_centre(:r)"),
                           {"r": db.rosters["A"]}) == db.centre("A")
        assert conn.scalar(text("SELECT console_event_was_closed(:e)"), {"e": closed_b}) is False
        error = _refused(conn, "SELECT console_is_console_user(:u)", {"u": admin_b})
        assert _sqlstate(error) == "42501"
        conn.rollback()
    with db.login(db.users[("administrator", "A")]).connect() as conn:
        assert conn.scalar(text("SELECT console_roles_of(:u)"), {"u": admin_b}) == "administrator"
    with db.login(db.users[("operator", "B")]).connect() as conn:
        assert conn.scalar(text("SELECT console_event_was_closed(:e)"), {"e": closed_b}) is True


def test_workstation_rows_are_private_to_their_login(secure_db) -> None:
    """Finding 4: push tokens and applied mutations of other logins' workstations."""
    db = secure_db
    _push_one_event(db, "operator", "B", "B's workstation exists")
    auditor = db.users[("auditor", "A")]
    mine = uuid.uuid4()
    with db.login(auditor).connect() as conn:
        conn.execute(text("INSERT INTO sync_clients (client_id, token, username, created_at) "
                          "VALUES (:c, gen_random_uuid(), session_user, now())"), {"c": mine})
        users = set(conn.scalars(text("SELECT username FROM sync_clients")))
        assert users == {auditor}
        hijack = conn.execute(text("UPDATE sync_clients SET token = gen_random_uuid()"))
        assert hijack.rowcount == 1
        error = _refused(conn, "INSERT INTO sync_clients (client_id, token, username, "
                               "created_at) VALUES (gen_random_uuid(), gen_random_uuid(), :u, "
                               "now())", {"u": db.users[("operator", "B")]})
        assert _sqlstate(error) == "42501"
        assert conn.scalar(text("SELECT count(*) FROM applied_mutations")) == 0
        others = "SELECT client_id FROM sync_clients WHERE username <> session_user LIMIT 1"
        with db.owner.connect() as owner:
            other_client = owner.scalar(text(others))
        assert other_client is not None
        for client in (other_client, uuid.uuid4()):
            error = _refused(conn, "INSERT INTO applied_mutations (mutation_id, client_id, kind, "
                                   "status, author, applied_at) VALUES (gen_random_uuid(), :c, "
                                   "'insert:events', 'applied', session_user, now())",
                             {"c": client})
            assert _sqlstate(error) == "42501"
        conn.execute(text("INSERT INTO applied_mutations (mutation_id, client_id, kind, status, "
                          "author, applied_at) VALUES (gen_random_uuid(), :c, 'insert:events', "
                          "'applied', session_user, now())"), {"c": mine})
        conn.rollback()
    with db.owner.connect() as conn:  # the other workstation's token was not touched
        assert conn.scalar(text("SELECT count(*) FROM sync_clients WHERE username = :u"),
                           {"u": auditor}) == 0
