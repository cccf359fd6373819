"""Link status and retry timing of the engine."""
from __future__ import annotations

import random
import time

from console.models.sync.engine import backoff_delay


def test_backoff_grows_is_capped_and_jittered():
    rng = random.Random(1)
    delays = [backoff_delay(n, rng=rng) for n in range(1, 12)]
    assert 0.25 <= delays[0] <= 0.5
    assert all(d <= 30.0 for d in delays) and delays[-1] >= 15.0
    spread = {round(backoff_delay(8, rng=rng), 3) for _ in range(20)}
    assert len(spread) > 10  # hundreds of workstations do not retry in lockstep


def test_status_online_degraded_offline(central, workstations):
    from console.models.sync import TransientError

    ws = workstations("a")
    engine = ws.engine
    assert engine._ok_state(0.1) == "online"
    assert engine._ok_state(5.0) == "degraded"  # slow link
    engine._last_failure = time.monotonic()
    assert engine._ok_state(0.1) == "degraded"  # failing intermittently
    engine._last_failure = 0.0

    class Deaf:
        connected = False

    engine.listener = Deaf()
    assert engine._ok_state(0.1) == "degraded"  # no notifications: polling
    engine.listener = None
    engine.embedded = True
    assert engine._ok_state(5.0) == "embedded"
    engine.embedded = False
    # A cut link is reported as a transient failure, which run() shows as offline.
    from console.models.sync import CentralStore

    dead = CentralStore("postgresql://postgres@127.0.0.1:1/none")
    ws.engine.central = dead
    ws.write("offline entry")
    try:
        ws.sync()
    except TransientError:
        pass
    else:
        raise AssertionError("an unreachable central must raise TransientError")
    dead.dispose()
