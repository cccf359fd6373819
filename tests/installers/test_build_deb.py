"""installers/build_deb.py packs a folder as a Debian package (real dpkg-deb, real ldd and
dpkg -S), shown on a small stand-in for the frozen folder: one real ELF binary."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(shutil.which("dpkg-deb") is None or sys.platform != "linux",
                                reason="needs dpkg-deb (Debian or Ubuntu)")


def build_deb():
    sys.path.insert(0, str(ROOT / "installers"))
    try:
        import build_deb
    finally:
        sys.path.pop(0)
    return build_deb


def fields(deb: Path) -> dict[str, str]:
    out = subprocess.run(["dpkg-deb", "--field", str(deb)], capture_output=True, text=True,
                         check=True).stdout
    return dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)


def test_the_package_installs_the_folder_launcher_entry_and_icons(tmp_path):
    folder = tmp_path / "console"
    (folder / "_internal").mkdir(parents=True)
    shutil.copy("/bin/gzip", folder / "console")  # an ELF needing libc, as the real one does
    (folder / "_internal/data.txt").write_text("data")
    deb = build_deb().build(folder, tmp_path / "out")
    assert deb.name.startswith("console_0.") and deb.suffix == ".deb"
    control = fields(deb)
    assert control["Package"] == "console"
    depends = control["Depends"].split(", ")
    assert {"libc6", "fonts-dejavu-core", "fontconfig-config", "xkb-data"} <= set(depends)
    listing = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True,
                             text=True, check=True).stdout
    for path in ("./opt/console/console", "./opt/console/_internal/data.txt", "./usr/bin/console",
                 "./usr/share/applications/console.desktop",
                 "./usr/share/icons/hicolor/scalable/apps/console.svg",
                 "./usr/share/icons/hicolor/256x256/apps/console.png"):
        assert path in listing, path
    assert "root/root" in listing and "-rwxr-xr-x" in listing  # --root-owner-group, executables
    extracted = tmp_path / "x"
    subprocess.run(["dpkg-deb", "--control", str(deb), str(extracted)], check=True)
    postrm = (extracted / "postrm").read_text()
    assert "rm -rf /opt/console" in postrm  # removal leaves nothing behind
    launcher = tmp_path / "root"
    subprocess.run(["dpkg-deb", "--extract", str(deb), str(launcher)], check=True)
    assert "exec /opt/console/console \"$@\"" in (launcher / "usr/bin/console").read_text()


def test_depends_name_only_what_the_bundle_does_not_carry(tmp_path):
    """A library inside the folder is the one the frozen program loads: no Depends for it, but
    one for what it needs itself."""
    import re

    gzip_needs = subprocess.run(["ldd", "/bin/gzip"], capture_output=True, text=True).stdout
    libc = re.search(r"(libc\.so\.6) => (\S+)", gzip_needs)
    assert libc
    folder = tmp_path / "console"
    (folder / "_internal").mkdir(parents=True)
    shutil.copy("/bin/gzip", folder / "console")
    libraries, missing = build_deb().system_libraries(folder)
    assert [Path(p).name for p in libraries] == ["libc.so.6"] and not missing
    shutil.copy(libc[2], folder / "_internal/libc.so.6")  # now carried
    libraries, _ = build_deb().system_libraries(folder)
    assert "libc.so.6" not in {Path(p).name for p in libraries}


def test_a_folder_without_the_program_is_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(SystemExit, match="holds no frozen console"):
        build_deb().build(tmp_path / "empty", tmp_path / "out")
