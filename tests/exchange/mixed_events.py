"""Events of several centres and authors, some in progress, many closed: what round trips keep."""
from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from console.models.actor import Actor
from console.models.entities import Event
from console.models.enums import FollowUpKind
from console.models.eventlog.log import EventLog
from console.models.store import LocalStore
from console.models.validation import EventDraft

AUTHORS = [Actor(username="demo.operator", centre_code="CNCS", display_name="Camille Martin"),
           Actor(username="pp.op1", centre_code="PP", display_name="Lucas Bernard"),
           Actor(username="pp.op2", centre_code="PP", display_name="Inès Dubois"),
           Actor(username="cojop.op1", centre_code="COJOP", display_name="Emma Garcia")]
SUPERVISOR = Actor(username="demo.supervisor", centre_code="CNCS", role="supervisor",
                   display_name="Col. Antoine Leroy")
# The user who imports the files elsewhere: neither an author nor of those centres.
IMPORTER = Actor(username="pref13.op1", centre_code="PREF13", display_name="Sarah Fabre")


def make_mixed_events(eventlog: EventLog, count: int, seed: int = 13) -> None:
    """`count` events with positions, authors and centres varied, about half closed."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    for index in range(count):
        author = AUTHORS[index % len(AUTHORS)]
        event, _ = eventlog.create_event(author, EventDraft(
            title=f"Événement {index} « test »", description=f"Ligne 1\nLigne {index}",
            category=rng.choice(["crowd", "security", "health", "transport"]),
            severity=rng.randint(1, 4),
            occurred_at=now - timedelta(minutes=5 + index, microseconds=rng.randint(0, 999_999)),
            place=f"Lieu {index}", latitude=48.8 + rng.random() / 10,
            longitude=2.3 + rng.random() / 10, source="Patrouille",
            flagged_for_authorities=index % 3 == 0))
        draw = rng.random()
        if draw < 0.5:
            eventlog.add_follow_up(SUPERVISOR, event.id, FollowUpKind.STATUS,
                                   new_status="closed")
        elif draw < 0.7:
            eventlog.add_follow_up(author, event.id, FollowUpKind.STATUS,
                                   new_status="in_progress")


def tally(store: LocalStore) -> dict[tuple[str, str, str], int]:
    """Events per (status, centre, author), counted in SQL."""
    with store.session() as session:
        rows = session.execute(select(Event.status, Event.centre_code, Event.author,
                                      func.count()).group_by(Event.status, Event.centre_code,
                                                             Event.author))
        return {(status, centre, author): n for status, centre, author, n in rows}
