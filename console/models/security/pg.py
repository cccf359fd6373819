"""User administration on the central PostgreSQL: every console user is a login role.

Creating, disabling and granting go through SECURITY DEFINER functions of migration
c0003_security (CREATE ROLE ... LOGIN, ALTER ROLE ... NOLOGIN, GRANT <group role>), which check
that the caller is an administrator: administrators need no CREATEROLE attribute of their own.
The password never travels in clear: libpq computes the SCRAM-SHA-256 verifier here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, text

from console.models.security.roles import Role

USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,62}$")
GROUP_SUFFIXES = ("base", "operator", "supervisor", "shift_manager", "auditor", "administrator")
# The groups each group role belongs to (migration c0003_security grants exactly these).
GROUP_PARENTS = {"base": set(), "operator": {"base"}, "supervisor": {"base", "operator"},
                 "shift_manager": {"base"}, "auditor": {"base"}, "administrator": {"base"}}


class AdminError(Exception):
    """A user-administration request the database refused, with its message."""


class GroupRoleError(RuntimeError):
    """A role named like one of this database's group roles is not one init-central may reuse."""


def role_prefix(database: str) -> str:
    return re.sub(r"[^a-z0-9_]", "_", database.lower())[:40]


def group_role(conn: Connection, role: Role | str) -> str:
    return str(conn.scalar(text("SELECT console_role(:r)"), {"r": str(role)}))


def scram_verifier(conn: Connection, username: str, password: str) -> str:
    """SCRAM-SHA-256 verifier of `password`, computed client-side by libpq."""
    raw = conn.connection.dbapi_connection  # psycopg.Connection
    pgconn = raw.pgconn  # type: ignore[union-attr]
    verifier: bytes = pgconn.encrypt_password(password.encode("utf-8"), username.encode("utf-8"),
                                              b"scram-sha-256")
    return verifier.decode("ascii")


