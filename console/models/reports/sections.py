"""The HTML of each section of a situation report, in the report's language (no Qt).

Every value is escaped here; the template only places the sections. Categories, severities,
statuses and follow-up kinds are named by `console.models.enums.label`, venues by their names.
"""
from __future__ import annotations

import html
from datetime import datetime
from zoneinfo import ZoneInfo

from console.models.enums import SEVERITY_COLOURS, label
from console.models.reports.data import ReportData
from console.models.reports.lists import CategorySection, ListedEvent
from console.models.reports.stats import format_duration
from console.models.reports.wording import word

TABLE = "<table cellspacing='0' cellpadding='2' border='1' width='100%'>"
SEVERITIES = (4, 3, 2, 1)
COLOURS = {int(severity): colour for severity, colour in SEVERITY_COLOURS.items()}


def escape(value: object) -> str:
    return html.escape(str(value), quote=True)


class Sections:
    """Writes the sections of one report: its language and time zone are fixed once."""

    def __init__(self, data: ReportData, tz: ZoneInfo) -> None:
        self.data = data
        self.tz = tz
        self.language = data.request.language
        self.colon = " :" if self.language == "fr" else ":"  # French sets a space before ":"

    def w(self, key: str, **fields: object) -> str:
        """A report text, escaped."""
        return escape(word(key, self.language, **fields))

    def label(self, value: str | int) -> str:
        return escape(label(value, self.language))

    def local(self, value: datetime, fmt: str = "%d/%m/%Y %H:%M") -> str:
        return value.astimezone(self.tz).strftime(fmt)

    def headline(self) -> str:
        fig = self.data.figures
        cells = [
            (self.w("k_events"), fig.total),
            (self.w("k_open"), fig.open_total),
            (self.w("k_critical_open"), fig.open_by_severity.get(4, 0)),
            (self.w("k_flagged"), fig.flagged),
            (self.w("k_decisions"), fig.decisions),
            (self.w("k_ack"), format_duration(fig.response.mean_ack_s)),
            (self.w("k_close"), format_duration(fig.response.mean_close_s)),
        ]
        rows = "".join(f"<tr><td>{name}</td><td align='right' class='kpi'>{escape(value)}</td>"
                       f"</tr>" for name, value in cells)
        by_cat = ", ".join(f"{self.label(k)} {v}" for k, v in sorted(
            fig.by_category.items(), key=lambda kv: (-kv[1], kv[0]))) or self.w("none")
        by_sev = ", ".join(f"{self.label(s)} {fig.by_severity.get(s, 0)}" for s in SEVERITIES)
        return (f"{TABLE}{rows}</table>"
                f"<p>{self.w('by_category')}{self.colon} {by_cat}<br>"
                f"{self.w('by_severity')}{self.colon} {by_sev}<br>"
                f"<span class='muted'>{self.w('as_of', when=self.local(self.data.as_of))}"
                f"</span></p>")

    def _severity_cell(self, severity: int) -> str:
        return f"<td bgcolor='{COLOURS.get(severity, '#ffffff')}'>{self.label(severity)}</td>"

    def _last(self, event: ListedEvent) -> str:
        last = event.last_follow_up
        if last is None:
            return f"<i>{self.w('no_follow_up')}</i>"
        text = escape(last.text) if last.text else (
            self.w("status_to", status=label(last.new_status, self.language))
            if last.new_status else "")
        return (f"{self.local(last.recorded_at, '%d/%m %H:%M')} {escape(last.author)} "
                f"({self.label(last.kind)}) {text}")

    def _event_rows(self, events: list[ListedEvent], with_last: bool) -> str:
        rows = []
        for e in events:
            flag = " &#9873;" if e.flagged else ""
            where = " · ".join(escape(x) for x in (label(e.category, self.language), e.place) if x)
            last = f"<td>{self._last(e)}</td>" if with_last else ""
            rows.append(
                f"<tr><td>{self.local(e.occurred_at, '%d/%m %H:%M')}</td>"
                f"<td>{escape(e.centre_code)}</td>{self._severity_cell(e.severity)}"
                f"<td>{self.label(e.status)}</td>"
                f"<td>{escape(e.title)}{flag}<br><span class='muted'>{where}</span></td>"
                f"{last}</tr>")
        return "".join(rows)

    def _event_head(self, with_last: bool) -> str:
        # <thead> rows repeat at the top of every PDF page the table runs onto.
        # Widths in percent: the event and its last follow-up get the room.
        columns = [("c_time", 11), ("c_centre", 8), ("c_severity", 9), ("c_status", 10)]
        columns += [("c_event", 32), ("c_last", 30)] if with_last else [("c_event", 62)]
        return ("<thead><tr>" + "".join(f"<th width='{width}%'>{self.w(n)}</th>"
                                        for n, width in columns) + "</tr></thead>")

    def _more(self, shown: int, total: int) -> str:
        return (f"<p class='muted'>{self.w('first_of', shown=shown, total=total)}</p>"
                if total > shown else "")

    def open_events(self) -> str:
        data = self.data
        if not data.open_events:
            return f"<p>{self.w('open_none')}</p>"
        return (f"<p>{self.w('open_intro', n=data.open_events_total)}</p>{TABLE}"
                f"{self._event_head(True)}{self._event_rows(data.open_events, True)}</table>"
                f"{self._more(len(data.open_events), data.open_events_total)}")

    def categories(self) -> str:
        sections = self.data.categories
        if not sections:
            return f"<p>{self.w('categories_none')}</p>"
        head = ("<thead><tr>" + f"<th>{self.w('c_category')}</th><th>{self.w('c_total')}</th>"
                + "".join(f"<th>{self.label(s)}</th>" for s in SEVERITIES)
                + f"<th>{self.w('c_open')}</th></tr></thead>")
        rows = "".join(
            f"<tr><td>{self.label(s.category)}</td><td align='right'>{s.total}</td>"
            + "".join(f"<td align='right'>{s.by_severity.get(v, 0)}</td>" for v in SEVERITIES)
            + f"<td align='right'>{s.open_at_end}</td></tr>" for s in sections)
        return (f"{TABLE}{head}{rows}</table>"
                + "".join(self._category(s) for s in sections))

    def _category(self, section: CategorySection) -> str:
        heading = self.w("cat_heading", name=label(section.category, self.language),
                         n=section.total)
        if not section.serious:
            return f"<h3>{heading}</h3><p class='muted'>{self.w('cat_none_serious')}</p>"
        more = section.serious_total - len(section.serious)
        tail = f"<p class='muted'>{self.w('cat_more', n=more)}</p>" if more > 0 else ""
        return (f"<h3>{heading}</h3><p class='muted'>{self.w('cat_serious')}</p>{TABLE}"
                f"{self._event_head(False)}{self._event_rows(section.serious, False)}</table>"
                f"{tail}")

    def decisions(self) -> str:
        data = self.data
        if not data.decisions:
            return f"<p>{self.w('decisions_none')}</p>"
        head = ("<thead><tr>" + "".join(f"<th>{self.w(n)}</th>" for n in (
            "c_time", "c_by", "c_decision", "c_event")) + "</tr></thead>")
        rows = "".join(
            f"<tr><td>{self.local(d.recorded_at, '%d/%m %H:%M')}</td><td>{escape(d.author)}</td>"
            f"<td>{escape(d.text)}</td><td>{escape(d.event_title)}</td></tr>"
            for d in data.decisions)
        return (f"<p>{self.w('decisions_intro', n=data.decisions_total)}</p>{TABLE}{head}{rows}"
                f"</table>{self._more(len(data.decisions), data.decisions_total)}")

    def section_break(self) -> str:
        """"newpage" (a CSS class) when the lists fill pages: each section then starts on its
        own page, no heading left alone at a page's foot; a short report flows on."""
        data = self.data
        rows = len(data.open_events) + len(data.decisions) + sum(
            1 + len(c.serious) for c in data.categories)
        return "newpage" if rows > 25 else ""

    def venues_key(self) -> str:
        """Code and name of the venues the map labels by code (names would overlap there)."""
        venues = self.data.venues
        if not venues or not self.data.points:
            return ""
        items = ", ".join(f"<b>{escape(v.code)}</b> {escape(v.name)}" for v in venues)
        return f"<p class='muted'>{self.w('venues_key')}{self.colon} {items}</p>"

    def on_duty(self) -> str:
        staff = self.data.staffing
        if not staff.available:
            key = "roster_uncovered" if staff.message.startswith("no published") \
                else "roster_missing"
            return f"<p>{self.w(key)}</p>"
        required = "" if staff.required is None else self.w("on_duty_required", n=staff.required)
        names = "".join(f"<li>{escape(n)}</li>" for n in staff.on_duty) \
            or f"<li>{self.w('nobody')}</li>"
        at = self.local(self.data.as_of)
        return (f"<p>{self.w('on_duty_at', when=at, n=len(staff.on_duty))}{required}</p>"
                f"<ul>{names}</ul>")
