"""Every role x action, run through real PostgreSQL logins: the database itself refuses.

Authentication here is `trust` on 127.0.0.1, so the server does not check passwords: what is
shown is that the ROLE of the login, not anything the client says, decides what RLS lets through.
"""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import exc, text

from console.models.security import pg
from security.conftest import CENTRES, make_event
from security.matrix import cells

REFUSED = "refused"


def _sqlstate(error: exc.DBAPIError) -> str | None:
    return getattr(getattr(error, "orig", None), "sqlstate", None)


def attempt(db, login: str, action: str, centre: str) -> bool:  # noqa: ANN001
    """True if the database let `login` do `action` on `centre` data; always rolled back."""
    engine = db.login(login)
    code = db.centre(centre)
    events = db.events[centre]
    now = datetime.now(UTC).replace(tzinfo=None)
    with engine.connect() as conn:
        trans = conn.begin()
        try:
            if action == "read":
                return conn.scalar(text("SELECT count(*) FROM events WHERE centre_code = :c"),
                                   {"c": code}) > 0
            if action == "create":
                make_event(conn, code, login)
                return True
            if action == "update":
                conn.execute(text(
                    "INSERT INTO follow_ups (id, event_id, author, recorded_at, kind, text) "
                    "VALUES (:id, :e, session_user, :now, 'note', 'seen')"),
                    {"id": uuid.uuid4(), "e": events[0], "now": now})
                return True
            if action == "close":
                conn.execute(text(
                    "INSERT INTO follow_ups (id, event_id, author, recorded_at, kind, text, "
                    "new_status) VALUES (:id, :e, session_user, :now, 'status', '', 'closed')"),
                    {"id": uuid.uuid4(), "e": events[0], "now": now})
                done = conn.execute(text("UPDATE events SET status = 'closed', closed_at = :now "
                                         "WHERE id = :e"), {"e": events[0], "now": now})
                return done.rowcount == 1
            if action == "link":
                conn.execute(text(
                    "INSERT INTO event_links (id, event_id, target_id, kind, author, recorded_at)"
                    " VALUES (:id, :a, :b, 'related_to', session_user, :now)"),
                    {"id": uuid.uuid4(), "a": events[0], "b": events[1], "now": now})
                return True
            if action == "roster_edit":
                done = conn.execute(text("UPDATE rosters SET name = 'edited', version = version + 1"
                                         " WHERE id = :r"), {"r": db.rosters[centre]})
                conn.execute(text(
                    "INSERT INTO rosters (id, version, deleted, centre_code, name, start_day, "
                    "end_day, status, rules, author) VALUES (:id, 1, false, :c, 'Aug', "
                    "'2024-08-01', '2024-09-01', 'draft', '{}', session_user)"),
                    {"id": uuid.uuid4(), "c": code})
                return done.rowcount == 1
            if action == "audit_read":
                conn.scalar(text("SELECT count(*) FROM audit_log"))
                return True
            if action == "audit_write":
                wrote = False
                for sql in ("INSERT INTO audit_log (pos, at, actor, workstation, action, "
                            "prev_hash, hash) VALUES (999999, now(), 'x', '', 'forged', '', '')",
                            "UPDATE audit_log SET actor = 'x'",
                            "DELETE FROM audit_log"):
                    try:
                        with conn.begin_nested():
                            conn.execute(text(sql))
                        wrote = True
                    except exc.DBAPIError as error:
                        assert _sqlstate(error) == "42501", error
                return wrote
            if action == "user_admin":
                try:
                    pg.create_user(conn, f"{db.tid}new_{uuid.uuid4().hex[:6]}", "New", code,
                                   "operator", "pw")
                except pg.AdminError as error:
                    assert "administrator" in str(error), error
                    return False
                return True
            raise AssertionError(action)
        except exc.DBAPIError as error:
            # A refusal is a privilege or policy error (42501), nothing else (a bug would be).
            assert _sqlstate(error) == "42501", f"{action}: unexpected {error}"
            return False
        finally:
            trans.rollback()


CASES = [(c, role, action, target, ok) for c in CENTRES for role, action, target, ok in cells()]


@pytest.mark.parametrize("centre,role,action,target,expected", CASES,
                         ids=[f"{c}-{r}-{a}-{t}" for c, r, a, t, _ in CASES])
