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


def build_context(*, demo: bool, central_url: str | None, local_path: Path | None = None):
    from .context import AppContext, ChangeHub

    store = LocalStore(local_path or local_store_path())
    if demo or not central_url:
        # Embedded demo: until a central server is configured, the scenario lives locally too.
        seed_demo_if_empty(store)
    return AppContext(store=store, actor=DEMO_ACTOR, hub=ChangeHub(),
                      mode="demo" if demo or not central_url else "central",
                      central_url=central_url)


def run_gui(*, demo: bool, central_url: str | None) -> int:
    app = create_application()
    from .views.main_window import MainWindow

    context = build_context(demo=demo, central_url=central_url)
    window = MainWindow(context)
    window.show()
    return app.exec()


__all__ = ["run_gui", "build_context", "create_application", "embedded_central_path"]
