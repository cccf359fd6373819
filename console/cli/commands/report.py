"""`console report`: a situation report (PDF and/or HTML) for a period and a scope, headless."""
from __future__ import annotations

import argparse
import re
import sys
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from console.cli.signin import user_arguments

if TYPE_CHECKING:
    from console.cli.commands import Subparsers
    from console.models.store import LocalStore

RELATIVE = re.compile(r"^-(\d+(?:\.\d+)?)\s*([mhd])$")


def parse_when(text: str, tz: ZoneInfo, now: datetime) -> datetime:
    """'now', '-24h' / '-90m' / '-7d', or an ISO date-time (local to `tz` when it has no offset)."""
    value = text.strip()
    if value == "now":
        return now
    match = RELATIVE.match(value)
    if match:
        amount, unit = float(match.group(1)), match.group(2)
        unit_name = {"m": "minutes", "h": "hours", "d": "days"}[unit]
        return now - timedelta(**{unit_name: amount})
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{text!r} is not a date-time: use e.g. 2024-07-26T18:00, "
                         f"2024-07-26T16:00+00:00, now, -24h or -7d") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "report", help="situation report (PDF, HTML) for a period",
        description="Build a situation report from the local store. Times without an offset are "
                    "local to the centre (Europe/Paris when none is given). Progress goes to stderr. "
                    "Run `console --exercise report ...` in an exercise session: every page is "
                    "marked EXERCICE / EXERCISE.")
    parser.add_argument("--from", dest="time_from", default="-24h",
                        help="start: ISO date-time, 'now', '-24h', '-7d' (default -24h)")
    parser.add_argument("--to", dest="time_to", default="now", help="end (default now)")
    parser.add_argument("--out", type=Path, help="PDF file to write")
    parser.add_argument("--html", type=Path, help="HTML file to write (self-contained)")
    parser.add_argument("--centre", help="only this centre's events (code, e.g. PP)")
    parser.add_argument("--zone", help="only events of this zone (id or name)")
    parser.add_argument("--category", help="only this category (security, health, ...)")
    user_arguments(parser)
    parser.add_argument("--language", choices=("fr", "en"),
                        help="language of the report (default: the last one chosen for a report "
                             "in the console, else the interface's)")
    parser.add_argument("--template", type=Path,
                        help="HTML template to use instead of the centre's one")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.set_defaults(handler=run)


def _fail(message: str) -> int:
    print(f"console report: {message}", file=sys.stderr)
    return 2


def _zone_id(store: LocalStore, text: str) -> uuid.UUID:
    from sqlalchemy import select

    from console.models.entities import Zone

    try:
        return uuid.UUID(text)
    except ValueError:
        pass
    with store.session() as session:
        ids = list(session.scalars(select(Zone.id).where(Zone.name == text)))
    if len(ids) != 1:
        raise ValueError(f"zone {text!r}: {'no zone' if not ids else 'several zones'} "
                         f"with that name; give its id")
    return ids[0]


def _default_language() -> str:
    from console.views.shell.i18n import report_language

    return report_language()


def run(args: argparse.Namespace) -> int:
    if args.out is None and args.html is None:
        return _fail("give --out FILE.pdf and/or --html FILE.html")
    for path in (args.out, args.html):
        if path is not None and not path.parent.exists():
            return _fail(f"folder {path.parent} does not exist")
    from console.cli.signin import cli_sign_in
    from console.models.security.headless import HeadlessError

    try:
        with cli_sign_in(args, args.store) as signed:
            signed.require_centre(args.centre)
            for notice in signed.session.notices:  # e.g. an insecure keyring, refused
                print(f"console report: {notice}", file=sys.stderr)
            code, detail = _build(args, signed.store_path, signed.session.actor.label)
            if code == 0:
                signed.trace("report", detail)
            return code
    except HeadlessError as error:
        return _fail(str(error))


def _build(args: argparse.Namespace, store_path: Path,
           author: str) -> tuple[int, dict[str, object]]:
    """Build the report from the signed-in user's store; (exit code, what was read)."""
    from console.models.base import utcnow
    from console.models.reports.data import ReportRequest
    from console.models.reports.template import TemplateError
    from console.models.store import LocalStore
    from console.models.timezones import store_centre_zone
    from console.views.reports.builder import build_report, ensure_application

    store = LocalStore(store_path)
    try:
        now = utcnow()
        tz = store_centre_zone(store, args.centre)
        request = ReportRequest(
            time_from=parse_when(args.time_from, tz, now), time_to=parse_when(args.time_to, tz, now),
            centre=args.centre, category=args.category,
            zone_id=_zone_id(store, args.zone) if args.zone else None,
            exercise=bool(getattr(args, "exercise", False)), author=author,
            language=args.language or _default_language())
        request.validate()
        template_text = args.template.read_text(encoding="utf-8") if args.template else None
    except (ValueError, OSError) as error:
        store.close()
        return _fail(str(error)), {}
    ensure_application()  # type: ignore[no-untyped-call]  # a view's helper, not annotated yet

    def progress(step: int, steps: int, label: str) -> None:
        if not args.quiet:
            filled = int(20 * step / steps)
            print(f"\r[{'#' * filled}{'.' * (20 - filled)}] {step}/{steps} {label:<10}",
                  end="" if step < steps else "\n", file=sys.stderr, flush=True)

    try:
        result = build_report(store, request, args.out, args.html, progress=progress,
                              template_text=template_text)
    except (TemplateError, ValueError, OSError) as error:
        return _fail(str(error)), {}
    finally:
        store.close()
    written = ", ".join(str(p) for p in (result.pdf, result.html) if p)
    print(f"report written: {written} ({result.pages} pages, {result.data.figures.total} events, "
          f"{result.seconds:.1f} s)", file=sys.stderr)
    return 0, {"files": [str(p) for p in (result.pdf, result.html) if p],
               "from": request.time_from.isoformat(), "to": request.time_to.isoformat(),
               "centre": args.centre, "category": args.category, "zone": args.zone,
               "events": result.data.figures.total, "store": str(store_path)}
