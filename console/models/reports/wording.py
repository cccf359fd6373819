"""The words of a situation report in French and in English (no Qt).

A report is written in one language chosen when it is built (`ReportRequest.language`), which
need not be the interface's: a French workstation may send an English report to a foreign
delegation. Qt's tr() follows the interface language, so the report's own words live here, next
to the enum labels of `console.models.enums.label` (categories, severities, statuses).
"""
from __future__ import annotations

from console.models.enums import LANGUAGES

# key: (French, English). "{n}"-style fields are filled by `word(key, language, **fields)`.
WORDS: dict[str, tuple[str, str]] = {
    "title": ("Point de situation", "Situation report"),
    "all_centres": ("Tous centres", "All centres"),
    "everything": ("tout", "everything"),
    "scope_centre": ("centre {code}", "centre {code}"),
    "scope_zone": ("zone {name}", "zone {name}"),
    "scope_category": ("catégorie {name}", "category {name}"),
    "period": ("Période :", "Period:"),
    "scope": ("Périmètre :", "Scope:"),
    "generated": ("Établi le {when} par {author}", "Generated {when} by {author}"),
    "generated_anon": ("Établi le {when}", "Generated {when}"),
    "none": ("aucun", "none"),
    # Section headings, in the order of the report.
    "h_figures": ("Chiffres clés", "Headline figures"),
    "h_activity": ("Activité", "Activity"),
    "h_open": ("Événements critiques et graves encore ouverts",
               "Critical and high events still open"),
    "h_categories": ("Incidents par catégorie", "Incidents by category"),
    "h_decisions": ("Décisions", "Decisions"),
    "h_map": ("Carte", "Map"),
    "h_on_duty": ("Personnel de permanence", "On duty"),
    # Headline figures.
    "k_events": ("Événements", "Events"),
    "k_open": ("Encore ouverts en fin de période", "Still open at the end of the period"),
    "k_critical_open": ("Critiques encore ouverts", "Critical still open"),
    "k_flagged": ("Signalés aux autorités", "Flagged for the authorities"),
    "k_decisions": ("Décisions", "Decisions"),
    "k_ack": ("Délai moyen de prise en compte", "Mean time to acknowledge"),
    "k_close": ("Délai moyen de clôture", "Mean time to close"),
    "by_category": ("Par catégorie", "By category"),
    "by_severity": ("Par gravité", "By severity"),
    "as_of": ("Statuts, délais et décisions arrêtés à la fin de la période ({when}).",
              "Statuses, response times and decisions as of the end of the period ({when})."),
    # Tables.
    "c_time": ("Heure", "Time"),
    "c_centre": ("Centre", "Centre"),
    "c_severity": ("Gravité", "Severity"),
    "c_status": ("Statut", "Status"),
    "c_event": ("Événement", "Event"),
    "c_last": ("Dernier suivi", "Last follow-up"),
    "c_by": ("Par", "By"),
    "c_decision": ("Décision", "Decision"),
    "c_category": ("Catégorie", "Category"),
    "c_total": ("Total", "Total"),
    "c_open": ("Ouverts en fin", "Open at end"),
    "no_follow_up": ("aucun suivi", "no follow-up"),
    "status_to": ("statut : {status}", "status: {status}"),
    "open_intro": ("{n} événement(s) critique(s) ou grave(s) encore ouvert(s) à la fin de la "
                   "période, les plus graves d'abord.",
                   "{n} critical or high event(s) still open at the end of the period, most "
                   "severe first."),
    "open_none": ("Aucun événement critique ou grave n'était encore ouvert à la fin de la "
                  "période.", "No critical or high event was still open at the end of the "
                  "period."),
    "first_of": ("{shown} premiers sur {total}.", "First {shown} of {total}."),
    "cat_heading": ("{name} : {n} événement(s)", "{name}: {n} event(s)"),
    "cat_serious": ("Événements critiques et graves de la catégorie (tous statuts) :",
                    "Critical and high events of the category (any status):"),
    "cat_none_serious": ("Aucun événement critique ou grave.", "No critical or high event."),
    "cat_more": ("… et {n} autre(s) événement(s) critique(s) ou grave(s).",
                 "… and {n} more critical or high event(s)."),
    "categories_none": ("Aucun incident sur la période.", "No incident in the period."),
    "decisions_intro": ("{n} décision(s) prise(s) pendant la période.",
                        "{n} decision(s) taken during the period."),
    "decisions_none": ("Aucune décision sur la période.", "No decision in the period."),
    "on_duty_at": ("Au {when} : {n} en poste", "At {when}: {n} on duty"),
    "on_duty_required": (" (requis : {n})", " (required: {n})"),
    "nobody": ("personne", "nobody"),
    "roster_missing": ("Planning non disponible.", "Roster not available."),
    "roster_uncovered": ("Aucun planning publié ne couvre ce moment.",
                         "No published roster covers this moment."),
    "venues_key": ("Sites", "Venues"),
    # Charts.
    "chart_activity": ("Événements par {unit} et par catégorie", "Events per {unit} by category"),
    "unit_hour": ("heure", "hour"),
    "unit_hours": ("tranche de {n} h", "{n} hours"),
    "unit_day": ("jour", "day"),
    "chart_severity": ("Ouverts en fin de période, par gravité",
                       "Open at the end of the period, by severity"),
    "chart_venue": ("Événements par site", "Events per venue"),
    "chart_no_venue": ("aucun événement sur un site", "no event at a venue"),
    # Map.
    "map_none": ("Aucun événement géolocalisé.", "No geolocated event."),
    "map_drawn": ("{n} événement(s) géolocalisé(s)", "{n} geolocated event(s)"),
    "map_outside": ("{n} événement(s) se trouve(nt) hors de la zone représentée sur cette carte",
                    "{n} event(s) lie outside the area shown on this map"),
    "map_all_inside": ("tous dans la zone représentée", "all inside the area shown"),
    "map_sampled": ("1 sur {stride} dessiné (tous les critiques)",
                    "1 in {stride} drawn (all critical ones)"),
    "map_frame": ("zone représentée : {frame}", "area shown: {frame}"),
    "map_background": ("fond de carte : {credit}", "map background: {credit}"),
    "map_plain": ("dessin schématique, sans fond de carte", "schematic drawing, no map background"),
}


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"report language {language!r}: one of {', '.join(LANGUAGES)}")
    return language


def word(key: str, language: str, **fields: object) -> str:
    """The report's text `key` in `language`, fields filled, plurals agreed with `n`."""
    text = WORDS[key][LANGUAGES.index(check_language(language))].format(**fields)
    n = fields.get("n")
    if isinstance(n, int):
        # "(s)" and "(nt)" mark plural endings; French puts 0 and 1 in the singular, English 1.
        plural = n > 1 if language == "fr" else n != 1
        for ending in ("(s)", "(nt)"):
            text = text.replace(ending, ending[1:-1] if plural else "")
    return text


def map_caption(language: str, *, points: int, outside: int, stride: int, frame: str,
                background: str = "") -> str:
    """What the map shows, in words: how many events, how many lie outside the area drawn."""
    parts = [word("map_drawn", language, n=points)]
    parts.append(word("map_outside", language, n=outside) if outside
                 else word("map_all_inside", language))
    if stride > 1:
        parts.append(word("map_sampled", language, stride=stride))
    parts.append(word("map_frame", language, frame=frame))
    parts.append(word("map_background", language, credit=background) if background
                 else word("map_plain", language))
    return (" ; " if language == "fr" else "; ").join(parts) + "."
