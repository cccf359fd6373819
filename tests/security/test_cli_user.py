"""`console user ...` against the central database, as an administrator and as an operator."""
from __future__ import annotations

import io

from console.cli import main


def _url(db, login: str) -> str:  # noqa: ANN001
    return db.url.replace("postgres@", f"{login}@", 1)


def test_user_commands(secure_db, monkeypatch, capsys) -> None:
    db = secure_db
    admin = _url(db, db.users[("administrator", "A")])
    name = f"{db.tid}cli"
    monkeypatch.setattr("sys.stdin", io.StringIO("a password\n"))
    assert main(["--central", admin, "user", "add", name, "--centre", db.centre("B"),
                 "--role", "operator", "--display-name", "Léa O'Brien", "--password-stdin"]) == 0
    assert main(["--central", admin, "user", "grant", name, "auditor"]) == 0
    assert main(["--central", admin, "user", "disable", name]) == 0
    assert main(["--central", admin, "user", "list"]) == 0
    out = capsys.readouterr().out
    line = next(row for row in out.splitlines() if row.startswith(name + "\t"))
    assert line.split("\t")[1:] == [db.centre("B"), "auditor,operator", "disabled", "Léa O'Brien"]
    operator = _url(db, db.users[("operator", "A")])
    assert main(["--central", operator, "user", "enable", name]) == 1
    err = capsys.readouterr().err
    assert "refused: only an administrator manages users" in err
    assert main(["--central", admin, "user", "add", "Robert'); DROP TABLE users;--",
                 "--centre", db.centre("A"), "--no-password"]) == 1
    assert "invalid user name" in capsys.readouterr().err
