#!/usr/bin/env bash
# Build the self-contained Linux folder application, check it, and pack it.
#   installers/build_linux.sh            build + smoke test + tarball + Debian package
#   installers/build_linux.sh --no-test  skip the smoke test   (options combine)
#   installers/build_linux.sh --no-archive  no tarball (CI: the .deb is what it installs)
# Needs: Python 3.11+ with the project installed (`pip install -e ".[installers]"`); dpkg-deb for
# the .deb (skipped elsewhere). Output in dist/: console/ (run console/console),
# console-<version>-linux-x86_64.tar.gz (with install_linux.sh for a per-user or /opt install)
# and console_<version>_<arch>.deb (installs under /opt/console with /usr/bin/console).
# What of Qt goes in is decided by installers/bundle_rules.py from the recorded run
# installers/runtime_manifest.json (refresh it with installers/record_runtime.py).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
test=1; archive=1
for option in "$@"; do
    case "$option" in
        --no-test) test=0 ;;
        --no-archive) archive=0 ;;
        *) echo "unknown option $option" >&2; exit 2 ;;
    esac
done
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
size=$(du -sm dist/console | cut -f1)
echo "== built dist/console in ${build_s} s, ${size} MB"

if (( test )); then
    echo "== smoke test"
    python installers/smoke_test.py dist/console
fi
if (( archive )); then
    echo "== archive"
    tar -C dist -czf "dist/console-${version}-linux-x86_64.tar.gz" console
    ls -lh "dist/console-${version}-linux-x86_64.tar.gz"
fi
if command -v dpkg-deb >/dev/null; then
    echo "== Debian package"
    python installers/build_deb.py dist/console --out dist
fi
echo "== done in $(( $(date +%s) - start )) s"
