"""Roster exports read back by independent parsers: vobject for the calendars, csv for the sheet."""
from __future__ import annotations

import csv
import io

import vobject
from sqlalchemy import select

from console.models.roster.exports import (
    CSV_COLUMNS,
    calendar_file_name,
    export_calendars,
    roster_csv,
)
from console.models.roster.service import RosterService
from console.models.roster.tables import Operator


def _rename(store, names: list[str]) -> list:  # noqa: ANN001
    """Give the first operators who hold shifts of PP these display names; their ids."""
    with store.transaction() as session:
        ops = session.scalars(select(Operator).where(Operator.centre_code == "PP")
                              .order_by(Operator.display_name)).all()[:len(names)]
        for op, name in zip(ops, names, strict=True):
            op.display_name = name
        return [op.id for op in ops]


def test_two_operators_whose_names_differ_by_an_accent_keep_two_calendars(seeded, tmp_path):
    store, ids = seeded
    zoe_acute, zoe_grave = _rename(store, ["Zoé Perrin", "Zoè Perrin"])
    snap = RosterService(store).snapshot(ids["PP"])
    files = export_calendars(snap, tmp_path / "ics")
    assert len(files) == len(snap.operators) == len(list((tmp_path / "ics").glob("*.ics")))
    names = {f.name for f in files}
    assert f"Zoé Perrin_{zoe_acute}.ics" in names and f"Zoè Perrin_{zoe_grave}.ics" in names
    for path in files:
        op_id = next(o.id for o in snap.operators if str(o.id) in path.name)
        mine = sorted((s.start, s.end) for s in snap.shifts.values() if s.operator == op_id)
        # vobject, not the icalendar package that wrote the file, reads it back
        calendar = vobject.readOne(path.read_text(encoding="utf-8"), validate=True)
        events = list(getattr(calendar, "vevent_list", []))
        read = sorted((e.dtstart.value, e.dtend.value) for e in events)
        assert read == mine
        assert all(e.summary.value.startswith("Shift ") for e in events)
    assert sum(1 for s in snap.shifts.values() if s.operator in (zoe_acute, zoe_grave)) > 0


def test_file_names_keep_letters_and_replace_only_what_file_systems_refuse():
    import uuid

    op = uuid.UUID(int=7)
    assert calendar_file_name("Zoé Perrin", op) == f"Zoé Perrin_{op}.ics"
    assert calendar_file_name('a<b>c:d"e/f\\g|h?i*j\x01', op) == f"a_b_c_d_e_f_g_h_i_j_{op}.ics"
    assert calendar_file_name("..", op) == f"{op}.ics"
    # decomposed accents (macOS input) are written composed: one name, one file
    assert calendar_file_name("Zoe\u0301", op) == calendar_file_name("Zoé", op)


def test_csv_neutralises_formulas_in_names(seeded):
    store, ids = seeded
    hostile = ['=HYPERLINK("http://x.invalid","clic")', "+33 6 00", "-1", "@SUM(A1)",
               "\tTab", "\rCr"]
    renamed = _rename(store, hostile)
    snap = RosterService(store).snapshot(ids["PP"])
    rows = list(csv.DictReader(io.StringIO(roster_csv(snap))))
    assert list(rows[0]) == CSV_COLUMNS and len(rows) == len(snap.shifts)
    shown = {r["operator"] for r in rows}
    held = {o.display_name for o in snap.operators
            if o.id in renamed and any(s.operator == o.id for s in snap.shifts.values())}
    assert held and {"'" + name for name in held} <= shown
    assert not any(r["operator"][:1] in "=+-@\t\r" for r in rows)