def test_role_action_on_postgresql(secure_db, centre, role, action, target, expected) -> None:
    login = secure_db.users[(role, centre)]
    other = next(c for c in CENTRES if c != centre)
    assert attempt(secure_db, login, action, centre if target == "own" else other) is expected


def test_logins_are_distinct_roles_not_superusers(secure_db) -> None:
    with secure_db.login(secure_db.users[("operator", "A")]).connect() as conn:
        row = conn.execute(text("SELECT session_user, rolsuper, rolcreaterole FROM pg_roles "
                                "WHERE rolname = session_user")).one()
    assert row == (secure_db.users[("operator", "A")], False, False)


def test_supervisor_sees_sub_centres_and_supervised_centres(secure_db) -> None:
    sup_a, op_a = secure_db.users[("supervisor", "A")], secure_db.users[("operator", "A")]
    sup_b = secure_db.users[("supervisor", "B")]
    assert attempt(secure_db, sup_a, "read", "A1")      # A1's parent is A
    assert attempt(secure_db, sup_a, "close", "A1")
    assert not attempt(secure_db, op_a, "read", "A1")   # an operator sees their centre only
    assert not attempt(secure_db, sup_b, "read", "A")
    with secure_db.owner.begin() as conn:
        pg.supervise(conn, sup_b, secure_db.centre("A"))
    try:
        assert attempt(secure_db, sup_b, "read", "A")
        assert attempt(secure_db, sup_b, "read", "A1")   # and A's sub-centres
        assert attempt(secure_db, sup_b, "link", "A")
    finally:
        with secure_db.owner.begin() as conn:
            pg.supervise(conn, sup_b, secure_db.centre("A"), on=False)
    assert not attempt(secure_db, sup_b, "read", "A")


def test_operator_cannot_close_by_updating_status_directly(secure_db) -> None:
    login = secure_db.users[("operator", "A")]
    with secure_db.login(login).connect() as conn:
        with pytest.raises(exc.DBAPIError) as raised:
            conn.execute(text("UPDATE events SET status = 'closed' WHERE id = :e"),
                         {"e": secure_db.events["A"][0]})
        assert _sqlstate(raised.value) == "42501"
        conn.rollback()


def test_author_must_be_the_login(secure_db) -> None:
    """An entry cannot be attributed to someone else by a modified client."""
    login = secure_db.users[("operator", "A")]
    with secure_db.login(login).connect() as conn:
        with pytest.raises(exc.DBAPIError) as raised:
            make_event(conn, secure_db.centre("A"), secure_db.users[("supervisor", "A")])
        assert _sqlstate(raised.value) == "42501"
        conn.rollback()


def test_role_not_password_decides(secure_db) -> None:
    """Under trust auth any password is accepted: the role alone carries the rights."""
    op_a = secure_db.users[("operator", "A")]
    url = secure_db.url.replace("postgres@", f"{op_a}:wrong-password@", 1)
    from sqlalchemy import create_engine

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT session_user")) == op_a
            visible = set(conn.scalars(text("SELECT DISTINCT centre_code FROM events")))
        assert visible == {secure_db.centre("A")}
    finally:
        engine.dispose()


def test_disabled_user_cannot_log_in_and_is_audited(secure_db) -> None:
    admin = secure_db.users[("administrator", "A")]
    victim = f"{secure_db.tid}victim"
    with secure_db.login(admin).begin() as conn:
        pg.create_user(conn, victim, "Victim", secure_db.centre("A"), "operator", "pw")
    with secure_db.login(victim).connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM events")) > 0
    with secure_db.login(admin).begin() as conn:
        pg.set_active(conn, victim, False)
        users = {u.username: u for u in pg.list_users(conn)}
    assert users[victim].active is False and users[victim].can_login is False
    with pytest.raises(exc.OperationalError) as raised:
        with secure_db.login(victim).connect():
            pass
    assert "not permitted to log in" in str(raised.value)
    with secure_db.login(secure_db.users[("auditor", "A")]).connect() as conn:
        actions = conn.execute(text("SELECT action, actor FROM audit_log WHERE row_key = :u "
                                    "ORDER BY pos"), {"u": victim}).all()
    assert ("user_add", admin) in actions and ("user_disable", admin) in actions
    with secure_db.login(admin).begin() as conn:
        pg.grant(conn, victim, "supervisor")
        assert {u.username: u for u in pg.list_users(conn)}[victim].roles == "operator,supervisor"


