"""Screenshot of the map pane with the demo data (run under Xvfb): docs/screenshots/map.png.

    xvfb-run -s "-screen 0 1600x1000x24" python tests/map/make_screenshot.py
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
workdir = Path(tempfile.mkdtemp(prefix="map_shot_"))
os.environ["CONSOLE_DATA_DIR"] = str(workdir)

from console.views.shell.app import build_context, create_application  # noqa: E402


def settle(app, seconds: float) -> None:  # noqa: ANN001
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def main() -> int:
    app = create_application([])
    from console.models.eventlog.query import EventFilter
    from console.views.map.pane import MapPane

    context = build_context(demo=True, central_url=None, local_path=workdir / "local.sqlite3")
    actor = context.actor
    context.eventlog.create_zone(actor, "Fan zone Concorde", "polygon", {
        "type": "Polygon", "coordinates": [[[2.3175, 48.8675], [2.3250, 48.8675],
                                            [2.3250, 48.8640], [2.3175, 48.8640],
                                            [2.3175, 48.8675]]]})
    context.eventlog.create_zone(actor, "Périmètre Tour Eiffel", "circle",
                                 {"type": "Point", "coordinates": [2.2945, 48.8584]},
                                 radius_m=600)
    pane = MapPane(context)
    pane.set_filter(EventFilter(statuses={"open", "in_progress"}))
    pane.resize(1500, 950)
    pane.show()
    deadline = time.monotonic() + 60
    while not pane.is_ready and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    pane.show_heat(True)
    pane.run_js("ConsoleMap.state.map.setView([48.8600, 2.3150], 14)")
    settle(app, 2.0)
    # Open one popup, on a marker drawn on its own near the middle of the view.
    pane.run_js("""(() => {
        const S = ConsoleMap.state, inner = S.map.getBounds().pad(-0.3);
        for (const [id, m] of S.markers) {
            if (m._icon && inner.contains(m.getLatLng())) { ConsoleMap.clickMarker(id); break; }
        }})()""")
    settle(app, 1.0)
    path = ROOT / "docs" / "screenshots" / "map.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    pane.grab().save(str(path))
    print(path, pane.status.text(), "blocked:", pane.web.interceptor.blocked)
    pane.release_page()
    return 0


if __name__ == "__main__":
    sys.exit(main())
