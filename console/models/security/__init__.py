"""Access rights and the audit trail: roles, the permission matrix, PostgreSQL users, audit chain."""
from __future__ import annotations

from console.models.security.roles import MATRIX, Action, Role, allowed, require, roles_of, supervised_centres

__all__ = ["MATRIX", "Action", "Role", "allowed", "require", "roles_of", "supervised_centres"]
