"""As a real login: the reads and a supervisor's discard are audit actions the server accepts,
chained by the server (author and time are its own); anything else is still refused."""
from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from console.models.security import audit


@pytest.mark.parametrize("role", ["operator", "supervisor", "auditor"])
def test_reads_and_discards_are_accepted_and_chained(secure_db, role):
    login = secure_db.users[(role, "A")]
    with secure_db.login(login).begin() as conn:
        access = audit.append(conn, "access", actor="ignored", details={"access": "search",
                                                                         "text": "Trocadéro"})
        discard = audit.append(conn, "discard_refused", actor="ignored",
                               details={"count": 1, "changes": ["insert:events x"]})
        with pytest.raises(DBAPIError, match="unknown audit action"), conn.begin_nested():
            audit.append(conn, "rewrite_history", actor="ignored")
    with secure_db.owner.connect() as conn:
        rows = conn.execute(text("SELECT pos, actor, action FROM audit_log WHERE pos IN (:a, :d) "
                                 "ORDER BY pos"), {"a": access, "d": discard}).all()
    assert [(r.action, r.actor) for r in rows] == [("access", login), ("discard_refused", login)]
