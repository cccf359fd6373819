"""Keep a user's local cache equal to what they may see when their rights change between sessions.

The change feed only brings changes made after the cursor: a supervisor given a new centre would
never receive its history, and one losing a centre would keep it. At sign-in the visible centres
are compared with those the cache was filled for: lost centres are purged (except rows still
waiting to be sent), gained centres make the next pull start again from the beginning (pulls
are idempotent upserts).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import delete, select

from console.models.entities import Event, EventLink, FollowUp, Zone
from console.models.store import LocalStore

STATE_KEY = "security_centres"


@dataclass
class CacheReport:
    purged_events: int = 0
    repull: bool = False


def reconcile_cache(store: LocalStore, centres: frozenset[str] | set[str]) -> CacheReport:
    from console.models.sync import local

    report = CacheReport()
    with store.transaction() as session:
        stored = local.get_state(session, STATE_KEY)
        before = set(json.loads(stored)) if stored else None
        now = set(centres)
        if before is None:
            # First sign-in on this cache (or a cache filled before this check existed): purge
            # anything outside the user's centres, and pull again if something may be missing.
            present = set(session.scalars(select(Event.centre_code).distinct()))
            lost, gained = present - now, now - present
            report.repull = bool(gained) and local.get_state(session, local.CURSOR) not in (None, "0")
        else:
            lost, gained = before - now, now - before
            report.repull = bool(gained)
        if lost:
            # Rows waiting in the outbox (server_seq NULL) are this user's own unsent work: kept.
            doomed = select(Event.id).where(Event.centre_code.in_(lost),
                                            Event.server_seq.is_not(None))
            ids = list(session.scalars(doomed))
            for chunk in range(0, len(ids), 500):
                part = ids[chunk:chunk + 500]
                session.execute(delete(FollowUp).where(FollowUp.event_id.in_(part)))
                session.execute(delete(EventLink).where(EventLink.event_id.in_(part)
                                                        | EventLink.target_id.in_(part)))
                session.execute(delete(Event).where(Event.id.in_(part)))
            session.execute(delete(Zone).where(Zone.centre_code.in_(lost),
                                               Zone.server_seq.is_not(None)))
            report.purged_events = len(ids)
        if report.repull:
            local.set_state(session, local.CURSOR, 0)
        local.set_state(session, STATE_KEY, json.dumps(sorted(now)))
    return report
