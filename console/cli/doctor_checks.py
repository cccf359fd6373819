"""Workstation checks of `console doctor`: configuration, keyring, tile cache, local store, central.

Each check says what it found and, when something is wrong, what to do about it, in words a
workstation technician can act on. No Qt widgets; safe to run with no display. The link and queue
checks (feed position, LISTEN/NOTIFY, refused changes) live in console/cli/commands/doctor.py.
"""
from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

LATENCY_WARN_MS = 200.0  # beyond this the log still works, but pushes feel slow
ROUND_TRIPS = 5


@dataclass
class Check:
    """Same fields as console.cli.commands.doctor.Check (name, ok, detail), plus the advice."""

    name: str
    ok: bool
    detail: str
    fix: str = ""
    warning: bool = False  # ok, but worth a look

    def line(self) -> str:
        mark = "FAIL" if not self.ok else ("warn" if self.warning else "ok")
        text = f"[{mark}] {self.name}: {self.detail}"
        return text + (f"\n       -> {self.fix}" if self.fix else "")


# -- configuration -------------------------------------------------------------------------------

def configuration_checks(central_url: str | None = None) -> list[Check]:
    """The data directory is writable and the configured central URL makes sense."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from console.config import data_dir
    from console.views.shell import preferences

    checks: list[Check] = []
    try:
        folder = data_dir()
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
            pass
        checks.append(Check("data directory", True, f"{folder} (writable)"))
    except OSError as error:
        checks.append(Check("data directory", False, f"not writable: {error}",
                            fix="give the user write access to it, or start with --data-dir DIR"))
    setup = preferences.load()
    url = preferences.effective_central_url(central_url)
    if url is None:
        mode = "embedded demo" if setup.mode == "demo" else "not configured (embedded demo)"
        checks.append(Check("configuration", True, f"mode: {mode}",
                            warning=not setup.configured,
                            fix="" if setup.configured else
                            "start the console once to run the first-run wizard, or pass "
                            "--central URL"))
        return checks
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        checks.append(Check("configuration", False, f"central URL {url!r} is not a database URL "
                            f"({error})", fix="write it as postgresql://user@host:5432/database "
                            "in Settings or with --central"))
        return checks
    if parsed.password:
        checks.append(Check("configuration", False, "the central URL contains a password",
                            fix="remove it from the URL and store it in the keyring: "
                            "console init-central --store-password"))
    elif parsed.get_backend_name() not in ("postgresql", "sqlite"):
        checks.append(Check("configuration", False, f"unsupported database {parsed.drivername!r}",
                            fix="the central database is PostgreSQL (postgresql://...)"))
    else:
        where = setup.centre or "?"
        checks.append(Check("configuration", True,
                            f"central {parsed.render_as_string()}; centre {where}; "
                            f"user {setup.user or '?'}"))
    return checks


# -- keyring -------------------------------------------------------------------------------------

def keyring_checks(central_url: str | None = None) -> list[Check]:
    """A usable keyring backend, and a password stored for the central URL if it needs one."""
    from console.views.shell import preferences
    url = preferences.effective_central_url(central_url)
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
    except Exception as error:  # noqa: BLE001 - a broken keyring install is the finding
        return [Check("keyring", False, f"cannot load keyring: {error}",
                      fix="reinstall the console (the keyring package is missing)")]
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    priority = getattr(backend, "priority", 0)
    from console.models.security.credentials import insecure_reason

    reason = insecure_reason(backend)
    if isinstance(backend, fail.Keyring):
        # No keyring at all keeps no secret anywhere: safe, but the password is asked for at
        # each sign-in and offline sign-in is impossible.
        return [Check("keyring", True, f"no usable backend ({name})", warning=True,
                      fix="install and unlock a keyring (GNOME Keyring / KWallet on Linux, "
                      "Windows Credential Manager): without it passwords are asked for each "
                      "time and offline sign-in is impossible")]
    if reason:
        return [Check("keyring", False, f"{reason}: refused, nothing is stored in it",
                      fix="uninstall keyrings.alt (or the insecure backend) and use the system "
                      "keyring; remove its file (e.g. ~/.local/share/python_keyring/"
                      "keyring_pass.cfg), which may still hold passwords")]
    checks = [Check("keyring", True, f"backend {name} (priority {priority})")]
    if url and not url.startswith("sqlite"):
        from console.models.security.credentials import account_for, get_password

        stored = get_password(url) is not None
        checks.append(Check("password", True,
                            f"{'stored' if stored else 'none stored'} for {account_for(url)}",
                            warning=not stored,
                            fix="" if stored else "fine for trust or certificate login; "
                            "otherwise: console init-central --store-password"))
    return checks


# -- tile cache ----------------------------------------------------------------------------------

def tile_cache_checks(path: Path | None = None) -> list[Check]:
    """The offline map background: present, readable, how many tiles at which zooms."""
    from console.models.map.tiles import default_cache_path, tile_url_from_env

    path = path or default_cache_path()
    source = tile_url_from_env()
    feed = f"fed from {source}" if source else "no tile server (CONSOLE_TILE_URL): cache only"
    if not path.exists():
        return [Check("tile cache", True, f"none yet at {path}; {feed}", warning=True,
                      fix="for streets, import the centre's tiles (console tiles import "
                      "FILE.mbtiles) or prefetch the event's area before going offline: console "
                      "tiles prefetch --bbox 2.22,48.81,2.47,48.91 --zooms 10-15 --url URL")]
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as db:
            integrity = db.execute("PRAGMA quick_check").fetchone()[0]
            rows = db.execute("SELECT zoom_level, COUNT(*) FROM tiles GROUP BY zoom_level "
                              "ORDER BY zoom_level").fetchall()
    except sqlite3.DatabaseError as error:
        return [Check("tile cache", False, f"{path} unreadable: {error}",
                      fix=f"delete {path} and prefetch the area again")]
    if integrity != "ok":
        return [Check("tile cache", False, f"{path} damaged: {integrity}",
                      fix=f"delete {path} and prefetch the area again")]
    total = sum(count for _, count in rows)
    size_mb = path.stat().st_size / 1e6
    zooms = f"zooms {rows[0][0]}-{rows[-1][0]}" if rows else "no zoom"
    return [Check("tile cache", True, f"{total} tiles ({zooms}, {size_mb:.1f} MB); {feed}",
                  warning=total == 0,
                  fix="" if total else "the cache is empty: console tiles prefetch ...")]


def basemap_checks(path: Path | None = None) -> list[Check]:
    """The shipped basemap under the cache: present and readable, or the map is grey where the
    cache has no tile."""
    from console.models.map.basemap import ReadOnlyTiles, shipped_basemap_path

    path = path or shipped_basemap_path()
    try:
        basemap = ReadOnlyTiles(path)
        try:
            meta = basemap.metadata()
            count = basemap.count()
        finally:
            basemap.close()
    except (FileNotFoundError, sqlite3.DatabaseError) as error:
        return [Check("basemap", True, f"not available ({error}): the map is grey wherever the "
                      "tile cache has no tile", warning=True,
                      fix="reinstall the console (resources/basemap/basemap.mbtiles)")]
    return [Check("basemap", True, f"{count:,} tiles, zooms {meta.get('minzoom')}-"
                  f"{meta.get('maxzoom')}, {path.stat().st_size / 1e6:.1f} MB ({path})")]


# -- local store ---------------------------------------------------------------------------------

def local_store_checks(paths: list[Path] | None = None) -> list[Check]:
    """Each local cache passes SQLite's quick_check and is at this console's schema."""
    from console.config import data_dir

    if paths is None:
        paths = sorted(data_dir().glob("local*.sqlite3"))
    if not paths:
        return [Check("local store", True, f"none yet in {data_dir()} (created at first start)")]
    heads = _local_heads()
    checks = []
    for path in paths:
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as db:
                started = time.perf_counter()
                result = [row[0] for row in db.execute("PRAGMA quick_check").fetchall()]
                seconds = time.perf_counter() - started
                try:
                    revisions = {row[0] for row in db.execute("SELECT version_num FROM alembic_version")}
                except sqlite3.DatabaseError:
                    revisions = set()
        except sqlite3.DatabaseError as error:
            checks.append(Check("local store", False, f"{path.name}: unreadable ({error})",
                                fix=_rebuild_advice(path)))
            continue
        if result != ["ok"]:
            checks.append(Check("local store", False,
                                f"{path.name}: damaged ({'; '.join(result[:3])})",
                                fix=_rebuild_advice(path)))
            continue
        size_mb = path.stat().st_size / 1e6
        detail = f"{path.name}: integrity ok in {seconds:.2f} s, {size_mb:.1f} MB"
        if heads and revisions != heads:
            missing = sorted(heads - revisions)
            unknown = sorted(revisions - heads)
            if unknown:
                checks.append(Check("local store", False, f"{detail}; written by a newer console "
                                    f"(revision {', '.join(unknown)})",
                                    fix="install the newer console again, or move this file "
                                    "away so a fresh cache is pulled"))
                continue
            checks.append(Check("local store", True, f"{detail}; schema will be upgraded at the "
                                f"next start ({', '.join(missing)})", warning=True))
            continue
        checks.append(Check("local store", True, detail + "; schema current"))
    return checks


def _local_heads() -> set[str]:
    try:
        from alembic.script import ScriptDirectory

        from console.models.migrations import HERE

        return set(ScriptDirectory(str(HERE / "local")).get_heads())
    except Exception:  # noqa: BLE001 - the schema comparison is a bonus, not the check
        return set()


def _rebuild_advice(path: Path) -> str:
    return (f"close the console, move {path} aside (keep it for the changes still waiting) and "
            "start again: a fresh cache is pulled from the central database; `console doctor` "
            "on the old file lists what had not been sent")


# -- central database ----------------------------------------------------------------------------

def central_checks(central_url: str | None = None, *, round_trips: int = ROUND_TRIPS,
                   timeout_s: int = 5) -> list[Check]:
    """Can we reach the central database, and how long does a round trip take?"""
    from console.views.shell import preferences
    url = preferences.effective_central_url(central_url)
    if url is None:
        return [Check("central reach", True, "embedded demo central: nothing to reach")]
    if url.startswith("sqlite"):
        return [Check("central reach", True, f"embedded central {url}")]
    from sqlalchemy import text

    from console.models.central_db import central_engine
    from console.models.security.credentials import get_password

    engine = central_engine(url, password=get_password(url),
                            connect_args={"connect_timeout": timeout_s}, pool_size=1,
                            max_overflow=0, pool_pre_ping=False)
    try:
        started = time.perf_counter()
        try:
            with engine.connect() as conn:
                connect_ms = (time.perf_counter() - started) * 1000
                times = []
                for _ in range(max(1, round_trips)):
                    t0 = time.perf_counter()
                    conn.execute(text("SELECT 1"))
                    times.append((time.perf_counter() - t0) * 1000)
                version = conn.execute(text("SHOW server_version")).scalar()
        except Exception as error:  # noqa: BLE001 - the cause is the finding
            message = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
            return [Check("central reach", False, f"{_safe(url)} unreachable: {message}",
                          fix=_reach_advice(message))]
    finally:
        engine.dispose()
    median = statistics.median(times)
    slow = median > LATENCY_WARN_MS
    return [
        Check("central reach", True, f"{_safe(url)} (PostgreSQL {version}) connected in "
              f"{connect_ms:.0f} ms"),
        Check("central latency", True,
              f"median {median:.1f} ms, max {max(times):.1f} ms over {len(times)} round trips",
              warning=slow, fix="a slow link: the console works, changes arrive later; check "
              "the VPN or network path" if slow else ""),
    ]


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _reach_advice(message: str) -> str:
    lower = message.lower()
    if "password authentication failed" in lower or "no password supplied" in lower:
        return "store the right password in the keyring: console init-central --store-password"
    if "does not exist" in lower and "database" in lower:
        return "check the database name in the URL, then: console init-central URL"
    if "refused" in lower:
        return "nothing listens at that host and port: is PostgreSQL running, is the port right, " \
               "does a firewall reject it?"
    if "timeout" in lower or "timed out" in lower:
        return "no answer: check the network, VPN and firewall between this workstation and " \
               "the server"
    if "could not translate host name" in lower or "name or service not known" in lower:
        return "the host name does not resolve: check the URL or the DNS"
    if "ssl" in lower or "certificate" in lower:
        return "TLS problem: check sslmode and the server certificate in the URL"
    return "check the URL in Settings (or --central) and that the server accepts this workstation"


# -- security posture of the central ------------------------------------------------------------

def security_checks(central_url: str | None = None, *, timeout_s: int = 5) -> list[Check]:
    """Authentication (a wrong password must be refused) and TLS (sslmode=verify-full)."""
    from console.models.security.posture import authentication_finding, tls_finding
    from console.views.shell import preferences

    url = preferences.effective_central_url(central_url)
    if url is None or url.startswith("sqlite"):
        return [Check("authentication", True, "embedded central: no server to log in to")]
    checks = []
    for name, finding in (("tls", tls_finding(url)),
                          ("authentication", authentication_finding(url, timeout_s=timeout_s))):
        checks.append(Check(name, finding.ok, finding.detail, fix=finding.fix))
    return checks


# -- all of them ---------------------------------------------------------------------------------

def workstation_checks(central_url: str | None = None,
                       local_paths: list[Path] | None = None) -> list[Check]:
    """The checks that need no network: configuration, keyring, local stores, tile cache."""
    checks = configuration_checks(central_url) + keyring_checks(central_url)
    return checks + local_store_checks(local_paths) + tile_cache_checks() + basemap_checks()


def system_checks(central_url: str | None = None, *, network: bool = True,
                  local_paths: list[Path] | None = None) -> list[Check]:
    """Every workstation check, in the order a technician would fix them."""
    checks = workstation_checks(central_url, local_paths)
    if network:
        checks += central_checks(central_url) + security_checks(central_url)
    return checks


def print_checks(checks: list[Check]) -> int:
    """Print them; 1 if any failed."""
    for check in checks:
        print(check.line())
    failed = sum(not c.ok for c in checks)
    return 1 if failed else 0


__all__ = ["Check", "system_checks", "print_checks", "configuration_checks", "keyring_checks",
           "tile_cache_checks", "basemap_checks", "local_store_checks", "central_checks", "security_checks",
           "workstation_checks"]
