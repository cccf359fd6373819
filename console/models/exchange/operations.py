"""Import and export entry points shared by the command line and the dialogs."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.models.actor import Actor
from console.models.entities import Event
from console.models.eventlog.log import EventLog
from console.models.eventlog.query import EventFilter, iter_events
from console.models.exchange import EXPORT_FORMATS
from console.models.exchange.cap import CapError, read_alert
from console.models.exchange.cap_export import event_to_cap
from console.models.exchange.csvimport import CsvPreview, Progress, preview_csv
from console.models.exchange.csvwrite import CsvRefused, part, write_lines
from console.models.exchange.export import export_csv
from console.models.exchange.geo import GeoError, atomic_write, export_geojson, read_geojson_events
from console.models.exchange.importing import ImportReport, import_items
from console.models.exchange.kml_export import export_kml
from console.models.exchange.kml_import import read_kml_events
from console.models.exchange.trust import Deployment
from console.models.store import LocalStore
from console.models.timezones import store_centre_zone


def import_cap(eventlog: EventLog, actor: Actor, data: bytes, *, exercise: bool,
               dry_run: bool = False) -> ImportReport:
    """Import one CAP 1.2 message; CapError (nothing written) when it is refused."""
    alert = read_alert(data, exercise=exercise, deployment=Deployment.of_store(eventlog.store))
    report = import_items(eventlog, actor, [alert.incoming], dry_run=dry_run)
    if report.refused:
        label, why = report.refused[0]
        raise CapError(f"refused: {label}: {why}")
    return report


def import_cap_files(eventlog: EventLog, actor: Actor, files: list[tuple[str, bytes]], *,
                     exercise: bool, dry_run: bool = False) -> ImportReport:
    """Import several CAP messages: each refused file is reported with its reason (its name
    first), and the others are imported all the same."""
    total = ImportReport()
    for name, data in files:
        try:
            report = import_cap(eventlog, actor, data, exercise=exercise, dry_run=dry_run)
        except CapError as error:
            total.refused.append((name, str(error)))
            continue
        total.created += report.created
        total.already_present += [name] * len(report.already_present)
        total.warnings += [(name, why) for _, why in report.warnings]
        total.changes.merge(report.changes)
    return total


def import_csv(eventlog: EventLog, actor: Actor, data: bytes, source_label: str, *,
               dry_run: bool = False, skip_refused: bool = False, ambiguous: str = "refuse",
               progress: Progress | None = None) -> tuple[CsvPreview, ImportReport]:
    """Check every line, then import the file whole (one transaction) or not at all.

    With refused lines, CsvRefused (nothing written) unless `skip_refused`: then the accepted
    lines are imported and the refused ones reported. `progress(fraction, text)` follows both
    steps: reading (first half) and writing (second half).
    """
    preview = preview_csv(data, source_label, ambiguous=ambiguous,
                          tz=store_centre_zone(eventlog.store, actor.centre_code),
                          progress=part(progress, 0.0, 0.5))
    if preview.refused and not (skip_refused or dry_run):
        raise CsvRefused(preview)
    report = write_lines(eventlog, actor, preview, dry_run=dry_run,
                         progress=part(progress, 0.5, 1.0))
    return preview, report


def import_geojson(eventlog: EventLog, actor: Actor, data: bytes, *,
                   dry_run: bool = False) -> ImportReport:
    items, refused = read_geojson_events(data, Deployment.of_store(eventlog.store))
    report = import_items(eventlog, actor, items, dry_run=dry_run)
    report.refused = refused + report.refused
    return report


def import_kml(eventlog: EventLog, actor: Actor, data: bytes, *,
               dry_run: bool = False) -> ImportReport:
    """Import the placemarks of a KML document; refused ones are listed with the reason."""
    items, refused = read_kml_events(data, Deployment.of_store(eventlog.store))
    report = import_items(eventlog, actor, items, dry_run=dry_run)
    report.refused = refused + report.refused
    return report


@dataclass(frozen=True)
class ExportResult:
    fmt: str
    path: Path
    events: int
    zones: int = 0

    def describe(self) -> str:
        """One line for the operator: what was written where."""
        if self.fmt == "cap":
            plural = "alert" if self.events == 1 else "alerts"
            where = f"{self.path}/" if self.path.is_dir() else str(self.path)
            return f"{self.events} CAP {plural} written to {where}"
        if self.fmt == "csv":
            return f"{self.events} events written to {self.path}"
        return f"{self.events} events and {self.zones} zones written to {self.path}"


def write_export(session: Session, flt: EventFilter, fmt: str, out: Path, *, exercise: bool,
                 sender_centre: str = "", include_zones: bool = True) -> ExportResult:
    """The one export of a filtered view, used by the log pane and `console export` alike."""
    if fmt not in EXPORT_FORMATS:
        raise GeoError(f"unknown format {fmt!r} (one of {', '.join(EXPORT_FORMATS)})")
    if fmt == "csv":
        return ExportResult(fmt, out, export_csv(session, flt, out))
    if fmt == "geojson":
        return ExportResult(fmt, out, *export_geojson(session, flt, out,
                                                      include_zones=include_zones,
                                                      exercise=exercise))
    if fmt == "kml":
        return ExportResult(fmt, out, *export_kml(session, flt, out, include_zones=include_zones,
                                                  exercise=exercise))
    return _write_cap(list(iter_events(session, flt)), out, exercise=exercise,
                      sender_centre=sender_centre)


def _write_cap(events: list[Event], out: Path, *, exercise: bool,
               sender_centre: str) -> ExportResult:
    """One CAP alert per event: a FILE.xml for exactly one event, else one file each in a folder."""
    if not sender_centre:
        raise GeoError("a CAP export needs the sending centre")
    if out.suffix.lower() == ".xml":
        if len(events) != 1:
            raise GeoError(f"a CAP message holds one event and the filter selects "
                           f"{len(events)}: give a folder as --out, one file per event")
        atomic_write(out, event_to_cap(events[0], sender_centre=sender_centre, exercise=exercise))
        return ExportResult("cap", out, 1)
    out.mkdir(parents=True, exist_ok=True)
    for event in events:
        atomic_write(out / f"{event.id}.xml",
                     event_to_cap(event, sender_centre=sender_centre, exercise=exercise))
    return ExportResult("cap", out, len(events))


def export(store: LocalStore, flt: EventFilter, fmt: str, out: Path, *, exercise: bool,
           sender_centre: str, include_zones: bool = True) -> str:
    """Write the export; returns a one-line description of what was written."""
    with store.session() as session:
        return write_export(session, flt, fmt, out, exercise=exercise,
                            sender_centre=sender_centre, include_zones=include_zones).describe()


def export_event(store: LocalStore, event_id: uuid.UUID, fmt: str, out: Path, *, exercise: bool,
                 sender_centre: str) -> str:
    """Export a single event (any format, without zones)."""
    with store.session() as session:
        event = session.scalar(select(Event).where(Event.id == event_id))
        if event is None:
            raise ValueError(f"no event {event_id}")
        if fmt == "cap":
            target = out / f"{event.id}.xml" if out.is_dir() else out
            return _write_cap([event], target, exercise=exercise,
                              sender_centre=sender_centre).describe()
        # The filter has no id criterion: the event's exact time and centre select it.
        flt = EventFilter(time_from=event.occurred_at,
                          time_to=event.occurred_at + timedelta(microseconds=1),
                          centres={event.centre_code})
        return write_export(session, flt, fmt, out, exercise=exercise,
                            sender_centre=sender_centre, include_zones=False).describe()
