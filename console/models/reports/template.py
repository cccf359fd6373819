"""HTML of a situation report from a per-centre template (string.Template placeholders, no Qt).

A centre customises its report by dropping `<CENTRE>.html` in the user data directory's
`report_templates/` folder (or, shipped with the application, in
`resources/report_templates/`); otherwise `default.html` is used. Templates use
`$placeholder` names (see PLACEHOLDERS); every value is already escaped HTML.
"""
from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path
from string import Template
from zoneinfo import ZoneInfo

from console.config import data_dir, resources_dir
from console.models.enums import SEVERITY_COLOURS, Severity, bilingual
from console.models.reports.data import ReportData
from console.models.reports.stats import format_duration
from console.models.timezones import zone_or_default

PACKAGED = resources_dir() / "report_templates"
EXERCISE_MARK = "EXERCICE / EXERCISE"
CLASSIFICATION = "DIFFUSION RESTREINTE"
PLACEHOLDERS = ("exercise_banner", "classification", "title", "centre", "period", "scope",
                "generated", "author", "headline", "activity_chart", "severity_chart",
                "venue_chart", "map", "map_caption", "on_duty", "decisions", "events")


class TemplateError(ValueError):
    """A report template refers to a placeholder that does not exist."""


def template_path(centre: str | None) -> Path:
    """The template a centre's reports use: user override, then packaged per-centre, then default."""
    if centre:
        safe = "".join(ch for ch in centre if ch.isalnum() or ch in "-_")
        for folder in (data_dir() / "report_templates", PACKAGED):
            candidate = folder / f"{safe}.html"
            if candidate.is_file():
                return candidate
    return PACKAGED / "default.html"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _local(value: datetime, tz: ZoneInfo, fmt: str = "%d/%m/%Y %H:%M") -> str:
    return value.astimezone(tz).strftime(fmt)


def _headline(data: ReportData) -> str:
    fig = data.figures
    resp = fig.response
    cells = [
        ("Événements / events", fig.total),
        ("Encore ouverts / still open", fig.open_total),
        ("Critiques ouverts / critical open", fig.open_by_severity.get(4, 0)),
        ("Signalés aux autorités / flagged", fig.flagged),
        ("Décisions / decisions", fig.decisions),
        ("Délai moyen d'acquittement / mean time to acknowledge",
         format_duration(resp.mean_ack_s)),
        ("Délai moyen de clôture / mean time to close", format_duration(resp.mean_close_s)),
    ]
    rows = "".join(f"<tr><td>{_e(label)}</td><td align='right' class='kpi'>{_e(value)}</td></tr>"
                   for label, value in cells)
    by_cat = ", ".join(f"{_e(bilingual(k))} {v}" for k, v in sorted(fig.by_category.items(),
                                                          key=lambda kv: -kv[1]))
    by_sev = ", ".join(f"{s}: {fig.by_severity.get(s, 0)}" for s in (4, 3, 2, 1))
    return (f"<table cellspacing='0' cellpadding='3' border='1' width='100%'>{rows}</table>"
            f"<p>Par catégorie / by category: {by_cat}<br>"
            f"Par gravité / by severity (4 = critique): {_e(by_sev)}<br>"
            f"<span class='muted'>Statuts à l'instant de l'édition / statuses as of "
            f"generation.</span></p>")


def _events(data: ReportData, tz: ZoneInfo) -> str:
    if not data.events:
        return "<p>Aucun / none.</p>"
    # <thead> rows repeat at the top of every PDF page the table runs onto.
    head = ("<thead><tr><th>Heure / time</th><th>Centre</th><th>Grav.</th>"
            "<th>Statut / status</th><th>Événement / event</th>"
            "<th>Dernier suivi / last follow-up</th></tr></thead>")
    rows = []
    for e in data.events:
        colour = SEVERITY_COLOURS[Severity(e.severity)]
        flag = " &#9873;" if e.flagged else ""
        if e.last_follow_up:
            when, author, kind, text = e.last_follow_up
            last = (f"{_local(when, tz, '%d/%m %H:%M')} {_e(author)} "
                    f"({_e(bilingual(kind))}) {_e(text)}")
        else:
            last = "<i>aucun suivi / no follow-up</i>"
        rows.append(
            f"<tr><td>{_local(e.occurred_at, tz, '%d/%m %H:%M')}</td><td>{_e(e.centre_code)}</td>"
            f"<td bgcolor='{colour}' align='center'>{e.severity}</td>"
            f"<td>{_e(bilingual(e.status))}</td>"
            f"<td>{_e(e.title)}{flag}<br><span class='muted'>{_e(bilingual(e.category))} · "
            f"{_e(e.place)}</span></td><td>{last}</td></tr>")
    more = ""
    if data.events_total > len(data.events):
        more = (f"<p class='muted'>{len(data.events)} premiers sur {data.events_total} / "
                f"first {len(data.events)} of {data.events_total}.</p>")
    return (f"<p>{data.events_total} événements / events (critiques, et graves encore ouverts / "
            f"critical, and high still open).</p>"
            f"<table cellspacing='0' cellpadding='2' border='1' width='100%'>{head}"
            f"{''.join(rows)}</table>{more}")


