"""A CSV import killed with SIGKILL in the middle of writing leaves nothing; the next completes."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from console.models.eventlog.log import EventLog
from console.models.exchange.operations import import_csv
from console.models.store import LocalStore
from exchange.conftest import ACTOR, counts, make_store
from exchange.test_csv_import import _file

ROOT = Path(__file__).resolve().parents[2]
# The child imports the file; its progress callback announces the first written batch, then
# waits there (a slow display), so the kill lands while the transaction holds written rows.
CHILD = """
import sys, time
from console.models.actor import Actor
from console.models.eventlog.log import EventLog
from console.models.exchange.operations import import_csv
from console.models.store import LocalStore

def progress(fraction, text):
    if "written" in text:
        print("writing", text, flush=True)
        time.sleep(60)

store = LocalStore(sys.argv[1])
actor = Actor(username="demo.operator", centre_code="CNCS", display_name="Camille Martin")
with open(sys.argv[2], "rb") as data:
    import_csv(EventLog(store), actor, data.read(), "big", progress=progress)
print("finished", flush=True)
"""


def test_kill_9_during_an_import_leaves_no_event_and_no_outbox_entry(tmp_path):
    lines = 3000
    store_path = tmp_path / "local.sqlite3"
    make_store(store_path).close()
    csv_path = tmp_path / "big.csv"
    csv_path.write_bytes(_file(lines))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(store_path), str(csv_path)],
                             stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.startswith("writing 500 / 3,000 events written"), line
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    store = LocalStore(store_path)  # opening recovers the store after the kill
    try:
        assert counts(store) == (0, 0)
        _, report = import_csv(EventLog(store), ACTOR, csv_path.read_bytes(), "big")
        assert len(report.created) == lines and report.already_present == []
        assert counts(store) == (lines, lines)
        again = import_csv(EventLog(store), ACTOR, csv_path.read_bytes(), "big")[1]
        assert again.created == [] and len(again.already_present) == lines
        assert counts(store) == (lines, lines)
    finally:
        store.close()
