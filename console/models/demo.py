"""The demo scenario: Paris 2024 command centres, real venues, seven days of believable events.

Deterministic (seeded), relative to "now" so that the last 24 hours are always populated: the
first day of the scenario is the opening ceremony, the last one ends at the moment of seeding.
"""
from __future__ import annotations

import math
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.orm import Session

from console.models.base import utcnow
from console.models.entities import Centre, Event, FollowUp, User, Venue
from console.models.enums import Category, FollowUpKind, Status

# code, name, city, latitude, longitude (official Paris 2024 sites)
VENUES = [
    ("SDF", "Stade de France", "Saint-Denis", 48.92447, 2.36015),
    ("CDM", "Champ de Mars Arena", "Paris", 48.85565, 2.29856),
    ("TEF", "Stade Tour Eiffel", "Paris", 48.85585, 2.29780),
    ("CON", "La Concorde", "Paris", 48.86560, 2.32120),
    ("TRO", "Trocadéro", "Paris", 48.86160, 2.28930),
    ("BER", "Bercy Arena", "Paris", 48.83860, 2.37860),
    ("RG", "Stade Roland-Garros", "Paris", 48.84700, 2.24900),
    ("VSM", "Stade nautique de Vaires-sur-Marne", "Vaires-sur-Marne", 48.86970, 2.63780),
    ("MAR", "Marina de Marseille", "Marseille", 43.27200, 5.37100),
    ("VEL", "Stade de Marseille (Vélodrome)", "Marseille", 43.26980, 5.39590),
    ("PDP", "Parc des Princes", "Paris", 48.84140, 2.25300),
    ("GP", "Grand Palais", "Paris", 48.86610, 2.31250),
    ("INV", "Invalides", "Paris", 48.85650, 2.31250),
    ("PA3", "Pont Alexandre III", "Paris", 48.86390, 2.31360),
    ("LDA", "Paris La Défense Arena", "Nanterre", 48.89570, 2.22900),
    ("CAQ", "Centre aquatique olympique", "Saint-Denis", 48.92390, 2.35560),
    ("VER", "Château de Versailles", "Versailles", 48.80490, 2.12040),
    ("APS", "Arena Paris Sud", "Paris", 48.83210, 2.28730),
    ("HDV", "Hôtel de Ville", "Paris", 48.85660, 2.35220),
    ("LIL", "Stade Pierre-Mauroy", "Villeneuve-d'Ascq", 50.61190, 3.13050),
]

# code, name, latitude, longitude, parent
CENTRES = [
    ("CNCS", "Centre national de commandement stratégique", 48.87200, 2.31660, None),
    ("PP", "Préfecture de police - salle de commandement", 48.85460, 2.34770, "CNCS"),
    ("COJOP", "Centre des opérations Paris 2024", 48.91630, 2.36000, "CNCS"),
    ("PREF13", "Préfecture des Bouches-du-Rhône - COD", 43.29500, 5.38100, "CNCS"),
    ("TRANS", "Centre de coordination des transports", 48.88090, 2.35530, "CNCS"),
    ("SANTE", "ARS Île-de-France - cellule de crise", 48.85000, 2.40000, "CNCS"),
]

USERS = [
    ("demo.operator", "Camille Martin", "CNCS", "operator"),
    ("demo.supervisor", "Col. Antoine Leroy", "CNCS", "supervisor"),
    ("demo.manager", "Nadia Benali", "CNCS", "shift_manager"),
    ("demo.auditor", "Hélène Roussel", "CNCS", "auditor"),
    ("demo.admin", "Julien Morel", "CNCS", "administrator"),
    ("pp.op1", "Lucas Bernard", "PP", "operator"),
    ("pp.op2", "Inès Dubois", "PP", "operator"),
    ("pp.sup", "Cdt. Marc Petit", "PP", "supervisor"),
    ("cojop.op1", "Emma Garcia", "COJOP", "operator"),
    ("cojop.op2", "Hugo Lambert", "COJOP", "operator"),
    ("pref13.op1", "Sarah Fabre", "PREF13", "operator"),
    ("pref13.sup", "Paul Olivier", "PREF13", "supervisor"),
    ("trans.op1", "Léa Fontaine", "TRANS", "operator"),
    ("sante.op1", "Dr. Thomas Caron", "SANTE", "operator"),
]

STATIONS = [
    ("Gare du Nord", 48.88090, 2.35530), ("Châtelet-Les Halles", 48.86190, 2.34700),
    ("Gare de Lyon", 48.84430, 2.37430), ("Saint-Denis Pleyel", 48.91840, 2.34360),
    ("Aéroport CDG T2", 49.00350, 2.57140), ("Gare Saint-Lazare", 48.87620, 2.32500),
    ("Marseille Saint-Charles", 43.30270, 5.38040), ("Orly", 48.72330, 2.37940),
]