def _decisions(data: ReportData, tz: ZoneInfo) -> str:
    if not data.decisions:
        return "<p>Aucune décision sur la période / no decision in the period.</p>"
    head = ("<thead><tr><th>Heure / time</th><th>Par / by</th><th>Décision</th>"
            "<th>Événement / event</th></tr></thead>")
    rows = "".join(
        f"<tr><td>{_local(d.recorded_at, tz, '%d/%m %H:%M')}</td><td>{_e(d.author)}</td>"
        f"<td>{_e(d.text)}</td><td>{_e(d.event_title)}</td></tr>" for d in data.decisions)
    more = ""
    if data.decisions_total > len(data.decisions):
        more = (f"<p class='muted'>{len(data.decisions)} premières sur {data.decisions_total} / "
                f"first {len(data.decisions)} of {data.decisions_total}.</p>")
    return (f"<p>{data.decisions_total} décisions / decisions.</p>"
            f"<table cellspacing='0' cellpadding='2' border='1' width='100%'>{head}{rows}</table>"
            f"{more}")


def _on_duty(data: ReportData, tz: ZoneInfo) -> str:
    staff = data.staffing
    at = _local(min(data.generated_at, data.request.time_to), tz)
    if not staff.available:
        return f"<p>{_e(staff.message or 'roster not available')}</p>"
    required = "" if staff.required is None else f" / requis - required: {staff.required}"
    names = "".join(f"<li>{_e(n)}</li>" for n in staff.on_duty) or "<li>personne / nobody</li>"
    return f"<p>Au / at {at}: {len(staff.on_duty)}{_e(required)}</p><ul>{names}</ul>"


def _img(src: str | None, width: int) -> str:
    return f"<img src='{_e(src)}' width='{width}'>" if src else ""


def render_html(data: ReportData, images: dict[str, str], map_caption: str,
                template_text: str | None = None, template_name: str = "") -> str:
    """The report's HTML; `images` maps "activity", "severity", "venue", "map" to img sources."""
    req = data.request
    tz = zone_or_default(data.timezone)
    if template_text is None:
        path = template_path(req.centre)
        template_text, template_name = path.read_text(encoding="utf-8"), str(path)
    scope = []
    if req.centre:
        scope.append(f"centre {req.centre}")
    if data.zone_name or req.zone_id:
        scope.append(f"zone {data.zone_name or req.zone_id}")
    if req.category:
        scope.append(f"catégorie / category {req.category}")
    banner = (f"<p class='exercise' align='center' bgcolor='#6a1b9a'><font color='#ffffff'>"
              f"<b>{EXERCISE_MARK}</b></font></p>" if req.exercise else "")
    values = {
        "exercise_banner": banner,
        "classification": _e(CLASSIFICATION),
        "title": _e((EXERCISE_MARK + " - " if req.exercise else "") + req.title),
        "centre": _e(data.centre_name),
        "period": _e(f"{_local(req.time_from, tz)} - {_local(req.time_to, tz)} ({data.timezone})"),
        "scope": _e(", ".join(scope) or "tout / everything"),
        "generated": _e(_local(data.generated_at, tz)),
        "author": _e(req.author or "-"),
        "headline": _headline(data),
        "activity_chart": _img(images.get("activity"), 680),
        "severity_chart": _img(images.get("severity"), 335),
        "venue_chart": _img(images.get("venue"), 335),
        "map": _img(images.get("map"), 680),
        "map_caption": _e(map_caption),
        "on_duty": _on_duty(data, tz),
        "decisions": _decisions(data, tz),
        "events": _events(data, tz),
    }
    try:
        text = Template(template_text).substitute(values)
    except KeyError as exc:
        raise TemplateError(f"report template {template_name or '(given)'} uses an unknown "
                            f"placeholder ${exc.args[0]}; known: "
                            f"{', '.join('$' + p for p in PLACEHOLDERS)}") from exc
    except ValueError as exc:
        raise TemplateError(f"report template {template_name or '(given)'}: {exc} "
                            f"(write $$ for a dollar sign)") from exc
    if req.exercise and EXERCISE_MARK not in text:
        # A custom template without $exercise_banner still gets the mark.
        text = text.replace("<body>", "<body>" + banner, 1) if "<body>" in text \
            else banner + text
    return text
