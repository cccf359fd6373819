"""Nothing refused is ever lost: a change the central refuses stays on the workstation, visible
with its reason, until a person retries, exports or (a supervisor) discards it; a fault of the
central itself is retried, never held against the data."""
from __future__ import annotations

import json

from sqlalchemy import select, text

from console.models.entities import Event
from console.models.local_tables import OutboxEntry
from console.models.sync import local, refused
from console.models.sync.errors import CentralFault
from sync.conftest import OTHER, assert_converged


def _refuse_titles_starting_with_x(central) -> None:  # noqa: ANN001
    """A server-side rule the client does not know (as a new policy would be)."""
    with central.engine.begin() as conn:
        conn.execute(text("""
            CREATE FUNCTION test_refuse_x() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.title LIKE 'X%' THEN
                RAISE EXCEPTION 'titles starting with X are refused here';
              END IF;
              RETURN NEW;
            END $$"""))
        conn.execute(text("CREATE TRIGGER test_refuse_x BEFORE INSERT ON events "
                          "FOR EACH ROW EXECUTE FUNCTION test_refuse_x()"))


def _local_titles(ws) -> list[str]:  # noqa: ANN001
    with ws.store.session() as session:
        return sorted(session.scalars(select(Event.title)))


def test_a_refused_entry_stays_visible_and_is_sent_again_on_retry(central, workstations):
    a, b = workstations("a"), workstations("b", OTHER)
    _refuse_titles_starting_with_x(central)
    a.write("accepted")
    refused_id = a.write("X refused")
    a.sync()
    # Still here, as written, with the reason; counted in the status.
    assert _local_titles(a) == ["X refused", "accepted"]
    changes = refused.refused_changes(a.store)
    assert [c.summary for c in changes] == ["X refused"]
    assert "titles starting with X are refused" in changes[0].reason
    assert changes[0].key == str(refused_id)
    a.engine._report()
    assert a.engine.status.rejected == 1
    # Later syncs neither drop it nor resend it behind the operator's back.
    a.sync()
    assert _local_titles(a) == ["X refused", "accepted"]
    assert local.pending_count(a.store) == 0
    # The cause is fixed centrally; a person retries: it goes through.
    with central.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER test_refuse_x ON events"))
    assert refused.retry(a.store, [changes[0].mutation_id]) == 1
    a.sync()
    b.sync()
    assert refused.refused_changes(a.store) == []
    assert _local_titles(b) == ["X refused", "accepted"]
    assert_converged(central, a, b)


def test_export_then_supervisor_discard_keeps_the_history(central, workstations, tmp_path):
    a = workstations("a")
    _refuse_titles_starting_with_x(central)
    a.write("X refused")
    a.sync()
    [change] = refused.refused_changes(a.store)
    out = tmp_path / "refusés é.json"
    assert refused.export(a.store, [change.mutation_id], out) == 1
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document[0]["change"]["title"] == "X refused" and document[0]["refused_because"]
    a.engine.discard_refused([change.mutation_id], by="sup.a")
    # The row goes (the central never had it); the entry stays as history, never sent again.
    assert _local_titles(a) == []
    with a.store.session() as session:
        entry = session.scalar(select(OutboxEntry))
        assert entry.state == "discarded" and "discarded by sup.a" in entry.last_error
    a.sync()
    assert local.pending_count(a.store) == 0 and refused.refused_changes(a.store) == []


def test_a_fault_of_the_central_is_retried_and_the_entry_kept(central, workstations):
    """A feed row at the top of bigint makes every allocation overflow: the server's fault.
    (No login can write such a row any more, see tests/security/test_hardening_feed.py; here the
    owner plants it in the feed's own table, as a bad restore could.)"""
    a = workstations("a")
    with central.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO change_feed_log(seq, change_id, table_name, row_key, centre_code, "
            "committed_at) VALUES (9223372036854775807, gen_random_uuid(), 'events', "
            "gen_random_uuid()::text, NULL, now())"))
    event_id = a.write("during the fault")
    try:
        a.sync()
    except CentralFault as error:
        assert "central fault" in str(error)
    else:
        raise AssertionError("an overflowing feed must be reported as a central fault")
    # Nothing refused, nothing removed: still pending, still on screen.
    assert refused.refused_changes(a.store) == []
    assert local.pending_count(a.store) == 1
    assert _local_titles(a) == ["during the fault"]
    with central.engine.begin() as conn:
        conn.execute(text("DELETE FROM change_feed_log WHERE seq = 9223372036854775807"))
    a.sync()
    assert local.pending_count(a.store) == 0
    with central.engine.connect() as conn:
        assert conn.scalar(select(Event.title).where(Event.id == event_id)) == "during the fault"


def test_a_malformed_feed_row_is_skipped_and_reported_not_a_crash(central, workstations):
    """Rows no login can write any more (the owner plants them, as a bad restore could): the
    pull steps over them, says so, and sync goes on for everyone."""
    a, b = workstations("a"), workstations("b", OTHER)
    a.write("before")
    a.sync()
    with central.engine.begin() as conn:
        top = conn.scalar(text("SELECT max(seq) FROM change_feed_log"))
        for offset, table, key in ((1, "events", "not-a-uuid"), (2, "no_such_table", "x")):
            conn.execute(text(
                "INSERT INTO change_feed_log(seq, change_id, table_name, row_key, centre_code, "
                "committed_at) VALUES (:s, gen_random_uuid(), :t, :k, NULL, now())"),
                {"s": top + offset, "t": table, "k": key})
    a.write("after")
    a.sync()
    b.sync()
    assert _local_titles(b) == ["after", "before"]
    assert sorted(b.engine.skipped_feed_rows.values()) == [
        "malformed key 'not-a-uuid' for events", "unknown table 'no_such_table'"]
    b.engine._report(error=b.engine._skipped_notice())
    assert "2 malformed change-feed row(s) skipped" in b.engine.status.error
    assert b.engine.status.extra["skipped_feed_rows"] == 2
