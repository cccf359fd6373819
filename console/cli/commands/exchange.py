"""`console import-cap`, `import-csv`, `import-geojson` and `export`: exchange with other systems."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import uuid

    from console.cli.commands import Subparsers
    from console.models.actor import Actor
    from console.models.eventlog.log import EventLog
    from console.models.exchange.importing import ImportReport
    from console.models.store import LocalStore


def _store_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", type=Path,
                        help="local store file (default: the console's local store)")


def register(subparsers: Subparsers) -> None:
    cap = subparsers.add_parser(
        "import-cap", help="import OASIS CAP 1.2 alert(s) as events",
        description="Each file is validated against the CAP 1.2 schema; DTDs and entities are "
                    "refused. An alert already imported is not imported again.")
    cap.add_argument("files", nargs="+", type=Path, metavar="FILE")
    cap.add_argument("--dry-run", action="store_true", help="check only, write nothing")
    _store_argument(cap)
    cap.set_defaults(handler=run_import_cap)

    csv = subparsers.add_parser(
        "import-csv", help="import events from another log's CSV file",
        description="Lines are checked one by one; refused lines are listed with the reason. "
                    "Lines already imported (same source and identifier) are skipped.")
    csv.add_argument("file", type=Path, metavar="FILE")
    csv.add_argument("--dry-run", action="store_true", help="preview only, write nothing")
    csv.add_argument("--source", help="name of the other log (default: the file name)")
    _store_argument(csv)
    csv.set_defaults(handler=run_import_csv)

    geo = subparsers.add_parser("import-geojson", help="import events of a console GeoJSON export")
    geo.add_argument("file", type=Path, metavar="FILE")
    geo.add_argument("--dry-run", action="store_true", help="check only, write nothing")
    _store_argument(geo)
    geo.set_defaults(handler=run_import_geojson)

    export = subparsers.add_parser(
        "export", help="export events (and zones) as GeoJSON, KML or CAP 1.2",
        description="CAP: --out FILE.xml for exactly one event, or a folder (one alert per "
                    "event). Times without an offset are Europe/Paris; use --from=-24h.")
    export.add_argument("--format", required=True, choices=("geojson", "kml", "cap"))
    export.add_argument("--out", required=True, type=Path)
    export.add_argument("--from", dest="time_from", help="start (ISO, now, -24h, -7d)")
    export.add_argument("--to", dest="time_to", help="end (ISO, now)")
    export.add_argument("--centre", help="only this centre's events")
    export.add_argument("--category", help="only this category")
    export.add_argument("--event", help="only this event (id)")
    export.add_argument("--no-zones", action="store_true", help="events only")
    _store_argument(export)
    export.set_defaults(handler=run_export)


def _fail(command: str, message: str) -> int:
    print(f"console {command}: {message}", file=sys.stderr)
    return 2


def _context(args: argparse.Namespace) -> tuple[LocalStore, EventLog, Actor]:
    from console.config import local_store_path
    from console.models.eventlog.log import EventLog
    from console.models.store import LocalStore
    from console.views.shell.app import DEMO_ACTOR

    if args.store is not None and not args.store.exists():
        raise FileNotFoundError(f"no store at {args.store}")
    store = LocalStore(args.store or local_store_path())
    return store, EventLog(store), DEMO_ACTOR


def _print_report(report: ImportReport, dry_run: bool) -> None:
    verb = "would import" if dry_run else "imported"
    print(f"{verb}: {len(report.created)}, already present: {len(report.already_present)}, "
          f"refused: {len(report.refused)}")
    for label, why in report.refused:
        print(f"  refused {label}: {why}")


def run_import_cap(args: argparse.Namespace) -> int:
    from console.models.exchange.cap import CapError
    from console.models.exchange.operations import import_cap

    try:
        store, eventlog, actor = _context(args)
    except FileNotFoundError as error:
        return _fail("import-cap", str(error))
    failures = 0
    try:
        for path in args.files:
            try:
                report = import_cap(eventlog, actor, path.read_bytes(),
                                    exercise=bool(getattr(args, "exercise", False)),
                                    dry_run=args.dry_run)
            except (CapError, OSError) as error:
                failures += 1
                print(f"{path}: {error}", file=sys.stderr)
                continue
            state = "already present" if report.already_present else (
                "would be imported" if args.dry_run else "imported")
            print(f"{path}: {state}")
    finally:
        store.close()
    return 1 if failures else 0


def run_import_csv(args: argparse.Namespace) -> int:
    from console.models.exchange.csvimport import CsvError, source_label_for
    from console.models.exchange.operations import import_csv

    try:
        store, eventlog, actor = _context(args)
        data = args.file.read_bytes()
    except OSError as error:
        return _fail("import-csv", str(error))
    try:
        preview, report = import_csv(eventlog, actor, data,
                                     args.source or source_label_for(args.file),
                                     dry_run=args.dry_run)
    except CsvError as error:
        return _fail("import-csv", str(error))
    finally:
        store.close()
    columns = ", ".join(f"{ours}<-{theirs}" for ours, theirs in preview.columns.items())
    print(f"columns: {columns}")
    if preview.ignored_columns:
        print(f"ignored columns: {', '.join(preview.ignored_columns)}")
    _print_report(report, args.dry_run)
    return 0


def run_import_geojson(args: argparse.Namespace) -> int:
    from console.models.exchange.geo import GeoError
    from console.models.exchange.operations import import_geojson

    try:
        store, eventlog, actor = _context(args)
        data = args.file.read_bytes()
    except OSError as error:
        return _fail("import-geojson", str(error))
    try:
        report = import_geojson(eventlog, actor, data, dry_run=args.dry_run)
    except GeoError as error:
        return _fail("import-geojson", str(error))
    finally:
        store.close()
    _print_report(report, args.dry_run)
    return 0


def run_export(args: argparse.Namespace) -> int:
    import uuid
    from zoneinfo import ZoneInfo

    from console.cli.commands.report import parse_when
    from console.models.base import utcnow
    from console.models.eventlog.query import EventFilter
    from console.models.exchange.geo import GeoError
    from console.models.exchange.operations import export

    try:
        store, _eventlog, actor = _context(args)
    except FileNotFoundError as error:
        return _fail("export", str(error))
    try:
        now, tz = utcnow(), ZoneInfo("Europe/Paris")
        flt = EventFilter(
            time_from=parse_when(args.time_from, tz, now) if args.time_from else None,
            time_to=parse_when(args.time_to, tz, now) if args.time_to else None,
            centres={args.centre} if args.centre else set(),
            categories={args.category} if args.category else set())
        if args.event:
            result = _export_one(store, uuid.UUID(args.event), args, actor.centre_code)
        else:
            result = export(store, flt, args.format, args.out,
                            exercise=bool(getattr(args, "exercise", False)),
                            sender_centre=actor.centre_code, include_zones=not args.no_zones)
    except (ValueError, GeoError, OSError) as error:
        return _fail("export", str(error))
    finally:
        store.close()
    print(result)
    return 0


def _export_one(store: LocalStore, event_id: uuid.UUID, args: argparse.Namespace,
                centre: str) -> str:
    """Export a single event (any format)."""
    from sqlalchemy import select

    from console.models.entities import Event
    from console.models.exchange.cap import event_to_cap
    from console.models.exchange.geo import _atomic_write

    with store.session() as session:
        event = session.scalar(select(Event).where(Event.id == event_id))
    if event is None:
        raise ValueError(f"no event {event_id}")
    exercise = bool(getattr(args, "exercise", False))
    if args.format == "cap":
        out = args.out / f"{event.id}.xml" if args.out.is_dir() else args.out
        _atomic_write(out, event_to_cap(event, sender_centre=centre, exercise=exercise))
        return f"1 CAP alert written to {out}"
    from datetime import timedelta

    from console.models.eventlog.query import EventFilter
    from console.models.exchange.operations import export

    # The filter has no id criterion: the event's exact time and centre select it.
    flt = EventFilter(time_from=event.occurred_at,
                      time_to=event.occurred_at + timedelta(microseconds=1),
                      centres={event.centre_code})
    return export(store, flt, args.format, args.out, exercise=exercise, sender_centre=centre,
                  include_zones=False)