TITLES: dict[Category, list[str]] = {
    Category.SECURITY: ["Colis suspect signalé", "Intrusion en zone réglementée",
                        "Individu armé signalé", "Rixe aux abords du site",
                        "Drone non autorisé détecté", "Périmètre de sécurité franchi",
                        "Véhicule suspect stationné", "Alerte levée de doute terminée"],
    Category.HEALTH: ["Malaise d'un spectateur", "Coup de chaleur", "Blessé léger en tribune",
                      "Évacuation sanitaire", "Intoxication alimentaire suspectée",
                      "Poste de secours saturé"],
    Category.TRANSPORT: ["Interruption de trafic RER", "Colis suspect en gare - trafic suspendu",
                         "Retard navettes spectateurs", "Accident de la circulation",
                         "Saturation de la voie olympique", "Panne de signalisation"],
    Category.CYBER: ["Tentative d'hameçonnage ciblée", "Déni de service sur la billetterie",
                     "Compte de réseau social usurpé", "Alerte SOC - connexion anormale",
                     "Indisponibilité du wifi spectateurs"],
    Category.LOGISTICS: ["Rupture d'approvisionnement en eau", "Panne électrique partielle",
                         "Retard de livraison", "Groupe électrogène en défaut",
                         "Accréditations non délivrées"],
    Category.CROWD: ["Forte affluence à l'entrée", "Mouvement de foule", "File d'attente saturée",
                     "Fan zone à capacité maximale", "Rassemblement non déclaré"],
    Category.MEDIA: ["Rumeur sur les réseaux sociaux", "Demande presse sur un incident",
                     "Vidéo virale à vérifier", "Sollicitation d'une chaîne étrangère",
                     "Signal faible: appel à manifester"],
}

CATEGORY_WEIGHTS = {Category.SECURITY: 30, Category.HEALTH: 18, Category.TRANSPORT: 20,
                    Category.CYBER: 6, Category.LOGISTICS: 10, Category.CROWD: 11,
                    Category.MEDIA: 5}
SEVERITY_WEIGHTS = {1: 52, 2: 30, 3: 13, 4: 5}
SOURCES = ["Officier de liaison", "Vidéoprotection", "Patrouille", "Appel 17", "SAMU",
           "Régulation transport", "Veille réseaux sociaux", "CERT", "Chef de site"]


def hourly_weight(hour: int) -> float:
    """Believable daily rhythm: quiet at night, morning ramp, afternoon and evening peaks."""
    night = 0.15 if 2 <= hour <= 6 else 0.0
    return night + 0.3 + math.exp(-((hour - 11) ** 2) / 8) + 1.3 * math.exp(-((hour - 20) ** 2) / 6)


def seed_reference(session: Session) -> None:
    session.execute(insert(Centre), [
        {"code": c, "name": n, "latitude": lat, "longitude": lon, "parent_code": parent,
         "timezone": "Europe/Paris"} for c, n, lat, lon, parent in CENTRES])
    session.execute(insert(Venue), [
        {"code": c, "name": n, "city": city, "latitude": lat, "longitude": lon}
        for c, n, city, lat, lon in VENUES])
    session.execute(insert(User), [
        {"username": u, "display_name": d, "centre_code": c, "role": r, "active": True}
        for u, d, c, r in USERS])


Row = dict[str, Any]  # one row of a bulk insert


@dataclass(frozen=True)
class _Draws:
    """The weighted choices every generated event draws from."""

    categories: list[Category]
    category_weights: list[int]
    severities: list[int]
    severity_weights: list[int]
    authors_by_centre: dict[str, list[str]]


def generate_events(end: datetime | None = None, days: int = 7, per_day: int = 1000,
                    seed: int = 2024) -> tuple[list[Row], list[Row]]:
    """Event and follow-up rows of the scenario, as dicts ready for a bulk insert."""
    rng = random.Random(seed)
    end = end or utcnow()
    # Days start at midnight, Paris time, so that the rhythm follows the operators' clock.
    paris = ZoneInfo("Europe/Paris")
    start = (end - timedelta(days=days)).astimezone(paris).replace(
        hour=0, minute=0, second=0, microsecond=0)
    weights = [hourly_weight(h) for h in range(24)]
    authors_by_centre: dict[str, list[str]] = {}
    for username, _name, centre, _role in USERS:
        authors_by_centre.setdefault(centre, []).append(username)
    draws = _Draws(list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values()),
                   list(SEVERITY_WEIGHTS), list(SEVERITY_WEIGHTS.values()), authors_by_centre)
    events: list[Row] = []
    follow_ups: list[Row] = []
    total_weight = sum(weights)
    for day in range(days + 1):
        # Ceremony and finals days are busier.
        day_count = int(per_day * (1.35 if day in (0, 6) else rng.uniform(0.9, 1.1)))
        for hour in range(24):
            for _ in range(round(day_count * weights[hour] / total_weight)):
                occurred = (start + timedelta(days=day, hours=hour, seconds=rng.uniform(0, 3600))
                            ).astimezone(UTC)
                if occurred > end or occurred < end - timedelta(days=days):
                    continue
                row = _event(rng, occurred, end, draws)
                events.append(row)
                _follow_ups(rng, row, end, follow_ups)
    return events, follow_ups


