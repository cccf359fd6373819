"""A console export re-imported in a PostgreSQL deployment, under real logins.

A workstation knows the centres it sees and their users (the reference data it pulls): an
export of those is trusted and keeps its author and centre. Restored by its author, the central
accepts it; where the events already are, nothing is added; restored by a colleague, the central
(which accepts an event only from its author's login) refuses it, kept and visible. A
workstation of another centre sees the same file as foreign: new open events of its own.
"""
from __future__ import annotations

from datetime import UTC, datetime

from security.conftest import secure_db  # noqa: F401 - the fixture
from sqlalchemy import select, text

from console.models.actor import Actor
from console.models.entities import Event
from console.models.eventlog.log import EventLog
from console.models.eventlog.query import EventFilter
from console.models.exchange.geo import export_geojson
from console.models.exchange.operations import import_geojson
from console.models.store import LocalStore
from console.models.sync import CentralStore, SyncEngine, local
from console.models.validation import EventDraft


def _workstation(db, tmp_path, role: str, centre: str, name: str):  # noqa: ANN001, ANN202
    login = db.users[(role, centre)]
    actor = Actor(username=login, centre_code=db.centre(centre), role=role)
    store = LocalStore(tmp_path / f"{name}.sqlite3")
    central = CentralStore(db.url.replace("postgres@", f"{login}@", 1))
    return actor, store, central, SyncEngine(store, central, username=login)


def _export(store: LocalStore, path):  # noqa: ANN001, ANN202
    with store.session() as session:
        export_geojson(session, EventFilter(), path)
    return path.read_bytes()


def _write(store: LocalStore, actor: Actor, titles: list[str]) -> list:  # noqa: ANN001
    return [EventLog(store).create_event(actor, EventDraft(
        title=title, category="crowd", severity=2, occurred_at=datetime.now(UTC),
        latitude=48.9, longitude=2.36))[0].id for title in titles]


def test_a_lost_workstations_export_restored_under_real_logins(secure_db, tmp_path):  # noqa: F811
    db = secure_db
    CentralStore(db.owner).publish_unfed_rows()
    op_a, lost, central_lost, _ = _workstation(db, tmp_path, "operator", "A", "lost")
    _, store_new, central_new, sync_new = _workstation(db, tmp_path, "operator", "A", "new")
    # A colleague: the supervisor of centre A (one login per role and centre here).
    op_a2, store_a2, central_a2, sync_a2 = _workstation(db, tmp_path, "supervisor", "A", "a2")
    op_b, store_b, central_b, sync_b = _workstation(db, tmp_path, "operator", "B", "b")
    try:
        # Written offline, exported, then the workstation is lost before it synced.
        first = _write(lost, op_a, ["Perdu 1", "Perdu 2", "Perdu 3"])
        data = _export(lost, tmp_path / "first.geojson")
        # The author restores it on a new workstation: kept as theirs, accepted by the central.
        sync_new.sync_once()  # this deployment's centres and users
        report = import_geojson(EventLog(store_new), op_a, data)
        assert sorted(report.created) == sorted(first) and not report.warnings
        sync_new.sync_once()
        assert local.rejected_entries(store_new) == []
        with db.owner.connect() as conn:
            rows = conn.execute(text("SELECT author, centre_code FROM events WHERE id = ANY(:i)"),
                                {"i": first}).all()
        assert sorted(rows) == [(op_a.username, db.centre("A"))] * 3
        # Imported again where it is now: nothing new, nothing queued.
        sync_a2.sync_once()
        again = import_geojson(EventLog(store_a2), op_a2, data)
        assert again.created == [] and local.pending_count(store_a2) == 0

        # A colleague restores another lost export of op_a: the copy keeps op_a as author, and
        # the central (an event only from its author's login) refuses it: kept here, visible.
        second = _write(lost, op_a, ["Perdu 4", "Perdu 5"])
        report = import_geojson(EventLog(store_a2), op_a2,
                                _export(lost, tmp_path / "second.geojson"))
        assert sorted(report.created) == sorted(second)
        with store_a2.session() as session:
            assert set(session.scalars(select(Event.author).where(Event.id.in_(second)))) == {
                op_a.username}
        with db.owner.connect() as conn:
            before = conn.scalar(text("SELECT count(*) FROM events"))
        sync_a2.sync_once()
        assert len(local.rejected_entries(store_a2)) == 2
        with db.owner.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM events")) == before
            errors = conn.scalars(text("SELECT error FROM applied_mutations WHERE status = "
                                       "'rejected'")).all()
        assert len(errors) == 2 and all("row-level security" in e for e in errors)

        # Another centre's workstation knows neither centre A nor its users: a foreign file.
        sync_b.sync_once()
        report = import_geojson(EventLog(store_b), op_b, data)
        assert len(report.created) == 3 and all(
            "not a console of this deployment" in why for _, why in report.warnings)
        with store_b.session() as session:
            assert set(session.execute(select(Event.author, Event.centre_code, Event.status)
                                       .where(Event.id.in_(report.created)))) == {
                (op_b.username, db.centre("B"), "open")}
        sync_b.sync_once()
        assert local.rejected_entries(store_b) == []
    finally:
        for store, central in ((lost, central_lost), (store_new, central_new),
                               (store_a2, central_a2), (store_b, central_b)):
            store.close()
            central.dispose()
