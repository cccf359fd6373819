"""CSV import of events from another log: preview, per-line report of refused lines, no duplicates.

Accepted files: UTF-8 (with or without BOM), separator `,` `;` or tab (detected), a header line.
Columns (case-insensitive, French or English names): title/titre, category/catégorie,
severity/gravité, occurred_at/date (ISO 8601; without an offset the time is the importing centre's),
and optionally description, place/lieu, latitude, longitude, source,
flagged_for_authorities/signalé, venue_code/site, and an identifier column
(id, origin, ref, référence, numéro) naming the line in the other log.

Each line's origin is "csv:<source label>/<identifier>" (or the SHA-1 of the line's values when
the file has no identifier column), and its event id is uuid5 of that origin: importing the
same file again adds nothing. Every refused line is reported with its number and the reason.
"""
from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from console.models.base import utcnow
from console.models.enums import LANGUAGES, Category, Severity, label
from console.models.exchange.importing import Incoming, check
from console.models.timezones import zone_or_default
from console.models.validation import EventDraft, ValidationError

MAX_BYTES = 100 * 1024 * 1024

ALIASES = {
    "title": ("title", "titre", "intitule", "objet"),
    "category": ("category", "categorie", "type"),
    "severity": ("severity", "gravite", "niveau"),
    "occurred_at": ("occurred_at", "date", "datetime", "horodatage", "date_heure", "heure"),
    "description": ("description", "details", "texte"),
    "place": ("place", "lieu", "localisation"),
    "latitude": ("latitude", "lat"),
    "longitude": ("longitude", "lon", "lng"),
    "source": ("source", "emetteur"),
    "flagged_for_authorities": ("flagged_for_authorities", "flagged", "signale",
                                "signale_autorites"),
    "venue_code": ("venue_code", "venue", "site"),
    "identifier": ("id", "origin", "ref", "reference", "numero", "identifier"),
}
TRUE_WORDS = {"1", "true", "yes", "oui", "vrai", "x"}


class CsvError(ValueError):
    """The file as a whole was refused (not its lines): nothing was written."""