def _event(rng: random.Random, occurred: datetime, end: datetime, draws: _Draws) -> Row:
    category = rng.choices(draws.categories, draws.category_weights)[0]
    severity = rng.choices(draws.severities, draws.severity_weights)[0]
    venue_code: str | None
    if category == Category.TRANSPORT and rng.random() < 0.6:
        place, lat, lon = rng.choice(STATIONS)
        venue_code = None
    else:
        venue_code, place, _city, lat, lon = rng.choice(VENUES)
    # Jitter within a few hundred metres of the site.
    lat += rng.gauss(0, 0.0025)
    lon += rng.gauss(0, 0.0035)
    centre = "PREF13" if lon > 5 else rng.choice(["CNCS", "PP", "PP", "COJOP", "TRANS", "SANTE"])
    if category == Category.TRANSPORT and centre not in ("PREF13",):
        centre = rng.choice(["TRANS", "PP", "CNCS"])
    if category == Category.HEALTH and centre != "PREF13":
        centre = rng.choice(["SANTE", "PP", "COJOP"])
    author = rng.choice(draws.authors_by_centre[centre])
    recorded = occurred + timedelta(seconds=rng.uniform(20, 600))
    recorded = min(recorded, end)
    event_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    title = rng.choice(TITLES[category])
    description = f"{title} - {place}. Signalé par {rng.choice(SOURCES).lower()}."
    return {
        "id": event_id, "centre_code": centre, "author": author, "recorded_at": recorded,
        "occurred_at": occurred, "title": title, "description": description,
        "category": category.value, "severity": severity, "place": place,
        "latitude": round(lat, 6), "longitude": round(lon, 6), "source": rng.choice(SOURCES),
        "venue_code": venue_code, "zone_id": None, "origin": None,
        "flagged_for_authorities": severity == 4 and rng.random() < 0.5,
        "status": Status.OPEN.value, "acknowledged_by": None, "acknowledged_at": None,
        "closed_at": None, "last_activity_at": recorded,
    }


def _follow_ups(rng: random.Random, row: Row, end: datetime, follow_ups: list[Row]) -> None:
    """The event's life up to `end`; its derived columns (status, acknowledgement) follow."""
    author: str = row["author"]
    severity: int = row["severity"]
    recorded: datetime = row["recorded_at"]
    age_hours = (end - recorded).total_seconds() / 3600
    others = [u for u, _n, _c, _r in USERS if u != author]
    at = recorded

    def follow(kind: FollowUpKind, minutes: float, text: str = "",
               status: str | None = None) -> bool:
        nonlocal at
        at = at + timedelta(minutes=minutes)
        if at > end:
            return False
        who = author if kind == FollowUpKind.STATUS and rng.random() < 0.5 else rng.choice(others)
        follow_ups.append({"id": uuid.UUID(int=rng.getrandbits(128), version=4),
                           "event_id": row["id"], "author": who, "recorded_at": at,
                           "kind": kind.value, "text": text, "new_status": status})
        row["last_activity_at"] = at
        if kind == FollowUpKind.ACKNOWLEDGEMENT and row["acknowledged_by"] is None:
            row["acknowledged_by"], row["acknowledged_at"] = who, at
        if status:
            row["status"] = status
            row["closed_at"] = at if status == Status.CLOSED else None
        return True

    # Most entries are acknowledged within minutes and closed within hours; a few stay open
    # (long-running situations), and the newest ones are still waiting: that is the live load.
    if rng.random() < (0.985 if age_hours > 0.3 else 0.6):
        follow(FollowUpKind.ACKNOWLEDGEMENT, rng.uniform(0.5, 12))
    if rng.random() < 0.6:
        if follow(FollowUpKind.STATUS, rng.uniform(2, 30), status=Status.IN_PROGRESS.value):
            follow(FollowUpKind.NOTE, rng.uniform(5, 60),
                   rng.choice(["Équipe sur place.", "Levée de doute en cours.",
                               "Renforts demandés.", "Situation sous contrôle.",
                               "Information transmise au CNCS."]))
            if severity >= 3 and rng.random() < 0.4:
                follow(FollowUpKind.DECISION, rng.uniform(5, 40),
                       rng.choice(["Décision: fermeture temporaire de l'accès nord.",
                                   "Décision: renfort de deux équipes cynophiles.",
                                   "Décision: information du préfet."]))
            if rng.random() < 0.98:
                follow(FollowUpKind.STATUS, rng.uniform(20, 240) * (1 + severity / 2),
                       status=Status.CLOSED.value)
    elif rng.random() < 0.97:
        follow(FollowUpKind.STATUS, rng.uniform(10, 90), status=Status.CLOSED.value)


def seed_demo(session: Session, end: datetime | None = None, per_day: int = 1000) -> int:
    """Fill an empty store (local or central) with the scenario; returns the number of events."""
    seed_reference(session)
    events, follow_ups = generate_events(end=end, per_day=per_day)
    if events:  # an empty executemany would insert one row of defaults
        session.execute(insert(Event), events)
    if follow_ups:
        session.execute(insert(FollowUp), follow_ups)
    return len(events)
