"""The installer inputs are consistent: every file the spec packs exists, the map assets are
collected, the desktop entry is well formed and the Windows AppId never changes."""
from __future__ import annotations

import configparser
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC = (ROOT / "installers/console.spec").read_text()
APP_ID = "BDAE04BE-802E-40B4-A035-8EC92AEF6464"  # upgrades depend on it: never change


def test_every_file_the_spec_names_exists():
    named = re.findall(r'ROOT / "([^"]+)"', SPEC)
    assert "installers/launcher.py" in named and "resources" in named  # all of resources/
    for relative in named:
        assert (ROOT / relative).exists(), relative
    assert (ROOT / "resources/console.ico").exists()  # Windows icon, chosen at build time


def test_map_assets_and_migrations_are_collected():
    from PyInstaller.utils.hooks import collect_data_files

    leaflet = {Path(src).name for src, _ in collect_data_files("xstatic.pkg.leaflet")}
    cluster = {Path(src).name for src, _ in collect_data_files("xstatic.pkg.leaflet_markercluster")}
    assert {"leaflet.js", "leaflet.css"} <= leaflet
    assert {"leaflet.markercluster.js", "MarkerCluster.css"} <= cluster
    # Alembic needs its scripts as files; the map page its own static files.
    assert '"console/models/migrations"' in SPEC
    versions = list((ROOT / "console/models/migrations/local/versions").glob("*.py"))
    assert versions, "no local migration to ship"
    from console.models.map.assets import ROOTS

    assert (ROOTS["console"] / "console_map.js").exists()


def test_translations_are_compiled_and_fresh(tmp_path):
    """The committed .qm is what lrelease makes of the committed .ts (no forgotten lrelease)."""
    import shutil
    import subprocess

    lrelease = shutil.which("pyside6-lrelease")
    for lang in ("en", "fr"):
        ts = ROOT / f"resources/translations/console_{lang}.ts"
        qm = ts.with_suffix(".qm")
        assert qm.exists() and qm.stat().st_size > 0
        if lrelease:
            fresh = tmp_path / qm.name
            subprocess.run([lrelease, "-silent", str(ts), "-qm", str(fresh)], check=True)
            assert fresh.read_bytes() == qm.read_bytes(), f"{qm.name} is stale: run lrelease"


def test_desktop_entry():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(ROOT / "resources/console.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Exec"].split()[0] == "console"
    assert section["Icon"] == "console"
    assert section["Terminal"] == "false"
    assert section["Categories"].endswith(";")
    assert "Comment[fr]" in section


def test_windows_installer_keeps_its_app_id():
    iss = (ROOT / "installers/console.iss").read_text()
    assert re.search(r"^AppId=\{\{" + APP_ID + r"\}$", iss, re.M)
    assert 'Source: "..\\dist\\console\\*"' in iss
    assert "console-cli.exe\"; Parameters: \"--self-test\"" in iss
    ps1 = (ROOT / "installers/build_windows.ps1").read_text()
    assert "console.spec" in ps1 and "smoke_test.py" in ps1 and "console.iss" in ps1


def test_ci_builds_installs_and_removes_the_package_after_the_tests():
    ci = (ROOT / ".ci/run").read_text()
    tests = ci.index("python -m pytest")
    build = ci.index("installers/build_linux.sh")
    package = ci.index("installers/test_deb_install.sh")
    assert tests < build < package  # the package test runs on the bundle CI just built
    assert "set -euo pipefail" in ci  # a failed step stops CI
    script = (ROOT / "installers/test_deb_install.sh").read_text()
    for step in ("apt-get install", "/usr/bin/console \"$@\"", "--self-test", "--start-time",
                 "apt-get remove --purge", "left after removal", "PACKAGE TEST PASSED"):
        assert step in script, step