def check_text(name: str, value: str | None, limit: int) -> None:
    """Refuse, with a message, what PostgreSQL could not store verbatim."""
    if value is None:
        return
    if len(value) > limit:
        raise AdminError(f"{name} is too long ({len(value)} characters, at most {limit})")
    if "\x00" in value:
        raise AdminError(f"{name} contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise AdminError(f"{name} contains invalid Unicode") from None


def _call(conn: Connection, sql: str, params: dict[str, Any]) -> None:
    from sqlalchemy import exc

    for key, value in params.items():
        if isinstance(value, str):
            check_text(key, value, 20_000)
    try:
        with conn.begin_nested():
            conn.execute(text(sql), params)
    except exc.DBAPIError as error:
        raise AdminError(_message(error)) from error


def _message(error: BaseException) -> str:
    """The database's own one-line message (without SQL, parameters or a traceback)."""
    orig = getattr(error, "orig", None) or error
    diag = getattr(orig, "diag", None)
    return getattr(diag, "message_primary", None) or str(orig).splitlines()[0]


def check_username(username: str) -> None:
    if not USERNAME.match(username or ""):
        raise AdminError("invalid user name: 2-63 characters, lower-case letters, digits, . _ or -, "
                         "starting with a letter")
    if any(username.endswith("_" + suffix) for suffix in GROUP_SUFFIXES):
        # Roles are cluster-wide: such a login could squat the groups of a later database.
        raise AdminError(f"invalid user name {username}: names ending in "
                         + ", ".join("_" + s for s in GROUP_SUFFIXES)
                         + " are reserved for group roles")


def create_user(conn: Connection, username: str, display_name: str, centre: str,
                role: Role | str, password: str | None) -> None:
    check_username(username)
    check_text("display name", display_name, 200)
    check_text("password", password, 1024)
    verifier = scram_verifier(conn, username, password) if password else None
    _call(conn, "SELECT console_create_user(:u, :d, :c, :r, :v)",
          {"u": username, "d": display_name, "c": centre, "r": str(role), "v": verifier})


def set_active(conn: Connection, username: str, active: bool) -> None:
    _call(conn, "SELECT console_set_user_active(:u, :a)", {"u": username, "a": active})


def grant(conn: Connection, username: str, role: Role | str, on: bool = True) -> None:
    _call(conn, "SELECT console_grant_role(:u, :r, :g)", {"u": username, "r": str(role), "g": on})


def supervise(conn: Connection, username: str, centre: str, on: bool = True) -> None:
    _call(conn, "SELECT console_set_supervision(:u, :c, :o)",
          {"u": username, "c": centre, "o": on})


CENTRE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def check_centre(code: str, name: str, timezone: str) -> None:
    """Refuse, with a message an administrator can act on, a centre the console cannot use."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not CENTRE_CODE.match(code or ""):
        raise AdminError(f"invalid centre code {code!r}: 1-32 characters, unaccented letters, "
                         "digits, . _ or -, starting with a letter or digit")
    check_text("centre name", name, 200)
    if not (name or "").strip():
        raise AdminError("the centre needs a name (--name)")
    if any(ch < " " or ch == "\x7f" for ch in name) or BIDI_CONTROLS.search(name):
        raise AdminError("the centre name contains control or text-direction characters")
    try:
        if not timezone or timezone != timezone.strip() or len(timezone) > 64:
            raise ValueError(timezone)
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise AdminError(f"unknown time zone {timezone!r}: give an IANA name such as "
                         "Europe/Paris or America/Cayenne") from None


def _check_new_centre(conn: Connection, code: str, parent: str | None) -> None:
    same = conn.scalar(text("SELECT code FROM centres WHERE lower(code) = lower(:c)"), {"c": code})
    if same is not None:
        raise AdminError(f"a centre with code {same} already exists" if same == code else
                         f"centre code {code} differs only by case from the existing {same}")
    if parent is not None and conn.scalar(
            text("SELECT count(*) FROM centres WHERE code = :p"), {"p": parent}) == 0:
        raise AdminError(f"unknown parent centre {parent}")


def add_centre(conn: Connection, code: str, name: str, timezone: str,
               parent: str | None = None) -> int:
    """A new centre, as an administrator, published in the change feed; its feed position.

    The row goes through the change feed like any synced row, with no centre of its own (as
    `centres` is readable by every login): every workstation pulls it before the users and
    events that refer to it, so a first pull never meets an unknown centre. The centres table's
    audit trigger records the insert under the administrator's login.
    """
    check_centre(code, name, timezone)
    if not conn.scalar(text("SELECT console_has('administrator')")):
        raise AdminError("only an administrator manages centres")
    _check_new_centre(conn, code, parent)
    params = {"c": code, "n": name, "t": timezone, "p": parent}
    _call(conn, "INSERT INTO centres (code, name, timezone, parent_code) "
                "VALUES (:c, :n, :t, :p)", params)
    try:
        with conn.begin_nested():
            seq = int(conn.scalar(text(
                "INSERT INTO change_feed (table_name, row_key, centre_code) "
                "VALUES ('centres', :c, NULL) RETURNING seq"), params))
            conn.execute(text("UPDATE centres SET server_seq = :s WHERE code = :c"),
                         {"s": seq, "c": code})
    except Exception as error:  # noqa: BLE001 - said as the database said it
        raise AdminError(_message(error)) from error
    _notify(conn, seq)
    return seq


def _notify(conn: Connection, seq: int) -> None:
    from console.models.sync.messages import NOTIFY_CHANNEL

    conn.execute(text("SELECT pg_notify(:c, :p)"), {"c": NOTIFY_CHANNEL, "p": str(seq)})


def _require_owner(conn: Connection) -> None:
    if not conn.scalar(text("SELECT pg_has_role(session_user, (SELECT relowner FROM pg_class "
                            "WHERE oid = 'users'::regclass), 'MEMBER')")):
        raise AdminError("only the owner of the console schema (the role that runs "
                         "init-central) makes the first administrator")


def owner_add_centre(conn: Connection, code: str, name: str, timezone: str) -> bool:
    """The first administrator's centre, made by the schema owner at init-central when missing
    (True if made). Published in the feed at once, audited as the owner's insert."""
    check_centre(code, name, timezone)
    _require_owner(conn)
    if conn.scalar(text("SELECT count(*) FROM centres WHERE code = :c"), {"c": code}):
        return False
    _check_new_centre(conn, code, None)
    _call(conn, "INSERT INTO centres (code, name, timezone) VALUES (:c, :n, :t)",
          {"c": code, "n": name, "t": timezone})
    _call(conn, "SELECT console_publish('centres', :c, NULL)", {"c": code})
    return True


def first_administrator(conn: Connection, username: str, display_name: str, centre: str,
                        password: str | None) -> str:
    """Make `username` an administrator of this database, as the schema owner; what was done.

    The owner is no console user (no group role of its own), so console_create_user, which
    asks for an administrator, would refuse it: this is the one way to the first one. It runs
    what that function runs, with the owner's CREATEROLE: a new login role, or an existing
    console user of this database granted the administrator role; any other existing role is
    refused (roles are cluster-wide: it may be someone else's).
    """
    check_username(username)
    check_text("display name", display_name, 200)
    check_text("password", password, 1024)
    _require_owner(conn)
    role = conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = :u"),
                        {"u": username}).first()
    if role is not None:
        return _grant_administrator(conn, username, bool(role.rolsuper))
    if not conn.scalar(text("SELECT count(*) FROM centres WHERE code = :c"), {"c": centre}):
        raise AdminError(f"unknown centre {centre}")
    verifier = scram_verifier(conn, username, password) if password else None
    for statement in (
            "SELECT format('CREATE ROLE %I LOGIN', CAST(:u AS text))",
            "SELECT CASE WHEN CAST(:v AS text) IS NOT NULL THEN "
            "format('ALTER ROLE %I PASSWORD %L', CAST(:u AS text), CAST(:v AS text)) END",
            "SELECT format('GRANT %I, %I TO %I', console_role('base'), "
            "console_role('administrator'), CAST(:u AS text))"):
        ddl = conn.scalar(text(statement), {"u": username, "v": verifier})
        if ddl:
            _call(conn, ddl.replace(":", "\\:"), {})
    _call(conn, "INSERT INTO users (username, display_name, centre_code, role, active) "
                "VALUES (:u, :d, :c, 'administrator', true)",
          {"u": username, "d": display_name or username, "c": centre})
    _publish_user(conn, username, "user_add", {"centre": centre, "role": "administrator",
                                               "first_administrator": True})
    return f"first administrator {username} created (centre {centre})"


