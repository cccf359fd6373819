"""The decree's rules and the wall clock through the real local store: assignments written by the
service, who is on duty at the clock change, rule values and template breaks as synced writes,
and the migration that repairs vacation times stored before."""
from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, text

from console.models.actor import Actor
from console.models.demo import seed_reference
from console.models.entities import Centre
from console.models.local_tables import OutboxEntry
from console.models.migrations import upgrade_local
from console.models.outbox import NotAllowed
from console.models.roster.duty import on_duty, staffing
from console.models.roster.rule_settings import set_rules, set_template_break
from console.models.roster.rules import RuleSettings
from console.models.roster.service import RosterService
from console.models.roster.tables import (
    Assignment,
    Coverage,
    Desk,
    Operator,
    Roster,
    VacationTemplate,
)
from console.models.store import LocalStore
from console.models.validation import ValidationError

MANAGER = Actor("demo.manager", "CNCS", "shift_manager", "Nadia Benali")
OPERATOR = Actor("demo.operator", "CNCS", "operator", "Camille Martin")
AUTUMN = date(2026, 10, 25)


def _reference(session, centre: str, pause: int = 20) -> dict[str, uuid.UUID]:
    ids = {"desk": uuid.uuid4(), "M": uuid.uuid4(), "N": uuid.uuid4(), "ann": uuid.uuid4(),
           "bob": uuid.uuid4(), "roster": uuid.uuid4()}
    session.add(Desk(id=ids["desk"], centre_code=centre, code="SYN", name="Synthèse",
                     qualifications="", sort_order=0, version=0, deleted=False))
    for code, start in (("M", 7 * 60), ("N", 23 * 60)):
        session.add(VacationTemplate(id=ids[code], centre_code=centre, code=code, name=code,
                                     start_minute=start, duration_minutes=8 * 60,
                                     break_minutes=pause, sort_order=0, version=0,
                                     deleted=False))
    for key, name in (("ann", "Ann Night"), ("bob", "Bob Morning")):
        session.add(Operator(id=ids[key], centre_code=centre, display_name=name, team="",
                             contract_minutes=35 * 60, qualifications="", version=0,
                             deleted=False))
    session.add(Roster(id=ids["roster"], centre_code=centre, name="Octobre",
                       start_day=AUTUMN - timedelta(days=6), end_day=AUTUMN + timedelta(days=1),
                       status="draft", rules="{}", author="demo.manager", version=0,
                       deleted=False))
    return ids


def _need(store, ids, centre: str, places: list[tuple[str, date]]) -> None:
    """One operator required at the desk in each (vacation, day) given, nobody elsewhere."""
    with store.transaction() as session:
        for code, day in places:
            session.add(Coverage(id=uuid.uuid4(), centre_code=centre, desk_id=ids["desk"],
                                 template_id=ids[code], day=day, required=1, version=0,
                                 deleted=False))


@pytest.fixture
def store(tmp_path):
    store = LocalStore(tmp_path / "local.sqlite3")
    with store.transaction() as session:
        seed_reference(session)
        session.add(Centre(code="CAY", name="Guyane", timezone="America/Cayenne"))
    yield store
    store.close()


def _night_then_morning(store, centre: str) -> dict[str, uuid.UUID]:
    with store.transaction() as session:
        ids = _reference(session, centre)
    _need(store, ids, centre, [("N", AUTUMN - timedelta(days=1)), ("M", AUTUMN)])
    service = RosterService(store)
    service.assign(MANAGER, ids["roster"], ids["ann"], ids["desk"], ids["N"],
                   AUTUMN - timedelta(days=1))
    service.assign(MANAGER, ids["roster"], ids["bob"], ids["desk"], ids["M"], AUTUMN)
    service.publish(MANAGER, ids["roster"])
    return ids


def test_on_duty_at_0630_on_the_night_the_clocks_go_back_is_the_night_crew(store):
    _night_then_morning(store, "CNCS")
    six_thirty = datetime(2026, 10, 25, 5, 30, tzinfo=UTC)  # 06:30 in Paris (winter time)
    with store.session() as session:
        assert [r.display_name for r in on_duty(session, six_thirty, "CNCS")] == ["Ann Night"]
        seven_thirty = six_thirty + timedelta(hours=1)
        assert [r.display_name for r in on_duty(session, seven_thirty, "CNCS")] == \
            ["Bob Morning"]
        row = session.scalar(select(Assignment).where(Assignment.day == AUTUMN - timedelta(1)))
        assert row.ends_at == datetime(2026, 10, 25, 6, tzinfo=UTC)  # 07:00 local
        slots = staffing(session, "CNCS", six_thirty, seven_thirty)
        # the coverage slots meet at 07:00 local: no hour without a slot
        assert [(s.vacation, s.starts_at.hour, s.ends_at.hour, s.on_duty) for s in slots] == [
            ("N", 21, 6, 1), ("M", 6, 14, 1)]


