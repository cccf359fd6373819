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
        diag = getattr(getattr(error, "orig", None), "diag", None)
        message = getattr(diag, "message_primary", None) or str(error.orig or error)
        raise AdminError(message) from error


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
