"""The literal role x action table both the PostgreSQL and the embedded tests check against.

Written by hand, not derived from console.models.security.MATRIX, so that a wrong matrix in the
code fails the tests instead of agreeing with itself. "own" = data of the user's centre,
"other" = the other centre (not supervised by anyone in these tests).
"""
from __future__ import annotations

ROLES = ("operator", "supervisor", "shift_manager", "auditor", "administrator")
ACTIONS = ("read", "create", "update", "close", "link", "roster_edit", "audit_read",
           "audit_write", "user_admin")
CENTRE_BOUND = {"read", "create", "update", "close", "link", "roster_edit"}

ALLOWED_OWN = {
    #               read  create update close  link   roster audit_r audit_w admin
    "operator":      (1,    1,     1,     0,     0,     0,     0,      0,      0),
    "supervisor":    (1,    1,     1,     1,     1,     0,     0,      0,      0),
    "shift_manager": (1,    0,     0,     0,     0,     1,     0,      0,      0),
    "auditor":       (1,    0,     0,     0,     0,     0,     1,      0,      0),
    "administrator": (1,    0,     0,     0,     0,     0,     0,      0,      1),
}


def cells() -> list[tuple[str, str, str, bool]]:
    """(role, action, target, allowed) for target in own/other (centre-bound actions only)."""
    result = []
    for role in ROLES:
        for action, flag in zip(ACTIONS, ALLOWED_OWN[role], strict=True):
            result.append((role, action, "own", bool(flag)))
            if action in CENTRE_BOUND:
                result.append((role, action, "other", False))
    return result
