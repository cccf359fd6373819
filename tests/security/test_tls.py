"""TLS to the central database with certificate verification, on a throwaway cluster that
requires TLS and real SCRAM passwords (unlike the shared test server's trust authentication)."""
from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, exc, text
from sync.pg_cluster import Cluster  # tests/sync: initdb + pg_ctl as the postgres OS user

from console.models.migrations import upgrade_central
from console.models.security import pg
from console.models.security.connect import ConnectError, check_tls_options, open_central
from console.models.security.signin import Authenticator, SignInError

PASSWORD = "Tls-Pa55word-41c2"


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def _make_ca(d: Path, name: str) -> None:
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
             f"/CN={name}", "-keyout", f"{name}.key", "-out", f"{name}.pem", cwd=d)


@pytest.fixture(scope="module")
def tls_central(tmp_path_factory):  # noqa: ANN201
    if shutil.which("openssl") is None or not Path("/usr/lib/postgresql/15/bin/initdb").exists():
        pytest.skip("openssl or PostgreSQL server binaries missing")
    d = tmp_path_factory.mktemp("tls")
    _make_ca(d, "ca")
    _make_ca(d, "rogue")
    (d / "san.cnf").write_text("subjectAltName=DNS:localhost\n")
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout",
             "server.key", "-out", "server.csr", cwd=d)
    _openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
             "-CAcreateserial", "-days", "2", "-extfile", "san.cnf", "-out", "server.crt", cwd=d)
    cluster = Cluster()
    try:
        for name in ("server.crt", "server.key"):
            shutil.copy(d / name, cluster.data / name)
            if os.geteuid() == 0:
                shutil.chown(cluster.data / name, "postgres", "postgres")
            os.chmod(cluster.data / name, 0o600)
        with (cluster.data / "postgresql.conf").open("a") as conf:
            conf.write("\nssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n"
                       "password_encryption = 'scram-sha-256'\n")
        (cluster.data / "pg_hba.conf").write_text(
            "local all all trust\n"
            "hostssl all all 127.0.0.1/32 scram-sha-256\n"
            "hostnossl all all 127.0.0.1/32 reject\n")
        cluster.stop()
        cluster.start()
        socket_url = f"postgresql+psycopg://postgres@/postgres?host={cluster.dir}&port={cluster.port}"
        admin = create_engine(socket_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE console"))
        admin.dispose()
        owner = create_engine(socket_url.replace("/postgres?", "/console?"))
        upgrade_central(owner)
        user = f"tls{uuid.uuid4().hex[:6]}"
        with owner.begin() as conn:
            conn.execute(text("INSERT INTO centres (code, name, timezone) VALUES "
                              "('X', 'X', 'Europe/Paris')"))
            pg.create_user(conn, user, "TLS user", "X", "operator", PASSWORD)
        owner.dispose()
        yield d, cluster, user
    finally:
        cluster.destroy()


def _url(cluster, user: str, **query: str) -> str:  # noqa: ANN001
    q = "&".join(f"{k}={v}" for k, v in query.items())
    return f"postgresql+psycopg://{user}@localhost:{cluster.port}/console" + (f"?{q}" if q else "")


def test_verify_full_with_the_right_ca_and_password(tls_central) -> None:
    d, cluster, user = tls_central
    engine = open_central(_url(cluster, user, sslmode="verify-full", sslrootcert=d / "ca.pem"),
                          password=PASSWORD)
    try:
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"))
            assert conn.scalar(text("SELECT session_user")) == user
    finally:
        engine.dispose()


def test_wrong_password_is_refused_by_the_server(tls_central, tmp_path, memory_keyring) -> None:
    d, cluster, user = tls_central
    url = _url(cluster, user, sslmode="verify-full", sslrootcert=d / "ca.pem")
    engine = open_central(url, password="wrong")
    with pytest.raises(exc.OperationalError, match="password authentication failed"):
        engine.connect()
    engine.dispose()
    auth = Authenticator(central_url=url, pending_path=tmp_path / "p.jsonl")
    with pytest.raises(SignInError, match="Wrong user name or password"):
        auth.sign_in(user, "wrong")
    session = auth.sign_in(user, PASSWORD)
    assert session.mode == "online"
    auth.sign_out(session)


def test_untrusted_ca_and_wrong_host_name_are_refused(tls_central) -> None:
    d, cluster, user = tls_central
    for url, reason in (
            (_url(cluster, user, sslmode="verify-full", sslrootcert=d / "rogue.pem"),
             "certificate verify failed"),
            (_url(cluster, user, sslmode="verify-full", sslrootcert=d / "ca.pem")
             .replace("@localhost:", "@127.0.0.1:"), "does not match host name"),
            (_url(cluster, user, sslmode="disable"), "no encryption")):
        engine = open_central(url, password=PASSWORD)
        with pytest.raises(exc.OperationalError, match=reason):
            engine.connect()
        engine.dispose()


def test_tls_options_are_checked_before_connecting(tmp_path) -> None:
    base = "postgresql://u@db.example/console"
    with pytest.raises(ConnectError, match="sslmode must be"):
        check_tls_options(base + "?sslmode=verify")
    with pytest.raises(ConnectError, match="needs sslrootcert"):
        check_tls_options(base + "?sslmode=verify-full")
    with pytest.raises(ConnectError, match="not found"):
        check_tls_options(base + f"?sslmode=verify-full&sslrootcert={tmp_path / 'none.pem'}")
    ca = tmp_path / "ca.pem"
    ca.write_text("x")
    assert check_tls_options(base + f"?sslmode=verify-full&sslrootcert={ca}")["sslmode"] == \
        "verify-full"
