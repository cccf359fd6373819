"""The command line: `console` and its sub-commands, doctor and self-test."""
from console.cli.main import main

__all__ = ["main"]
