"""CSV export of a filtered view of the log, for spreadsheets (the one CSV writer).

GeoJSON, KML and CAP are written by console.models.exchange.geo and .cap; every format is
reached through console.models.exchange.operations.write_export, by the GUI and the CLI alike.
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from console.models.eventlog.query import EventFilter, iter_events
from console.models.records import to_record

CSV_COLUMNS = ["id", "occurred_at", "recorded_at", "centre_code", "author", "category", "severity",
               "status", "title", "description", "place", "latitude", "longitude", "source",
               "acknowledged_by", "acknowledged_at", "closed_at", "zone_id", "venue_code", "origin"]


def neutralise_formula(value: Any) -> Any:
    """Spreadsheets run cells starting with = + - @ tab or CR as formulas: prefix them with a
    quote (every CSV the console writes goes through this)."""
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
            writer.writerow({k: neutralise_formula(record.get(k)) for k in CSV_COLUMNS})
            count += 1
    tmp.replace(path)  # a crash mid-export never leaves a truncated file under the real name
    return count
