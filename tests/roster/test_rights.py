"""One roster-rights check: console.models.security.roles.may_edit_roster (MATRIX[ROSTER_EDIT]),
used by the roster pane, the embedded access policy and (once switched) the roster service."""
from __future__ import annotations

import itertools

import pytest

from console.models.actor import Actor
from console.models.outbox import NotAllowed
from console.models.roster import service
from console.models.security.roles import (
    MATRIX,
    Action,
    Role,
    may_edit_roster,
    require_roster_edit,
    roles_of,
)
from roster.conftest import MANAGER, OPERATOR

# Every single role, every pair, and role fields the rule must read the same way.
ROLE_FIELDS = ([r.value for r in Role]
               + [f"{a.value},{b.value}" for a, b in itertools.combinations(Role, 2)]
               + ["", "unknown", " shift_manager ", "operator, shift_manager"])
SUPERVISORS_EDIT = {Role.SUPERVISOR: "own"}  # a different rule, to see who follows it

def _actor(role: str, centre: str = "CNCS") -> Actor:
    return Actor(username="someone", centre_code=centre, role=role)


@pytest.mark.parametrize("role", ROLE_FIELDS)
def test_the_rule_is_the_matrix(role):
    editors = set(MATRIX[Action.ROSTER_EDIT])
    expected = bool(roles_of(role) & editors)
    actor = _actor(role)
    assert may_edit_roster(actor) is expected
    assert may_edit_roster(actor, "CNCS") is expected
    assert may_edit_roster(actor, "PP") is False  # only one's own centre's roster
    if expected:
        require_roster_edit(actor, "CNCS")
    with pytest.raises(NotAllowed, match="only a shift manager may change the roster of centre PP"):
        require_roster_edit(actor, "PP")


@pytest.mark.parametrize("role", ROLE_FIELDS)
def test_the_service_agrees(role):
    assert service.is_manager(_actor(role)) is may_edit_roster(_actor(role))


def test_the_pane_enables_editing_by_the_rule(qtbot, seeded, monkeypatch):
    from console.views.roster.pane import RosterPane
    from console.views.shell.context import AppContext, ChangeHub

    store, _ids = seeded

    def editable(actor: Actor) -> bool:
        pane = RosterPane(AppContext(store, actor, ChangeHub()))
        qtbot.addWidget(pane)
        return pane.is_manager and pane.desk_box.isEnabled()

    assert editable(MANAGER) and not editable(OPERATOR)
    supervisor = Actor("demo.supervisor", "CNCS", "supervisor")
    monkeypatch.setitem(MATRIX, Action.ROSTER_EDIT, SUPERVISORS_EDIT)
    assert editable(supervisor) and not editable(MANAGER)


def test_the_service_follows_the_rule(monkeypatch):
    monkeypatch.setitem(MATRIX, Action.ROSTER_EDIT, SUPERVISORS_EDIT)
    service.require_manager(_actor("supervisor"))


def test_a_manager_with_two_roles_may_offer_a_colleagues_vacation(seeded):
    store, ids = seeded
    roster = service.RosterService(store)
    snap = roster.snapshot(ids["CNCS"])
    camille = next(o for o in snap.operators if o.username == "demo.operator")
    theirs = next(s for s in snap.shifts.values() if s.operator == camille.id)
    other = next(o for o in snap.operators if o.id != camille.id)
    manager = Actor("demo.manager", "CNCS", "operator,shift_manager")
    assert may_edit_roster(manager)
    roster.request_swap(manager, theirs.key, other.id)  # the service reads role == "shift_manager"
