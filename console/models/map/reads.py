"""What the map pane reads, each call opening its own session (called through the runner)."""
from __future__ import annotations

import uuid
from typing import Any

from console.models.eventlog.log import EventLog
from console.models.eventlog.query import EventFilter
from console.models.map.geojson import event_changes, event_features, venue_features, zone_features
from console.models.store import LocalStore


def located_events(store: LocalStore, flt: EventFilter) -> list[dict[str, Any]]:
    """GeoJSON features of the filter's events that have a position."""
    with store.session() as session:
        return event_features(session, flt)


def changed_events(store: LocalStore, flt: EventFilter,
                   ids: set[uuid.UUID]) -> tuple[list[dict[str, Any]], list[str]]:
    """Features of these events still in the filter, and the page ids of those now out of it."""
    with store.session() as session:
        return event_changes(session, flt, ids)


def zone_layer(store: LocalStore) -> list[dict[str, Any]]:
    with store.session() as session:
        return zone_features(session)


def venue_layer(store: LocalStore) -> list[dict[str, Any]]:
    with store.session() as session:
        return venue_features(session)


def event_position(eventlog: EventLog, event_id: uuid.UUID) -> tuple[float | None, float | None] | None:
    """(latitude, longitude) of an event, None when the event is unknown here."""
    event = eventlog.event(event_id)
    if event is None:
        return None
    return event.latitude, event.longitude