def _plain(text: str) -> str:
    """Lower case without accents or spaces: 'Catégorie ' -> 'categorie'."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace(" ", "_")


def _label_aliases(members: Iterable[Category | Severity]) -> dict[str, str | int]:
    """Every label of console.models.enums (French and English) read back as its value."""
    return {_plain(label(m, language)): m.value for m in members for language in LANGUAGES}


# The labels reports print, plus the other words other logs use.
CATEGORY_ALIASES: dict[str, str] = {
    word: str(value) for word, value in _label_aliases(Category).items()} | {"transports": "transport"}
SEVERITY_ALIASES: dict[str, int] = {
    word: int(value) for word, value in _label_aliases(Severity).items()} | {
        "modere": 2, "eleve": 3, "haute": 3}


@dataclass
class CsvLine:
    number: int  # line number in the file (the header is line 1)
    item: Incoming


@dataclass
class CsvPreview:
    columns: dict[str, str]  # our field -> the file's column name
    accepted: list[CsvLine] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)  # (line, why)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.accepted) + len(self.refused)


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise CsvError(f"refused: {len(data):,} bytes is more than {MAX_BYTES:,}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CsvError(f"refused: not UTF-8 text (byte {error.start}); save the file as "
                       "CSV UTF-8") from error


def _parse_time(value: str, tz: ZoneInfo) -> datetime:
    text = value.strip().replace("/", "-")
    if len(text) >= 10 and text[2] == "-" and text[5] == "-":  # 26-07-2024 18:30 (French order)
        text = f"{text[6:10]}-{text[3:5]}-{text[0:2]}{text[10:]}"
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def _rows(text: str) -> Iterator[list[str]]:
    """A reader with the separator the file uses (`,` `;` or tab, sniffed from its start)."""
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return csv.reader(io.StringIO(text), dialect)


def _map_header(header: list[str]) -> tuple[dict[str, str], dict[str, int], list[str]]:
    """(our field -> the file's column name, our field -> column index, ignored columns)."""
    columns: dict[str, str] = {}
    positions: dict[str, int] = {}
    ignored = []
    for index, name in enumerate(header):
        plain = _plain(name)
        for ours, aliases in ALIASES.items():
            if plain in aliases and ours not in positions:
                positions[ours], columns[ours] = index, name
                break
        else:
            ignored.append(name)
    missing = [f for f in ("title", "category", "severity", "occurred_at") if f not in positions]
    if missing:
        raise CsvError(f"refused: the header lacks the column(s) {', '.join(missing)} "
                       f"(found: {', '.join(header)})")
    return columns, positions, ignored


def _category(raw: str) -> str:
    category = CATEGORY_ALIASES.get(_plain(raw), _plain(raw))
    if category not in {c.value for c in Category}:
        raise ValidationError({"category": f"unknown category {raw!r}"})
    return category


def _severity(raw: str) -> int:
    severity = SEVERITY_ALIASES.get(_plain(raw))
    if severity is not None:
        return severity
    try:
        return int(raw)
    except ValueError:
        raise ValidationError({"severity": f"unknown severity {raw!r} "
                               "(1-4 or low/moderate/high/critical)"}) from None


def _occurred_at(raw: str, tz: ZoneInfo) -> datetime:
    if not raw:
        raise ValidationError({"occurred_at": "is required"})
    try:
        return _parse_time(raw, tz)
    except ValueError:
        raise ValidationError({"occurred_at": f"not a date-time: {raw!r}"
                               " (use 2024-07-26T18:30 or 26/07/2024 18:30)"}) from None


@dataclass
class _LineReader:
    """Turns one data line into an Incoming item, or raises ValidationError saying why not."""
    positions: dict[str, int]
    source_label: str
    tz: ZoneInfo
    now: datetime
    seen: dict[str, int] = field(default_factory=dict)  # origin -> line number

    def incoming(self, number: int, row: list[str]) -> Incoming:
        def get(name: str) -> str:
            index = self.positions.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        category = _category(get("category"))
        severity = _severity(get("severity"))
        occurred = _occurred_at(get("occurred_at"), self.tz)
        draft = EventDraft(
            title=get("title"), description=get("description"), category=category,
            severity=severity, occurred_at=occurred, place=get("place"),
            latitude=get("latitude") or None, longitude=get("longitude") or None,
            source=get("source") or self.source_label[:200],
            flagged_for_authorities=_plain(get("flagged_for_authorities")) in TRUE_WORDS)
        identifier = get("identifier") or hashlib.sha1(
            "\x1f".join(cell.strip() for cell in row).encode("utf-8")).hexdigest()
        origin = f"csv:{self.source_label}/{identifier}"[:400]
        if origin in self.seen:
            raise ValidationError({"identifier": f"same line as line {self.seen[origin]}"
                                   if not get("identifier") else
                                   f"identifier {identifier!r} already used on line "
                                   f"{self.seen[origin]}"})
        item = Incoming(draft=draft, origin=origin, venue_code=get("venue_code") or None,
                        label=f"line {number}")
        check(item, self.now)
        return item


def preview_csv(data: bytes, source_label: str, now: datetime | None = None, *,
                tz: ZoneInfo | None = None) -> CsvPreview:
    """Parse and check every line without writing anything; times without an offset are in
    `tz`, the importing centre's zone (console.models.timezones.centre_zone)."""
    text = _decode(data)
    if not text.strip():
        raise CsvError("refused: the file is empty")
    reader = _rows(text)
    try:
        header = next(reader)
    except StopIteration:
        raise CsvError("refused: the file is empty") from None
    columns, positions, ignored = _map_header(header)
    preview = CsvPreview(columns=columns, ignored_columns=ignored)
    lines = _LineReader(positions, source_label, tz or zone_or_default(None), now or utcnow())
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            preview.refused.append((number, f"{len(row)} values for {len(header)} columns "
                                            "(a separator inside an unquoted value?)"))
            continue
        try:
            item = lines.incoming(number, row)
        except ValidationError as error:
            preview.refused.append((number, "; ".join(f"{k}: {v}"
                                                      for k, v in error.errors.items())))
            continue
        lines.seen[item.origin] = number
        preview.accepted.append(CsvLine(number=number, item=item))
    return preview


def source_label_for(path: Path) -> str:
    """The origin prefix of a file's lines: its name without extension (stable across copies)."""
    return path.stem
