"""Pack the frozen folder (dist/console) as a Debian package, with dpkg-deb alone.

Usage: python installers/build_deb.py [dist/console] [--out dist]
Writes dist/console_<version>_<arch>.deb: the folder under /opt/console, a /usr/bin/console
launcher, the desktop entry in /usr/share/applications and the icons in the hicolor theme. Its
Depends are the system packages owning the shared libraries the bundle's binaries name
(DT_NEEDED) but the bundle does not carry, located with ldd and owned per dpkg -S on this
machine (so build on the Debian release you deploy to), plus the data files those read (fonts,
fontconfig's configuration, keyboard layouts). Libraries missing here are reported: the Qt
plugins needing them (GTK theme, TIFF) will not load, the rest of the program does.
"""
from __future__ import annotations

import argparse
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "/opt/console"
# Data files, not libraries, that the carried libraries read from the system: fontconfig's
# configuration and at least one font (Qt draws no text without), and the X keyboard layouts
# libxkbcommon compiles keymaps from (no typing on X11 without).
EXTRA_DEPENDS = ("fonts-dejavu-core", "fontconfig-config", "xkb-data")
# Libraries only optional plugins need (native GTK file dialogs and theme, the CUPS print
# dialog): the console works without them, so they are suggested, not required.
OPTIONAL_PLUGIN_DIRS = ("platformthemes", "printsupport")
# What the GTK theme plugin needs, named here because a build machine without GTK cannot ask
# dpkg who owns it.
EXTRA_SUGGESTS = ("libgtk-3-0",)

CONTROL = """Package: console
Version: {version}
Architecture: {arch}
Maintainer: Console maintainers <console@localhost>
Section: misc
Priority: optional
Installed-Size: {size_kb}
Depends: {depends}
Suggests: {suggests}
Homepage: https://localhost/console
Description: Operator console for crisis and event command centres
 Event log, map with offline tiles, shift planning and situation reports of a
 command centre, with a local store that keeps working offline and syncs with a
 central PostgreSQL database. Self-contained (Python and Qt inside): start it
 with `console`, check a workstation with `console --self-test`.
"""
# dpkg removes the files it installed; whatever the program wrote under /opt/console (none
# expected) goes too, so that removal leaves nothing. Users' data (~/.local/share/console) stays.
POSTRM = """#!/bin/sh
set -e
case "$1" in
    remove|purge)
        rm -rf /opt/console
        if command -v update-desktop-database >/dev/null 2>&1; then
            update-desktop-database -q /usr/share/applications || true
        fi
        ;;
esac
exit 0
"""
POSTINST = """#!/bin/sh
set -e
if [ "$1" = configure ] && command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q /usr/share/applications || true
fi
exit 0
"""
LAUNCHER = f"""#!/bin/sh
# Installed by the console package: the program and everything it needs live in {PREFIX}.
exec {PREFIX}/console "$@"
"""


def is_elf(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(4) == b"\x7fELF"
    except OSError:
        return False


def system_libraries(folder: Path) -> tuple[dict[str, set[str]], list[str]]:
    """{library path outside the bundle: the bundle's files needing it}, and what is missing."""
    needed: dict[str, set[str]] = {}
    missing: list[str] = []
    bundle = str(folder.resolve())
    # The frozen program puts its _internal folder first in the library path: a library the
    # bundle carries is the one loaded, even where ldd (without that path) finds the system's.
    carried = {p.name for p in folder.rglob("*")}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.is_symlink() or not is_elf(path):
            continue
        direct = direct_needs(path)
        out = subprocess.run(["ldd", str(path)], capture_output=True, text=True).stdout
        for line in out.splitlines():
            match = re.match(r"\s*(\S+) => (.*)$", line)
            if not match or match[1] not in direct or match[1] in carried:
                continue  # what a system library needs is its package's business
            name, target = match[1], match[2].split(" (0x")[0].strip()
            if target == "not found":
                # A Qt plugin may need a library of an optional component: reported, not fatal.
                missing.append(f"{path.relative_to(folder)}: {name}")
            elif not target.startswith(bundle):
                needed.setdefault(os.path.realpath(target), set()).add(str(path.relative_to(folder)))
    return needed, missing


def direct_needs(path: Path) -> set[str]:
    """The libraries a binary names itself (DT_NEEDED); ldd also lists theirs."""
    out = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True).stdout
    return set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out))


