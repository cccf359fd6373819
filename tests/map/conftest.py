"""Map tests: the console-map:// scheme is registered before pytest-qt creates the QApplication,
and each module shares one web view (QtWebEngine is heavy on a small shared machine)."""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from console.views.map.scheme import register_scheme

register_scheme()  # also done by tests/conftest.py; idempotent, kept so this folder stands alone


def wait_until(condition: Callable[[], object], timeout: float = 15.0) -> None:
    """Run the Qt event loop until condition() is true (module fixtures cannot use qtbot)."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.005)


def evaluate(pane, expression: str, timeout: float = 10.0):  # noqa: ANN001, ANN201
    """Value of a JavaScript expression in the pane's page (JSON round trip: arrays survive)."""
    box: list = []
    pane.run_js(f"JSON.stringify({expression})", box.append)
    wait_until(lambda: box, timeout)
    return json.loads(box[0]) if box[0] not in (None, "") else None


def make_context(path: Path, per_day: int = 40):  # noqa: ANN201
    """A store with the demo venues and a small, deterministic scenario."""
    from console.models.demo import seed_demo
    from console.models.store import LocalStore
    from console.views.shell.app import DEMO_ACTOR
    from console.views.shell.context import AppContext, ChangeHub

    store = LocalStore(path)
    with store.transaction() as session:
        seed_demo(session, per_day=per_day)
    return AppContext(store=store, actor=DEMO_ACTOR, hub=ChangeHub())


@pytest.fixture(scope="module")
def tile_cache(tmp_path_factory):  # noqa: ANN001, ANN201
    from console.models.map.tiles import MBTiles

    cache = MBTiles(tmp_path_factory.mktemp("tiles") / "tiles.mbtiles")
    yield cache
    cache.close()
