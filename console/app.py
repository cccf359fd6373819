"""Start-up of the desktop application: Qt set-up, the local store, the demo or central link."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from .config import APP_NAME, APP_ORG, embedded_central_path, local_store_path
from .models.actor import Actor
from .models.store import LocalStore

DEMO_ACTOR = Actor(username="demo.operator", centre_code="CNCS", role="operator",
                   display_name="Camille Martin")


def prepare_qt_environment() -> None:
    """Settings that must exist before the QApplication: web engine flags, URL schemes."""
    if os.geteuid() == 0 if hasattr(os, "geteuid") else False:
        # Chromium refuses to run its sandbox as root (CI, kiosk workstations).
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    from .views.map_scheme import register_scheme

    register_scheme()  # console-map:// serves the map page; Chromium wants it before the app


def create_application(argv: list[str] | None = None):
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    prepare_qt_environment()
    QCoreApplication.setOrganizationName(APP_ORG)
    QCoreApplication.setApplicationName(APP_NAME)
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    from .i18n import install_translators

    install_translators(app)  # before any widget reads its texts
    return app


def seed_demo_if_empty(store: LocalStore) -> int:
    """Seed a fresh store with the Paris 2024 scenario; leaves a populated one alone."""
    from sqlalchemy import func, select

    from .models.demo import seed_demo
    from .models.entities import Centre

    with store.transaction() as session:
        if session.scalar(select(func.count()).select_from(Centre)):
            return 0
        return seed_demo(session)


def open_central(*, demo: bool, central_url: str | None):
    """The central store: the embedded SQLite central of the demo (migrated and seeded with the
    scenario when empty) or the configured PostgreSQL (password from the keyring)."""
    from .sync.central import CentralStore

    if demo or not central_url:
        central = CentralStore.embedded(embedded_central_path())
        central.migrate()
        seed_central_if_empty(central)
        return central
    from .credentials import get_password

    return CentralStore(central_url, password=get_password(central_url))


def seed_central_if_empty(central) -> int:  # noqa: ANN001
    """Seed an empty embedded central with the Paris 2024 scenario and give its rows feed places."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from .models.demo import seed_demo
    from .models.entities import Centre

    with Session(central.engine) as session, session.begin():
        if session.scalar(select(func.count()).select_from(Centre)):
            return 0
        count = seed_demo(session)
    central.publish_unfed_rows()
    return count


def build_context(*, demo: bool, central_url: str | None, local_path: Path | None = None,
                  start_sync: bool = True):
    """The local store, the central link and the sync engine (running in its own thread).

    Demo mode pulls the embedded central through the same sync code as a real one; the first
    pull runs before the window opens so that it opens populated.
    """
    from .context import AppContext, ChangeHub
    from .sync import SyncEngine
    from .sync import local as sync_local

    store = LocalStore(local_path or local_store_path())
    embedded = demo or not central_url
    hub = ChangeHub()
    context = AppContext(store=store, actor=DEMO_ACTOR, hub=hub,
                         mode="demo" if embedded else "central", central_url=central_url)
    central = open_central(demo=demo, central_url=central_url)
    engine = SyncEngine(store, central, username=DEMO_ACTOR.username, embedded=embedded)
    if embedded and sync_local.cursor(store) == 0:
        engine.sync_once()
    from .views.sync_qt import SyncController

    controller = SyncController(engine, hub)
    context.services["sync"] = controller
    context.services["central"] = central
    if start_sync:
        controller.start()
    return context


def run_gui(*, demo: bool, central_url: str | None, exercise: bool = False) -> int:
    app = create_application()
    from .views.main_window import MainWindow

    context = build_context(demo=demo, central_url=central_url)
    context.exercise = exercise
    window = MainWindow(context)
    window.show()
    try:
        return app.exec()
    finally:
        context.services["sync"].stop()


__all__ = ["run_gui", "build_context", "create_application", "embedded_central_path"]
