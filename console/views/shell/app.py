"""Start-up of the desktop application: Qt set-up, the local store, the demo or central link."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from console.config import APP_NAME, APP_ORG, embedded_central_path, local_store_path
from console.models.actor import Actor
from console.models.store import LocalStore

DEMO_ACTOR = Actor(username="demo.operator", centre_code="CNCS", role="operator",
                   display_name="Camille Martin")


def prepare_qt_environment() -> None:
    """Settings that must exist before the QApplication: web engine flags, URL schemes."""
    if os.geteuid() == 0 if hasattr(os, "geteuid") else False:
        # Chromium refuses to run its sandbox as root (CI, kiosk workstations).
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    from console.views.map.scheme import register_scheme

    register_scheme()  # console-map:// serves the map page; Chromium wants it before the app


def create_application(argv: list[str] | None = None):
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    prepare_qt_environment()
    QCoreApplication.setOrganizationName(APP_ORG)
    QCoreApplication.setApplicationName(APP_NAME)
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    from console.views.shell import gui_gc
    from console.views.shell.i18n import install_translators

    gui_gc.install(app)  # cycles holding widgets are freed on this thread, never a worker's

    install_translators(app)  # before any widget reads its texts
    return app


def seed_demo_if_empty(store: LocalStore) -> int:
    """Seed a fresh store with the Paris 2024 scenario; leaves a populated one alone."""
    from console.models.startup import seed_demo_if_empty as seed

    return seed(store)


def open_central(*, demo: bool, central_url: str | None, password: str | None = None):
    """The central store: the embedded SQLite central of the demo (migrated and seeded with the
    scenario when empty) or the configured PostgreSQL (password from the keyring)."""
    from console.models.sync.central import CentralStore

    if demo or not central_url:
        central = CentralStore.embedded(embedded_central_path())
        central.migrate()
        seed_central_if_empty(central)
        return central
    from console.models.security.connect import name_workstation
    from console.models.security.credentials import get_password

    central = CentralStore(central_url, password=password or get_password(central_url))
    name_workstation(central.engine)  # the audit trail says which workstation wrote
    return central


def seed_central_if_empty(central) -> int:  # noqa: ANN001
    """Seed an empty embedded central with the Paris 2024 scenario and give its rows feed places."""
    from console.models.startup import seed_central_if_empty as seed

    return seed(central)


def build_context(*, demo: bool, central_url: str | None, local_path: Path | None = None,
                  start_sync: bool = True, session=None):  # noqa: ANN001 (SignedIn)
    """The local store, the central link and the sync engine (running in its own thread).

    Demo mode pulls the embedded central through the same sync code as a real one; the first
    pull runs before the window opens so that it opens populated.
    """
    from console.models.sync import SyncEngine
    from console.models.sync import local as sync_local
    from console.views.shell.context import AppContext, ChangeHub

    actor = session.actor if session is not None else DEMO_ACTOR
    if local_path is None and session is not None:
        # One cache per user: it holds only what this user may see, and their own queue.
        local_path = local_store_path().with_name(f"local-{actor.username}.sqlite3")
    store = LocalStore(local_path or local_store_path())
    from console.config import exercise_session as exercise_mode
    from console.models.purpose import check_local

    check_local(store, exercise_mode())  # an exercise cache never opens in a real session
    if session is not None:
        from console.models.security.cache import reconcile_cache

        reconcile_cache(store, session.policy.centres)  # rights may have changed since last time
    embedded = demo or not central_url
    hub = ChangeHub()
    context = AppContext(store=store, actor=actor, hub=hub,
                         mode="demo" if embedded else "central", central_url=central_url,
                         exercise=exercise_mode())
    if session is not None and session.central_url:
        central_url = session.central_url  # the signed-in user's login
    central = open_central(demo=demo, central_url=central_url,
                           password=session.password if session is not None else None)
    from console.models.startup import check_central_purpose

    # The embedded central is created by this console: stamp it; a real one is stamped by
    # `console init-central`.
    check_central_purpose(central, exercise_mode(), stamp=embedded)
    centres = None
    if session is not None and embedded:
        context.eventlog.access = session.policy  # no database logins: the app applies the rules
        centres = sorted(session.policy.centres)
    engine = SyncEngine(store, central, username=actor.username, embedded=embedded,
                        centres=centres)
    if embedded and sync_local.cursor(store) == 0:
        engine.sync_once()
    from console.views.sync.controller import SyncController

    controller = SyncController(engine, hub)
    context.services["sync"] = controller
    context.services["central"] = central
    if start_sync:
        controller.start()
    return context


def run_gui(*, demo: bool, central_url: str | None) -> int:
    app = create_application()
    from console.models.purpose import PurposeMismatch
    from console.views.security.signin_dialog import SecurityService, sign_in_at_start
    from console.views.shell.main_window import MainWindow

    if not demo and not central_url:
        # Neither flag given: the saved set-up, or the first-run wizard when there is none.
        from console.views.shell.first_run import ensure_configured
        from console.views.shell.preferences import effective_central_url

        central_url = effective_central_url()
        if central_url is None:
            setup = ensure_configured()
            if setup is None:
                return 1
            central_url = setup.central_url if setup.mode == "central" else None

    embedded_url = f"sqlite:///{embedded_central_path()}" if demo or not central_url else None
    if embedded_url:
        open_central(demo=True, central_url=None).dispose()  # migrated and seeded to sign in
    while True:
        # Sign-in comes before any data is shown; sign-out comes back here.
        authenticator, session = sign_in_at_start(demo=demo or not central_url,
                                                  central_url=central_url,
                                                  embedded_url=embedded_url)
        if session is None:
            return 1
        try:
            context = build_context(demo=demo, central_url=central_url, session=session)
        except PurposeMismatch as error:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(None, "console", str(error))
            return 2
        security = SecurityService(authenticator, session)
        context.services["security"] = security
        from console.views.security.read_trace import ReadTracer

        reads = ReadTracer(context, security)  # searches, filters, entries opened, exports
        security.signed_out.connect(reads.flush)
        window = MainWindow(context)
        security.signed_out.connect(window.close)
        window.show()
        for notice in session.notices:  # e.g. no keyring: the password could not be remembered
            window.statusBar().showMessage(notice, 30_000)
        try:
            code = app.exec()
        finally:
            signed_out = security.did_sign_out  # the user chose "sign out", not "quit"
            context.services["sync"].stop()
            security.sign_out()
            context.store.close()
        if not signed_out or code != 0:
            return code


__all__ = ["run_gui", "build_context", "create_application", "embedded_central_path"]
