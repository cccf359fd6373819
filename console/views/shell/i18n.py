"""Interface language and locale: the translators to install, and how dates, times and numbers read.

The language is the one chosen in the settings (QSettings key `ui/language`: "en", "fr" or
"" for the system's), else the system's when we ship it, else English (the source language).
Times are shown in the centre's time zone with the zone named ("14:05 CEST"), because operators
in several centres and workstations with odd clocks must read the same hour.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QLibraryInfo,
    QLocale,
    QSettings,
    QTime,
    QTranslator,
)

from console.config import resources_dir
from console.models.timezones import DEFAULT_TIMEZONE, store_centre_zone, zone_or_default

SOURCE_LANGUAGE = "en"
SETTINGS_KEY = "ui/language"
REPORT_LANGUAGE_KEY = "reports/language"
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}  # each in its own language, on purpose

_installed: list[QTranslator] = []  # kept alive: Qt holds only a pointer to an installed translator


def translations_dir() -> Path:
    """Where console_<lang>.qm files are: the frozen bundle, the source tree, or an override."""
    override = os.environ.get("CONSOLE_TRANSLATIONS_DIR")
    if override:
        return Path(override)
    return resources_dir() / "translations"


def qt_translations_dir() -> Path:
    """Qt's own translations (qtbase_fr.qm: standard buttons, dialogs), shipped with PySide6."""
    path = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    if path.is_dir():
        return path
    import PySide6

    return Path(PySide6.__file__).parent / "Qt" / "translations"


def available_languages() -> list[str]:
    """The source language plus every language with a compiled translation."""
    found = {p.stem.split("_", 1)[1] for p in translations_dir().glob("console_*.qm")}
    return sorted(found | {SOURCE_LANGUAGE})


def system_language() -> str:
    for name in QLocale.system().uiLanguages():
        code = name.replace("-", "_").split("_")[0].lower()
        if code in LANGUAGE_NAMES:
            return code
    return SOURCE_LANGUAGE


def chosen_language() -> str:
    """The language from the settings, or the system's; always one we can show."""
    value = QSettings().value(SETTINGS_KEY, "")
    value = str(value or "").strip().lower()
    if value in LANGUAGE_NAMES:
        return value
    return system_language()


def save_language(code: str) -> None:
    """Remember the choice ("" = follow the system); applied at the next start."""
    QSettings().setValue(SETTINGS_KEY, code if code in LANGUAGE_NAMES else "")


def report_language() -> str:
    """The language reports are written in: the last one chosen for a report, else the
    interface's (a French staff may still send an English report to a delegation)."""
    from console.views.shell.preferences import named_settings

    value = str(named_settings().value(REPORT_LANGUAGE_KEY, "") or "").strip().lower()
    return value if value in LANGUAGE_NAMES else chosen_language()


def save_report_language(code: str) -> None:
    from console.views.shell.preferences import named_settings

    if code in LANGUAGE_NAMES:
        named_settings().setValue(REPORT_LANGUAGE_KEY, code)


class ConsoleTranslator(QTranslator):
    """The app's catalogue, also searched without context.

    lupdate cannot tell the class of `tr = self.tr; tr("...")` or `tr = QMainWindow.tr`, so it
    files such strings under an empty context while Qt asks with the class name; falling back to
    the empty context finds them without rewriting every call site.
    """

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: ANN001, ANN201
        found = super().translate(context, source_text, disambiguation, n)
        if not found and context:
            found = super().translate("", source_text, disambiguation, n)
        # None, not "": an empty Python str reaches Qt as a non-null (valid, blank) translation.
        return found or None


@dataclass
class Loaded:
    language: str
    app: bool  # console_<lang>.qm installed
    qt: bool  # qtbase_<lang>.qm installed


