#!/usr/bin/env bash
# Build the self-contained Linux folder application, check it, and pack it.
#   installers/build_linux.sh            build + smoke test + dist/console-<version>-linux-x86_64.tar.gz
#   installers/build_linux.sh --no-test  skip the smoke test
# Needs: Python 3.11+ with the project installed (`pip install -e ".[installers]"`).
# Output: dist/console/ (run dist/console/console), the tarball, and installers/install_linux.sh
# inside it to put the app under ~/.local (or /opt with sudo) with its menu entry and icon.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
version=$(python -c "import importlib.metadata as m; print(m.version('console'))")

python -m pip show pyinstaller >/dev/null 2>&1 || python -m pip install -q "pyinstaller>=6.10"
echo "== translations"
scripts/update_translations.sh --release >/dev/null
echo "== pyinstaller"
python -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller installers/console.spec
# Desktop integration travels with the folder.
cp resources/console.desktop resources/console.svg resources/console.png dist/console/
cp installers/install_linux.sh dist/console/
build_s=$(( $(date +%s) - start ))
size=$(du -sh dist/console | cut -f1)
echo "== built dist/console in ${build_s} s, ${size}"

if [[ "${1:-}" != "--no-test" ]]; then
    echo "== smoke test"
    python installers/smoke_test.py dist/console
fi
echo "== archive"
tar -C dist -czf "dist/console-${version}-linux-x86_64.tar.gz" console
ls -lh "dist/console-${version}-linux-x86_64.tar.gz"
