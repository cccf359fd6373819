"""Open the console with the demo data on the current display and save a screenshot.

Usage: xvfb-run -s "-screen 0 1600x1000x24" python scripts/screenshot.py OUT.png [PANE] [SECONDS]
           [--lang fr|en] [--view LAT,LON,ZOOM] [--crop WIDTHxHEIGHT]
PANE raises that dock (event_log, map, roster, dashboard) before the shot; `help`, `settings`
and `first_run` shoot that dialog instead of the window. The data directory and the settings are
throwaway ones, so a shot never depends on (or changes) the developer's layout.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

DIALOGS = ("help", "settings", "first_run")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="screenshot.png", type=Path)
    parser.add_argument("pane", nargs="?", default="event_log")
    parser.add_argument("seconds", nargs="?", default=3.0, type=float)
    parser.add_argument("--lang", choices=("en", "fr"), default="en",
                        help="interface language of the shot (default en)")
    parser.add_argument("--view", help="map pane: centre and zoom, e.g. 48.8566,2.3522,12")
    parser.add_argument("--crop", help="keep only the map pane, at most WIDTHxHEIGHT pixels")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="console-shot-"))
    os.environ.setdefault("CONSOLE_DATA_DIR", str(scratch / "data"))
    os.environ["XDG_CONFIG_HOME"] = str(scratch / "config")  # fresh QSettings: default layout
    from console.views.shell.app import build_context, create_application

    app = create_application(["console"])
    from PySide6.QtCore import QTimer

    from console.views.shell.i18n import install_translators

    install_translators(app, args.lang)
    from console.views.shell.main_window import MainWindow

    context = build_context(demo=True, central_url=None)
    window = MainWindow(context)
    window.resize(1600, 1000)
    window.show()
    if args.pane in window.docks:
        window.docks[args.pane].raise_()
    log = window.panes.get("event_log")
    if log is not None:
        log.table.selectRow(2)
    dialog = None
    if args.pane == "help":
        from console.views.shell.help import HelpDialog

        dialog = HelpDialog(window)
    elif args.pane == "settings":
        from console.views.shell.i18n import centre_timezone
        from console.views.shell.settings_dialog import SettingsDialog

        dialog = SettingsDialog(window, centre_timezone=centre_timezone(
            context.store, context.actor.centre_code))
    elif args.pane == "first_run":
        from console.views.shell.first_run import FirstRunWizard

        dialog = FirstRunWizard(window)
        dialog.mode_page.central.setChecked(True)
    if dialog is not None:
        dialog.show()
    if args.pane == "first_run":  # the database page: a wizard restarts when first shown
        dialog.next()
        dialog.central_page.url.setText("postgresql://console@central.cncs.local:5432/console")

    map_pane = window.panes.get("map")
    if args.view and map_pane is not None:
        lat, lon, zoom = (float(v) for v in args.view.split(","))

        def centre_map() -> None:
            if not map_pane.is_ready:
                QTimer.singleShot(200, centre_map)
                return
            map_pane.run_js(f"ConsoleMap.state.map.setView([{lat}, {lon}], {int(zoom)})")

        QTimer.singleShot(500, centre_map)

    def shoot() -> None:
        if args.crop and map_pane is not None:
            width, height = (int(v) for v in args.crop.lower().split("x"))
            image = map_pane.grab()
            image = image.copy(0, 0, min(width, image.width()), min(height, image.height()))
        elif dialog is not None:
            image = dialog.grab()
        else:
            screen = app.primaryScreen()
            image = screen.grabWindow(0) if screen is not None else window.grab()
            if image.isNull():
                image = window.grab()
        image.save(str(args.out))
        print(f"saved {args.out}")
        if dialog is not None:
            dialog.close()
        window.close()
        app.quit()

    QTimer.singleShot(int(args.seconds * 1000), shoot)
    try:
        return app.exec()
    finally:
        sync = context.services.get("sync")
        if sync is not None:
            sync.stop()  # before the interpreter tears Qt down under the sync thread


if __name__ == "__main__":
    sys.exit(main())
