"""Which published roster a reader means: by id or name, by a day it covers, or the current one."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from console.models.roster.tables import Roster
from console.models.store import LocalStore


class NoPublishedRoster(LookupError):
    """No published roster matches: the message says what was looked for."""


def published_roster(store: LocalStore, centre: str, *, ref: str | None = None,
                     day: date | None = None, today: date | None = None) -> Roster:
    """The published roster of `centre` named by `ref` (id or name), else the one covering `day`,
    else the one covering `today`, else the latest one published. Drafts are never exported:
    what operators read must be what the manager published."""
    with store.session() as session:
        rosters = list(session.scalars(select(Roster).where(
            Roster.centre_code == centre, Roster.deleted.is_(False),
            Roster.status == "published").order_by(Roster.start_day.desc())))
    if not rosters:
        raise NoPublishedRoster(f"no published roster for centre {centre} in this cache")
    if ref:
        found = [r for r in rosters if str(r.id) == ref.strip().lower() or r.name == ref]
        if len(found) != 1:
            names = "; ".join(f"{r.name} ({r.id})" for r in rosters[:10])
            what = "several" if found else "no"
            raise NoPublishedRoster(f"{what} published roster of centre {centre} called {ref!r}: "
                                    f"give the id of one of: {names}")
        return found[0]
    for wanted in (day, today):
        if wanted is None:
            continue
        covering = [r for r in rosters if r.start_day <= wanted < r.end_day]
        if covering:
            return covering[0]
        if wanted is day:
            raise NoPublishedRoster(f"no published roster of centre {centre} covers {day}")
    return rosters[0]
