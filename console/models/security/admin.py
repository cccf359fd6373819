"""What the admin dialog and the audit pane call: users and the audit trail of the signed-in session.

Online, every call runs under the user's own login, so the database decides (an operator who
opens these gets the server's refusal); embedded, the access policy decides.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.models.entities import Centre, User
from console.models.security import audit, embedded, pg
from console.models.security.roles import Action
from console.models.security.signin import SignedIn


@dataclass
class UserInfo:
    username: str
    display_name: str
    centre_code: str
    roles: str
    active: bool


class UserDirectory:
    def __init__(self, session: SignedIn) -> None:
        if session.engine is None:
            raise pg.AdminError("user administration needs the central database (offline now)")
        self.session = session
        self.engine = session.engine
        self.online = session.mode == "online"

    def users(self) -> list[UserInfo]:
        if self.online:
            with self.engine.connect() as conn:
                return [UserInfo(u.username, u.display_name, u.centre_code, u.roles,
                                 u.active and u.can_login) for u in pg.list_users(conn)]
        self.session.policy.require(self.session.actor, Action.USER_ADMIN)
        with Session(self.engine) as s:
            return [UserInfo(u.username, u.display_name, u.centre_code, u.role, u.active)
                    for u in s.scalars(select(User).order_by(User.centre_code, User.username))]

    def centres(self) -> list[str]:
        with Session(self.engine) as s:
            return list(s.scalars(select(Centre.code).order_by(Centre.code)))

    def add(self, username: str, display_name: str, centre: str, role: str,
            password: str | None) -> None:
        if self.online:
            with self.engine.begin() as conn:
                pg.create_user(conn, username, display_name, centre, role, password)
            return
        with Session(self.engine) as s, s.begin():
            embedded.create_user(self.session.policy, self.session.actor, s, username,
                                 display_name, centre, role)

    def set_active(self, username: str, active: bool) -> None:
        if self.online:
            with self.engine.begin() as conn:
                pg.set_active(conn, username, active)
            return
        self.session.policy.require(self.session.actor, Action.USER_ADMIN)
        with Session(self.engine) as s, s.begin():
            user = s.get(User, username)
            if user is None:
                raise pg.AdminError(f"no user named {username}")
            user.active = active
            audit.append(s.connection(), "user_enable" if active else "user_disable",
                         actor=self.session.actor.username, table_name="users", row_key=username)

    def grant(self, username: str, role: str, on: bool = True) -> None:
        if self.online:
            with self.engine.begin() as conn:
                pg.grant(conn, username, role, on)
            return
        self.session.policy.require(self.session.actor, Action.USER_ADMIN)
        with Session(self.engine) as s, s.begin():
            user = s.get(User, username)
            if user is None:
                raise pg.AdminError(f"no user named {username}")
            roles = {r for r in user.role.split(",") if r}
            roles = roles | {role} if on else roles - {role}
            user.role = ",".join(sorted(roles))[:32]
            audit.append(s.connection(), "role_grant" if on else "role_revoke",
                         actor=self.session.actor.username, table_name="users", row_key=username,
                         details={"role": role})


class AuditReader:
    def __init__(self, session: SignedIn) -> None:
        if session.engine is None:
            raise pg.AdminError("the audit trail is in the central database (offline now)")
        self.session = session

    def search(self, query: audit.AuditQuery) -> list[audit.AuditRecord]:
        with self.session.engine.connect() as conn:  # type: ignore[union-attr]
            if self.session.mode == "online":
                return audit.search(conn, query)  # the database checks the auditor role
            return embedded.read_audit(self.session.policy, self.session.actor, conn, query)

    def verify(self) -> audit.Verdict:
        with self.session.engine.connect() as conn:  # type: ignore[union-attr]
            if self.session.mode != "online":
                self.session.policy.require(self.session.actor, Action.AUDIT_READ)
            return audit.verify(conn)
