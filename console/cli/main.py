"""Command line: `console` opens the desktop app; sub-commands administer and operate it headless."""
from __future__ import annotations

import argparse
import os
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="console", description=__doc__)
    parser.add_argument("--demo", action="store_true",
                        help="open with the embedded central store and the Paris 2024 demo data")
    parser.add_argument("--central", metavar="URL",
                        help="central PostgreSQL URL (the password comes from the keyring)")
    parser.add_argument("--data-dir", metavar="DIR",
                        help="where the local cache lives (default: the user data directory)")
    parser.add_argument("--self-test", action="store_true",
                        help="open the window offscreen, write and read an event, exit 0 if fine")
    parser.add_argument("--start-time", action="store_true",
                        help="open the demo, print the seconds to the event log's first screen, "
                             "then quit (installation check; no window: QT_QPA_PLATFORM=offscreen)")
    parser.add_argument("--exercise", action="store_true",
                        help="run the whole session on exercise data, never mixed with real events")
    from console.cli.commands import register_all

    register_all(parser.add_subparsers(dest="command", metavar="COMMAND"))
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.data_dir:
        os.environ["CONSOLE_DATA_DIR"] = args.data_dir
    if args.exercise:
        # Exercise data lives in its own directory (local cache and embedded central), so an
        # exercise can never write into, or read from, the real log.
        from console.config import data_dir

        os.environ["CONSOLE_DATA_DIR"] = str(data_dir() / "exercise")
        os.environ["CONSOLE_EXERCISE"] = "1"
    if args.self_test:
        from console.cli.selftest import run_self_test

        return run_self_test()
    if args.start_time:
        from console.cli.start_time import measure_start_time

        return measure_start_time()
    if getattr(args, "handler", None):
        return int(args.handler(args) or 0)
    from console.views.shell.app import run_gui

    return run_gui(demo=args.demo, central_url=args.central)


if __name__ == "__main__":
    sys.exit(main())
