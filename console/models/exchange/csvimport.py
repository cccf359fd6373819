"""CSV import of events from another log: preview, per-line report of refused lines, no duplicates.

Accepted files: UTF-8 (with or without BOM), separator `,` `;` or tab (detected), a header line.
Columns (case-insensitive, French or English names): title/titre, category/catégorie,
severity/gravité, the moment: one column (occurred_at, horodatage, date_heure...) or a date
column and a time column (Date + Heure, Date + Time; see csvtime for the formats and the clock
changes), and optionally description, place/lieu, latitude, longitude, source,
flagged_for_authorities/signalé, venue_code/site, and an identifier column
(id, origin, ref, référence, numéro) naming the line in the other log.

Each line's origin is "csv:<source label>/<identifier>" (or the SHA-1 of the line's values when
the file has no identifier column), and its event id is uuid5 of that origin: importing the
same file again adds nothing. Every refused line is reported with the physical line number in
the file where its record starts (a quoted value may span several lines) and the reason.
"""
from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from console.models.base import utcnow
from console.models.enums import LANGUAGES, Category, Severity, label
from console.models.eventlog.bulk import CheckedEvent
from console.models.exchange.csvtime import TimeRefused, parse_date_and_time, parse_moment
from console.models.exchange.importing import Incoming
from console.models.timezones import zone_or_default
from console.models.validation import EventDraft, ValidationError

MAX_BYTES = 100 * 1024 * 1024

ALIASES = {
    "title": ("title", "titre", "intitule", "objet"),
    "category": ("category", "categorie", "type"),
    "severity": ("severity", "gravite", "niveau"),
    "occurred_at": ("occurred_at", "datetime", "date_time", "horodatage", "date_heure",
                    "timestamp"),
    "date": ("date", "jour", "day"),
    "time": ("heure", "time", "hour"),
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


Progress = Callable[[float, str], None]
PROGRESS_EVERY = 500  # lines


class CsvError(ValueError):
    """The file as a whole was refused (not its lines): nothing was written."""


@lru_cache(maxsize=4096)
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
CATEGORIES = frozenset(c.value for c in Category)


@dataclass
class CsvLine:
    number: int  # physical line in the file where the record starts (the header is line 1)
    item: Incoming
    checked: CheckedEvent  # what the bulk writer stores


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


def _delimiter(text: str) -> str:
    """The separator of the header line (`,` `;` or tab): the one it uses most."""
    end = text.find("\n")
    header = text[:end] if end >= 0 else text
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


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
    if "occurred_at" in positions:  # one date-time column wins over a date and a time
        for part in ("date", "time"):
            if part in positions:
                del positions[part]
                ignored.append(columns.pop(part))
    missing = [f for f in ("title", "category", "severity") if f not in positions]
    if "occurred_at" not in positions and "date" not in positions:
        missing.append("occurred_at (or date and time)")
    if missing:
        raise CsvError(f"refused: the header lacks the column(s) {', '.join(missing)} "
                       f"(found: {', '.join(header)})")
    return columns, positions, ignored


@lru_cache(maxsize=256)
def _category(raw: str) -> str:
    category = CATEGORY_ALIASES.get(_plain(raw), _plain(raw))
    if category not in CATEGORIES:
        raise ValidationError({"category": f"unknown category {raw!r}"})
    return category


@lru_cache(maxsize=256)
def _severity(raw: str) -> int:
    severity = SEVERITY_ALIASES.get(_plain(raw))
    if severity is not None:
        return severity
    try:
        return int(raw)
    except ValueError:
        raise ValidationError({"severity": f"unknown severity {raw!r} "
                               "(1-4 or low/moderate/high/critical)"}) from None


@dataclass
class _LineReader:
    """Turns one data line into a checked item, or raises ValidationError saying why not."""
    positions: dict[str, int]
    source_label: str
    tz: ZoneInfo
    now: datetime
    ambiguous: str = "refuse"
    seen: dict[str, int] = field(default_factory=dict)  # origin -> line number

    def _occurred_at(self, get: Callable[[str], str]) -> datetime:
        try:
            if "occurred_at" in self.positions:
                if not get("occurred_at"):
                    raise ValidationError({"occurred_at": "is required"})
                return parse_moment(get("occurred_at"), self.tz, self.ambiguous)
            if not get("date"):
                raise ValidationError({"occurred_at": "the date is required"})
            if "time" not in self.positions:
                return parse_moment(get("date"), self.tz, self.ambiguous)
            return parse_date_and_time(get("date"), get("time"), self.tz, self.ambiguous)
        except TimeRefused as error:
            raise ValidationError({"occurred_at": str(error)}) from None

    def line(self, number: int, row: list[str]) -> CsvLine:
        width = len(row)
        cells = {name: row[index].strip() for name, index in self.positions.items()
                 if index < width}

        def get(name: str) -> str:
            return cells.get(name, "")

        category = _category(get("category"))
        severity = _severity(get("severity"))
        draft = EventDraft(
            title=get("title"), description=get("description"), category=category,
            severity=severity, occurred_at=self._occurred_at(get), place=get("place"),
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
        checked = CheckedEvent.check(draft, now=self.now, allow_past=True, event_id=item.id,
                                     origin=origin, venue_code=item.venue_code)
        return CsvLine(number=number, item=item, checked=checked)


def _records(text: str) -> Iterable[tuple[int, list[str], float]]:
    """(physical line where the record starts, its values, fraction of the text read)."""
    # The limit is the whole file's size: a long value is refused by its field's own limit
    # (validation.py) with its line number, not by the csv module for the whole file.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))
    stream = io.StringIO(text, newline="")
    reader = csv.reader(stream, delimiter=_delimiter(text))
    end = 0
    try:
        for row in reader:
            yield end + 1, row, stream.tell() / max(len(text), 1)
            end = reader.line_num
    except csv.Error as error:
        raise CsvError(f"refused: line {end + 1}: {error}; nothing was imported") from None


def preview_csv(data: bytes, source_label: str, now: datetime | None = None, *,
                tz: ZoneInfo | None = None, ambiguous: str = "refuse",
                progress: Progress | None = None) -> CsvPreview:
    """Parse and check every line without writing anything; times without an offset are in
    `tz`, the importing centre's zone (console.models.timezones.centre_zone), and a time that
    happens twice there is taken as `ambiguous` says (refuse, earlier or later)."""
    text = _decode(data)
    if not text.strip():
        raise CsvError("refused: the file is empty")
    records = iter(_records(text))
    try:
        _, header, _ = next(records)
    except StopIteration:
        raise CsvError("refused: the file is empty") from None
    columns, positions, ignored = _map_header(header)
    preview = CsvPreview(columns=columns, ignored_columns=ignored)
    lines = _LineReader(positions, source_label, tz or zone_or_default(None), now or utcnow(),
                        ambiguous)
    for count, (number, row, fraction) in enumerate(records, start=1):
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(fraction, f"{count:,} lines read")
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            preview.refused.append((number, f"{len(row)} values for {len(header)} columns "
                                            "(a separator inside an unquoted value?)"))
            continue
        try:
            line = lines.line(number, row)
        except ValidationError as error:
            preview.refused.append((number, "; ".join(f"{k}: {v}"
                                                      for k, v in error.errors.items())))
            continue
        lines.seen[line.item.origin] = number
        preview.accepted.append(line)
    if progress is not None:
        progress(1.0, f"{preview.total:,} lines read")
    return preview


def source_label_for(path: Path) -> str:
    """The origin prefix of a file's lines: its name without extension (stable across copies)."""
    return path.stem
