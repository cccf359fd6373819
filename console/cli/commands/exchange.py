"""`console import-cap`, `import-csv`, `import-geojson` and `export`: exchange with other systems."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:

    from console.cli.commands import Subparsers
    from console.models.actor import Actor
    from console.models.eventlog.log import EventLog
    from console.models.exchange.importing import ImportReport
    from console.models.store import LocalStore

from console.cli.commands.report import user_arguments
from console.models.exchange import EXPORT_FORMATS


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
        "export", help="export events (and zones) as GeoJSON, KML, CAP 1.2 or CSV",
        description="CAP: --out FILE.xml for exactly one event, or a folder (one alert per "
                    "event). Times without an offset are in the centre's time zone (--centre, "
                    "else yours); use --from=-24h.")
    export.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    export.add_argument("--out", required=True, type=Path)
    export.add_argument("--from", dest="time_from", help="start (ISO, now, -24h, -7d)")
    export.add_argument("--to", dest="time_to", help="end (ISO, now)")
    export.add_argument("--centre", help="only this centre's events")
    export.add_argument("--category", help="only this category")
    export.add_argument("--event", help="only this event (id)")
    export.add_argument("--no-zones", action="store_true", help="events only")
    export.add_argument("--store", type=Path,
                        help="local store file (default: the signed-in user's own cache)")
    user_arguments(export)
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
    from console.cli.commands.report import cli_sign_in
    from console.models.security.headless import HeadlessError

    try:
        with cli_sign_in(args, args.store) as signed:
            signed.require_centre(args.centre)
            for notice in signed.session.notices:  # e.g. an insecure keyring, refused
                print(f"console export: {notice}", file=sys.stderr)
            code, detail = _export(args, signed.store_path, signed.session.actor,
                                   signed.session.policy.centres)
            if code == 0:
                signed.trace("export", detail)
            return code
    except HeadlessError as error:
        return _fail("export", str(error))


def _export(args: argparse.Namespace, store_path: Path, actor: Actor,
            visible: frozenset[str]) -> tuple[int, dict[str, object]]:
    """Export what the signed-in user may see of their store; (exit code, what was exported)."""
    import uuid

    from console.cli.commands.report import parse_when
    from console.models.base import utcnow
    from console.models.eventlog.query import EventFilter
    from console.models.exchange.geo import GeoError
    from console.models.exchange.operations import export, export_event
    from console.models.store import LocalStore
    from console.models.timezones import centre_zone

    store = LocalStore(store_path)
    exercise = bool(getattr(args, "exercise", False))
    try:
        with store.session() as session:
            tz = centre_zone(session, args.centre or actor.centre_code)
        now = utcnow()
        flt = EventFilter(
            time_from=parse_when(args.time_from, tz, now) if args.time_from else None,
            time_to=parse_when(args.time_to, tz, now) if args.time_to else None,
            centres={args.centre} if args.centre else set(visible),
            categories={args.category} if args.category else set())
        if args.event:
            result = export_event(store, uuid.UUID(args.event), args.format, args.out,
                                  exercise=exercise, sender_centre=actor.centre_code)
        else:
            result = export(store, flt, args.format, args.out, exercise=exercise,
                            sender_centre=actor.centre_code, include_zones=not args.no_zones)
    except (ValueError, GeoError, OSError) as error:
        return _fail("export", str(error)), {}
    finally:
        store.close()
    print(result)
    return 0, {"format": args.format, "out": str(args.out), "from": args.time_from,
               "to": args.time_to, "centre": args.centre, "category": args.category,
               "event": args.event, "zones": not args.no_zones, "result": str(result),
               "store": str(store_path)}