def _grant_administrator(conn: Connection, username: str, superuser: bool) -> str:
    """The administrator role for an existing console user of this database (and no other)."""
    is_user = conn.scalar(text(
        "SELECT EXISTS (SELECT 1 FROM users WHERE username = :u) "
        "AND pg_has_role(:u, console_role('base'), 'MEMBER')"), {"u": username})
    if superuser or not is_user:
        raise AdminError(f"a database role named {username} exists and is not a console "
                         "user of this database: choose another name for the first "
                         "administrator")
    if "administrator" in _direct_roles(conn, username).split(","):
        return f"{username} is already an administrator"
    _call(conn, conn.scalar(text("SELECT format('GRANT %I TO %I', "
                                 "console_role('administrator'), CAST(:u AS text))"), {"u": username}), {})
    _call(conn, "UPDATE users SET role = :r WHERE username = :u",
          {"u": username, "r": _direct_roles(conn, username)[:32]})
    _publish_user(conn, username, "role_grant", {"role": "administrator"})
    return f"granted administrator to {username}"


def _direct_roles(conn: Connection, username: str) -> str:
    """Roles granted to `username` (console_roles_of answers administrators only, not the owner)."""
    return str(conn.scalar(text(
        "SELECT coalesce(string_agg(r, ',' ORDER BY r), '') FROM unnest(ARRAY['operator', "
        "'supervisor', 'shift_manager', 'auditor', 'administrator']) AS r "
        "WHERE EXISTS (SELECT 1 FROM pg_auth_members m "
        "JOIN pg_roles g ON g.oid = m.roleid AND g.rolname = console_role(r) "
        "JOIN pg_roles u ON u.oid = m.member AND u.rolname = :u)"), {"u": username}))


def _publish_user(conn: Connection, username: str, action: str, details: dict[str, Any]) -> None:
    import json

    _call(conn, "SELECT console_publish('users', :u, "
                "(SELECT centre_code FROM users WHERE username = :u))", {"u": username})
    _call(conn, "INSERT INTO audit_log (pos, at, actor, action, table_name, row_key, details, "
                "prev_hash, hash) VALUES (0, now(), '', :a, 'users', :u, "
                "CAST(:d AS jsonb), '', '')", {"a": action, "u": username, "d": json.dumps(details)})