def install_translators(app: QCoreApplication | None = None, language: str | None = None) -> Loaded:
    """Replace the installed translators with those of `language` and set the default locale.

    Widgets read their texts when they are built, so call this before building the window.
    """
    app = app or QCoreApplication.instance()
    language = language or chosen_language()
    for translator in _installed:
        QCoreApplication.removeTranslator(translator)
    _installed.clear()
    loaded = Loaded(language=language, app=False, qt=False)
    # English has a .qm too: it holds the plural forms of "%n event(s)".
    app_translator = ConsoleTranslator(app)
    if app_translator.load(f"console_{language}", str(translations_dir())):
        QCoreApplication.installTranslator(app_translator)
        _installed.append(app_translator)
        loaded.app = True
    if language != SOURCE_LANGUAGE:
        qt_translator = QTranslator(app)
        if qt_translator.load(f"qtbase_{language}", str(qt_translations_dir())):
            QCoreApplication.installTranslator(qt_translator)
            _installed.append(qt_translator)
            loaded.qt = True
    QLocale.setDefault(locale_for(language))
    return loaded


def locale_for(language: str) -> QLocale:
    """The system locale if it speaks `language` (fr_CA stays fr_CA), else that language's own."""
    system = QLocale.system()
    if system.name().split("_")[0] == language:
        return system
    return QLocale(language)


# -- formatting ----------------------------------------------------------------------------------

def zone(name: str | None) -> tzinfo:
    """A time zone by IANA name; an unknown or empty name falls back to the centre default."""
    return zone_or_default(name)


def _in_zone(moment: datetime, tz_name: str | None) -> datetime:
    if moment.tzinfo is None:  # the store keeps aware UTC datetimes; a naive one is UTC too
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone(tz_name))


def format_time(moment: datetime, tz_name: str | None = None, *, seconds: bool = False,
                locale: QLocale | None = None) -> str:
    """'14:05 CEST' in French, '2:05 PM CEST' in US English: the centre's hour, zone named."""
    local = _in_zone(moment, tz_name)
    loc = locale or QLocale()
    qtime = QTime(local.hour, local.minute, local.second)
    # Not LongFormat: it appends the workstation's zone, and we name the centre's.
    text = loc.toString(qtime, _clock_format(loc, with_seconds=seconds))
    return f"{text} {local.tzname()}"


def _clock_format(loc: QLocale, *, with_seconds: bool) -> str:
    short = loc.timeFormat(QLocale.FormatType.ShortFormat)
    if with_seconds and "s" not in short:
        short = short.replace("mm", "mm:ss")
    return short


def format_date(moment: datetime, tz_name: str | None = None, *, long: bool = False,
                locale: QLocale | None = None) -> str:
    local = _in_zone(moment, tz_name)
    loc = locale or QLocale()
    fmt = QLocale.FormatType.LongFormat if long else QLocale.FormatType.ShortFormat
    return loc.toString(QDate(local.year, local.month, local.day), fmt)


def format_datetime(moment: datetime, tz_name: str | None = None, *, seconds: bool = False,
                    locale: QLocale | None = None) -> str:
    """'23/07/2024 14:05 CEST': date and time in the centre's zone, in the user's locale."""
    return (f"{format_date(moment, tz_name, locale=locale)} "
            f"{format_time(moment, tz_name, seconds=seconds, locale=locale)}")


def format_number(value: float | int, decimals: int | None = None,
                  locale: QLocale | None = None) -> str:
    """'7 512' or '3,5' in French, '7,512' or '3.5' in English."""
    loc = locale or QLocale()
    if isinstance(value, int) and decimals is None:
        return loc.toString(value)
    return loc.toString(float(value), "f", 1 if decimals is None else decimals)


def zone_label(tz_name: str | None, moment: datetime | None = None) -> str:
    """'Europe/Paris (CEST, UTC+02:00)': what the settings and status bar show."""
    local = _in_zone(moment or datetime.now(UTC), tz_name)
    offset = local.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    name = getattr(local.tzinfo, "key", None) or tz_name or DEFAULT_TIMEZONE
    return f"{name} ({local.tzname()}, UTC{sign}{minutes // 60:02d}:{minutes % 60:02d})"


def centre_timezone(store, centre_code: str) -> str:  # noqa: ANN001 (LocalStore, no Qt import cycle)
    """The IANA name of a centre's zone (console.models.timezones.centre_zone)."""
    return store_centre_zone(store, centre_code).key
