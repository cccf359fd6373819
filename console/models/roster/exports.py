"""Roster exports without Qt: one iCalendar file per operator (RFC 5545) and CSV."""
from __future__ import annotations

import csv
import io
import re
import unicodedata
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from icalendar import Calendar, Event

from console.models.exchange.export import neutralise_formula
from console.models.roster.service import RosterSnapshot

CSV_COLUMNS = ["day", "shift", "desk", "operator", "username", "team", "starts_at", "ends_at"]

# Characters no file name may hold on Windows or Linux (and control characters); letters, accents
# included, are kept so that a calendar is found by its owner's name.
_NOT_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_NAME_LIMIT = 80  # characters of the name; the id follows, well under 255 bytes in UTF-8


def _rows(snapshot: RosterSnapshot) -> list[dict[str, Any]]:
    ops = {o.id: o for o in snapshot.operators}
    desks = {d.id: d for d in snapshot.desks}
    tpls = {t.id: t for t in snapshot.templates}
    rows = []
    for shift in sorted(snapshot.shifts.values(), key=lambda s: (s.start, str(s.desk))):
        op, desk, tpl = ops.get(shift.operator), desks.get(shift.desk), tpls.get(shift.template)
        rows.append({"id": shift.key, "operator_id": shift.operator,
                     "operator": op.display_name if op else "?",
                     "username": (op.username or "") if op else "",
                     "team": op.team if op else "", "desk": desk.code if desk else "?",
                     "desk_name": desk.name if desk else "?", "shift": tpl.code if tpl else "?",
                     "day": shift.day, "starts_at": shift.start, "ends_at": shift.end})
    return rows


def roster_csv(snapshot: RosterSnapshot) -> str:
    """One line per assignment, local times of the centre (ISO 8601 with offset); a cell that a
    spreadsheet would run as a formula (a name typed as =HYPERLINK(...)) is neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    tz = snapshot.data.tz
    for r in _rows(snapshot):
        writer.writerow([neutralise_formula(value) for value in (
            r["day"].isoformat(), r["shift"], r["desk"], r["operator"], r["username"], r["team"],
            r["starts_at"].astimezone(tz).isoformat(), r["ends_at"].astimezone(tz).isoformat())])
    return out.getvalue()


def write_roster_csv(snapshot: RosterSnapshot, path: Path) -> Path:
    """Write roster_csv with a BOM (spreadsheets then read the accents), atomically: a crash
    never leaves half a sheet under the real name."""
    part = path.with_name(path.name + ".part")
    part.write_text(roster_csv(snapshot), encoding="utf-8-sig")
    part.replace(path)
    return path


def operator_calendar(snapshot: RosterSnapshot, operator_id: uuid.UUID,
                      now: datetime | None = None, shift_word: str = "Shift") -> bytes:
    """An RFC 5545 calendar of one operator's shifts (stable UIDs: re-imports update).

    `shift_word` names a duty period in the reader's language ("Shift", French "Vacation")."""
    cal = Calendar()
    cal.add("prodid", "-//console//shift roster//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    stamp = now or datetime.now(UTC)
    roster = snapshot.roster
    for r in _rows(snapshot):
        if r["operator_id"] != operator_id:
            continue
        event = Event()
        event.add("uid", f"{r['id']}@console.roster")
        event.add("dtstamp", stamp)
        event.add("dtstart", r["starts_at"].astimezone(UTC))
        event.add("dtend", r["ends_at"].astimezone(UTC))
        event.add("summary", f"{shift_word} {r['shift']} - {r['desk_name']}")
        event.add("location", f"{roster.centre_code} - {r['desk']}")
        event.add("description", f"{roster.name} ({roster.status})")
        event.add("status", "CONFIRMED" if roster.status == "published" else "TENTATIVE")
        event.add("transp", "OPAQUE")
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


def validate_calendar(data: bytes) -> int:
    """Re-parse a calendar and check the RFC 5545 essentials; returns the number of events."""
    cal = Calendar.from_ical(data)
    if cal.get("version") != "2.0" or not cal.get("prodid"):
        raise ValueError("VERSION 2.0 and PRODID are required")
    count = 0
    for event in cal.walk("VEVENT"):
        for prop in ("uid", "dtstamp", "dtstart", "dtend"):
            if event.get(prop) is None:
                raise ValueError(f"VEVENT without {prop.upper()}")
        if event.decoded("dtend") <= event.decoded("dtstart"):
            raise ValueError("VEVENT ends before it starts")
        count += 1
    for line in data.split(b"\r\n"):
        if len(line) > 75:
            raise ValueError("content line longer than 75 octets")
    return count


def calendar_file_name(display_name: str, operator_id: uuid.UUID) -> str:
    """"Zoé Perrin_<id>.ics": the name as written (only what no file system accepts is
    replaced), then the operator's id, so that two people of the same name keep two files."""
    name = unicodedata.normalize("NFC", display_name)
    name = _NOT_IN_FILE_NAMES.sub("_", name).strip(" ._")[:_NAME_LIMIT].rstrip(" .")
    return f"{name}_{operator_id}.ics" if name else f"{operator_id}.ics"


def export_calendars(snapshot: RosterSnapshot, folder: Path,
                     operators: Iterable[uuid.UUID] | None = None,
                     shift_word: str = "Shift") -> list[Path]:
    """Write one validated .ics per operator of the roster (or of `operators`), even one with no
    shift in it (an empty calendar says so); returns the files written, one per operator."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = set(operators) if operators is not None else None
    written: list[Path] = []
    for op in snapshot.operators:
        if wanted is not None and op.id not in wanted:
            continue
        data = operator_calendar(snapshot, op.id, shift_word=shift_word)
        validate_calendar(data)
        path = folder / calendar_file_name(op.display_name, op.id)
        if path in written:  # cannot happen with ids in the name; never overwrite silently
            raise ValueError(f"two operators would share the file {path.name}")
        part = path.with_name(path.name + ".part")
        part.write_bytes(data)
        part.replace(path)  # a crash never leaves a truncated calendar under the real name
        written.append(path)
    return written
