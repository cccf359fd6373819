"""Asking the person at the terminal for a new password: never from an argument."""
from __future__ import annotations

import getpass
import sys


def new_password(*, skip: bool, from_stdin: bool, prompt: str, mismatch: str) -> str | None:
    """None with `skip`; one line of standard input with `from_stdin`; else typed twice (the two
    must agree, or SystemExit with `mismatch`)."""
    if skip:
        return None
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(prompt)
    if first != getpass.getpass("again: "):
        raise SystemExit(mismatch)
    return first