def owning_packages(libraries: dict[str, set[str]]) -> tuple[set[str], set[str]]:
    """(packages every part needs, packages only optional plugins need)."""
    required: set[str] = set()
    optional: set[str] = set()
    for library, users in libraries.items():
        package = owner(library)
        if package is None:
            raise SystemExit(f"no Debian package owns {library} (needed by {sorted(users)[0]})")
        only_optional = all(any(f"/{d}/" in user for d in OPTIONAL_PLUGIN_DIRS) for user in users)
        (optional if only_optional else required).add(package)
    return required, optional - required


def owner(library: str) -> str | None:
    for candidate in (library, library.replace("/usr/lib/", "/lib/", 1)):
        proc = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if proc.returncode == 0:
            return proc.stdout.split(":", 1)[0].strip()  # "libfoo1:amd64: /path" -> libfoo1
    return None


def folder_kb(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) // 1024


def lay_out(folder: Path, root: Path) -> None:
    shutil.copytree(folder, root / PREFIX.lstrip("/"), symlinks=True)
    launcher = root / "usr/bin/console"
    launcher.parent.mkdir(parents=True)
    launcher.write_text(LAUNCHER)
    launcher.chmod(0o755)
    apps = root / "usr/share/applications"
    apps.mkdir(parents=True)
    shutil.copy(ROOT / "resources/console.desktop", apps / "console.desktop")
    for source, size in (("console.svg", "scalable"), ("console.png", "256x256")):
        icons = root / f"usr/share/icons/hicolor/{size}/apps"
        icons.mkdir(parents=True)
        shutil.copy(ROOT / "resources" / source, icons / source)
    for dirpath, dirnames, filenames in os.walk(root):  # dpkg wants sane modes whatever umask
        for name in dirnames:
            Path(dirpath, name).chmod(0o755)
        for name in filenames:
            path = Path(dirpath, name)
            if not path.is_symlink():
                path.chmod(0o755 if os.access(path, os.X_OK) else 0o644)


def build(folder: Path, out: Path) -> Path:
    if not (folder / "console").is_file():
        raise SystemExit(f"{folder} holds no frozen console: run installers/build_linux.sh first")
    version = importlib.metadata.version("console")
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()
    libraries, missing = system_libraries(folder)
    required, optional = owning_packages(libraries)
    if missing:
        print("libraries not on this machine (their plugins will not load):\n  "
              + "\n  ".join(missing), file=sys.stderr)
    depends = sorted(required | set(EXTRA_DEPENDS))
    with tempfile.TemporaryDirectory(prefix="console-deb-") as tmp:
        root = Path(tmp) / "root"
        lay_out(folder, root)
        control = root / "DEBIAN"
        control.mkdir()
        (control / "control").write_text(CONTROL.format(
            version=version, arch=arch, size_kb=folder_kb(root),
            depends=", ".join(depends), suggests=", ".join(sorted(optional | set(EXTRA_SUGGESTS)))))
        for name, text in (("postinst", POSTINST), ("postrm", POSTRM)):
            (control / name).write_text(text)
            (control / name).chmod(0o755)
        out.mkdir(parents=True, exist_ok=True)
        deb = out / f"console_{version}_{arch}.deb"
        subprocess.run(["dpkg-deb", "--build", "--root-owner-group", "-Zzstd", "-z6", str(root), str(deb)],
                       check=True, stdout=subprocess.DEVNULL)
    print(f"Depends: {', '.join(depends)}")
    return deb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=ROOT / "dist/console", type=Path)
    parser.add_argument("--out", default=ROOT / "dist", type=Path)
    args = parser.parse_args(argv)
    deb = build(args.folder, args.out)
    print(f"{deb} ({deb.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
