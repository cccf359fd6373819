"""Fill the <translation> elements of console_*.ts from scripts/translations_fr.py's dictionaries.

Usage: python scripts/fill_translations.py resources/translations/console_fr.ts [console_en.ts]
A string with no entry stays "unfinished" (Qt then shows the English source) and is listed, so a
new string in the code is noticed; the i18n test fails on any visible one.
"""
from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from translations_fr import FR, FR_PLURAL  # noqa: E402


def english_plural(source: str) -> tuple[str, str]:
    """'%n change(s) waiting' -> ('%n change waiting', '%n changes waiting'); an explicit
    EN_PLURAL entry wins."""
    from translations_fr import EN_PLURAL

    if source in EN_PLURAL:
        return EN_PLURAL[source]
    singular = source.replace("(s)", "").replace("(es)", "").replace("(ies)", "y")
    plural = source.replace("(s)", "s").replace("(es)", "es").replace("y(ies)", "ies")
    if singular == plural and "entries" in source:
        singular = source.replace("entries", "entry")
    return singular, plural


def fill(path: Path) -> list[str]:
    tree = ET.parse(path)
    language = tree.getroot().get("language", "")
    missing: list[str] = []
    for message in tree.getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        numerus = message.get("numerus") == "yes"
        for child in list(translation):
            translation.remove(child)
        translation.text = None
        if language.startswith("en"):
            forms: tuple[str, ...] | None = english_plural(source) if numerus else (source,)
        elif numerus:
            forms = FR_PLURAL.get(source)
        else:
            forms = (FR[source],) if source in FR else None
        if forms is None:
            translation.set("type", "unfinished")
            missing.append(source)
            continue
        translation.attrib.pop("type", None)
        if numerus:
            for form in forms:
                ET.SubElement(translation, "numerusform").text = form
        else:
            translation.text = forms[0]
    ET.indent(tree, space="    ")
    body = ET.tostring(tree.getroot(), encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
                    encoding="utf-8")
    return missing


def main() -> int:
    status = 0
    for name in sys.argv[1:]:
        missing = fill(Path(name))
        print(f"{name}: {len(missing)} string(s) without translation")
        for source in missing:
            print(f"    {source!r}")
        status |= bool(missing)
    return 0  # lrelease still runs; tests/i18n decides whether a gap is visible


if __name__ == "__main__":
    sys.exit(main())
