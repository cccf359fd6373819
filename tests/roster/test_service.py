"""Roster service on a real local store: permissions, outbox, publish, derogations, swaps, duty."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from console.models.local_tables import OutboxEntry
from console.models.outbox import NotAllowed
from console.models.records import from_record
from console.models.roster.duty import on_duty, staffing, vacations_of
from console.models.roster.exports import operator_calendar, roster_csv, validate_calendar
from console.models.roster.rules import broken
from console.models.roster.service import RosterService
from console.models.roster.tables import Assignment, Operator
from console.models.validation import ValidationError
from roster.conftest import MANAGER, OPERATOR, TODAY


def test_demo_seed_is_a_legal_published_roster(seeded):
    store, ids = seeded
    service = RosterService(store)
    for centre in ("CNCS", "PP"):
        snap = service.snapshot(ids[centre])
        assert snap.roster.status == "published"
        assert len(snap.operators) >= 20 and snap.shifts
        assert broken(snap.violations()) == []  # PP's 12 h cycles are a recorded derogation
    pp = service.snapshot(ids["PP"])
    assert pp.data.settings.max_day_work == 12 * 60


def test_only_a_shift_manager_changes_the_roster_and_every_write_is_queued(seeded):
    store, ids = seeded
    service = RosterService(store)
    snap = service.snapshot(ids["CNCS:draft"])
    op, desk, tpl = snap.operators[0].id, snap.desks[0].id, snap.templates[0].id
    day = snap.roster.start_day
    with pytest.raises(NotAllowed):
        service.assign(OPERATOR, snap.roster.id, op, desk, tpl, day)
    row = service.assign(MANAGER, snap.roster.id, op, desk, tpl, day)
    service.remove(MANAGER, row.id)
    with store.session() as session:
        entries = session.scalars(select(OutboxEntry).where(
            OutboxEntry.kind == "put:roster_assignments").order_by(OutboxEntry.seq)).all()
        assert len(entries) == 2
        payloads = [json.loads(e.payload) for e in entries]
        assert payloads[0]["base_version"] == 0 and payloads[0]["row"]["deleted"] is False
        assert payloads[1]["row"]["deleted"] is True  # a tombstone, never a hard delete
        assert from_record(Assignment, payloads[0]["row"])["day"] == day
        stored = session.get(Assignment, row.id)
        assert stored is not None and stored.deleted and stored.server_seq is None
    with pytest.raises(ValidationError):
        service.assign(MANAGER, snap.roster.id, op, desk, tpl, day - timedelta(days=1))


def test_operator_sees_only_own_published_vacations(seeded):
    store, ids = seeded
    service = RosterService(store)
    own = service.snapshot(ids["CNCS"], OPERATOR)
    everyone = service.snapshot(ids["CNCS"], MANAGER)
    camille = next(o.id for o in everyone.operators if o.username == "demo.operator")
    assert own.shifts and {s.operator for s in own.shifts.values()} == {camille}
    assert len(everyone.shifts) > len(own.shifts)
    assert service.snapshot(ids["CNCS:draft"], OPERATOR).shifts == {}


def test_on_duty_answers_who_held_which_desk(seeded):
    store, ids = seeded
    service = RosterService(store)
    snap = service.snapshot(ids["CNCS"])
    shift = next(iter(snap.shifts.values()))
    with store.session() as session:
        rows = on_duty(session, shift.start + timedelta(minutes=1), "CNCS")
        assert shift.operator in {r.operator_id for r in rows}
        desks = {r.desk_code for r in rows}
        assert len(desks) == len(snap.desks)  # every desk is staffed at any moment
        assert on_duty(session, shift.start - timedelta(days=400), "CNCS") == []
        assert all(r.starts_at <= shift.start + timedelta(minutes=1) < r.ends_at for r in rows)
        rows_all = on_duty(session, shift.start + timedelta(minutes=1))
        assert {r.centre_code for r in rows_all} == {"CNCS", "PP"}
        window = staffing(session, "CNCS", shift.start, shift.start + timedelta(hours=1))
        assert window and all(r.on_duty >= r.required for r in window)
        mine = vacations_of(session, "demo.operator", snap.data.local_midnight(snap.roster.start_day),
                            snap.data.local_midnight(snap.roster.end_day))
        assert mine and all(v["centre"] == "CNCS" for v in mine)


def test_publish_refuses_broken_rules_and_derogation_needs_a_reason(seeded):
    store, ids = seeded
    service = RosterService(store)
    draft = service.snapshot(ids["CNCS:draft"])
    with pytest.raises(ValidationError):
        service.publish(MANAGER, draft.roster.id)  # every requirement is a hole
    with pytest.raises(ValidationError):
        service.add_derogation(MANAGER, draft.roster.id, "coverage_hole", "too short")
    with pytest.raises(NotAllowed):
        service.add_derogation(OPERATOR, draft.roster.id, "coverage_hole", "a long enough reason")
    service.add_derogation(MANAGER, draft.roster.id, "coverage_hole",
                           "Exercise: the room is closed during the drill")
    service.publish(MANAGER, draft.roster.id)
    assert service.snapshot(draft.roster.id).roster.status == "published"


def test_swap_is_approved_only_when_it_breaks_no_rule(seeded):
    store, ids = seeded
    service = RosterService(store)
    snap = service.snapshot(ids["CNCS"])
    camille = next(o for o in snap.operators if o.username == "demo.operator")
    mine = sorted((s for s in snap.shifts.values() if s.operator == camille.id),
                  key=lambda s: s.start)
    first = mine[0]
    # a colleague who works the vacation just before: taking Camille's would break a rule
    busy = next(s.operator for s in snap.shifts.values()
                if s.operator != camille.id and timedelta(0) <= first.start - s.end
                < timedelta(hours=11))
    with pytest.raises(NotAllowed):
        service.request_swap(OPERATOR.__class__("someone", "CNCS"), first.key, busy)
    bad = service.request_swap(OPERATOR, first.key, busy, reason="family event")
    assert service.swap_violations(bad.id)
    with pytest.raises(NotAllowed):
        service.decide_swap(OPERATOR, bad.id, True)
    with pytest.raises(ValidationError):
        service.decide_swap(MANAGER, bad.id, True)
    # a qualified colleague free around that vacation: fine
    quals = snap.data.desks[first.desk].qualifications
    candidates = [o.id for o in snap.operators if o.id != camille.id
                  and quals <= snap.data.operators[o.id].qualifications]
    good = None
    for cand in candidates:
        swap = service.request_swap(OPERATOR, first.key, cand)
        if not service.swap_violations(swap.id):
            good = swap
            break
        service.decide_swap(MANAGER, swap.id, False, "breaks a rule")
    assert good is not None
    service.decide_swap(MANAGER, good.id, True)
    with store.session() as session:
        assert session.get(Assignment, first.key).operator_id == good.to_operator_id
    assert [s.status for s in service.swaps(snap.roster.id, None)].count("approved") == 1


def test_ical_per_operator_is_valid_rfc5545(seeded, tmp_path):
    from icalendar import Calendar

    from console.models.roster.exports import export_calendars
    store, ids = seeded
    snap = RosterService(store).snapshot(ids["PP"])
    op = next(o for o in snap.operators if o.username == "pp.op1")
    data = operator_calendar(snap, op.id)
    count = validate_calendar(data)
    assert count == sum(1 for s in snap.shifts.values() if s.operator == op.id) > 0
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.rstrip().endswith(b"END:VCALENDAR")
    events = Calendar.from_ical(data).walk("VEVENT")
    assert all(e.decoded("dtend") - e.decoded("dtstart") == timedelta(hours=12) for e in events)
    assert len({str(e["uid"]) for e in events}) == count
    files = export_calendars(snap, tmp_path / "ics")
    assert len(files) == len(snap.operators)  # one each, an empty calendar for no shift
    with pytest.raises(ValueError):
        validate_calendar(data.replace(b"VERSION:2.0", b"VERSION:1.0"))
    csv_text = roster_csv(snap)
    assert csv_text.count("\n") == len(snap.shifts) + 1


def test_operator_row_links_console_user(seeded):
    store, _ids = seeded
    with store.session() as session:
        usernames = set(session.scalars(select(Operator.username).where(
            Operator.username.is_not(None))))
    assert {"demo.operator", "demo.manager", "pp.op1"} <= usernames
    assert TODAY.year == 2026


def test_event_detail_knows_who_was_on_duty_when_written(tmp_path):
    """The log can show who held which desk when an entry was written."""
    from datetime import UTC, datetime, timedelta

    from console.models.actor import Actor
    from console.models.demo import seed_reference
    from console.models.eventlog.log import EventLog
    from console.models.roster.demo import seed_roster_demo
    from console.models.roster.duty import on_duty
    from console.models.store import LocalStore
    from console.models.validation import EventDraft

    store = LocalStore(tmp_path / "duty.sqlite3")
    with store.transaction() as session:
        seed_reference(session)
        seed_roster_demo(session)
    log = EventLog(store)
    event, _ = log.create_event(Actor("demo.operator", "CNCS"), EventDraft(
        title="Test", category="crowd", severity=1))
    names = {row.display_name for row in log.on_duty_when_written(event)}
    with store.session() as session:
        expected = {row.display_name for row in on_duty(session, event.recorded_at, "CNCS")}
        nobody = on_duty(session, datetime.now(UTC) - timedelta(days=400), "CNCS")
    assert names == expected and len(names) >= 6 and nobody == []
