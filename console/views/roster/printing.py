"""Printable PDF of a roster (operators x days) through QTextDocument and QPdfWriter."""
from __future__ import annotations

import html
from collections import defaultdict
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from console.models.roster.rules import broken
from console.models.roster.service import RosterSnapshot


def roster_html(snapshot: RosterSnapshot) -> str:
    data = snapshot.data
    cells: dict[tuple, list[str]] = defaultdict(list)
    for s in sorted(snapshot.shifts.values(), key=lambda s: s.start):
        cells[(s.operator, s.day)].append(f"{data.templates[s.template].code} "
                                          f"{data.desks[s.desk].code}")
    days = data.days
    head = "".join(f"<th>{d:%a}<br>{d:%d/%m}</th>" for d in days)
    rows = []
    for op in snapshot.operators:
        tds = "".join(f"<td>{html.escape('<br>'.join(cells.get((op.id, d), [])))}</td>"
                      .replace("&lt;br&gt;", "<br>") for d in days)
        rows.append(f"<tr><th align=left>{html.escape(op.display_name)}</th>{tds}</tr>")
    problems = broken(snapshot.violations())
    roster = snapshot.roster
    return (f"<h2>{html.escape(roster.name)}</h2><p>{roster.centre_code} · {roster.status} · "
            f"{roster.start_day:%d/%m/%Y} - {roster.end_day:%d/%m/%Y} · "
            f"{len(snapshot.shifts)} vacations · {len(problems)} broken rule(s)</p>"
            f"<table border=1 cellspacing=0 cellpadding=2 style='font-size:6pt'>"
            f"<tr><th>Operator</th>{head}</tr>{''.join(rows)}</table>")


def export_pdf(snapshot: RosterSnapshot, path: Path) -> Path:
    writer = QPdfWriter(str(path))
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A3),
                                     QPageLayout.Orientation.Landscape, QMarginsF(8, 8, 8, 8)))
    writer.setTitle(snapshot.roster.name)
    doc = QTextDocument()
    doc.setHtml(roster_html(snapshot))
    doc.print_(writer)
    return path
