"""pgaudit, the server-side complement of the console's trail: reads made outside the console.

The console traces its own reads (sign-in, searches, opened entries, exports, reports, audit
queries). Someone who logs in with psql, or any other client, bypasses it: only the server can
record that. With pgaudit preloaded and `pgaudit.log = 'read, write, role, ddl'`, every SELECT
by a login role is written to the server log. This test starts its own cluster (the shared
server is left alone) and checks that a SELECT by a login role is logged.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

LIB = Path("/usr/lib/postgresql/15/lib/pgaudit.so")
PACKAGE = "postgresql-15-pgaudit"
SETTINGS = ("shared_preload_libraries = 'pgaudit'\n"
            "pgaudit.log = 'read, write, role, ddl'\n"
            "pgaudit.log_relation = on\n"
            "pgaudit.log_parameter = off\n")  # the statement, not the values bound to it


def _pgaudit_available() -> bool:
    """Installed, or installable here (root with Debian's package in reach): then install it."""
    if LIB.exists():
        return True
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return False
    policy = subprocess.run(["apt-cache", "policy", PACKAGE], capture_output=True, text=True)
    if "Candidate:" not in policy.stdout or "Candidate: (none)" in policy.stdout:
        return False
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", PACKAGE],
                   capture_output=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
                   timeout=300)
    return LIB.exists()


@pytest.fixture(scope="module")
def audited_cluster():  # noqa: ANN201
    if not _pgaudit_available():
        pytest.skip(f"pgaudit is not installed and {PACKAGE} cannot be installed here")
    from sync.pg_cluster import Cluster

    cluster = Cluster()
    try:
        cluster.stop()
        with (cluster.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(SETTINGS)
        cluster.start()
        yield cluster
    finally:
        cluster.destroy()


def _log(cluster) -> str:  # noqa: ANN001
    return (cluster.dir / "log").read_text(encoding="utf-8", errors="replace")


def test_a_select_by_a_login_role_is_in_the_server_log(audited_cluster) -> None:
    admin = create_engine(audited_cluster.url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pgaudit"))
        assert conn.scalar(text("SHOW pgaudit.log")) == "read, write, role, ddl"
        conn.execute(text("CREATE TABLE audit_probe_events (id int, title text)"))
        conn.execute(text("INSERT INTO audit_probe_events VALUES (1, 'secret title')"))
        conn.execute(text("CREATE ROLE probe_reader LOGIN"))
        conn.execute(text("GRANT SELECT ON audit_probe_events TO probe_reader"))
    admin.dispose()
    reader = create_engine(audited_cluster.url.replace("postgres@", "probe_reader@", 1),
                           poolclass=NullPool)
    with reader.connect() as conn:
        assert conn.scalar(text("SELECT title FROM audit_probe_events WHERE id = 1")) == \
            "secret title"
    reader.dispose()
    log = _log(audited_cluster)
    reads = [line for line in log.splitlines()
             if "AUDIT: SESSION" in line and ",READ,SELECT," in line
             and "audit_probe_events" in line]
    assert reads, log[-3000:]
    assert any("WHERE id = 1" in line for line in reads)  # the statement is logged as sent
    # The other classes asked for: role changes, DDL and writes are in the log too.
    assert ",ROLE,GRANT," in log and ",DDL,CREATE TABLE," in log and ",WRITE,INSERT," in log


def test_without_pgaudit_nothing_is_logged(audited_cluster) -> None:
    """The control: a SELECT on a cluster without pgaudit leaves no AUDIT line, so
    the line above comes from pgaudit and not from statement logging."""
    from sync.pg_cluster import Cluster

    plain = Cluster()
    try:
        engine = create_engine(plain.url, poolclass=NullPool)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1 FROM pg_class LIMIT 1"))
        engine.dispose()
        assert "AUDIT:" not in _log(plain)
    finally:
        plain.destroy()
