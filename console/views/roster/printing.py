"""Printable PDF of a roster: one table per week (operators x days, each cell the shifts held),
laid out by the situation report's PDF writer (pages, header, footer, exercise mark)."""
from __future__ import annotations

import html
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale

from console.models.roster.rules import broken
from console.models.roster.service import RosterSnapshot


def shift_word() -> str:
    """What a duty period is called in the interface's language: Shift, in French vacation."""
    return QCoreApplication.translate("RosterPrint", "Shift")


def _weeks(days: list[date]) -> list[list[date]]:
    """The period cut into weeks starting on Mondays (the first and last may be shorter)."""
    weeks: list[list[date]] = []
    for day in days:
        if not weeks or day.weekday() == 0:
            weeks.append([])
        weeks[-1].append(day)
    return weeks


def roster_html(snapshot: RosterSnapshot) -> str:
    """The roster as HTML tables a reader can follow: a week per table, a row per operator, in
    each cell the shifts of that day (shift code and desk), the header row repeated per page."""
    data = snapshot.data
    cells: dict[tuple, list[str]] = defaultdict(list)
    for s in sorted(snapshot.shifts.values(), key=lambda s: s.start):
        start = s.start.astimezone(data.tz)
        cells[(s.operator, s.day)].append(
            f"<b>{html.escape(data.templates[s.template].code)}</b> "
            f"{html.escape(data.desks[s.desk].code)} <small>{start:%H:%M}</small>")
    locale = QLocale()
    roster = snapshot.roster
    last_day = roster.end_day - timedelta(days=1)
    problems = broken(snapshot.violations())
    week_of = QCoreApplication.translate("RosterPrint", "Week of %1")
    operator = html.escape(QCoreApplication.translate("RosterPrint", "Operator"))
    parts = [f"<h2>{html.escape(roster.name)}</h2>",
             "<p>" + QCoreApplication.translate(
                 "RosterPrint", "%1 · %2 to %3 · %4 shifts · %5 broken rule(s)")
             .replace("%1", html.escape(roster.centre_code))
             .replace("%2", locale.toString(roster.start_day, QLocale.FormatType.ShortFormat))
             .replace("%3", locale.toString(last_day, QLocale.FormatType.ShortFormat))
             .replace("%4", str(len(snapshot.shifts))).replace("%5", str(len(problems)))
             + "</p>"]
    legend = ", ".join(f"<b>{html.escape(t.code)}</b> {html.escape(t.name)}"
                       for t in snapshot.templates)
    if legend:
        parts.append(f"<p><small>{legend}</small></p>")
    for week in _weeks(data.days):
        head = "".join(f"<th>{html.escape(locale.toString(d, 'ddd dd/MM'))}</th>" for d in week)
        rows = []
        for op in snapshot.operators:
            tds = "".join(f"<td>{'<br>'.join(cells.get((op.id, d), [])) or '&nbsp;'}</td>"
                          for d in week)
            rows.append(f"<tr><td><b>{html.escape(op.display_name)}</b></td>{tds}</tr>")
        parts.append(
            f"<h3>{html.escape(week_of.replace('%1', locale.toString(week[0], 'dd/MM/yyyy')))}</h3>"
            "<table border=1 cellspacing=0 cellpadding=3 width='100%'>"
            f"<thead><tr><th align=left>{operator}</th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")
    return "".join(parts)


def export_pdf(snapshot: RosterSnapshot, path: Path, *, exercise: bool = False) -> Path:
    """Write the roster's PDF (atomically: a crash never leaves half a file under `path`)."""
    from console.views.reports.pdf import write_pdf

    write_pdf(roster_html(snapshot), {}, path, title=snapshot.roster.name, exercise=exercise,
              landscape=True)
    return path
