"""Open the console with the demo data on the current display and save a screenshot.

Usage: xvfb-run -s "-screen 0 1600x1000x24" python scripts/screenshot.py OUT.png [PANE] [SECONDS]
PANE raises that dock (event_log, map, roster, dashboard) before the shot.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshot.png")
    pane = sys.argv[2] if len(sys.argv) > 2 else "event_log"
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 3.0
    import os

    os.environ.setdefault("CONSOLE_DATA_DIR", tempfile.mkdtemp(prefix="console-shot-"))
    from console.app import build_context, create_application

    app = create_application(["console"])
    from PySide6.QtCore import QTimer

    from console.views.main_window import MainWindow

    window = MainWindow(build_context(demo=True, central_url=None))
    window.resize(1600, 1000)
    window.show()
    if pane in window.docks:
        window.docks[pane].raise_()
    log = window.panes.get("event_log")
    if log is not None:
        log.table.selectRow(2)

    def shoot() -> None:
        screen = app.primaryScreen()
        image = screen.grabWindow(0) if screen is not None else window.grab()
        if image.isNull():
            image = window.grab()
        image.save(str(out))
        print(f"saved {out}")
        window.close()
        app.quit()

    QTimer.singleShot(int(seconds * 1000), shoot)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
