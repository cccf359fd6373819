"""Which imported files are trusted to say who wrote an event, where, and whether it is closed.

A console export carries the event's own identity (id, author, centre, status, closure) so that a
round trip keeps it. Those fields are believed only when the source is a console of this
deployment: its centre and its author are in this workstation's reference data (the centres it
may see and their users, as the central sends them; every centre in the embedded demo). A CAP
alert's `sender` must read `console:<centre code>`; a GeoJSON feature or KML placemark must
carry `centre_code` and `author`. This recognises a form, it does not authenticate: files are not
signed, so an export forged with real codes passes. The central still applies its own rules when
the import is pushed (an event is accepted only from its author's login).
Anything else is a foreign file: its console fields are ignored, and the event is a new import
by the importing user, in the importing user's centre, open, with its origin kept.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from console.models.entities import Centre, User
from console.models.store import LocalStore

CONSOLE_SENDER_PREFIX = "console:"


@dataclass(frozen=True)
class Provenance:
    """The identity a trusted console export gives an event (kept on re-import)."""

    centre_code: str
    author: str
    status: str = "open"
    closed_at: datetime | None = None  # aware; a time without offset is dropped (see below)


def aware_or_none(value: datetime | None, notices: list[str]) -> datetime | None:
    """A closure time without an offset cannot be placed: dropped (the import time is used)."""
    if value is not None and value.tzinfo is None:
        notices.append(f"closed_at {value.isoformat()} has no time zone: the import time is used")
        return None
    return value


@dataclass(frozen=True)
class Deployment:
    """The centres and users of this deployment, as known to this workstation."""

    centres: frozenset[str] = frozenset()
    users: frozenset[str] = frozenset()

    @classmethod
    def of_store(cls, store: LocalStore) -> Deployment:
        with store.session() as session:
            return cls(frozenset(session.scalars(select(Centre.code))),
                       frozenset(session.scalars(select(User.username))))

    def is_console_sender(self, sender: str) -> bool:
        """A CAP sender `console:<code>` naming one of this deployment's centres."""
        return sender.startswith(CONSOLE_SENDER_PREFIX) and \
            sender[len(CONSOLE_SENDER_PREFIX):] in self.centres

    def vouches(self, centre_code: object, author: object) -> bool:
        """True when both name this deployment's centre and user."""
        return centre_code in self.centres and author in self.users