def test_feed_follow_ups_zones_filtered_by_centre(secure_db) -> None:
    """Not only events: the change feed, follow-ups and links of another centre are invisible,
    and a forged feed row for another centre is refused."""
    db = secure_db
    with db.owner.begin() as conn:
        conn.execute(text("INSERT INTO follow_ups (id, event_id, author, recorded_at, kind, text) "
                          "VALUES (:id, :e, 'seed', now(), 'note', 'A only')"),
                     {"id": uuid.uuid4(), "e": db.events["A"][0]})
    from console.models.sync import CentralStore

    CentralStore(db.owner).publish_unfed_rows()
    with db.login(db.users[("operator", "B")]).connect() as conn:
        feed = set(conn.scalars(text("SELECT DISTINCT centre_code FROM change_feed "
                                     "WHERE centre_code IS NOT NULL")))
        notes = conn.scalar(text("SELECT count(*) FROM follow_ups WHERE text = 'A only'"))
        assert feed == {db.centre("B")} and notes == 0
        with pytest.raises(exc.DBAPIError) as raised:
            conn.execute(text("INSERT INTO change_feed (seq, change_id, table_name, row_key, "
                              "centre_code, committed_at) VALUES (999999, :c, 'events', 'x', "
                              ":centre, now())"), {"c": uuid.uuid4(), "centre": db.centre("A")})
        assert _sqlstate(raised.value) == "42501"
        conn.rollback()
    with db.login(db.users[("operator", "A")]).connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM follow_ups WHERE text = 'A only'")) == 1


def test_operator_offers_only_their_own_vacation(secure_db) -> None:
    """roster_swaps: the owner of a vacation may offer it; a shift manager decides."""
    db = secure_db
    op_a, sup_a, op_b = (db.users[(r, c)] for r, c in
                         (("operator", "A"), ("supervisor", "A"), ("operator", "B")))
    operator_id, assignment_id = uuid.uuid4(), uuid.uuid4()
    with db.owner.begin() as conn:
        conn.execute(text(
            "INSERT INTO roster_operators (id, version, deleted, centre_code, username, "
            "display_name, team, contract_minutes, qualifications) VALUES (:id, 1, false, :c, "
            ":u, 'Op A', '', 2100, '')"), {"id": operator_id, "c": db.centre("A"), "u": op_a})
        conn.execute(text(
            "INSERT INTO roster_assignments (id, version, deleted, roster_id, operator_id, "
            "desk_id, template_id, day, starts_at, ends_at, fixed, author, updated_at) VALUES "
            "(:id, 1, false, :r, :o, :d, :t, '2024-07-26', '2024-07-26 05:00', "
            "'2024-07-26 13:00', false, 'seed', now())"),
            {"id": assignment_id, "r": db.rosters["A"], "o": operator_id, "d": uuid.uuid4(),
             "t": uuid.uuid4()})

    def offer(login: str) -> bool:
        with db.login(login).connect() as conn:
            try:
                conn.execute(text(
                    "INSERT INTO roster_swaps (id, version, deleted, roster_id, assignment_id, "
                    "to_operator_id, status, reason, requested_by, requested_at, decision_note) "
                    "VALUES (:id, 1, false, :r, :a, :to, 'pending', 'family', session_user, "
                    "now(), '')"), {"id": uuid.uuid4(), "r": db.rosters["A"],
                                     "a": assignment_id, "to": uuid.uuid4()})
                conn.commit()
                return True
            except exc.DBAPIError as error:
                assert _sqlstate(error) == "42501", error
                return False

    assert offer(op_a)
    assert not offer(sup_a)   # not their vacation
    assert not offer(op_b)    # not their vacation, not their centre
    with db.login(db.users[("shift_manager", "A")]).begin() as conn:
        decided = conn.execute(text("UPDATE roster_swaps SET status = 'approved', "
                                    "decided_by = session_user WHERE requested_by = :u"),
                               {"u": op_a})
        assert decided.rowcount == 1
    with db.login(op_a).connect() as conn:  # the operator cannot approve it themselves
        with pytest.raises(exc.DBAPIError) as raised:
            conn.execute(text("UPDATE roster_swaps SET status = 'approved'"))
        assert _sqlstate(raised.value) == "42501"
        conn.rollback()
