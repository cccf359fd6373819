"""Shared test set-up: headless Qt, an isolated data directory, throwaway PostgreSQL databases."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")

# The map's console-map:// scheme must be known to Chromium before pytest-qt creates the app.
from console.views.map.scheme import register_scheme  # noqa: E402

register_scheme()

PG_ADMIN_URL = os.environ.get("CONSOLE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path, monkeypatch) -> Iterator[None]:
    """Every test gets its own user data dir and QSettings, never the developer's."""
    monkeypatch.setenv("CONSOLE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    yield


@pytest.fixture(autouse=True)
def gc_on_the_gui_thread() -> Iterator[None]:
    """As in the application (console.views.shell.gui_gc): once Qt runs, cycles are collected on
    the main thread only, so a worker thread never destroys a widget."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        from console.views.shell import gui_gc

        gui_gc.install(app)
    yield
    import gc

    gc.collect()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """URL of a fresh, empty PostgreSQL database, dropped after the test."""
    from sqlalchemy import create_engine, text

    name = f"console_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        _drop_console_roles(admin, name)
        admin.dispose()


def _drop_console_roles(admin, name: str) -> None:  # noqa: ANN001
    """The central migration creates cluster-wide group roles named after the database."""
    try:
        from console.models.security.pg import drop_console_roles

        drop_console_roles(admin, name)
    except Exception:  # noqa: BLE001 - cleaning up must never fail a test
        pass


@pytest.fixture(scope="session", autouse=True)
def _release_web_pages_before_qt_goes() -> Iterator[None]:
    """The test process ends cleanly: map pages, then their profile, are freed while Qt is up."""
    yield
    from console.views.map import web

    if web._instance is not None:
        web._instance.shutdown()


@pytest.fixture(scope="session", autouse=True)
def _sweep_orphan_console_roles() -> Iterator[None]:
    """Group roles of test databases dropped without the fixture above (templates, benchmarks)."""
    yield
    try:
        from sqlalchemy import create_engine

        from console.models.security.pg import drop_orphan_roles

        admin = create_engine(PG_ADMIN_URL)
        drop_orphan_roles(admin)
        admin.dispose()
    except Exception:  # noqa: BLE001
        pass
