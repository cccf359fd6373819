"""The moment of a CSV line: one date-time column, or a date column and a time column.

Dates in French order (26/07/2024, 26-07-2024, 26.07.2024) or ISO order (2024-07-26); times as
18:30, 18:30:15, 18h30 or 18h, optionally followed by an offset (Z, +02:00, +0200). A time
without an offset is the importing centre's wall-clock time (console.models.timezones). At a
clock change some wall-clock times do not exist (the clocks jump from 02:00 to 03:00) and some
happen twice (02:00-03:00 when they go back): the first are always refused, the second are
refused unless the line carries its offset or the import says which one it means
(`ambiguous="earlier"`: summer time, the first pass; `"later"`: winter time, the second).
"""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

AMBIGUOUS_CHOICES = ("refuse", "earlier", "later")

_DATE = (r"(?:(?P<y1>\d{4})[-/.](?P<m1>\d{1,2})[-/.](?P<d1>\d{1,2})"
         r"|(?P<d2>\d{1,2})[-/.](?P<m2>\d{1,2})[-/.](?P<y2>\d{4}))")
_TIME = (r"(?P<h>\d{1,2})(?:[:hH](?P<mi>\d{2})?)(?::(?P<s>\d{2})(?:[.,](?P<f>\d{1,6}))?)?"
         r"\s*(?P<tz>[zZ]|[+-]\d{2}(?::?\d{2})?)?")
DATE_ONLY = re.compile(rf"\s*{_DATE}\s*")
TIME_ONLY = re.compile(rf"\s*{_TIME}\s*")
DATE_TIME = re.compile(rf"\s*{_DATE}(?:(?:\s+|\s*[Tt]\s*){_TIME})?\s*")
EXAMPLES = "use 2024-07-26T18:30 or 26/07/2024 18:30"


class TimeRefused(ValueError):
    """The text is not a moment, or names a local time a clock change skips or repeats."""


def _offset(text: str) -> timezone:
    if text in ("z", "Z"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
    if delta >= timedelta(hours=24):
        raise ValueError("offset out of range")
    return timezone(sign * delta)


def _naive(date: re.Match[str], time: re.Match[str]) -> tuple[datetime, str | None]:
    """The wall-clock moment and the offset text written with it (None when there is none)."""
    year = date["y1"] or date["y2"]
    month = date["m1"] or date["m2"]
    day = date["d1"] or date["d2"]
    fraction = (time["f"] or "").ljust(6, "0")
    moment = datetime(int(year), int(month), int(day), int(time["h"]), int(time["mi"] or 0),
                      int(time["s"] or 0), int(fraction or 0))
    return moment, time["tz"]


def _stamp(moment: datetime) -> str:
    return moment.strftime("%d/%m/%Y %H:%M")


def localize(naive: datetime, tz: ZoneInfo, ambiguous: str = "refuse") -> datetime:
    """The aware moment of a wall-clock time in `tz`; TimeRefused at a clock change."""
    first, second = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    # A skipped time does not come back unchanged from a round trip through UTC.
    if first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        raise TimeRefused(f"{_stamp(naive)} does not exist in {tz.key}: the clocks go forward "
                          "at that hour; check the time or write its offset")
    if ambiguous == "earlier":
        return first
    if ambiguous == "later":
        return second
    summer, winter = (first.strftime("%z"), second.strftime("%z"))
    raise TimeRefused(
        f"{_stamp(naive)} happens twice in {tz.key} (the clocks go back at that hour): write "
        f"its offset ({naive:%Y-%m-%dT%H:%M}{summer[:3]}:{summer[3:]} for the first, "
        f"{winter[:3]}:{winter[3:]} for the second) or import with the choice of the "
        "earlier or the later")


def _aware(naive: datetime, offset: str | None, tz: ZoneInfo, ambiguous: str) -> datetime:
    if offset:
        return naive.replace(tzinfo=_offset(offset))
    return localize(naive, tz, ambiguous)


def parse_moment(text: str, tz: ZoneInfo, ambiguous: str = "refuse") -> datetime:
    """One column holding a date and a time; TimeRefused with a message fit for the operator."""
    match = DATE_TIME.fullmatch(text)
    if match is None:
        raise TimeRefused(f"not a date-time: {text!r} ({EXAMPLES})")
    if match["h"] is None:
        raise TimeRefused(f"{text.strip()!r} has a date but no time of day ({EXAMPLES})")
    try:
        naive, offset = _naive(match, match)
        return _aware(naive, offset, tz, ambiguous)
    except (ValueError, OverflowError) as error:
        if isinstance(error, TimeRefused):
            raise
        raise TimeRefused(f"not a date-time: {text!r} ({EXAMPLES})") from None


def parse_date_and_time(date_text: str, time_text: str, tz: ZoneInfo,
                        ambiguous: str = "refuse") -> datetime:
    """A date column and a time column (Date + Heure, Date + Time) read as one moment."""
    date = DATE_ONLY.fullmatch(date_text)
    if date is None:
        if DATE_TIME.fullmatch(date_text) and not time_text.strip():
            return parse_moment(date_text, tz, ambiguous)  # the time came in the date column
        raise TimeRefused(f"not a date: {date_text!r} (use 26/07/2024 or 2024-07-26)")
    if not time_text.strip():
        raise TimeRefused(f"the date {date_text.strip()!r} has no time: the time column is empty")
    time = TIME_ONLY.fullmatch(time_text)
    if time is None:
        raise TimeRefused(f"not a time of day: {time_text!r} (use 18:30 or 18h30)")
    try:
        naive, offset = _naive(date, time)
        return _aware(naive, offset, tz, ambiguous)
    except (ValueError, OverflowError) as error:
        if isinstance(error, TimeRefused):
            raise
        raise TimeRefused(f"not a date-time: {date_text.strip()!r} {time_text.strip()!r}"
                          f" ({EXAMPLES})") from None
