"""The permission matrix applied by the application, for the embedded SQLite central (no logins).

PostgreSQL enforces the rules itself; the demo's embedded central is a file in the same process,
so here the application checks them before it writes, and the sync engine pulls only the
centres the user may see (so the local cache holds nothing else). Set `EventLog.access` to an
`AccessPolicy` at sign-in to turn the checks on.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session

from console.models.actor import Actor
from console.models.entities import User
from console.models.security import audit
from console.models.security.roles import (
    Action,
    Role,
    allowed,
    require,
    require_roster_edit,
    roles_of,
    supervised_centres,
)


@dataclass(frozen=True)
class AccessPolicy:
    """What one signed-in actor may do: the matrix plus the centres they see."""

    actor: Actor
    centres: frozenset[str]

    @classmethod
    def for_actor(cls, session: Session, actor: Actor) -> AccessPolicy:
        return cls(actor, frozenset(supervised_centres(session, actor)))

    def allowed(self, actor: Actor, action: Action, centre: str | None = None) -> bool:
        return allowed(actor, action, centre, supervised=self.centres)

    def require(self, actor: Actor, action: Action, centre: str | None = None) -> None:
        require(actor, action, centre, supervised=self.centres)

    def require_all(self, actor: Actor, action: Action, centres: Iterable[str | None]) -> None:
        for centre in centres:
            self.require(actor, action, centre)

    # -- roster ---------------------------------------------------------------------------------

    def roster_centre(self, session: Session, record: dict[str, Any]) -> str | None:
        """The centre a roster row belongs to: its own, its roster's, or its operator's."""
        from console.models.roster.tables import Operator, Roster

        if record.get("centre_code"):
            return str(record["centre_code"])
        for key, table in (("roster_id", Roster.__tablename__),
                           ("operator_id", Operator.__tablename__)):
            if record.get(key):
                centre = session.scalar(text(f"SELECT centre_code FROM {table} WHERE id = :i"),
                                        {"i": uuid.UUID(str(record[key])).hex})
                return None if centre is None else str(centre)
        return None

    def check_roster_edit(self, session: Session, actor: Actor, record: dict[str, Any]) -> None:
        """Call before `console.models.outbox.put_row` on a roster table (embedded mode)."""
        require_roster_edit(actor, self.roster_centre(session, record) or "?",
                            supervised=self.centres)


def actor_from_users(session: Session, username: str, workstation: str = "") -> Actor | None:
    """The actor of an active user of the (embedded or local) users table."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        return None
    return Actor(username=user.username, centre_code=user.centre_code, role=user.role,
                 display_name=user.display_name, workstation=workstation)


def read_audit(policy: AccessPolicy, actor: Actor, conn: Connection,
               query: audit.AuditQuery) -> list[audit.AuditRecord]:
    policy.require(actor, Action.AUDIT_READ)
    return audit.search(conn, query)


def create_user(policy: AccessPolicy, actor: Actor, session: Session, username: str,
                display_name: str, centre: str, role: Role | str) -> User:
    """Embedded mode: an administrator adds a user row (there are no database logins)."""
    from console.models.entities import Centre
    from console.models.security.pg import AdminError, check_text, check_username

    policy.require(actor, Action.USER_ADMIN)
    check_username(username)
    check_text("display name", display_name, 200)
    if not roles_of(str(role)):
        raise AdminError(f"unknown role {str(role)[:40]!r}")
    if session.get(Centre, centre) is None:
        raise AdminError(f"unknown centre {centre[:40]!r}")
    if session.get(User, username) is not None:
        raise AdminError(f"a user named {username} already exists")
    user = User(username=username, display_name=display_name, centre_code=centre,
                role=str(role), active=True)
    session.add(user)
    session.flush()
    audit.append(session.connection(), "user_add", actor=actor.username,
                 workstation=actor.workstation, table_name="users", row_key=username,
                 details={"centre": centre, "role": str(role)})
    return user
