"""Language choice, translators, and locale-aware times in the centre's zone."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QSettings
from PySide6.QtWidgets import QMainWindow, QWidget

from console.views.shell import i18n

SUMMER = datetime(2024, 7, 26, 12, 5, 7, tzinfo=UTC)
WINTER = datetime(2024, 12, 3, 23, 30, tzinfo=UTC)


@pytest.fixture
def app(qapp, tmp_path):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    QCoreApplication.setOrganizationName("console-test")
    QCoreApplication.setApplicationName(f"i18n-{tmp_path.name}")
    yield qapp
    i18n.install_translators(qapp, "en")
    QLocale.setDefault(QLocale.c())


def test_both_languages_are_shipped():
    assert i18n.available_languages() == ["en", "fr"]


def test_setting_overrides_the_system_language(app):
    QSettings().setValue(i18n.SETTINGS_KEY, "fr")
    assert i18n.chosen_language() == "fr"
    i18n.save_language("")  # back to the system's
    assert i18n.chosen_language() == i18n.system_language()
    QSettings().setValue(i18n.SETTINGS_KEY, "klingon")  # unknown: never shown
    assert i18n.chosen_language() in i18n.LANGUAGE_NAMES


def test_translators_follow_the_language_and_can_be_swapped(app):
    loaded = i18n.install_translators(app, "fr")
    assert loaded.app and loaded.qt
    assert QMainWindow.tr("Event log") == "Main courante"  # module-level tr: context fallback

    class MapPane(QWidget):
        def labels(self):
            tr = self.tr  # lupdate files this under no context
            return tr("Events"), self.tr("%n event(s) on the map", "", 1), \
                self.tr("%n event(s) on the map", "", 2)

    assert MapPane().labels() == ("Événements", "1 événement sur la carte",
                                  "2 événements sur la carte")
    assert QLocale().language() == QLocale.Language.French
    i18n.install_translators(app, "en")
    assert MapPane().labels() == ("Events", "1 event on the map", "2 events on the map")
    assert QMainWindow.tr("Event log") == "Event log"


def test_times_are_in_the_centre_zone_with_the_zone_named():
    fr, us = QLocale("fr_FR"), QLocale("en_US")
    assert i18n.format_time(SUMMER, "Europe/Paris", locale=fr) == "14:05 CEST"
    assert i18n.format_time(WINTER, "Europe/Paris", locale=fr) == "00:30 CET"
    assert i18n.format_time(SUMMER, "Europe/Paris", seconds=True, locale=fr) == "14:05:07 CEST"
    assert i18n.format_datetime(SUMMER, "Europe/Paris", locale=fr) == "26/07/2024 14:05 CEST"
    assert i18n.format_datetime(SUMMER, "Europe/Paris", locale=us) == "7/26/24 2:05\u202fPM CEST" \
        or i18n.format_datetime(SUMMER, "Europe/Paris", locale=us) == "7/26/24 2:05 PM CEST"
    # Overseas centre: same instant, its own clock and zone.
    assert i18n.format_time(SUMMER, "Pacific/Noumea", locale=fr) == "23:05 +11"
    # The date follows the zone too: 23:30 UTC on 3 December is already the 4th in Paris.
    assert i18n.format_date(WINTER, "Europe/Paris", locale=fr) == "04/12/2024"
    assert i18n.zone_label("Europe/Paris", SUMMER) == "Europe/Paris (CEST, UTC+02:00)"
    assert i18n.format_time(SUMMER, None, locale=fr) == "14:05 CEST"  # default centre zone
    assert i18n.zone_label("No/Such_Zone", WINTER).startswith("Europe/Paris (CET")


def test_numbers_follow_the_locale():
    fr, us = QLocale("fr_FR"), QLocale("en_US")
    assert i18n.format_number(7512, locale=fr).replace("\u202f", " ").replace("\xa0", " ") == "7 512"
    assert i18n.format_number(7512, locale=us) == "7,512"
    assert i18n.format_number(3.5, locale=fr) == "3,5"
    assert i18n.format_number(3.456, decimals=2, locale=us) == "3.46"


def test_centre_timezone_from_the_store(tmp_path):
    from console.models.entities import Centre
    from console.models.store import LocalStore

    store = LocalStore(tmp_path / "l.sqlite3")
    with store.transaction() as session:
        session.add(Centre(code="NC", name="Nouméa", timezone="Pacific/Noumea"))
    assert i18n.centre_timezone(store, "NC") == "Pacific/Noumea"
    assert i18n.centre_timezone(store, "UNKNOWN") == i18n.DEFAULT_TIMEZONE
    store.close()

