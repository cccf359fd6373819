#!/usr/bin/env bash
# Install the built Debian package on this machine as an IT department would, check it, remove it.
#   sudo installers/test_deb_install.sh [dist/console_<version>_amd64.deb]
# apt-get installs it with its dependencies, `console --self-test` runs from /usr/bin in a clean
# environment (offscreen), `console --start-time` measures the window's start on an existing
# demo store (offscreen, then on X11 under xvfb-run when it is there), then `apt-get remove --purge` must leave nothing under /opt/console, no launcher,
# no desktop entry, no icon. Exits non-zero, loudly, at the first failure. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
deb=${1:-$(ls dist/console_*.deb 2>/dev/null | head -1)}
[[ -f "$deb" ]] || { echo "PACKAGE TEST FAILED: no dist/console_*.deb (run installers/build_deb.py)" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || { echo "PACKAGE TEST FAILED: run as root (it installs the package)" >&2; exit 1; }
deb=$(realpath "$deb")
fail() { echo "PACKAGE TEST FAILED: $*" >&2; exit 1; }
installed=(/opt/console /usr/bin/console /usr/share/applications/console.desktop
           /usr/share/icons/hicolor/scalable/apps/console.svg
           /usr/share/icons/hicolor/256x256/apps/console.png)

echo "== apt-get install $(basename "$deb") ($(du -h "$deb" | cut -f1))"
start=$(date +%s)
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >/dev/null || fail "apt-get install"
echo "installed in $(( $(date +%s) - start )) s, $(du -sh /opt/console | cut -f1) in /opt/console"
for path in "${installed[@]}"; do [[ -e "$path" ]] || fail "$path not installed"; done
[[ "$(command -v console)" == /usr/bin/console || -x /usr/bin/console ]] || fail "no console launcher"

home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
# A clean environment, as a new user's session: no virtual environment, no source tree.
run() {
    (cd "$home" && env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
        XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" /usr/bin/console "$@")
}
echo "== /usr/bin/console --self-test"
out=$(run --self-test 2>"$home/self-test.err") || { cat "$home/self-test.err" >&2; fail "self-test exit code"; }
echo "$out"
grep -q "self-test: PASSED" <<<"$out" || fail "no PASSED line"
if grep -E "No module named|ModuleNotFoundError|Could not (load|find) the Qt platform plugin|Qt WebEngine resources not found" \
        "$home/self-test.err"; then
    fail "the installed bundle misses a piece (above)"
fi
echo "== /usr/bin/console --start-time (first run builds the demo store, the second measures)"
run --start-time --data-dir "$home/store" 2>/dev/null | grep "start-time:" || fail "start-time (first run)"
run --start-time --data-dir "$home/store" 2>/dev/null | grep "start-time:.*existing demo store" \
    || fail "start-time (existing store)"
if command -v xvfb-run >/dev/null; then
    echo "== the same on X11 (the desktop's xcb platform, under a virtual screen)"
    (cd "$home" && env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 QT_QPA_PLATFORM=xcb \
        XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" \
        xvfb-run -a /usr/bin/console --start-time --data-dir "$home/store" 2>"$home/xcb.err") \
        | grep "start-time:.*existing demo store" \
        || { tail -20 "$home/xcb.err" >&2; fail "start-time on xcb"; }
fi

echo "== apt-get remove --purge console"
DEBIAN_FRONTEND=noninteractive apt-get remove --purge -y -qq console >/dev/null || fail "apt-get remove"
for path in "${installed[@]}"; do [[ ! -e "$path" ]] || fail "$path left after removal"; done
if dpkg -s console >/dev/null 2>&1; then fail "dpkg still knows the console package"; fi
echo "PACKAGE TEST PASSED"
