"""Roles, actions and the permission matrix PostgreSQL enforces, applied by the app in embedded mode.

The central PostgreSQL database enforces these rules itself (grants and row-level security of
migration c0003_security); the embedded SQLite central of the demo has no logins, so the
application checks the same matrix before it writes. Keep both in step: tests/security runs one
literal role x action table against each.
"""
from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.models.actor import Actor
from console.models.entities import Centre
from console.models.outbox import NotAllowed


class Role(StrEnum):
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    SHIFT_MANAGER = "shift_manager"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"


class Action(StrEnum):
    READ = "read"                  # see the events of a centre
    CREATE = "create"              # write an event, a zone
    UPDATE = "update"              # add a follow-up (note, correction, acknowledgement)
    CLOSE = "close"                # close an event (status follow-up 'closed')
    LINK = "link"                  # link two events
    ROSTER_EDIT = "roster_edit"    # edit the vacation roster
    AUDIT_READ = "audit_read"      # read the audit trail
    AUDIT_WRITE = "audit_write"    # write the audit trail directly: nobody, ever
    USER_ADMIN = "user_admin"      # create, disable, grant users; edit centres


# Which roles may do what, and on which centres: "own" = the user's centre, "supervised" = the
# centres a supervisor oversees (own + sub-centres + supervisions), "any" = not centre-bound.
MATRIX: dict[Action, dict[Role, str]] = {
    Action.READ: {Role.OPERATOR: "own", Role.SUPERVISOR: "supervised",
                  Role.SHIFT_MANAGER: "own", Role.AUDITOR: "own", Role.ADMINISTRATOR: "own"},
    Action.CREATE: {Role.OPERATOR: "own", Role.SUPERVISOR: "supervised"},
    Action.UPDATE: {Role.OPERATOR: "own", Role.SUPERVISOR: "supervised"},
    Action.CLOSE: {Role.SUPERVISOR: "supervised"},
    Action.LINK: {Role.SUPERVISOR: "supervised"},
    Action.ROSTER_EDIT: {Role.SHIFT_MANAGER: "own"},
    Action.AUDIT_READ: {Role.AUDITOR: "any"},
    Action.AUDIT_WRITE: {},
    Action.USER_ADMIN: {Role.ADMINISTRATOR: "any"},
}


def roles_of(actor: Actor | str) -> frozenset[Role]:
    """The roles in an actor's comma-separated role field; unknown names are ignored."""
    text = actor.role if isinstance(actor, Actor) else actor
    known = {r.value for r in Role}
    return frozenset(Role(r.strip()) for r in (text or "").split(",") if r.strip() in known)


def supervised_centres(session: Session, actor: Actor) -> set[str]:
    """Own centre plus, for a supervisor, every sub-centre and supervised centre (transitively)."""
    centres = {actor.centre_code}
    if Role.SUPERVISOR not in roles_of(actor):
        return centres
    from console.models.security.tables import supervisions

    roots = set(centres)
    try:
        roots |= set(session.scalars(select(supervisions.c.centre_code).where(
            supervisions.c.username == actor.username)))
    except Exception:  # noqa: BLE001 - a local cache has no supervisions table
        pass
    children: dict[str | None, list[str]] = {}
    for code, parent in session.execute(select(Centre.code, Centre.parent_code)):
        children.setdefault(parent, []).append(code)
    todo, seen = list(roots), set()
    while todo:
        code = todo.pop()
        if code in seen:
            continue
        seen.add(code)
        todo.extend(children.get(code, []))
    return seen


def allowed(actor: Actor, action: Action, centre: str | None = None, *,
            supervised: Iterable[str] | None = None) -> bool:
    """May `actor` do `action` on data of `centre`? `supervised` = supervised_centres(...)."""
    for role in roles_of(actor):
        scope = MATRIX[action].get(role)
        if scope is None:
            continue
        if scope == "any" or centre is None:
            return True
        if scope == "own" and centre == actor.centre_code:
            return True
        if scope == "supervised" and centre in set(supervised or {actor.centre_code}):
            return True
    return False


def require(actor: Actor, action: Action, centre: str | None = None, *,
            supervised: Iterable[str] | None = None) -> None:
    if not allowed(actor, action, centre, supervised=supervised):
        where = f" for centre {centre}" if centre else ""
        raise NotAllowed(f"{actor.username} ({actor.role}) may not {action.value.replace('_', ' ')}"
                         f"{where}")


# -- roster -----------------------------------------------------------------------------------

def may_edit_roster(actor: Actor, centre: str | None = None, *,
                    supervised: Iterable[str] | None = None) -> bool:
    """The one roster-rights rule (MATRIX[ROSTER_EDIT]: a shift manager, on their own centre's
    roster), the one the central database's policies apply. `centre=None` asks whether the
    actor edits rosters at all: what the roster pane enables and the roster service requires."""
    return allowed(actor, Action.ROSTER_EDIT, centre, supervised=supervised)


def require_roster_edit(actor: Actor, centre: str | None = None, *,
                        supervised: Iterable[str] | None = None) -> None:
    """NotAllowed unless may_edit_roster."""
    if not may_edit_roster(actor, centre, supervised=supervised):
        where = f" of centre {centre}" if centre else ""
        raise NotAllowed(f"only a shift manager may change the roster{where} "
                         f"({actor.username} is {actor.role or 'no role'})")