def test_a_centre_in_cayenne_has_its_vacations_on_its_own_clock(store):
    _night_then_morning(store, "CAY")
    with store.session() as session:
        night = session.scalar(select(Assignment).where(Assignment.day == AUTUMN - timedelta(1)))
        assert night.starts_at == datetime(2026, 10, 25, 2, tzinfo=UTC)  # 23:00 at UTC-3
        assert night.ends_at - night.starts_at == timedelta(hours=8)  # no clock change there
        assert [r.display_name for r in on_duty(
            session, datetime(2026, 10, 25, 9, 30, tzinfo=UTC), "CAY")] == ["Ann Night"]


def test_rule_values_are_a_managers_synced_write_and_bad_values_are_refused(store):
    with store.transaction() as session:
        ids = _reference(session, "CNCS")
    strict = RuleSettings(rolling_week=1, max_consecutive_nights=2)
    with pytest.raises(NotAllowed):
        set_rules(store, OPERATOR, ids["roster"], strict)
    with pytest.raises(ValidationError) as refused:
        set_rules(store, MANAGER, ids["roster"], RuleSettings(min_break=-5, average_weeks=0))
    assert set(refused.value.errors) == {"min_break", "average_weeks"}
    set_rules(store, MANAGER, ids["roster"], strict)
    with store.session() as session:
        roster = session.get(Roster, ids["roster"])
        assert RuleSettings.from_json(roster.rules) == strict
        puts = [json.loads(e.payload)["row"] for e in session.scalars(select(OutboxEntry).where(
            OutboxEntry.kind == "put:rosters"))]
    assert puts and RuleSettings.from_json(puts[-1]["rules"]) == strict
    assert RosterService(store).snapshot(ids["roster"]).data.settings == strict


def test_a_template_without_its_break_is_flagged_until_the_manager_records_it(store):
    with store.transaction() as session:
        ids = _reference(session, "CNCS", pause=0)
    _need(store, ids, "CNCS", [("M", AUTUMN)])
    service = RosterService(store)
    service.assign(MANAGER, ids["roster"], ids["bob"], ids["desk"], ids["M"], AUTUMN)
    assert [v.rule for v in service.snapshot(ids["roster"]).violations()] == ["break"]
    with pytest.raises(ValidationError):
        service.publish(MANAGER, ids["roster"])
    with pytest.raises(ValidationError):
        set_template_break(store, MANAGER, ids["M"], -1)
    set_template_break(store, MANAGER, ids["M"], 20)
    assert service.snapshot(ids["roster"]).violations() == []
    with store.session() as session:
        assert session.scalar(select(OutboxEntry).where(
            OutboxEntry.kind == "put:roster_templates")) is not None


def test_a_soft_rule_does_not_block_publication_and_a_derogation_is_recorded(store):
    with store.transaction() as session:
        ids = _reference(session, "CNCS")
    _need(store, ids, "CNCS", [("N", AUTUMN - timedelta(days=5 - i)) for i in range(4)])
    service = RosterService(store)
    for i in range(4):
        service.assign(MANAGER, ids["roster"], ids["ann"], ids["desk"], ids["N"],
                       AUTUMN - timedelta(days=5 - i))
    violations = service.snapshot(ids["roster"]).violations()
    assert [v.rule for v in violations] == ["consecutive_nights"]
    service.add_derogation(MANAGER, ids["roster"], "consecutive_nights",
                           "Renfort exceptionnel pendant les Jeux", ids["ann"], violations[0].day)
    assert service.snapshot(ids["roster"]).violations()[0].accepted
    service.publish(MANAGER, ids["roster"])


def test_migration_recomputes_vacation_times_stored_before_on_the_wall_clock(tmp_path):
    path = tmp_path / "old.sqlite3"
    old = LocalStore(path, migrate=False)
    upgrade_local(old.engine, "0002_roster")
    upgrade_local(old.engine, "0002_sync")
    ids = {k: uuid.uuid4() for k in ("tpl", "roster", "a")}
    with old.engine.begin() as conn:
        conn.execute(text("INSERT INTO centres (code, name, timezone) VALUES ('CNCS', 'x', "
                          "'Europe/Paris')"))
        conn.execute(text(
            "INSERT INTO roster_templates (id, centre_code, code, name, start_minute, "
            "duration_minutes, sort_order, version, deleted) VALUES (:id, 'CNCS', 'N', 'N', "
            "1380, 480, 0, 1, 0)"), {"id": ids["tpl"].hex})
        conn.execute(text(
            "INSERT INTO rosters (id, centre_code, name, start_day, end_day, status, rules, "
            "author, version, deleted) VALUES (:id, 'CNCS', 'x', '2026-10-19', '2026-10-26', "
            "'published', '{}', 'm', 1, 0)"), {"id": ids["roster"].hex})
        # what the old code stored: start + 8 h, an hour short on this night
        conn.execute(text(
            "INSERT INTO roster_assignments (id, roster_id, operator_id, desk_id, template_id, "
            "day, starts_at, ends_at, fixed, author, updated_at, version, deleted) VALUES "
            "(:id, :roster, :op, :desk, :tpl, '2026-10-24', '2026-10-24 21:00:00.000000', "
            "'2026-10-25 05:00:00.000000', 0, 'm', '2026-10-01 00:00:00.000000', 1, 0)"),
            {"id": ids["a"].hex, "roster": ids["roster"].hex, "op": uuid.uuid4().hex,
             "desk": uuid.uuid4().hex, "tpl": ids["tpl"].hex})
    old.close()
    store = LocalStore(path)  # migrates to every head
    with store.session() as session:
        row = session.get(Assignment, ids["a"])
        assert row.starts_at == datetime(2026, 10, 24, 21, tzinfo=UTC)
        assert row.ends_at == datetime(2026, 10, 25, 6, tzinfo=UTC)
        assert row.version == 1  # the same repair runs on the central: nothing to sync
        assert session.get(VacationTemplate, ids["tpl"]).break_minutes == 0
    store.close()


