"""`console --self-test`: prove an installed (or frozen) console works end to end, headless.

Opens the main window offscreen on the demo data in a throwaway data directory, waits for the
map page (which needs QtWebEngine, its resources and the Leaflet assets), writes an event through
the event log service and reads it back. Prints one line per step and exits 0 only if every step
passed; otherwise it names the step and the error, which is what an installer smoke test or a
workstation technician needs to see.
"""
from __future__ import annotations

import functools
import importlib
import os
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication

    from console.views.shell.context import AppContext
    from console.views.shell.main_window import MainWindow

MAP_TIMEOUT_S = 90.0  # a cold QtWebEngine start on a busy 2-core machine takes 10-20 s

# Modules a frozen build tends to lose because nothing imports them statically.
REQUIRED_MODULES = (
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.postgresql.psycopg",
    "psycopg",
    "alembic.runtime.migration",
    "keyring",
    "folium",
    "xstatic.pkg.leaflet",
    "xstatic.pkg.leaflet_markercluster",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebChannel",
    "holidays.countries.france",  # imported by name at run time (country_holidays("FR"))
    "pyqtgraph.exporters",
    "cryptography.hazmat.primitives.asymmetric.ed25519",  # audit checkpoints: a Rust binary
)


class SelfTestFailure(RuntimeError):
    """One step failed; the message says which and why."""


def _say(text: str) -> None:
    print(f"self-test: {text}", flush=True)


def _step(name: str, func: Callable[[], str | None]) -> float:
    """Run one step, print its outcome and time; return the seconds it took."""
    start = time.monotonic()
    try:
        detail = func()
    except SelfTestFailure:
        raise
    except Exception as exc:  # any error is a failed step, reported with its cause
        traceback.print_exc(file=sys.stderr)
        raise SelfTestFailure(f"{name}: {type(exc).__name__}: {exc}") from exc
    extra = f" - {detail}" if detail else ""
    seconds = time.monotonic() - start
    _say(f"{name} ok ({seconds:.1f} s){extra}")
    return seconds