@dataclass
class UserRow:
    username: str
    display_name: str
    centre_code: str
    roles: str
    active: bool
    can_login: bool


def list_users(conn: Connection) -> list[UserRow]:
    rows = conn.execute(text(
        "SELECT u.username, u.display_name, u.centre_code, console_roles_of(u.username), "
        "u.active, coalesce(r.rolcanlogin, false) FROM users u "
        "LEFT JOIN pg_roles r ON r.rolname = u.username ORDER BY u.centre_code, u.username"))
    return [UserRow(*row) for row in rows]


def drop_console_roles(admin: Engine, database: str) -> list[str]:
    """Drop the group roles of a dropped console database (tests; decommissioning)."""
    prefix = role_prefix(database)
    dropped = []
    with admin.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        names = conn.scalars(text("SELECT rolname FROM pg_roles WHERE rolname LIKE :p"),
                             {"p": prefix.replace("_", r"\_") + r"\_%"}).all()
        for name in names:
            conn.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
            dropped.append(name)
    return dropped


def drop_orphan_roles(admin: Engine) -> list[str]:
    """Drop console group roles whose database is gone (roles outlive DROP DATABASE)."""
    dropped = []
    with admin.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        prefixes = {role_prefix(d) for d in conn.scalars(text("SELECT datname FROM pg_database"))}
        for name, can_login in conn.execute(text("SELECT rolname, rolcanlogin FROM pg_roles")):
            suffix = next((s for s in GROUP_SUFFIXES if name.endswith("_" + s)), None)
            if suffix is None or can_login or name[: -len(suffix) - 1] in prefixes:
                continue
            try:
                conn.execute(text(f'DROP ROLE "{name}"'))
                dropped.append(name)
            except Exception:  # noqa: BLE001 - still referenced by a copy of its database
                continue
    return dropped


def check_group_roles(conn: Connection) -> list[str]:
    """Why this database's existing group roles may not be reused ([] when all are sound).

    Roles are cluster-wide: a role named `<database>_<group>` may have been made before this
    database by someone else (another database's administrator, with `console user add`). A
    reusable group role cannot log in, has no attribute beyond NOLOGIN, belongs only to its
    expected groups of this database, and nobody holds ADMIN OPTION on it.
    """
    prefix = role_prefix(str(conn.scalar(text("SELECT current_database()"))))
    problems = []
    for suffix in GROUP_SUFFIXES:
        name = f"{prefix}_{suffix}"
        row = conn.execute(text(
            "SELECT r.rolcanlogin, r.rolsuper OR r.rolcreaterole OR r.rolcreatedb "
            "OR r.rolreplication OR r.rolbypassrls, "
            "ARRAY(SELECT g.rolname::text FROM pg_auth_members m JOIN pg_roles g "
            "      ON g.oid = m.roleid WHERE m.member = r.oid), "
            "ARRAY(SELECT a.rolname::text FROM pg_auth_members m JOIN pg_roles a "
            "      ON a.oid = m.member WHERE m.roleid = r.oid AND m.admin_option "
            "      AND NOT a.rolsuper AND a.rolname NOT IN (current_user, session_user)) "
            "FROM pg_roles r WHERE r.rolname = :n"), {"n": name}).first()
        if row is None:
            continue
        can_login, attributes, member_of, admins = row
        expected = {f"{prefix}_{parent}" for parent in GROUP_PARENTS[suffix]}
        if can_login:
            problems.append(f"{name} can log in (a group role is NOLOGIN)")
        elif attributes:
            problems.append(f"{name} has role attributes (superuser, createrole, ...)")
        elif not set(member_of) <= expected:
            problems.append(f"{name} belongs to unexpected roles: "
                            + ", ".join(sorted(set(member_of) - expected)))
        elif admins:
            problems.append(f"{name} is administered by {', '.join(sorted(admins))}")
    if problems:
        problems.append("drop or rename these roles (DROP ROLE), then run init-central again")
    return problems