def _old_central_rows(conn, ids) -> None:
    conn.execute(text("INSERT INTO centres (code, name, timezone) VALUES ('CNCS', 'x', "
                      "'Europe/Paris'), ('CAY', 'y', 'America/Cayenne')"))
    for centre, tpl, roster in (("CNCS", ids["tpl"], ids["roster"]),
                                ("CAY", ids["tpl2"], ids["roster2"])):
        conn.execute(text(
            "INSERT INTO roster_templates (id, centre_code, code, name, start_minute, "
            "duration_minutes, sort_order, version, deleted) VALUES (:id, :c, 'N', 'N', 1380, "
            "480, 0, 1, false)"), {"id": tpl, "c": centre})
        conn.execute(text(
            "INSERT INTO rosters (id, centre_code, name, start_day, end_day, status, rules, "
            "author, version, deleted) VALUES (:id, :c, 'x', '2026-10-19', '2026-10-26', "
            "'published', '{}', 'm', 1, false)"), {"id": roster, "c": centre})
    # the old code's times: start + 8 h (an hour short in Paris; right in Cayenne)
    for key, roster, tpl, start, end in (
            ("a", ids["roster"], ids["tpl"], "2026-10-24 21:00", "2026-10-25 05:00"),
            ("b", ids["roster2"], ids["tpl2"], "2026-10-25 02:00", "2026-10-25 10:00")):
        conn.execute(text(
            "INSERT INTO roster_assignments (id, roster_id, operator_id, desk_id, template_id, "
            "day, starts_at, ends_at, fixed, author, updated_at, version, deleted) VALUES "
            "(:id, :roster, :op, :desk, :tpl, '2026-10-24', :s, :e, false, 'm', "
            "'2026-10-01 00:00', 1, false)"),
            {"id": ids[key], "roster": roster, "op": uuid.uuid4(), "desk": uuid.uuid4(),
             "tpl": tpl, "s": start, "e": end})


def test_central_migration_repairs_stored_times_like_the_workstations(pg_url):
    from sqlalchemy import create_engine

    from console.models.migrations import upgrade_central

    engine = create_engine(pg_url)
    upgrade_central(engine, "c0008_feed_batch")
    ids = {k: uuid.uuid4() for k in ("tpl", "tpl2", "roster", "roster2", "a", "b")}
    with engine.begin() as conn:
        _old_central_rows(conn, ids)
    upgrade_central(engine)
    with engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(text(
            "SELECT id, starts_at, ends_at, version FROM roster_assignments"))}
        assert conn.scalar(text("SELECT break_minutes FROM roster_templates WHERE id = :i"),
                           {"i": ids["tpl"]}) == 0
    engine.dispose()
    assert (rows[ids["a"]].starts_at, rows[ids["a"]].ends_at) == (
        datetime(2026, 10, 24, 21), datetime(2026, 10, 25, 6))  # naive UTC, 07:00 in Paris
    assert (rows[ids["b"]].starts_at, rows[ids["b"]].ends_at) == (
        datetime(2026, 10, 25, 2), datetime(2026, 10, 25, 10))
    assert {r.version for r in rows.values()} == {1}


def test_rules_and_breaks_are_saved_together_or_not_at_all(store):
    from console.models.roster.rule_settings import save_rules

    with store.transaction() as session:
        ids = _reference(session, "CNCS", pause=0)
    strict = RuleSettings(rolling_week=1)
    with pytest.raises(ValidationError):
        save_rules(store, MANAGER, ids["roster"], strict, {ids["M"]: 20, uuid.uuid4(): 20})
    with store.session() as session:
        assert session.get(Roster, ids["roster"]).rules == "{}"
        assert session.get(VacationTemplate, ids["M"]).break_minutes == 0
        assert session.scalar(select(OutboxEntry)) is None
    save_rules(store, MANAGER, ids["roster"], strict, {ids["M"]: 20, ids["N"]: 20})
    with store.session() as session:
        assert RuleSettings.from_json(session.get(Roster, ids["roster"]).rules) == strict
        assert session.get(VacationTemplate, ids["N"]).break_minutes == 20
