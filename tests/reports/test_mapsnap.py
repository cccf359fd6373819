"""The report's map snapshot when the events do not form one cluster around their median."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from console.models.actor import Actor
from console.models.demo import seed_reference
from console.models.eventlog.log import EventLog
from console.models.reports.data import ReportRequest, collect
from console.models.store import LocalStore
from console.models.validation import EventDraft

ACTOR = Actor(username="demo.operator", centre_code="CNCS", display_name="Camille Martin")


@pytest.fixture(scope="module")
def app():
    from console.views.reports.builder import ensure_application

    return ensure_application()


def test_report_with_ungeolocated_events_and_two_distant_ones(app, tmp_path):
    """Events without coordinates leave only a Paris one and a Marseille one on the map: the
    median latitude (Marseille's) and median longitude (Paris's) match no event, so no event is
    near the median position. The snapshot used to crash with an IndexError in _quantile."""
    from console.views.reports.mapsnap import map_snapshot

    store = LocalStore(tmp_path / "local.sqlite3")
    with store.transaction() as session:
        seed_reference(session)
    eventlog = EventLog(store)
    now = datetime.now(UTC)
    places = [(None, None)] * 3 + [(48.8566, 2.3522), (43.2965, 5.3698)]
    for index, (latitude, longitude) in enumerate(places):
        eventlog.create_event(ACTOR, EventDraft(
            title=f"Event {index}", category="crowd", severity=2,
            occurred_at=now - timedelta(minutes=10 + index), latitude=latitude,
            longitude=longitude))
    with store.session() as session:
        data = collect(session, ReportRequest(time_from=now - timedelta(hours=1), time_to=now,
                                              language="en"))
    store.close()
    assert len(data.points) == 2  # the three events without coordinates are left out

    image, caption = map_snapshot(data)

    assert not image.isNull()
    assert "2 geolocated events" in caption
    assert "No geolocated event" not in caption
