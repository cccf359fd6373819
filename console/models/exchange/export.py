"""Export of a filtered view of the log: CSV for spreadsheets, GeoJSON (RFC 7946) for GIS tools."""
from __future__ import annotations

import csv
import json
from pathlib import Path

from sqlalchemy.orm import Session

from console.models.eventlog.query import EventFilter, iter_events
from console.models.records import to_record

CSV_COLUMNS = ["id", "occurred_at", "recorded_at", "centre_code", "author", "category", "severity",
               "status", "title", "description", "place", "latitude", "longitude", "source",
               "acknowledged_by", "acknowledged_at", "closed_at", "zone_id", "venue_code", "origin"]


def _neutralise_formula(value):
    """Spreadsheets run cells starting with = + - @ as formulas: prefix them with a quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_csv(session: Session, flt: EventFilter, path: Path) -> int:
    count = 0
    tmp = path.with_suffix(path.suffix + ".part")
    with tmp.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for event in iter_events(session, flt):
            record = to_record(event)
            writer.writerow({k: _neutralise_formula(record.get(k)) for k in CSV_COLUMNS})
            count += 1
    tmp.replace(path)  # a crash mid-export never leaves a truncated file under the real name
    return count


def event_feature(record: dict) -> dict:
    geometry = None
    if record.get("latitude") is not None and record.get("longitude") is not None:
        # RFC 7946: longitude first.
        geometry = {"type": "Point", "coordinates": [record["longitude"], record["latitude"]]}
    properties = {k: v for k, v in record.items() if k not in ("latitude", "longitude")}
    return {"type": "Feature", "id": record["id"], "geometry": geometry, "properties": properties}


def export_geojson(session: Session, flt: EventFilter, path: Path) -> int:
    features = [event_feature(to_record(event)) for event in iter_events(session, flt)]
    tmp = path.with_suffix(path.suffix + ".part")
    tmp.write_text(json.dumps({"type": "FeatureCollection", "features": features},
                              ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
    return len(features)
