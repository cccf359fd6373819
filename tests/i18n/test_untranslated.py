"""The main window in English and in French: every visible string of the French window is French.

Each language is loaded the way the application loads it (console.views.shell.i18n), the full window is
built with the demo data, every visible text is collected (labels, buttons, menus, actions,
headers, tooltips, placeholders, dock titles) and compared with the English window: a text shown
identically in both is untranslated unless it is deliberately the same in French (the catalogue
says so), or is a proper noun, a code or a number.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from i18n.walk import visible_texts

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from translations_fr import FR  # noqa: E402

sys.path.pop(0)

# Proper nouns and product names that French keeps.
PROPER = {"Console", "CNCS", "Camille Martin", "demo.operator", "GeoJSON", "CSV", "KML", "CAP",
          "Leaflet", "OpenStreetMap", "PostgreSQL", "Paris 2024"}


def data_texts() -> set[str]:
    from console.models.demo import CENTRES
    from console.views.shell.i18n import LANGUAGE_NAMES

    return set(LANGUAGE_NAMES.values()) | {f"{code} - {name}" for code, name, *_ in CENTRES}


def same_in_french() -> list[re.Pattern]:
    """Sources whose French text is deliberately identical ("Transport", "Zones", "Console - %1")."""
    patterns = []
    for source, french in FR.items():
        if source == french:
            pattern = re.escape(source.replace("&", "").strip())
            pattern = re.sub(r"%\d", ".+", pattern)
            patterns.append(re.compile(f"^{pattern}$"))
    return patterns


def allowed(text: str, patterns: list[re.Pattern]) -> bool:
    plain = text.replace("&", "").strip()
    if not re.search(r"[A-Za-zÀ-ÿ]{2,}", plain):
        return True  # numbers, times, symbols
    if re.fullmatch(r"[A-Z0-9_.:/ -]+", plain) and len(plain) <= 12:
        return True  # codes: CNCS, IDF-01, P1
    if plain in data_texts():
        return True  # scenario data (centre names) and language names, not interface text
    if re.fullmatch(r"[A-Za-z_]+/[A-Za-z_]+ \(.*UTC[+-]\d\d:\d\d\)", plain):
        return True  # a time zone label: "Europe/Paris (CEST, UTC+02:00)"
    if plain.startswith("postgresql://"):
        return True  # example URL in a placeholder
    if re.fullmatch(r"\d+ (min|h)( \d+)?", plain):
        return True  # durations read the same in both languages: "6 min", "3 h 47"
    if plain in PROPER or any(p.match(plain) for p in patterns):
        return True
    return False


@pytest.fixture(scope="module")
def demo_context(tmp_path_factory):
    from console.models.store import LocalStore
    from console.views.shell.app import DEMO_ACTOR, seed_demo_if_empty
    from console.views.shell.context import AppContext, ChangeHub

    store = LocalStore(tmp_path_factory.mktemp("i18n") / "local.sqlite3")
    seed_demo_if_empty(store)
    context = AppContext(store=store, actor=DEMO_ACTOR, hub=ChangeHub(), mode="demo")
    yield context
    store.close()


def window_texts(qtbot, context, language: str) -> dict[str, set[str]]:
    from PySide6.QtWidgets import QApplication

    from console.views.shell.i18n import install_translators
    from console.views.shell.main_window import MainWindow

    loaded = install_translators(QApplication.instance(), language)
    assert loaded.app, f"console_{language}.qm did not load"
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    try:
        return visible_texts(window)
    finally:
        window.close()
        install_translators(QApplication.instance(), "en")


def test_french_window_has_no_untranslated_text(qtbot, demo_context):
    english = window_texts(qtbot, demo_context, "en")
    french = window_texts(qtbot, demo_context, "fr")
    assert len(english) > 40, "the walk found too few texts to mean anything"
    patterns = same_in_french()
    untranslated = {text: sorted(french[text]) for text in french
                    if text in english and not allowed(text, patterns)}
    listing = "\n".join(f"  {text!r} at {places[:3]}" for text, places in sorted(untranslated.items()))
    assert not untranslated, f"{len(untranslated)} untranslated text(s) in French:\n{listing}"


def test_english_window_reads_english_plurals(qtbot, demo_context):
    """English has a catalogue too: "%n event(s)" becomes "1 event" / "7 events"."""
    english = window_texts(qtbot, demo_context, "en")
    assert not [t for t in english if "(s)" in t], "raw plural source shown in English"


def test_qt_own_texts_are_french():
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from console.views.shell.i18n import install_translators

    app = QApplication.instance() or QApplication([])
    loaded = install_translators(app, "fr")
    try:
        assert loaded.qt
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuler"
    finally:
        install_translators(app, "en")


def dialogs_texts(qtbot, context, language: str) -> dict[str, set[str]]:
    from PySide6.QtWidgets import QApplication, QMainWindow

    from console.views.shell.first_run import FirstRunWizard
    from console.views.shell.help import HelpDialog
    from console.views.shell.i18n import install_translators
    from console.views.shell.settings_dialog import SettingsDialog
    from i18n.walk import dialog_texts

    install_translators(QApplication.instance(), language)
    try:
        window = QMainWindow()
        qtbot.addWidget(window)
        found: dict[str, set[str]] = {}
        for dialog in (HelpDialog(window), SettingsDialog(window), FirstRunWizard(window)):
            qtbot.addWidget(dialog)
            for text, places in dialog_texts(dialog).items():
                found.setdefault(text, set()).update(places)
        return found
    finally:
        install_translators(QApplication.instance(), "en")


def test_setup_dialogs_have_no_untranslated_text(qtbot, demo_context):
    english = dialogs_texts(qtbot, demo_context, "en")
    french = dialogs_texts(qtbot, demo_context, "fr")
    assert len(english) > 30
    patterns = same_in_french()
    untranslated = {text: sorted(places) for text, places in french.items()
                    if text in english and not allowed(text, patterns)}
    listing = "\n".join(f"  {text!r} at {places[:3]}" for text, places in sorted(untranslated.items()))
    assert not untranslated, f"{len(untranslated)} untranslated text(s) in French:\n{listing}"
