#!/usr/bin/env bash
# Install the unpacked console folder for this user (~/.local) or, as root, for everyone (/opt).
#   ./install_linux.sh            install          ./install_linux.sh --uninstall   remove
#   ./install_linux.sh --user     per-user install even as root (add --uninstall to remove it)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
user_only=0
if [[ "${1:-}" == "--user" ]]; then user_only=1; shift; fi
if [[ $(id -u) -eq 0 && $user_only -eq 0 ]]; then
    prefix=/opt/console; bindir=/usr/local/bin; share=/usr/local/share
else
    prefix="$HOME/.local/opt/console"; bindir="$HOME/.local/bin"; share="$HOME/.local/share"
fi
if [[ "${1:-}" == "--uninstall" ]]; then
    rm -rf "$prefix" "$bindir/console" "$share/applications/console.desktop" \
        "$share/icons/hicolor/scalable/apps/console.svg" "$share/icons/hicolor/256x256/apps/console.png"
    echo "console removed (your data in ~/.local/share/console is kept)"
    exit 0
fi
mkdir -p "$prefix" "$bindir" "$share/applications" "$share/icons/hicolor/scalable/apps" \
    "$share/icons/hicolor/256x256/apps"
if [[ "$here" != "$prefix" ]]; then
    rm -rf "$prefix"
    cp -a "$here" "$prefix"
fi
ln -sf "$prefix/console" "$bindir/console"
sed "s|^Exec=console|Exec=$prefix/console|; s|^TryExec=console|TryExec=$prefix/console|" \
    "$here/console.desktop" > "$share/applications/console.desktop"
cp "$here/console.svg" "$share/icons/hicolor/scalable/apps/console.svg"
cp "$here/console.png" "$share/icons/hicolor/256x256/apps/console.png"
command -v update-desktop-database >/dev/null && update-desktop-database "$share/applications" || true
echo "console installed in $prefix; start it from the menu or with: $bindir/console"
