"""Sign-in for the command line: the same Authenticator as the GUI, the same per-user cache.

A command that reads or writes a user's local cache (`console export`, `report`, `roster
export`, `import-*`) acts as that signed-in user: the password comes from the keyring, or is
asked for (never from an argument or an environment variable), the sign-in is recorded in the
trail, what the command did is traced, and an empty or missing cache is an error (an empty
report would look like a quiet night; an import into a cache never synchronised would reach no
one).
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from console.models.security.signin import Authenticator, SignedIn, SignInError

Prompt = Callable[[str], str]  # asks for a password (getpass.getpass on a terminal)


class HeadlessError(RuntimeError):
    """Why the command cannot act as a signed-in user on a filled store (shown as is)."""


def user_store_path(username: str) -> Path:
    """The user's own cache, named as the GUI names it (console/views/shell/app.py)."""
    from console.config import local_store_path

    return local_store_path().with_name(f"local-{username}.sqlite3")


def authenticator_for(central_url: str | None, demo: bool) -> Authenticator:
    """As the GUI: the configured central, else the embedded central (demo users allowed)."""
    if central_url:
        return Authenticator(central_url=central_url)
    from console.config import embedded_central_path

    path = embedded_central_path()
    if not path.exists():
        raise HeadlessError(f"no central database configured and no embedded central at {path}: "
                            "give --central URL, or start the console once")
    return Authenticator(embedded_url=f"sqlite:///{path}", demo=True)


def _password(auth: Authenticator, username: str, prompt: Prompt | None) -> str:
    remembered = auth.remembered_password(username)
    if remembered is not None:
        return remembered
    if auth.embedded_url and auth.demo and not _has_local_password(auth, username):
        return ""  # the embedded demo's users have no password
    if prompt is None:
        raise HeadlessError(f"no password for {username} in the system keyring and no terminal "
                            "to ask for it")
    return prompt(f"Password for {username}: ")


def _has_local_password(auth: Authenticator, username: str) -> bool:
    from console.models.security.credentials import get_offline_record

    return get_offline_record(auth.account(username)) is not None


def sign_in(username: str | None, *, central_url: str | None, demo: bool,
            prompt: Prompt | None) -> tuple[Authenticator, SignedIn]:
    """Sign in as the GUI does; HeadlessError with a message fit for a terminal otherwise."""
    username = (username or os.environ.get("CONSOLE_USER") or "").strip()
    if not username:
        raise HeadlessError("say who you are: --user NAME (the command reads that user's cache "
                            "and is recorded in the audit trail under that name)")
    auth = authenticator_for(central_url, demo)
    try:
        return auth, auth.sign_in(username, _password(auth, username, prompt))
    except SignInError as error:
        raise HeadlessError(f"sign-in refused: {error}") from None


def _count_rows(path: Path, entity_name: str) -> int:
    """Rows of one table of the local store at `path` (which exists)."""
    from sqlalchemy import func, select

    from console.models import entities
    from console.models.store import LocalStore

    store = LocalStore(path)
    try:
        with store.session() as session:
            entity = getattr(entities, entity_name)
            return session.scalar(select(func.count()).select_from(entity)) or 0
    finally:
        store.close()


def require_filled(path: Path) -> None:
    """A missing store, or one without a single event, is an error, never an empty result."""
    if not path.exists():
        raise HeadlessError(f"no local cache at {path}: sign in with the console once (or "
                            "give --store FILE) so that it is filled")
    if not _count_rows(path, "Event"):
        raise HeadlessError(f"the local cache {path} holds no event: nothing to read (has it "
                            "been synchronised?)")


def require_synchronised(path: Path) -> None:
    """A missing store, or one that never received the reference data (centres) from the central,
    is an error: what a command would write there would belong to no known centre."""
    if not path.exists():
        raise HeadlessError(f"no local cache at {path}: sign in with the console once (or "
                            "give --store FILE) so that it is synchronised")
    if not _count_rows(path, "Centre"):
        raise HeadlessError(f"the local cache {path} is empty (no centre): sign in with the "
                            "console once so that it is synchronised")


StoreCheck = Callable[[Path], None]


@dataclass
class CliSession:
    """A signed-in command: its store, and how to trace what it read."""

    authenticator: Authenticator
    session: SignedIn
    store_path: Path

    def trace(self, kind: str, detail: dict[str, Any]) -> None:
        self.authenticator.trace(self.session, kind, {**detail, "via": "cli"})

    def require_centre(self, centre: str | None) -> None:
        if centre and centre not in self.session.policy.centres:
            raise HeadlessError(f"{self.session.actor.username} may not read centre {centre}")


@contextmanager
def signed_in(username: str | None, *, central_url: str | None, demo: bool,
              prompt: Prompt | None, store: Path | None = None,
              check: StoreCheck = require_filled) -> Iterator[CliSession]:
    """Sign in, check the store (`require_filled` for a read of events), yield; sign out
    (recorded) whatever happens."""
    auth, session = sign_in(username, central_url=central_url, demo=demo, prompt=prompt)
    try:
        own = user_store_path(session.actor.username)
        path = store or own
        if path.name != own.name and path.name.startswith("local-"):
            raise HeadlessError(f"{path} is another user's cache: sign in as that user")
        check(path)
        yield CliSession(auth, session, path)
    finally:
        auth.sign_out(session)
