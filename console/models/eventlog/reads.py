"""What the event log's views read and save, each call opening its own session on the store.

The views call these through the operation runner (or, for the lazy table's pages, directly: Qt
asks for rows synchronously); they never open a session themselves.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from console.models.changes import Changes
from console.models.entities import Event
from console.models.eventlog.log import EventLog, StatusConflict, status_conflicts, status_outcome
from console.models.eventlog.query import (
    EventFilter,
    centre_codes,
    count_events,
    delete_saved_filter,
    latest_pk,
    page_of_events,
    position_of,
    save_filter,
    saved_filters,
)
from console.models.store import LocalStore
from console.models.timezones import DEFAULT_TIMEZONE

# -- the lazy table's snapshot ------------------------------------------------------------------

def table_snapshot(store: LocalStore, flt: EventFilter) -> tuple[int, int]:
    """(newest local key, row count) of a filter: what a fresh table snapshot shows."""
    with store.session() as session:
        return latest_pk(session), count_events(session, flt)


def unseen_count(store: LocalStore, flt: EventFilter, max_pk: int, shown: int) -> int:
    """Entries of the filter that arrived after a snapshot of `shown` rows up to `max_pk`."""
    with store.session() as session:
        if latest_pk(session) <= max_pk:
            return 0
        return max(0, count_events(session, flt) - shown)


def snapshot_page(store: LocalStore, flt: EventFilter, offset: int, limit: int,
                  max_pk: int) -> list[Any]:
    with store.session() as session:
        # The snapshot bound is only needed once newer rows exist.
        bound = max_pk if latest_pk(session) > max_pk else None
        return page_of_events(session, flt, offset, limit, bound)


def snapshot_position(store: LocalStore, flt: EventFilter, event_id: uuid.UUID,
                      max_pk: int) -> int | None:
    with store.session() as session:
        return position_of(session, flt, event_id, max_pk)


def conflicted_events(store: LocalStore, event_ids: list[uuid.UUID],
                      ) -> dict[uuid.UUID, list[StatusConflict]]:
    """Status conflicts of a page's events (closure wins: a later change was kept, not applied)."""
    with store.session() as session:
        return status_conflicts(session, event_ids)


def search_titles(store: LocalStore, text: str, limit: int = 50) -> list[Any]:
    """Rows of the entries matching free text, newest first (the link dialog's search)."""
    with store.session() as session:
        return page_of_events(session, EventFilter(text=text), 0, limit)


# -- reference data -----------------------------------------------------------------------------

def known_centres(store: LocalStore) -> list[str]:
    with store.session() as session:
        return centre_codes(session)


def centre_timezone_name(store: LocalStore, centre_code: str) -> str:
    """The IANA zone of a centre (console.models.timezones, the one resolver)."""
    from console.models.timezones import store_centre_zone

    return store_centre_zone(store, centre_code).key


# -- saved views and exports --------------------------------------------------------------------

def saved_view_names(store: LocalStore, username: str) -> list[str]:
    with store.session() as session:
        return list(saved_filters(session, username))


def saved_view(store: LocalStore, username: str, name: str) -> EventFilter | None:
    with store.session() as session:
        return saved_filters(session, username).get(name)


def store_saved_view(store: LocalStore, username: str, name: str,
                     flt: EventFilter) -> tuple[list[str], Changes]:
    """Save a view; returns the names of the user's views (local only: nothing to publish)."""
    with store.transaction() as session:
        save_filter(session, username, name, flt)
    return saved_view_names(store, username), Changes()


def remove_saved_view(store: LocalStore, username: str, name: str) -> tuple[list[str], Changes]:
    with store.transaction() as session:
        delete_saved_filter(session, username, name)
    return saved_view_names(store, username), Changes()


def export_view(store: LocalStore, kind: str, flt: EventFilter, path: Path, *,
                exercise: bool = False) -> int:
    """Write the filter's entries with the one exporter the command line uses too; returns how
    many entries were written."""
    from console.models.exchange.operations import write_export

    with store.session() as session:
        return write_export(session, flt, kind, path, exercise=exercise).events


# -- one entry and its thread -------------------------------------------------------------------

@dataclass
class EventDetail:
    """Everything the detail panel shows of one entry, read in one go off the GUI thread."""

    event: Event
    on_duty: list[Any] = field(default_factory=list)
    links: list[tuple[Any, Event]] = field(default_factory=list)
    thread: list[Any] = field(default_factory=list)
    timezone: str = DEFAULT_TIMEZONE
    # Status changes written after the closure, kept but not applied (closure wins).
    conflicts: list[StatusConflict] = field(default_factory=list)


def event_detail(eventlog: EventLog, event_id: uuid.UUID, centre_code: str) -> EventDetail | None:
    event = eventlog.event(event_id)
    if event is None:
        return None
    thread = eventlog.thread(event_id)
    return EventDetail(event=event, on_duty=eventlog.on_duty_when_written(event),
                       links=eventlog.links(event_id), thread=thread,
                       timezone=centre_timezone_name(eventlog.store, centre_code),
                       conflicts=status_outcome(thread).conflicts)
