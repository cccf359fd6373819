"""`console roster export`: the published roster as calendars (.ics), a sheet (.csv) or a PDF.

It acts as a signed-in user (--user) on that user's own cache, as the GUI does: a shift manager
exports the whole roster of their centre, an operator only their own shifts.
"""
from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from console.cli.commands import Subparsers
    from console.models.actor import Actor
    from console.models.roster.service import RosterSnapshot

from console.cli.signin import user_arguments

FORMATS = ("ics", "csv", "pdf")


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("roster", help="the shift roster, headless")
    sub = parser.add_subparsers(dest="roster_command", metavar="ACTION", required=True)
    export = sub.add_parser(
        "export", help="export the published roster as calendars, CSV or PDF",
        description="Writes into --out DIR: with ics one calendar per operator (named after the "
                    "operator, with their id), with csv roster-CENTRE-START.csv, with pdf "
                    "roster-CENTRE-START.pdf (a table per week). Only a published roster is "
                    "exported: by default the one covering today, else the latest.")
    export.add_argument("--format", required=True, choices=FORMATS)
    export.add_argument("--out", required=True, type=Path, metavar="DIR",
                        help="folder to write into (created if missing)")
    export.add_argument("--roster", metavar="ID|NAME", help="this published roster")
    export.add_argument("--period", type=_day, metavar="YYYY-MM-DD",
                        help="the published roster covering this day")
    export.add_argument("--centre", help="roster of this centre (default: yours)")
    export.add_argument("--language", choices=("en", "fr"),
                        help="language of the calendars and the PDF (default: the console's)")
    user_arguments(export)
    export.set_defaults(handler=run_export)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a day: {text!r} (use e.g. 2026-07-29)") from None


def _fail(message: str) -> int:
    print(f"console roster export: {message}", file=sys.stderr)
    return 2


def run_export(args: argparse.Namespace) -> int:
    from console.cli.signin import cli_sign_in
    from console.models.roster.published import NoPublishedRoster
    from console.models.security.headless import HeadlessError, require_synchronised

    if args.out.exists() and not args.out.is_dir():
        return _fail(f"{args.out} is a file: --out names a folder")
    try:
        with cli_sign_in(args, args.store, check=require_synchronised) as signed:
            signed.require_centre(args.centre)
            for notice in signed.session.notices:
                print(f"console roster export: {notice}", file=sys.stderr)
            written, detail = _export(args, signed.store_path, signed.session.actor)
            signed.trace("export", detail)
    except (HeadlessError, NoPublishedRoster, OSError, ValueError) as error:
        return _fail(str(error))
    for path in written:
        print(path)
    print(f"{len(written)} file(s) written to {args.out}", file=sys.stderr)
    return 0


def _snapshot(args: argparse.Namespace, store_path: Path, actor: Actor) -> RosterSnapshot:
    from console.models.roster.published import published_roster
    from console.models.roster.service import RosterService
    from console.models.store import LocalStore
    from console.models.timezones import centre_zone

    store = LocalStore(store_path)
    try:
        centre = args.centre or actor.centre_code
        with store.session() as session:
            today = datetime.now(centre_zone(session, centre)).date()  # the centre's day
        roster = published_roster(store, centre, ref=args.roster, day=args.period, today=today)
        # The GUI's reading rule: an operator sees only their own shifts.
        return RosterService(store).snapshot(roster.id, actor)
    finally:
        store.close()


def _export(args: argparse.Namespace, store_path: Path,
            actor: Actor) -> tuple[list[Path], dict[str, object]]:
    """Write the chosen format; (files written, what to record in the audit trail)."""
    from console.models.roster.exports import export_calendars, write_roster_csv
    from console.views.reports.builder import ensure_application
    from console.views.roster.printing import export_pdf, shift_word
    from console.views.shell.i18n import install_translators

    snapshot = _snapshot(args, store_path, actor)
    ensure_application()  # type: ignore[no-untyped-call]  # a view's helper, not annotated yet
    install_translators(language=args.language)  # the PDF's and calendars' words
    roster = snapshot.roster
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"roster-{roster.centre_code}-{roster.start_day.isoformat()}"
    if args.format == "ics":
        written = export_calendars(snapshot, args.out, shift_word=shift_word())
    elif args.format == "csv":
        written = [write_roster_csv(snapshot, args.out / f"{stem}.csv")]
    else:
        written = [export_pdf(snapshot, args.out / f"{stem}.pdf",
                              exercise=bool(getattr(args, "exercise", False)))]
    return written, {"what": "roster", "format": args.format, "out": str(args.out),
                     "roster": str(roster.id), "roster_name": roster.name,
                     "centre": roster.centre_code, "shifts": len(snapshot.shifts),
                     "files": len(written), "store": str(store_path)}