def _prepare_environment(tmp: Path) -> None:
    """Headless, isolated: never the operator's data, settings or display."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["CONSOLE_DATA_DIR"] = str(tmp / "data")
    os.environ.pop("CONSOLE_TILE_URL", None)  # the self-test must not reach a tile server
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if "--disable-gpu" not in flags:
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --disable-gpu").strip()


def _isolate_settings(tmp: Path) -> None:
    from PySide6.QtCore import QSettings

    # The window saves its layout on close; keep that out of the operator's settings.
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))


def _wait_until(app: QCoreApplication, done: Callable[[], bool], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > deadline:
            return False
        app.processEvents()
        time.sleep(0.02)
    return True


def run_self_test(*, map_timeout_s: float = MAP_TIMEOUT_S) -> int:
    """Run every step; 0 if all passed, 1 with a message on stderr otherwise."""
    from console.cli.start_time import seconds_since_process_start

    # Before the first step: the frozen bootloader, the interpreter and the command line's imports.
    _say(f"process started {seconds_since_process_start():.1f} s ago")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="console-selftest-") as tmp_name:
        tmp = Path(tmp_name)
        _prepare_environment(tmp)
        try:
            times = _run_steps(tmp, map_timeout_s)
        except SelfTestFailure as exc:
            print(f"self-test: FAILED at {exc}", file=sys.stderr, flush=True)
            return 1
    building = sum(times[name] for name in FIRST_START_STEPS)
    slowest = sorted(times.items(), key=lambda item: -item[1])[:3]
    _say(f"PASSED in {time.monotonic() - started:.1f} s: first-start demo data {building:.1f} s "
         f"({' + '.join(FIRST_START_STEPS)}), slowest steps "
         + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in slowest))
    return 0


@dataclass
class _Run:
    """What the steps hand on to the later ones (each step needs the earlier ones to pass)."""

    tmp: Path
    map_timeout_s: float
    app_: QCoreApplication | None = None
    context_: AppContext | None = None
    window_: MainWindow | None = None
    event_id: uuid.UUID | None = None

    @property
    def app(self) -> QCoreApplication:
        if self.app_ is None:
            raise SelfTestFailure("no application: its step did not run")
        return self.app_

    @property
    def context(self) -> AppContext:
        if self.context_ is None:
            raise SelfTestFailure("no local store: its step did not run")
        return self.context_

    @property
    def window(self) -> MainWindow:
        if self.window_ is None:
            raise SelfTestFailure("no main window: its step did not run")
        return self.window_


@runtime_checkable
class _MapPane(Protocol):
    """What the map step reads of the map pane (a build may have none)."""

    is_ready: bool
    shown_events: int

    def run_js(self, script: str, callback: Callable[[Any], None] | None = None) -> None: ...


def _run_steps(tmp: Path, map_timeout_s: float) -> dict[str, float]:
    """{step: seconds} once every step passed."""
    run = _Run(tmp, map_timeout_s)
    times = {}
    try:
        for name, step in STEPS:
            times[name] = _step(name, functools.partial(step, run))
    finally:
        _tear_down(run)
    return times


def _check_modules(_run: _Run) -> str:
    missing = []
    for name in REQUIRED_MODULES:
        try:
            importlib.import_module(name)
        except Exception as exc:  # ImportError, or a broken binary module
            missing.append(f"{name} ({exc})")
    if missing:
        raise SelfTestFailure("modules: missing " + ", ".join(missing))
    return f"{len(REQUIRED_MODULES)} modules"


def _check_libraries(_run: _Run) -> str:
    """The native and data-carrying libraries a frozen build tends to lose."""
    import holidays
    from ortools.sat.python import cp_model

    from console.models.exchange.cap import SCHEMA_PATH, read_alert

    example = SCHEMA_PATH.parent / "examples" / "A2_severe_thunderstorm_warning.xml"
    alert = read_alert(example.read_bytes(), exercise=False)  # xmlschema and its meta-schemas
    if not alert.identifier:
        raise SelfTestFailure("libraries: the CAP example was read without an identifier")
    french = holidays.country_holidays("FR", years=[2024])
    if "2024-07-14" not in french:
        raise SelfTestFailure("libraries: the French public holidays are missing")
    model = cp_model.CpModel()  # the roster solver's native library
    x = model.new_int_var(0, 10, "x")
    model.add(x >= 7)
    model.minimize(x)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    if solver.solve(model) != cp_model.OPTIMAL or solver.value(x) != 7:
        raise SelfTestFailure("libraries: OR-Tools CP-SAT did not solve a trivial model")
    return "CAP schema, French holidays, CP-SAT"


def _start_application(run: _Run) -> str:
    from console.views.shell.app import create_application

    _isolate_settings(run.tmp)
    run.app_ = create_application(["console", "-platform", "offscreen"])
    from PySide6.QtGui import QGuiApplication

    platform = QGuiApplication.platformName()
    if platform != "offscreen":
        raise SelfTestFailure(f"application: platform is {platform!r}, not offscreen")
    return f"Qt platform {platform}"


def _check_translations(run: _Run) -> str:
    from console.views.shell.i18n import available_languages, install_translators

    languages = available_languages()
    if "fr" not in languages:
        raise SelfTestFailure("translations: console_fr.qm not found in the bundle")
    loaded = install_translators(run.app, "fr")
    if not loaded.app or not loaded.qt:
        raise SelfTestFailure(f"translations: French not loaded ({loaded})")
    install_translators(run.app, "en")  # the rest of the test reads English
    return "languages " + ", ".join(languages)


def _build_demo_central(_run: _Run) -> str:
    """The demo's embedded central, seeded with the Paris 2024 scenario: a first start's work."""
    from console.views.shell.app import open_central

    central = open_central(demo=True, central_url=None)
    central.dispose()
    return "embedded central seeded with the demo scenario"


def _open_store(run: _Run) -> str:
    from console.views.shell.app import build_context

    # The first pull of the whole demo into the new local store: a first start's work too.
    run.context_ = build_context(demo=True, central_url=None)
    from sqlalchemy import func, select

    from console.models.entities import Event

    with run.context.store.session() as session:
        count = session.scalar(select(func.count()).select_from(Event))
    if not count:
        raise SelfTestFailure("local store: the demo scenario wrote no events")
    return f"demo store with {count} events"


def _open_window(run: _Run) -> str:
    from console.views.shell.main_window import MainWindow

    win = MainWindow(run.context)
    win.show()
    run.window_ = win
    run.app.processEvents()
    return "panes " + ", ".join(win.panes)


def _check_map(run: _Run) -> str:
    pane = run.window.panes.get("map")
    if not isinstance(pane, _MapPane):
        return "no map pane in this build: skipped"
    if not _wait_until(run.app, lambda: bool(pane.is_ready), run.map_timeout_s):
        blocked = getattr(getattr(pane, "web", None), "interceptor", None)
        hint = f"; blocked requests: {blocked.blocked[:3]}" if blocked and blocked.blocked else ""
        raise SelfTestFailure(f"map: the page did not load within {run.map_timeout_s:.0f} s "
                              f"(QtWebEngine, its resources or the Leaflet assets){hint}")
    result: dict[str, object] = {}
    pane.run_js("typeof L === 'object' && typeof L.markerClusterGroup === 'function'",
                lambda value: result.setdefault("leaflet", value))
    if not _wait_until(run.app, lambda: "leaflet" in result, 15):
        raise SelfTestFailure("map: the page does not answer JavaScript")
    if result["leaflet"] is not True:
        raise SelfTestFailure("map: Leaflet or MarkerCluster missing from the page")
    return f"{pane.shown_events} events on the map"


def _write_and_read_event(run: _Run) -> str:
    from console.models.validation import EventDraft

    context = run.context
    title = f"Self-test {os.getpid()}"
    draft = EventDraft(title=title, description="written by console --self-test",
                       category="logistics", severity=1)
    event, changes = context.eventlog.create_event(context.actor, draft)
    context.hub.publish(changes)
    run.app.processEvents()
    again = context.eventlog.event(event.id)
    if again is None or again.title != title:
        raise SelfTestFailure("event: written but not read back from the local store")
    run.event_id = event.id
    return f"event {event.id}"


def _check_sync_push(run: _Run) -> str:
    central = run.context.services.get("central")
    if central is None or not hasattr(central, "engine"):
        return "no central link in this build: skipped"
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from console.models.entities import Event

    def pushed() -> bool:
        with Session(central.engine) as session:
            return session.scalar(select(Event.id).where(Event.id == run.event_id)) is not None

    if not _wait_until(run.app, pushed, 30):
        raise SelfTestFailure("sync: the event did not reach the embedded central within 30 s")
    return "event reached the embedded central"


# Steps that build the demo data in the throwaway directory: an operator's first start only.
FIRST_START_STEPS = ("demo central", "local store")

# (name printed, step): in order, each step relying on the ones before it
STEPS: list[tuple[str, Callable[[_Run], str]]] = [
    ("modules", _check_modules), ("libraries", _check_libraries),
    ("application", _start_application), ("translations", _check_translations),
    ("demo central", _build_demo_central), ("local store", _open_store),
    ("main window", _open_window), ("map", _check_map),
    ("event write/read", _write_and_read_event), ("sync", _check_sync_push),
]


def _tear_down(run: _Run) -> None:
    """Stop the sync thread, then free the pages before their web profile (else Chromium crashes)."""
    context = run.context_
    sync = context.services.get("sync") if context is not None else None
    if sync is not None:
        sync.stop()
    app = run.app_
    win = run.window_
    if win is not None:
        win.close()
        win.deleteLater()
    if app is not None:
        from PySide6.QtCore import QCoreApplication, QEvent

        for _ in range(3):
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            app.processEvents()


def main() -> int:
    return run_self_test()


if __name__ == "__main__":
    sys.exit(main())
