"""GeoJSON the page draws: events of a log filter, zones, venues. Compact properties, plain dicts."""
from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Select, String, select, type_coerce
from sqlalchemy.orm import Session

from console.models.entities import Event, Venue, Zone
from console.models.eventlog.query import EventFilter, filter_clause

# Only what a marker, its popup and the heat layer need: 10,000 of these stay under 2 MB.
# The id is read as stored (hex text in SQLite), not turned into 10,000 UUID objects.
Feature = dict[str, Any]  # a GeoJSON feature, as the page reads it
MARKER_COLUMNS = (type_coerce(Event.id, String).label("id"), Event.latitude, Event.longitude,
                  Event.title, Event.category, Event.severity, Event.status, Event.occurred_at)


def page_id(event_id: uuid.UUID) -> str:
    """How the page names an event: the 32 hex digits (what SQLite stores, no conversion)."""
    return event_id.hex


def _hex(raw: object) -> str:
    return raw.hex if isinstance(raw, uuid.UUID) else str(raw).replace("-", "").lower()


class MarkerRow(Protocol):
    """What a marker reads: a row of MARKER_COLUMNS or an Event."""

    @property
    def id(self) -> object: ...
    @property
    def latitude(self) -> float | None: ...
    @property
    def longitude(self) -> float | None: ...
    @property
    def title(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def severity(self) -> int: ...
    @property
    def status(self) -> str: ...
    @property
    def occurred_at(self) -> datetime: ...


def event_feature(row: MarkerRow) -> Feature:
    # The popup's date is formatted by the page, lazily: 10,000 strftime calls cost 50 ms here.
    return {
        "type": "Feature",
        "id": _hex(row.id),
        "geometry": {"type": "Point", "coordinates": [row.longitude, row.latitude]},
        "properties": {"title": row.title, "category": row.category, "severity": row.severity,
                       "status": row.status, "ts": int(row.occurred_at.timestamp())},
    }


def collection(features: Iterable[Feature]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def _located(flt: EventFilter) -> Select[str, float | None, float | None, str, str, int, str, datetime]:
    return select(*MARKER_COLUMNS).where(filter_clause(flt), Event.latitude.is_not(None),
                                         Event.longitude.is_not(None))


def event_features(session: Session, flt: EventFilter) -> list[Feature]:
    """Every located event of the filter (the log's current view) as a GeoJSON feature."""
    return [event_feature(row) for row in session.execute(_located(flt))]


def event_changes(session: Session, flt: EventFilter,
                  ids: Iterable[uuid.UUID]) -> tuple[list[Feature], list[str]]:
    """For events that changed: features to (re)draw, and ids to take off the map.

    An event leaves the map when it no longer matches the filter (e.g. closed while the log
    shows open events only) or has lost its position.
    """
    wanted = list(set(ids))
    features: list[Feature] = []
    for start in range(0, len(wanted), 500):  # SQLite's bound-parameter limit
        chunk = wanted[start:start + 500]
        features += [event_feature(r) for r in session.execute(
            _located(flt).where(Event.id.in_(chunk)))]
    shown = {f["id"] for f in features}
    return features, [page_id(i) for i in wanted if page_id(i) not in shown]


def zone_features(session: Session) -> list[Feature]:
    features: list[Feature] = []
    for zone in session.scalars(select(Zone).order_by(Zone.pk)):
        try:
            geometry = json.loads(zone.geometry)
        except (TypeError, ValueError):
            continue
        features.append({"type": "Feature", "id": str(zone.id), "geometry": geometry,
                         "properties": {"name": zone.name, "kind": zone.kind,
                                        "radius": zone.radius_m, "centre": zone.centre_code}})
    return features


def venue_features(session: Session) -> list[Feature]:
    return [{"type": "Feature", "id": venue.code,
             "geometry": {"type": "Point", "coordinates": [venue.longitude, venue.latitude]},
             "properties": {"name": venue.name, "city": venue.city}}
            for venue in session.scalars(select(Venue).order_by(Venue.code))]


def dumps(data: object) -> str:
    """JSON for a <script> or runJavaScript: compact, and '</' escaped so a title cannot close it."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
