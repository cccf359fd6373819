"""Events written by the CSV import's bulk path reach the real PostgreSQL central and the other
workstations exactly as typed ones do: every outbox record accepted, nothing twice."""
from __future__ import annotations

from sqlalchemy import func, select

from console.models.entities import Event
from console.models.exchange.operations import import_csv
from console.models.sync import local
from sync.conftest import OTHER, assert_converged

LINES = 1200


def _csv() -> bytes:
    rows = ["ref;titre;catégorie;gravité;date;heure;latitude;longitude"]
    rows += [f"L-{i};Import {i};crowd;{1 + i % 4};{1 + i % 28:02d}/02/2025;{i % 24:02d}:15;"
             f"48,{8600 + i};2,{3400 + i}" for i in range(LINES)]
    return ("\n".join(rows) + "\n").encode("utf-8")


def test_a_bulk_import_syncs_like_typed_events(central, workstations):
    a, b = workstations("a"), workstations("b", OTHER)
    _, report = import_csv(a.log, a.actor, _csv(), "pc_sud")
    assert len(report.created) == LINES
    a.write("typed beside the import")
    for _ in range(20):  # the outbox goes in batches
        a.sync()
        if local.pending_count(a.store) == 0:
            break
    assert local.pending_count(a.store) == 0
    changes = b.sync()
    assert set(report.created) <= changes.new_events
    with central.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Event)) == LINES + 1
        assert conn.scalar(select(func.count()).select_from(Event).where(
            Event.author == "op.a", Event.origin.like("csv:pc_sud/%"))) == LINES
    assert_converged(central, a, b)
    # The same file again, at the other workstation: found, nothing new to push.
    again = import_csv(b.log, b.actor, _csv(), "pc_sud")[1]
    assert again.created == [] and len(again.already_present) == LINES
    assert local.pending_count(b.store) == 0
