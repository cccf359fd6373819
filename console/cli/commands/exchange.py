"""`console import-cap`, `import-csv`, `import-geojson` and `export`: exchange with other systems.

Every one of them acts as a signed-in user (--user, as the GUI signs in) on that user's own cache:
imports carry that user as author and are refused to a user who may not write events.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:

    from console.cli.commands import Subparsers
    from console.models.actor import Actor
    from console.models.eventlog.log import EventLog
    from console.models.exchange.importing import ImportReport

from console.cli.signin import user_arguments
from console.models.exchange import EXPORT_FORMATS

# what an import does once signed in: (event log, author) -> (exit code, what to trace)
ImportWork = Callable[["EventLog", "Actor"], tuple[int, dict[str, object]]]


def register(subparsers: Subparsers) -> None:
    cap = subparsers.add_parser(
        "import-cap", help="import OASIS CAP 1.2 alert(s) as events",
        description="Each file is validated against the CAP 1.2 schema; DTDs and entities are "
                    "refused. An alert already imported is not imported again. The events are "
                    "written in the signed-in user's name (--user).")
    cap.add_argument("files", nargs="+", type=Path, metavar="FILE")
    cap.add_argument("--dry-run", action="store_true", help="check only, write nothing")
    user_arguments(cap)
    cap.set_defaults(handler=run_import_cap)

    csv = subparsers.add_parser(
        "import-csv", help="import events from another log's CSV file",
        description="Every line is checked first; a file with refused lines is refused whole "
                    "(each line listed with the reason) unless --skip-refused. The lines are "
                    "written in one transaction: all or none. Lines already imported (same "
                    "source and identifier) are skipped. The events are written in the "
                    "signed-in user's name (--user). Progress goes to stderr.")
    csv.add_argument("file", type=Path, metavar="FILE")
    csv.add_argument("--dry-run", action="store_true", help="preview only, write nothing")
    csv.add_argument("--source", help="name of the other log (default: the file name)")
    csv.add_argument("--skip-refused", action="store_true",
                     help="import the valid lines and only list the refused ones")
    csv.add_argument("--ambiguous-times", choices=("refuse", "earlier", "later"),
                     default="refuse",
                     help="a local time that happens twice when the clocks go back: refuse "
                          "the line (default), or take the earlier (summer) or later one")
    user_arguments(csv)
    csv.set_defaults(handler=run_import_csv)

    geo = subparsers.add_parser(
        "import-geojson", help="import events of a console GeoJSON export",
        description="The events are written in the signed-in user's name (--user).")
    geo.add_argument("file", type=Path, metavar="FILE")
    geo.add_argument("--dry-run", action="store_true", help="check only, write nothing")
    user_arguments(geo)
    geo.set_defaults(handler=run_import_geojson)

    kml = subparsers.add_parser(
        "import-kml", help="import the placemarks of a KML document as events",
        description="Points, polygons and lines, with name, description and time; a console's "
                    "own KML keeps its fields. The events are written in the signed-in user's "
                    "name (--user).")
    kml.add_argument("file", type=Path, metavar="FILE")
    kml.add_argument("--dry-run", action="store_true", help="check only, write nothing")
    user_arguments(kml)
    kml.set_defaults(handler=run_import_kml)

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
    user_arguments(export)
    export.set_defaults(handler=run_export)


def _fail(command: str, message: str) -> int:
    print(f"console {command}: {message}", file=sys.stderr)
    return 2


def _signed_import(args: argparse.Namespace, command: str, work: ImportWork) -> int:
    """Sign in, check the user's cache and their right to write events, run `work` in their
    name, and trace the import; exit 2 with a message when any of that is refused."""
    from console.cli.signin import cli_sign_in
    from console.config import exercise_session
    from console.models.eventlog.log import EventLog
    from console.models.outbox import NotAllowed
    from console.models.purpose import PurposeMismatch, check_local
    from console.models.security.headless import HeadlessError, require_synchronised
    from console.models.security.roles import Action
    from console.models.store import LocalStore

    try:
        with cli_sign_in(args, args.store, check=require_synchronised) as signed:
            for notice in signed.session.notices:  # e.g. an insecure keyring, refused
                print(f"console {command}: {notice}", file=sys.stderr)
            actor, policy = signed.session.actor, signed.session.policy
            policy.require(actor, Action.CREATE, actor.centre_code)  # before reading any file
            store = LocalStore(signed.store_path)
            try:
                check_local(store, exercise_session())  # never real events in an exercise cache
                eventlog = EventLog(store)
                eventlog.access = policy  # the same rules as the GUI, whatever the mode
                code, detail = work(eventlog, actor)
            finally:
                store.close()
            if detail:
                signed.trace("import", {"command": command, "dry_run": args.dry_run,
                                        "store": str(signed.store_path), **detail})
            return code
    except (HeadlessError, NotAllowed, PurposeMismatch) as error:
        return _fail(command, str(error))


def _counts(report: ImportReport) -> dict[str, object]:
    return {"created": len(report.created), "already_present": len(report.already_present),
            "refused": len(report.refused)}


def _print_report(report: ImportReport, dry_run: bool) -> None:
    verb = "would import" if dry_run else "imported"
    print(f"{verb}: {len(report.created)}, already present: {len(report.already_present)}, "
          f"refused: {len(report.refused)}")
    for label, why in report.refused:
        print(f"  refused {label}: {why}")
    for label, what in report.warnings:  # e.g. a text cut at its limit, a foreign author
        print(f"  warning {label}: {what}")


def _progress() -> Callable[[float, str], None]:
    """A progress callback printing a line to stderr at each tenth of the work."""
    shown = [-1]

    def progress(fraction: float, text: str = "") -> None:
        tenth = int(fraction * 10)
        if tenth > shown[0]:
            shown[0] = tenth
            print(f"{fraction:4.0%} {text}", file=sys.stderr, flush=True)
    return progress


def run_import_cap(args: argparse.Namespace) -> int:
    from console.models.exchange.cap import CapError
    from console.models.exchange.operations import import_cap

    def work(eventlog: EventLog, actor: Actor) -> tuple[int, dict[str, object]]:
        results: dict[str, str] = {}
        for path in args.files:
            try:
                report = import_cap(eventlog, actor, path.read_bytes(),
                                    exercise=bool(getattr(args, "exercise", False)),
                                    dry_run=args.dry_run)
            except (CapError, OSError) as error:
                results[str(path)] = "refused"
                print(f"{path}: {error}", file=sys.stderr)
                continue
            state = "already present" if report.already_present else (
                "would be imported" if args.dry_run else "imported")
            results[str(path)] = state
            print(f"{path}: {state}")
            for _, what in report.warnings:  # e.g. a text cut at its limit, signature unchecked
                print(f"  warning: {what}")
        failed = sum(1 for state in results.values() if state == "refused")
        return (1 if failed else 0), {"files": results}

    return _signed_import(args, "import-cap", work)


def run_import_csv(args: argparse.Namespace) -> int:
    from console.models.exchange.csvimport import CsvError, source_label_for
    from console.models.exchange.csvwrite import CsvRefused
    from console.models.exchange.operations import import_csv

    def work(eventlog: EventLog, actor: Actor) -> tuple[int, dict[str, object]]:
        try:
            data = args.file.read_bytes()
            preview, report = import_csv(eventlog, actor, data,
                                         args.source or source_label_for(args.file),
                                         dry_run=args.dry_run, skip_refused=args.skip_refused,
                                         ambiguous=args.ambiguous_times, progress=_progress())
        except CsvRefused as error:  # nothing written: every refused line is listed
            print(f"console import-csv: {error}", file=sys.stderr)
            return 1, {}
        except (OSError, CsvError) as error:
            return _fail("import-csv", str(error)), {}
        columns = ", ".join(f"{ours}<-{theirs}" for ours, theirs in preview.columns.items())
        print(f"columns: {columns}")
        if preview.ignored_columns:
            print(f"ignored columns: {', '.join(preview.ignored_columns)}")
        _print_report(report, args.dry_run)
        if args.dry_run and report.refused and not args.skip_refused:
            print("the file would be refused whole: correct the lines above, or pass "
                  "--skip-refused to import the other lines only")
        return 0, {"file": str(args.file), **_counts(report)}

    return _signed_import(args, "import-csv", work)


def run_import_geojson(args: argparse.Namespace) -> int:
    from console.models.exchange.operations import import_geojson
    return _import_document(args, "import-geojson", import_geojson)


def run_import_kml(args: argparse.Namespace) -> int:
    from console.models.exchange.operations import import_kml
    return _import_document(args, "import-kml", import_kml)


def _import_document(args: argparse.Namespace, command: str,
                     importer: Callable[..., ImportReport]) -> int:
    """A GeoJSON or KML document: every feature checked, the refused ones listed."""
    from console.models.exchange.geo import GeoError

    def work(eventlog: EventLog, actor: Actor) -> tuple[int, dict[str, object]]:
        try:
            report = importer(eventlog, actor, args.file.read_bytes(), dry_run=args.dry_run)
        except (OSError, GeoError) as error:
            return _fail(command, str(error)), {}
        _print_report(report, args.dry_run)
        return 0, {"file": str(args.file), **_counts(report)}

    return _signed_import(args, command, work)


def run_export(args: argparse.Namespace) -> int:
    from console.cli.signin import cli_sign_in
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
