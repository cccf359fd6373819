"""HTML of a situation report from a per-centre template (string.Template placeholders, no Qt).

A centre customises its report by dropping `<CENTRE>.html` in the user data directory's
`report_templates/` folder (or, shipped with the application, in
`resources/report_templates/`); otherwise `default.html` is used. Templates use
`$placeholder` names (see PLACEHOLDERS); every value is already escaped HTML and written in
the report's language, section headings included (`$h_...`), so one template serves both.
"""
from __future__ import annotations

import html
from pathlib import Path
from string import Template

from console.config import data_dir, resources_dir
from console.models.enums import label
from console.models.reports.data import ReportData
from console.models.reports.sections import Sections
from console.models.reports.wording import WORDS, word
from console.models.timezones import zone_or_default

PACKAGED = resources_dir() / "report_templates"
EXERCISE_MARK = "EXERCICE / EXERCISE"
CLASSIFICATION = "DIFFUSION RESTREINTE"
HEADINGS = tuple(key for key in WORDS if key.startswith("h_"))
PLACEHOLDERS = ("lang", "exercise_banner", "classification", "title", "centre", "period_label",
                "period", "scope_label", "scope", "generated", "generated_line", "author", "headline",
                "activity_chart", "severity_chart", "venue_chart", "map", "map_caption",
                "venues_key", "on_duty", "decisions", "open_events", "categories", "section_break",
                "events") + HEADINGS  # $events: the open events, for templates made before


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


def _img(src: str | None, width: int) -> str:
    return f"<img src='{_e(src)}' width='{width}'>" if src else ""


def render_html(data: ReportData, images: dict[str, str], map_caption: str,
                template_text: str | None = None, template_name: str = "") -> str:
    """The report's HTML; `images` maps "activity", "severity", "venue", "map" to img sources."""
    req = data.request
    language = req.language
    if template_text is None:
        path = template_path(req.centre)
        template_text, template_name = path.read_text(encoding="utf-8"), str(path)
    sections = Sections(data, zone_or_default(data.timezone))
    scope = []
    if req.centre:
        scope.append(word("scope_centre", language, code=req.centre))
    if data.zone_name or req.zone_id:
        scope.append(word("scope_zone", language, name=data.zone_name or req.zone_id))
    if req.category:
        scope.append(word("scope_category", language, name=label(req.category, language)))
    banner = (f"<p class='exercise' align='center' bgcolor='#6a1b9a'><font color='#ffffff'>"
              f"<b>{EXERCISE_MARK}</b></font></p>" if req.exercise else "")
    open_events = sections.open_events()
    values = {
        "lang": language,
        "exercise_banner": banner,
        "classification": _e(CLASSIFICATION),
        "title": _e((EXERCISE_MARK + " - " if req.exercise else "") + req.heading()),
        "centre": _e(data.centre_name),
        "period_label": _e(word("period", language)),
        "period": _e(f"{sections.local(req.time_from)} - {sections.local(req.time_to)} "
                     f"({data.timezone})"),
        "scope_label": _e(word("scope", language)),
        "scope": _e(", ".join(scope) or word("everything", language)),
        "generated": _e(sections.local(data.generated_at)),
        "generated_line": _e(word("generated" if req.author else "generated_anon", language,
                                  when=sections.local(data.generated_at), author=req.author)),
        "section_break": sections.section_break(),
        "author": _e(req.author or "-"),
        "headline": sections.headline(),
        "activity_chart": _img(images.get("activity"), 680),
        "severity_chart": _img(images.get("severity"), 335),
        "venue_chart": _img(images.get("venue"), 335),
        "map": _img(images.get("map"), 680),
        "map_caption": _e(map_caption),
        "venues_key": sections.venues_key(),
        "on_duty": sections.on_duty(),
        "decisions": sections.decisions(),
        "open_events": open_events,
        "events": open_events,
        "categories": sections.categories(),
    } | {key: _e(word(key, language)) for key in HEADINGS}
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
