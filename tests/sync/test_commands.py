"""`console init-central` and `console doctor` against a real PostgreSQL."""
from __future__ import annotations

from console.cli import main
from sync.conftest import Workstation


def test_init_central_then_doctor_reports_link_and_queue(pg_url, tmp_path, capsys):
    assert main(["init-central", pg_url]) == 0
    assert main(["init-central", pg_url]) == 0  # idempotent
    from console.models.sync import CentralStore

    central = CentralStore(pg_url)
    ws = Workstation(tmp_path / "local.sqlite3", central)
    ws.write("waiting")
    ws.sync()
    ws.write("still waiting")
    ws.close()
    capsys.readouterr()
    # The test server trusts every login over plain TCP: doctor reports the link and the queue,
    # and fails on authentication and TLS.
    assert main(["--central", pg_url, "doctor", "--local", str(tmp_path / "local.sqlite3")]) == 1
    out = capsys.readouterr().out
    assert "1 change(s) waiting" in out and "LISTEN/NOTIFY round trip" in out
    assert "[FAIL] authentication" in out and "[FAIL] tls" in out and "all good" not in out
    assert "feed at 1" in out
    central.dispose()


def test_doctor_says_when_the_central_is_unreachable(tmp_path, capsys):
    url = "postgresql://postgres@127.0.0.1:1/nowhere"
    assert main(["--central", url, "doctor"]) == 1
    assert "unreachable" in capsys.readouterr().out


def test_init_central_refuses_a_password_in_the_url(capsys):
    assert main(["init-central", "postgresql://u:secret@127.0.0.1/x"]) == 2
    assert "keyring" in capsys.readouterr().err
