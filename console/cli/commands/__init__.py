"""Sub-commands of `console`: each module adds its parser with `register(subparsers)`."""
from __future__ import annotations

import argparse
import importlib
from typing import TypeAlias

COMMANDS: tuple[str, ...] = ("tiles", "report", "exchange", "roster", "user", "centre",
                             "audit", "init_central", "doctor")


# what ArgumentParser.add_subparsers() returns: argparse names its class privately
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def register_all(subparsers: Subparsers) -> None:
    for name in COMMANDS:
        importlib.import_module(f"{__name__}.{name}").register(subparsers)
