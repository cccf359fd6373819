#!/usr/bin/env bash
# Refresh the translation sources from the code, fill them, and compile them to .qm.
#   scripts/update_translations.sh            lupdate + fill + lrelease
#   scripts/update_translations.sh --release  lrelease only (the .ts files are up to date)
# The French texts live in scripts/translations_fr.py (a dict, English source -> French); strings
# it does not know stay "unfinished" and tests/i18n lists them.
set -euo pipefail
cd "$(dirname "$0")/.."
out=resources/translations
mkdir -p "$out"
if [[ "${1:-}" != "--release" ]]; then
    mapfile -t sources < <(find console -name '*.py' -not -path '*/migrations/*' | sort)
    # pyqtgraph's chart context menu ("Export...") shows inside the dashboard: translate it too.
    pg=$(python -c "import os, pyqtgraph; print(os.path.dirname(pyqtgraph.__file__))")
    sources+=("$pg/GraphicsScene/GraphicsScene.py")
    # -no-obsolete: a string removed from the code leaves the catalogue.
    pyside6-lupdate -no-obsolete -locations none -source-language en -target-language fr_FR "${sources[@]}" -ts "$out/console_fr.ts"
    # English is the source language: only the plural forms ("%n event(s)") need entries.
    pyside6-lupdate -no-obsolete -pluralonly -locations none -source-language en -target-language en "${sources[@]}" -ts "$out/console_en.ts"
    python scripts/fill_translations.py "$out/console_fr.ts" "$out/console_en.ts"
fi
for ts in "$out"/console_*.ts; do
    pyside6-lrelease -silent "$ts" -qm "${ts%.ts}.qm"
done
ls -l "$out"
