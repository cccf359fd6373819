"""`console --start-time`: how long an operator waits for a usable window, measured.

Runs the desktop start-up of the demo (Qt, sign-in of the demo operator without its dialog,
local store, embedded central, sync, main window) and stops at the first paint of the event
log's table with rows in it: the operator's first screen. Prints the seconds since the process
started (the frozen bootloader and the imports included) and what they went to, then quits.
The first run on an empty data directory also builds the demo data; the start-up figure is the
one of a later run, on the existing store (installers/test_deb_install.sh runs it twice). The
demo lives in <data dir>/start-time unless --data-dir says where: never the operator's stores.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

# The first thing this module does: the clock runs from here when /proc cannot tell more.
_IMPORTED_AT = time.monotonic()


def seconds_since_process_start() -> float:
    """Time since the kernel started this process (Linux); since this import elsewhere."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - started
    except (OSError, ValueError, IndexError):
        return time.monotonic() - _IMPORTED_AT


def measure_start_time() -> int:
    from console.config import data_dir, embedded_central_path

    if not os.environ.get("CONSOLE_DATA_DIR"):
        # Never the operator's own stores: a demo of its own, kept for the next measurement.
        os.environ["CONSOLE_DATA_DIR"] = str(data_dir() / "start-time")
    existing = embedded_central_path().exists()
    before_qt = seconds_since_process_start()
    from PySide6.QtCore import QEvent, QObject

    from console.views.eventlog.pane import EventLogPane
    from console.views.security.signin_dialog import sign_in_at_start
    from console.views.shell.app import build_context, create_application, open_central
    from console.views.shell.main_window import MainWindow

    app = create_application()
    imported = seconds_since_process_start()
    os.environ.setdefault("CONSOLE_AUTO_SIGNIN", "demo.operator")
    open_central(demo=True, central_url=None).dispose()  # as run_gui: migrated and seeded
    _authenticator, session = sign_in_at_start(
        demo=True, central_url=None, embedded_url=f"sqlite:///{embedded_central_path()}")
    if session is None:
        print("start-time: the demo operator could not sign in", file=sys.stderr)
        return 1
    context = build_context(demo=True, central_url=None, session=session)
    stores = seconds_since_process_start()
    window = MainWindow(context)
    pane = window.panes["event_log"]
    if not isinstance(pane, EventLogPane):
        print("start-time: this build has no event log pane", file=sys.stderr)
        return 1
    table = pane.table

    class FirstPaint(QObject):
        at: float | None = None

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
            if (event.type() == QEvent.Type.Paint and self.at is None
                    and table.model().rowCount() > 0):
                self.at = seconds_since_process_start()
            return False

    probe = FirstPaint()
    table.viewport().installEventFilter(probe)
    window.show()
    deadline = time.monotonic() + 120
    while probe.at is None and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
    context.services["sync"].stop()
    window.close()
    context.store.close()
    if probe.at is None:
        print("start-time: the event log never drew rows within 120 s", file=sys.stderr)
        return 1
    store = "existing demo store" if existing else "new demo store (demo data built)"
    print(f"start-time: log first screen drawn {probe.at:.2f} s after the process started, "
          f"on the {store} (interpreter and imports {imported:.2f} s incl. {before_qt:.2f} s "
          f"before Qt, store, central and sync {stores - imported:.2f} s, window and first paint "
          f"{probe.at - stores:.2f} s)", flush=True)
    return 0
