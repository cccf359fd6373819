"""Sub-commands of `console`: each module adds its parser with `register(subparsers)`."""
from __future__ import annotations

import importlib

COMMANDS: tuple[str, ...] = ("tiles", "report", "exchange", "user", "audit", "init_central",
                             "doctor")


def register_all(subparsers) -> None:  # noqa: ANN001 (argparse's private type)
    for name in COMMANDS:
        importlib.import_module(f"{__name__}.{name}").register(subparsers)
