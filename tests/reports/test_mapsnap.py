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


def test_the_snapshot_is_drawn_over_the_map_tiles(app, tmp_path, monkeypatch) -> None:
    """Paris events over the shipped basemap: the background is the map (land, the Seine,
    built-up shading), not the plain light grey of a drawing without tiles; and credited."""
    from PySide6.QtGui import QColor

    from console.views.reports.mapsnap import map_snapshot

    monkeypatch.setenv("CONSOLE_DATA_DIR", str(tmp_path / "data"))  # no cache: the basemap alone
    store = LocalStore(tmp_path / "local.sqlite3")
    with store.transaction() as session:
        seed_reference(session)
    eventlog = EventLog(store)
    now = datetime.now(UTC)
    for index in range(-6, 7):
        eventlog.create_event(ACTOR, EventDraft(
            title=f"Event {index}", category="crowd", severity=2,
            occurred_at=now - timedelta(minutes=10), latitude=48.8566 + 0.01 * index,
            longitude=2.3522 + 0.015 * (index % 5)))
    with store.session() as session:
        data = collect(session, ReportRequest(time_from=now - timedelta(hours=1), time_to=now))
    store.close()

    image, caption = map_snapshot(data)

    plain = QColor("#f4f6f8")
    pixels = [image.pixelColor(x, y) for x in range(5, image.width() - 5, 17)
              for y in range(5, image.height() - 5, 13)]
    not_plain = [c for c in pixels if c != plain]
    assert len(not_plain) > 0.9 * len(pixels)
    assert len({c.rgb() for c in pixels}) > 20
    water = [c for c in pixels if c.blue() > c.red() + 25]  # the Seine crosses the frame
    assert water
    assert "fond de carte :" in caption and "GSHHG" in caption  # the request speaks French
