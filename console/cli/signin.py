"""Signing in for a sub-command that uses a user's local cache: the GUI's sign-in, headless.

`console report`, `export`, `roster export` and `import-*` share this: `--user`, the password
from the keyring or typed at the terminal (console.models.security.headless), and that user's
own cache, checked before anything is read or written.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from console.models.security.headless import CliSession, StoreCheck


def user_arguments(parser: argparse.ArgumentParser) -> None:
    """--user and --store: the command acts as that signed-in user on their own cache."""
    parser.add_argument("--user", help="sign in as this user (password from the keyring, or "
                        "asked for); the command uses that user's own cache and is recorded in "
                        "the audit trail under that name")
    parser.add_argument("--store", type=Path,
                        help="local store file (default: the signed-in user's own cache)")


def cli_sign_in(args: argparse.Namespace, store: Path | None,
                check: StoreCheck | None = None) -> AbstractContextManager[CliSession]:
    """Sign in for a command that uses a store (the same sign-in as the GUI); `check` says when
    the store is fit (default: it holds events)."""
    import getpass

    from console.models.security.headless import require_filled, signed_in
    from console.views.shell.preferences import effective_central_url

    prompt = getpass.getpass if sys.stdin is not None and sys.stdin.isatty() else None
    return signed_in(args.user, central_url=effective_central_url(getattr(args, "central", None)),
                     demo=bool(getattr(args, "demo", False)), prompt=prompt, store=store,
                     check=check or require_filled)
