"""Roster exports without Qt: one iCalendar file per operator (RFC 5545) and CSV."""
from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from icalendar import Calendar, Event

from console.models.roster.service import RosterSnapshot


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
                     "desk_name": desk.name if desk else "?", "vacation": tpl.code if tpl else "?",
                     "day": shift.day, "starts_at": shift.start, "ends_at": shift.end})
    return rows


def roster_csv(snapshot: RosterSnapshot) -> str:
    """One line per assignment, local times of the centre (ISO 8601 with offset)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["day", "vacation", "desk", "operator", "username", "team", "starts_at",
                     "ends_at"])
    tz = snapshot.data.tz
    for r in _rows(snapshot):
        writer.writerow([r["day"].isoformat(), r["vacation"], r["desk"], r["operator"],
                         r["username"], r["team"], r["starts_at"].astimezone(tz).isoformat(),
                         r["ends_at"].astimezone(tz).isoformat()])
    return out.getvalue()


def operator_calendar(snapshot: RosterSnapshot, operator_id: uuid.UUID,
                      now: datetime | None = None) -> bytes:
    """An RFC 5545 calendar of one operator's vacations (stable UIDs: re-imports update)."""
    cal = Calendar()
    cal.add("prodid", "-//console//vacation planning//FR")
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
        event.add("summary", f"Vacation {r['vacation']} - {r['desk_name']}")
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


def export_calendars(snapshot: RosterSnapshot, folder: Path,
                     operators: Iterable[uuid.UUID] | None = None) -> list[Path]:
    """Write one validated .ics per operator who has vacations; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = set(operators) if operators is not None else None
    written = []
    for op in snapshot.operators:
        if wanted is not None and op.id not in wanted:
            continue
        if not any(s.operator == op.id for s in snapshot.shifts.values()):
            continue
        data = operator_calendar(snapshot, op.id)
        validate_calendar(data)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", op.username or op.display_name).strip("_")
        path = folder / f"{name or op.id}.ics"
        path.write_bytes(data)
        written.append(path)
    return written
