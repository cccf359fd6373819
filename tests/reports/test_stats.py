"""The figures of console.models.reports.stats, checked against a plain-Python count of the same rows."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from console.models.entities import Event, FollowUp
from console.models.eventlog.query import EventFilter
from console.models.reports import stats
from reports.conftest import DEMO_END


def _events(store):
    with store.session() as session:
        return list(session.scalars(select(Event)))


def test_hourly_counts_match_rows(demo_store):
    rows = _events(demo_store)
    with demo_store.session() as session:
        hourly = stats.hourly_by_category(session, DEMO_END, hours=24)
    assert len(hourly.hours) == 24 and hourly.hours[-1] == DEMO_END.replace(minute=0)
    expected: Counter = Counter()
    for e in rows:
        if hourly.start <= e.occurred_at < hourly.start + timedelta(hours=24):
            slot = int((e.occurred_at - hourly.start).total_seconds() // 3600)
            expected[(e.category, slot)] += 1
    got = Counter({(c, i): n for c, counts in hourly.by_category.items()
                   for i, n in enumerate(counts) if n})
    assert got == expected
    assert hourly.total() > 500  # the demo's last day is busy


def test_figures_match_rows_for_a_centre_and_category(demo_store):
    flt = EventFilter(centres={"PP"}, categories={"security"})
    rows = [e for e in _events(demo_store) if e.centre_code == "PP" and e.category == "security"]
    with demo_store.session() as session:
        fig = stats.figures(session, flt)
        decisions = session.scalars(select(FollowUp.event_id).where(FollowUp.kind == "decision"))
        decisions = Counter(decisions)
    assert fig.total == len(rows) > 0
    assert fig.by_severity == dict(Counter(e.severity for e in rows))
    open_rows = [e for e in rows if e.status != "closed"]
    assert fig.open_total == len(open_rows)
    assert fig.open_by_severity[4] == sum(1 for e in open_rows if e.severity == 4)
    assert fig.flagged == sum(1 for e in rows if e.flagged_for_authorities)
    assert fig.decisions == sum(decisions[e.id] for e in rows)
    acked = [(e.acknowledged_at - e.recorded_at).total_seconds() for e in rows if e.acknowledged_at]
    assert fig.response.acknowledged == len(acked)
    assert abs(fig.response.mean_ack_s - sum(acked) / len(acked)) < 1.0
    closed = [(e.closed_at - e.recorded_at).total_seconds() for e in rows if e.closed_at]
    assert abs(fig.response.mean_close_s - sum(closed) / len(closed)) < 1.0
    venues = Counter(e.venue_code for e in rows if e.venue_code)
    assert {code: n for code, _name, n in fig.per_venue} == dict(venues)


def test_oversight_lists(demo_store):
    rows = _events(demo_store)
    now = DEMO_END
    with demo_store.session() as session:
        unacked = stats.not_acknowledged(session, now, 15, limit=100_000)
        silent = stats.critical_without_follow_up(session, now, 30)
        flagged = stats.flagged_for_authorities(session, now)
    expected_unacked = {e.id for e in rows if e.status != "closed" and e.acknowledged_at is None
                        and e.recorded_at <= now - timedelta(minutes=15)}
    assert {i.event_id for i in unacked} == expected_unacked and expected_unacked
    assert all(i.waiting_min >= 15 for i in unacked)
    expected_silent = {e.id for e in rows if e.status != "closed" and e.severity == 4
                       and e.last_activity_at <= now - timedelta(minutes=30)}
    assert {i.event_id for i in silent} == expected_silent
    assert {i.event_id for i in flagged} == {e.id for e in rows if e.flagged_for_authorities
                                              and e.status != "closed"}


def test_staffing_says_when_roster_is_missing(demo_store, monkeypatch):
    import importlib

    real = importlib.import_module

    def fake(name, *args):
        if name == "console.models.roster.duty":
            raise ImportError(name)
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", fake)
    with demo_store.session() as session:
        result = stats.staffing(session, DEMO_END, "CNCS")
    assert not result.available and result.message == "roster not available"


def test_staffing_from_a_published_roster(tmp_path):
    """With the roster helper's demo roster, the dashboard and reports name who is on duty."""
    from console.models.base import utcnow
    from console.models.demo import seed_demo
    from console.models.roster import duty
    from console.models.roster.demo import seed_roster_demo
    from console.models.store import LocalStore

    store = LocalStore(tmp_path / "roster.sqlite3")
    with store.transaction() as session:
        seed_demo(session, per_day=20)
    with store.transaction() as session:
        seed_roster_demo(session)
    now = utcnow()
    with store.session() as session:
        result = stats.staffing(session, now, "CNCS")
        rows = duty.on_duty(session, now, "CNCS")
        required = sum(r.required for r in duty.staffing(session, "CNCS", now,
                                                         now + timedelta(seconds=1)))
    store.close()
    assert result.available and len(result.on_duty) == len(rows) > 0
    assert result.required == required
    assert all(row.display_name in label for row, label in zip(rows, result.on_duty,
                                                                  strict=True))


def test_per_zone_counts_events_tagged_with_a_zone(tmp_path):
    from console.models.actor import Actor
    from console.models.base import utcnow
    from console.models.eventlog.log import EventLog
    from console.models.store import LocalStore
    from console.models.validation import EventDraft

    store = LocalStore(tmp_path / "zones.sqlite3")
    log = EventLog(store)
    actor = Actor(username="demo.operator", centre_code="CNCS")
    north, _ = log.create_zone(actor, "Nord", "circle",
                               {"type": "Point", "coordinates": [2.36, 48.92]}, radius_m=500)
    south, _ = log.create_zone(actor, "Sud", "polygon", {"type": "Polygon", "coordinates": [
        [[2.3, 48.8], [2.4, 48.8], [2.4, 48.85], [2.3, 48.8]]]})
    now = utcnow()
    for zone, n in ((north, 3), (south, 1), (None, 2)):
        for i in range(n):
            log.create_event(actor, EventDraft(title=f"e{i}", category="crowd", severity=2,
                                               occurred_at=now - timedelta(minutes=i)),
                             zone_id=zone.id if zone else None)
    with store.session() as session:
        rows = stats.per_zone(session, EventFilter())
        day = stats.dashboard_data(session, now, EventFilter()).day.per_zone
    store.close()
    assert rows == [(north.id, "Nord", 3), (south.id, "Sud", 1)]
    assert day == rows
