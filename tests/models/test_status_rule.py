"""The status rule, closure wins: once closed, only an explicit reopen changes the status; a later
status change is kept (never deleted), not applied, and shown as a conflict."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from console.models.actor import Actor
from console.models.entities import Event, FollowUp
from console.models.eventlog.log import EventLog, derive_state
from console.models.eventlog.reads import conflicted_events, event_detail
from console.models.store import LocalStore
from console.models.validation import EventDraft

ALICE = Actor("alice", "CNCS")
START = datetime(2026, 7, 14, 10, 0, tzinfo=UTC)


@pytest.fixture
def log(tmp_path) -> EventLog:
    return EventLog(LocalStore(tmp_path / "local.sqlite3"))


def event_with(log: EventLog, *changes: tuple[str, str]) -> Event:
    """An event whose status follow-ups (author, new status) arrived at the central in this
    order, one minute apart; its state derived as a workstation derives it after a pull."""
    event, _ = log.create_event(ALICE, EventDraft(title="Colis suspect", category="security",
                                                  severity=3))
    with log.store.transaction() as session:
        base = session.scalar(select(func.max(FollowUp.server_seq))) or 0
        for seq, (author, status) in enumerate(changes, start=base + 1):
            session.add(FollowUp(id=uuid.uuid4(), event_id=event.id, author=author,
                                 recorded_at=START + timedelta(minutes=seq), kind="status",
                                 text="", new_status=status, server_seq=seq))
        session.flush()
        stored = session.scalar(select(Event).where(Event.id == event.id))
        derive_state(session, stored)
    return log.event(event.id)


def conflicts_of(log: EventLog, event: Event) -> list[tuple[str, str, str]]:
    found = conflicted_events(log.store, [event.id]).get(event.id, [])
    return [(c.author, c.status, c.closed_by) for c in found]


def test_close_then_in_progress_stays_closed_with_a_conflict(log):
    event = event_with(log, ("alice", "closed"), ("bob", "in_progress"))
    assert event.status == "closed"
    assert event.closed_at.replace(tzinfo=UTC) == START + timedelta(minutes=1)
    assert conflicts_of(log, event) == [("bob", "in_progress", "alice")]
    # The losing follow-up is kept: the thread still has both.
    assert [f.new_status for f in log.thread(event.id)] == ["closed", "in_progress"]
    detail = event_detail(log, event.id, "CNCS")
    assert [(c.author, c.status, c.closed_by) for c in detail.conflicts] == \
        [("bob", "in_progress", "alice")]


def test_in_progress_then_close_is_closed_without_conflict(log):
    event = event_with(log, ("bob", "in_progress"), ("alice", "closed"))
    assert event.status == "closed" and event.closed_at is not None
    assert conflicts_of(log, event) == []
    assert event_detail(log, event.id, "CNCS").conflicts == []


def test_close_reopen_in_progress_works_as_before(log):
    event = event_with(log, ("alice", "closed"), ("bob", "open"), ("bob", "in_progress"))
    assert (event.status, event.closed_at) == ("in_progress", None)
    assert conflicts_of(log, event) == []


def test_two_closes_keep_the_first_closure_and_are_no_conflict(log):
    event = event_with(log, ("alice", "closed"), ("bob", "closed"))
    assert event.status == "closed"
    assert event.closed_at.replace(tzinfo=UTC) == START + timedelta(minutes=1)
    assert conflicts_of(log, event) == []


def test_a_reopen_settles_the_conflicts_before_it(log):
    event = event_with(log, ("alice", "closed"), ("bob", "in_progress"), ("carol", "open"))
    assert event.status == "open" and conflicts_of(log, event) == []
    again = event_with(log, ("alice", "closed"), ("bob", "in_progress"), ("carol", "open"),
                       ("carol", "closed"), ("dan", "in_progress"))
    assert again.status == "closed"
    assert conflicts_of(log, again) == [("dan", "in_progress", "carol")]


def test_a_pending_status_change_counts_after_the_pulled_closure(log):
    """On the workstation that set in progress offline, before its push: the closure pulled from
    the central comes first (server order), the local change last, so it is already a conflict."""
    event, _ = log.create_event(ALICE, EventDraft(title="Malaise", category="health", severity=2))
    log.add_follow_up(Actor("bob", "CNCS"), event.id, "status", new_status="in_progress")
    with log.store.transaction() as session:
        session.add(FollowUp(id=uuid.uuid4(), event_id=event.id, author="alice",
                             recorded_at=START, kind="status", text="", new_status="closed",
                             server_seq=1))
        session.flush()
        derive_state(session, session.scalar(select(Event).where(Event.id == event.id)))
    assert log.event(event.id).status == "closed"
    assert conflicts_of(log, log.event(event.id)) == [("bob", "in_progress", "alice")]
