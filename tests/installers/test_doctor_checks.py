"""`console doctor`: workstation checks against a reachable and an unreachable central database,
damaged local stores and tile caches, and a bad configuration."""
from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys

import pytest

from console.cli import doctor_checks
from console.cli.doctor_checks import Check


def closed_port() -> int:
    """A local port nobody listens on (bound then released: the OS will refuse connections)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def by_name(checks: list[Check], name: str) -> list[Check]:
    found = [c for c in checks if c.name == name]
    assert found, f"no {name!r} check in {[c.name for c in checks]}"
    return found


def test_reachable_central_reports_latency(pg_url):
    checks = doctor_checks.central_checks(pg_url, round_trips=3)
    reach, = by_name(checks, "central reach")
    latency, = by_name(checks, "central latency")
    assert reach.ok and "PostgreSQL" in reach.detail
    assert latency.ok and "over 3 round trips" in latency.detail
    assert doctor_checks.print_checks(checks) == 0


def test_unreachable_central_fails_with_advice(capsys):
    url = f"postgresql://postgres@127.0.0.1:{closed_port()}/postgres"
    checks = doctor_checks.central_checks(url, timeout_s=2)
    reach, = by_name(checks, "central reach")
    assert not reach.ok
    assert "refused" in reach.detail.lower()
    assert "is PostgreSQL running" in reach.fix
    assert doctor_checks.print_checks(checks) == 1
    assert "[FAIL] central reach" in capsys.readouterr().out


def test_missing_database_is_named(pg_url):
    url = pg_url.rsplit("/", 1)[0] + "/console_no_such_database"
    reach, = doctor_checks.central_checks(url, timeout_s=2)
    assert not reach.ok and "init-central" in reach.fix


def test_password_in_url_and_garbage_url_are_refused():
    with_password, = [c for c in doctor_checks.configuration_checks(
        "postgresql://u:secret@db.example/console") if c.name == "configuration"]
    assert not with_password.ok and "keyring" in with_password.fix
    assert "secret" not in with_password.detail
    garbage, = [c for c in doctor_checks.configuration_checks("not a url at all")
                if c.name == "configuration"]
    assert not garbage.ok


def test_embedded_demo_needs_no_network():
    reach, = doctor_checks.central_checks(None)
    assert reach.ok and "embedded" in reach.detail


def test_local_store_quick_check(tmp_path):
    from console.models.store import LocalStore

    good = tmp_path / "local.sqlite3"
    LocalStore(good).close()
    check, = doctor_checks.local_store_checks([good])
    assert check.ok and "integrity ok" in check.detail and "schema current" in check.detail

    damaged = tmp_path / "local-damaged.sqlite3"
    data = bytearray(good.read_bytes())
    page = 4096
    # Scribble over every page after the first: the header stays valid, the b-trees do not.
    for offset in range(page, len(data), page):
        data[offset:offset + 64] = b"\xff" * 64
    damaged.write_bytes(bytes(data))
    check, = doctor_checks.local_store_checks([damaged])
    assert not check.ok and "move" in check.fix

    not_sqlite = tmp_path / "local-text.sqlite3"
    not_sqlite.write_text("this is not a database" * 100)
    check, = doctor_checks.local_store_checks([not_sqlite])
    assert not check.ok


def test_local_store_from_a_newer_console_is_flagged(tmp_path):
    from console.models.store import LocalStore

    path = tmp_path / "local.sqlite3"
    LocalStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO alembic_version VALUES ('9999_future')")
    check, = doctor_checks.local_store_checks([path])
    assert not check.ok and "newer console" in check.detail


def test_tile_cache(tmp_path):
    from console.models.map.tiles import MBTiles

    missing, = doctor_checks.tile_cache_checks(tmp_path / "none.mbtiles")
    assert missing.ok and missing.warning and "prefetch" in missing.fix
    path = tmp_path / "tiles.mbtiles"
    cache = MBTiles(path)
    cache.put(12, 2074, 1409, b"\x89PNG fake")
    cache.put(13, 4148, 2818, b"\x89PNG fake")
    ok, = doctor_checks.tile_cache_checks(path)
    assert ok.ok and not ok.warning and "2 tiles" in ok.detail and "zooms 12-13" in ok.detail
    broken = tmp_path / "broken.mbtiles"
    broken.write_bytes(b"garbage" * 1000)
    bad, = doctor_checks.tile_cache_checks(broken)
    assert not bad.ok and "delete" in bad.fix


def test_basemap(tmp_path):
    shipped, = doctor_checks.basemap_checks()
    assert shipped.ok and not shipped.warning and "zooms 5-15" in shipped.detail
    missing, = doctor_checks.basemap_checks(tmp_path / "none.mbtiles")
    assert missing.ok and missing.warning and "grey" in missing.detail
    broken = tmp_path / "broken.mbtiles"
    broken.write_bytes(b"garbage" * 1000)
    bad, = doctor_checks.basemap_checks(broken)
    assert bad.warning and "not available" in bad.detail


def test_keyring_check_names_the_backend():
    checks = doctor_checks.keyring_checks("postgresql://postgres@127.0.0.1/postgres")
    assert by_name(checks, "keyring")[0].detail.startswith(("backend", "no usable backend"))


@pytest.mark.parametrize("reachable", [True, False])
def test_console_doctor_command(pg_url, reachable, tmp_path):
    """The whole command, as a technician runs it: exit 0 when the central answers, 1 if not."""
    env = dict(__import__("os").environ.items())
    if reachable:
        url = pg_url
        init = subprocess.run([sys.executable, "-m", "console.cli", "init-central", url],
                              capture_output=True, text=True, env=env, timeout=120)
        assert init.returncode == 0, init.stderr
    else:
        url = f"postgresql://postgres@127.0.0.1:{closed_port()}/postgres"
    env["CONSOLE_CENTRAL"] = url
    proc = subprocess.run([sys.executable, "-m", "console.cli", "doctor"], capture_output=True,
                          text=True, env=env, timeout=120)
    out = proc.stdout
    # The configuration and keyring checks run too (they were defined but never called).
    assert "data directory" in out and "keyring:" in out
    if reachable:
        # The test server trusts every login and speaks plain TCP: doctor must fail on both.
        assert proc.returncode == 1, out + proc.stderr
        assert "[ok] central" in out
        assert "[FAIL] authentication" in out and "wrong password" in out
        assert "[FAIL] tls" in out and "all good" not in out
    else:
        assert proc.returncode == 1, out + proc.stderr
        assert "[FAIL] central" in out and "unreachable" in out


def test_trust_authentication_is_detected(pg_url):
    tls, auth = doctor_checks.security_checks(pg_url)
    assert not auth.ok and "accepted" in auth.detail and "scram-sha-256" in auth.fix
    assert not tls.ok and "verify-full" in tls.fix


def test_a_refused_wrong_password_passes():
    from console.models.security.posture import authentication_finding

    # No such role: the server refuses the login whatever the password.
    url = "postgresql://console_no_such_role_x9@127.0.0.1:5432/postgres"
    assert authentication_finding(url).ok


@pytest.mark.parametrize(("query", "ok"), [
    ("", False), ("?sslmode=disable", False), ("?sslmode=prefer", False),
    ("?sslmode=require", False), ("?sslmode=verify-ca&sslrootcert=system", False),
    ("?sslmode=verify-full&sslrootcert=system", True)])
def test_sslmode_weaker_than_verify_full_fails(query, ok, monkeypatch):
    from console.models.security.posture import tls_finding

    monkeypatch.delenv("PGSSLMODE", raising=False)
    assert tls_finding(f"postgresql://u@db.example:5432/console{query}").ok is ok


def test_an_insecure_keyring_fails_and_no_keyring_warns():
    import keyring
    from keyring.backend import KeyringBackend
    from keyring.backends.fail import Keyring as NoKeyring

    class LowPriority(KeyringBackend):
        priority = 0.5  # type: ignore[assignment]

        def get_password(self, service, username):  # noqa: ANN001, ANN201
            return None

        def set_password(self, service, username, password):  # noqa: ANN001, ANN201
            raise AssertionError("doctor must not write")

        def delete_password(self, service, username):  # noqa: ANN001, ANN201
            return None

    previous = keyring.get_keyring()
    try:
        keyring.set_keyring(LowPriority())
        check, = doctor_checks.keyring_checks("postgresql://u@db.example/console")
        assert not check.ok and "priority 0.5 < 1" in check.detail
        assert doctor_checks.print_checks([check]) == 1
        keyring.set_keyring(NoKeyring())
        check, = doctor_checks.keyring_checks("postgresql://u@db.example/console")
        assert check.ok and check.warning
    finally:
        keyring.set_keyring(previous)
