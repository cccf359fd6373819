"""The sync engine under real logins: pushes pass RLS, pulls bring only what the user may see."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select, text

from console.models.actor import Actor
from console.models.entities import Event, FollowUp
from console.models.eventlog.log import EventLog
from console.models.store import LocalStore
from console.models.sync import CentralStore, SyncEngine
from console.models.validation import EventDraft


def _workstation(db, tmp_path, role: str, centre: str):  # noqa: ANN001, ANN202
    login = db.users[(role, centre)]
    actor = Actor(username=login, centre_code=db.centre(centre), role=role)
    store = LocalStore(tmp_path / f"{login}.sqlite3")
    central = CentralStore(db.url.replace("postgres@", f"{login}@", 1))
    return actor, store, central, SyncEngine(store, central, username=login)


def _draft(title: str) -> EventDraft:
    return EventDraft(title=title, category="security", severity=2,
                      occurred_at=datetime.now(UTC))


def test_push_as_operator_and_pull_filtered_by_rls(secure_db, tmp_path) -> None:
    db = secure_db
    op_a, store_a, central_a, sync_a = _workstation(db, tmp_path, "operator", "A")
    op_b, store_b, central_b, sync_b = _workstation(db, tmp_path, "operator", "B")
    sup_a, store_s, central_s, sync_s = _workstation(db, tmp_path, "supervisor", "A")
    try:
        # Feed rows exist for the seeded data once published by the owner.
        CentralStore(db.owner).publish_unfed_rows()
        event, _ = EventLog(store_a).create_event(op_a, _draft("A: suspicious parcel"))
        EventLog(store_a).add_follow_up(op_a, event.id, "note", "perimeter set")
        sync_a.sync_once()
        assert EventLog(store_b).create_event(op_b, _draft("B: crowd"))[0]
        sync_b.sync_once()
        sync_s.sync_once()
        sync_a.sync_once()
        with store_a.session() as s:
            centres_a = set(s.scalars(select(Event.centre_code).distinct()))
            assert s.scalar(select(func.count()).select_from(FollowUp)) >= 1
        with store_b.session() as s:
            centres_b = set(s.scalars(select(Event.centre_code).distinct()))
        with store_s.session() as s:
            centres_s = set(s.scalars(select(Event.centre_code).distinct()))
            titles_s = set(s.scalars(select(Event.title)))
        assert centres_a == {db.centre("A")}
        assert centres_b == {db.centre("B")}
        assert centres_s == {db.centre("A"), db.centre("A1")}  # A1 is below A
        assert "A: suspicious parcel" in titles_s and "B: crowd" not in titles_s
        # The central holds both, written under each operator's own login (audited so).
        with db.owner.connect() as conn:
            authors = dict(conn.execute(text(
                "SELECT new->>'title', actor FROM audit_log WHERE table_name = 'events' "
                "AND action = 'insert' AND new->>'title' IN ('A: suspicious parcel', 'B: crowd')")
            ).all())
        assert authors == {"A: suspicious parcel": op_a.username, "B: crowd": op_b.username}
        # The supervisor closes the operator's event through sync.
        from console.models.enums import Status

        EventLog(store_s).add_follow_up(sup_a, event.id, "status", new_status=Status.CLOSED)
        sync_s.sync_once()
        sync_a.sync_once()
        with store_a.session() as s:
            assert s.scalar(select(Event.status).where(Event.id == event.id)) == "closed"
    finally:
        for store, central in ((store_a, central_a), (store_b, central_b), (store_s, central_s)):
            store.close()
            central.dispose()


def test_forbidden_push_is_rejected_not_applied(secure_db, tmp_path) -> None:
    """A modified client queues a close as an operator: the database refuses it."""
    db = secure_db
    op_a, store, central, sync = _workstation(db, tmp_path, "operator", "A")
    try:
        log = EventLog(store)
        event, _ = log.create_event(op_a, _draft("to close"))
        sync.sync_once()
        from console.models.outbox import enqueue
        from console.models.records import to_record

        with store.transaction() as session:
            forged = FollowUp(event_id=event.id, author=op_a.username,
                              recorded_at=datetime.now(UTC), kind="status", text="",
                              new_status="closed")
            session.add(forged)
            session.flush()
            enqueue(session, "insert:follow_ups", to_record(forged), op_a.username)
        sync.sync_once()
        from console.models.sync import local

        assert len(local.rejected_entries(store)) == 1
        with db.owner.connect() as conn:
            assert conn.scalar(text("SELECT status FROM events WHERE id = :e"),
                               {"e": event.id}) == "open"
            error = conn.scalar(text("SELECT error FROM applied_mutations WHERE status = "
                                     "'rejected' ORDER BY applied_at DESC LIMIT 1"))
        assert "row-level security" in error
    finally:
        store.close()
        central.dispose()


def test_cache_follows_rights_changes(secure_db, tmp_path) -> None:
    """A supervisor given a centre receives its history; losing it purges it from the cache."""
    from console.models.security import pg
    from console.models.security.cache import reconcile_cache

    db = secure_db
    sup_b, store, central, sync = _workstation(db, tmp_path, "supervisor", "B")

    def visible() -> frozenset[str]:
        with db.login(sup_b.username).connect() as conn:
            return frozenset(conn.scalar(text("SELECT console_visible_centres()")))

    def centres_in_cache() -> set[str]:
        with store.session() as s:
            return set(s.scalars(select(Event.centre_code).distinct()))

    try:
        CentralStore(db.owner).publish_unfed_rows()
        reconcile_cache(store, visible())
        sync.sync_once()
        assert centres_in_cache() == {db.centre("B")}
        with db.owner.begin() as conn:
            pg.supervise(conn, sup_b.username, db.centre("A"))
        report = reconcile_cache(store, visible())
        assert report.repull
        sync.sync_once()
        assert centres_in_cache() == {db.centre("A"), db.centre("A1"), db.centre("B")}
        with db.owner.begin() as conn:
            pg.supervise(conn, sup_b.username, db.centre("A"), on=False)
        report = reconcile_cache(store, visible())
        assert report.purged_events >= 4 and not report.repull
        assert centres_in_cache() == {db.centre("B")}
        sync.sync_once()
        assert centres_in_cache() == {db.centre("B")}
    finally:
        store.close()
        central.dispose()
