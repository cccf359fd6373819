"""The Qt adapter: status and pulled changes reach the hub; a local write is pushed at once."""
from __future__ import annotations

from console.views.shell.context import ChangeHub
from console.views.sync.controller import SyncController, SyncProgressBar
from sync.conftest import OTHER, Workstation, draft


def test_write_at_one_workstation_is_published_at_the_other(qtbot, embedded_central, tmp_path):
    a = Workstation(tmp_path / "a.sqlite3", embedded_central, embedded=True)
    b = Workstation(tmp_path / "b.sqlite3", embedded_central, OTHER, embedded=True)
    hub_a, hub_b = ChangeHub(), ChangeHub()
    states: list[dict] = []
    hub_b.connection_changed.connect(states.append)
    sync_a, sync_b = SyncController(a.engine, hub_a), SyncController(b.engine, hub_b)
    sync_a.start()
    sync_b.start()
    try:
        qtbot.waitUntil(lambda: any(s["state"] == "embedded" and s["last_sync"] for s in states),
                        timeout=5000)
        event, changes = a.log.create_event(a.actor, draft("live in the demo"))
        with qtbot.waitSignal(hub_b.changed, timeout=5000,
                              check_params_cb=lambda c, initiator: event.id in c.new_events
                              and initiator is None):  # the sync engine initiates nothing
            hub_a.publish(changes)  # what the event log pane does after a write
        assert states[-1]["pending"] == 0 and states[-1]["rejected"] == 0
    finally:
        sync_a.stop()
        sync_b.stop()
        a.close()
        b.close()


def test_progress_bar_appears_only_for_a_long_push(qtbot, embedded_central, tmp_path):
    ws = Workstation(tmp_path / "a.sqlite3", embedded_central, embedded=True)
    controller = SyncController(ws.engine, ChangeHub())
    quick = SyncProgressBar(controller, delay=10.0)  # a push shorter than the delay: no bar
    slow = SyncProgressBar(controller, delay=0.0)
    for bar in (quick, slow):
        qtbot.addWidget(bar)
        bar.show_progress((500, 2000))
        bar.show_progress((1000, 2000))
    assert not quick.isVisible()
    assert slow.isVisible() and slow.value() == 1000 and slow.maximum() == 2000
    slow.show_progress(None)
    assert not slow.isVisible()
    ws.close()
