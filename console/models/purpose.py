"""Real or exercise: every store says which it holds, so exercise data never mixes with real events.

A local cache and a central database are stamped when first used; opening one in a session of
the other kind is refused with a clear message instead of silently mixing the two.
"""
from __future__ import annotations

from sqlalchemy import Connection, insert, select

from console.models.local_tables import SyncState
from console.models.store import LocalStore

PURPOSE_KEY = "purpose"
REAL, EXERCISE = "real", "exercise"


class PurposeMismatch(RuntimeError):
    """A store of exercise data opened in a real session, or the reverse."""


def purpose_of(exercise: bool) -> str:
    return EXERCISE if exercise else REAL


def _refusal(what: str, holds: str, wanted: str) -> PurposeMismatch:
    switch = "with" if holds == EXERCISE else "without"
    return PurposeMismatch(f"{what} holds {holds} data but this session is {wanted}: start the "
                           f"console {switch} --exercise to use it")


def check_local(store: LocalStore, exercise: bool) -> None:
    """Stamp a new local cache, or refuse one of the other kind."""
    wanted = purpose_of(exercise)
    with store.transaction() as session:
        row = session.get(SyncState, PURPOSE_KEY)
        if row is None:
            session.add(SyncState(key=PURPOSE_KEY, value=wanted))
        elif row.value != wanted:
            raise _refusal("this local cache", row.value, wanted)


def check_central(connection: Connection, exercise: bool, *, stamp: bool = False) -> None:
    """Refuse a central database of the other kind; `stamp` marks an unmarked one (set-up time).

    A central database that was never stamped holds real data.
    """
    from console.models.central_tables import CentralMeta

    wanted = purpose_of(exercise)
    holds = connection.scalar(select(CentralMeta.value).where(CentralMeta.key == PURPOSE_KEY))
    if holds is None and stamp:
        connection.execute(insert(CentralMeta).values(key=PURPOSE_KEY, value=wanted))
        return
    if (holds or REAL) != wanted:
        raise _refusal("the central database", holds or REAL, wanted)
