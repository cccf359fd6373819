"""Import and export entry points shared by the command line and the dialogs."""
from __future__ import annotations

from pathlib import Path

from console.models.actor import Actor
from console.models.eventlog.log import EventLog
from console.models.eventlog.query import EventFilter
from console.models.exchange.cap import CapError, event_to_cap, read_alert
from console.models.exchange.csvimport import CsvPreview, preview_csv
from console.models.exchange.geo import export_geojson, export_kml, read_geojson_events
from console.models.exchange.importing import ImportReport, import_items
from console.models.store import LocalStore

FORMATS = ("geojson", "kml", "cap")


def import_cap(eventlog: EventLog, actor: Actor, data: bytes, *, exercise: bool,
               dry_run: bool = False) -> ImportReport:
    """Import one CAP 1.2 message; CapError (nothing written) when it is refused."""
    alert = read_alert(data, exercise=exercise)
    report = import_items(eventlog, actor, [alert.incoming], dry_run=dry_run)
    if report.refused:
        label, why = report.refused[0]
        raise CapError(f"refused: {label}: {why}")
    return report


def import_csv(eventlog: EventLog, actor: Actor, data: bytes, source_label: str, *,
               dry_run: bool = False) -> tuple[CsvPreview, ImportReport]:
    """Preview then import the accepted lines; refused lines are in the preview."""
    preview = preview_csv(data, source_label)
    report = import_items(eventlog, actor, [line.item for line in preview.accepted],
                          dry_run=dry_run)
    report.refused = [(f"line {n}", why) for n, why in preview.refused] + report.refused
    return preview, report


def import_geojson(eventlog: EventLog, actor: Actor, data: bytes, *,
                   dry_run: bool = False) -> ImportReport:
    items, refused = read_geojson_events(data)
    report = import_items(eventlog, actor, items, dry_run=dry_run)
    report.refused = refused + report.refused
    return report


def export(store: LocalStore, flt: EventFilter, fmt: str, out: Path, *, exercise: bool,
           sender_centre: str, include_zones: bool = True) -> str:
    """Write the export; returns a one-line description of what was written."""
    from console.models.exchange.geo import GeoError

    if fmt not in FORMATS:
        raise GeoError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    with store.session() as session:
        if fmt == "geojson":
            events, zones = export_geojson(session, flt, out, include_zones=include_zones,
                                           exercise=exercise)
            return f"{events} events and {zones} zones written to {out}"
        if fmt == "kml":
            events, zones = export_kml(session, flt, out, include_zones=include_zones,
                                       exercise=exercise)
            return f"{events} events and {zones} zones written to {out}"
        from console.models.eventlog.query import iter_events
        from console.models.exchange.geo import _atomic_write

        events_list = list(iter_events(session, flt))
        if out.suffix.lower() == ".xml":
            if len(events_list) != 1:
                raise GeoError(f"a CAP message holds one event and the filter selects "
                               f"{len(events_list)}: give a folder as --out, one file per event")
            _atomic_write(out, event_to_cap(events_list[0], sender_centre=sender_centre,
                                            exercise=exercise))
            return f"1 CAP alert written to {out}"
        out.mkdir(parents=True, exist_ok=True)
        for event in events_list:
            _atomic_write(out / f"{event.id}.xml",
                          event_to_cap(event, sender_centre=sender_centre, exercise=exercise))
        return f"{len(events_list)} CAP alerts written to {out}/"
