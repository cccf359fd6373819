"""What the bundle keeps of Qt and of the Python packages (installers/bundle_rules.py), checked
against the recorded run of the console (installers/runtime_manifest.json) and the real
PySide6 installed here."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "installers"))
import bundle_rules as rules  # noqa: E402

sys.path.pop(0)

MANIFEST = rules.load_manifest()
RECORDED = rules.recorded_qt_files(MANIFEST)


def keep(relative: str, libraries: frozenset[str] = frozenset({"Core", "WebEngineCore"})) -> bool:
    return rules.keep_qt_file(relative, RECORDED, set(libraries))


def test_the_manifest_records_a_real_run():
    # The recorded run went through the map (QtWebEngine and its helper process) on xcb.
    assert MANIFEST["platform"] == "xcb" and MANIFEST["helper_processes"] >= 1
    for needed in ("lib/libQt6WebEngineCore.so.6", "libexec/QtWebEngineProcess",
                   "plugins/platforms/libqxcb.so", "resources/qtwebengine_resources.pak",
                   "resources/icudtl.dat", "translations/qtbase_fr.qm"):
        assert needed in RECORDED, needed
    assert {"console", "ortools", "psycopg", "folium"} <= set(MANIFEST["python_packages"])


def test_qt_pieces_the_console_never_loads_are_left_out():
    for dropped in ("lib/libQt63DCore.so.6", "lib/libQt6Multimedia.so.6", "Qt6Quick3D.dll",
                    "qml/QtQuick/Controls/qmldir", "translations/qtbase_de.qm",
                    "translations/qtwebengine_locales/de.pak", "plugins/platforms/libqwayland.so",
                    "plugins/multimedia/libffmpegmediaplugin.so", "plugins/sqldrivers/libqsqlite.so",
                    "plugins/geoservices/libqtgeoservices_osm.so"):
        assert not keep(dropped), dropped


def test_what_the_console_loads_or_may_load_is_kept():
    for kept in ("lib/libQt6Core.so.6", "Qt6WebEngineCore.dll", "libexec/QtWebEngineProcess",
                 "QtWebEngineProcess.exe", "plugins/platforms/libqxcb.so",
                 "plugins/platforms/libqoffscreen.so", "plugins/platforms/qwindows.dll",
                 "plugins/xcbglintegrations/libqxcb-glx-integration.so",
                 "plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
                 "plugins/printsupport/libcupsprintersupport.so", "plugins/imageformats/libqsvg.so",
                 "translations/qtbase_fr.qm", "translations/qtwebengine_en.qm",
                 "translations/qtwebengine_locales/fr.pak",
                 "translations/qtwebengine_locales/en-US.pak",
                 "resources/qtwebengine_resources.pak", "resources/v8_context_snapshot.bin"):
        assert keep(kept), kept


def test_qt_paths_are_found_on_linux_and_windows():
    assert rules.qt_relative("PySide6/Qt/lib/libQt6Gui.so.6") == "lib/libQt6Gui.so.6"
    assert rules.qt_relative("PySide6\\plugins\\platforms\\qwindows.dll") == "plugins/platforms/qwindows.dll"
    assert rules.qt_relative("PySide6/Qt6Gui.dll") == "Qt6Gui.dll"
    assert rules.qt_relative("PySide6/QtGui.abi3.so") is None  # a Python module: excludes decide
    assert rules.qt_relative("numpy/core/x.so") is None
    assert rules.qt_relative("libQt63DCore.so.6") == "libQt63DCore.so.6"  # top-level link
    assert rules.qt_library_module("lib/libQt6WebEngineCore.so.6") == "WebEngineCore"
    assert rules.qt_library_module("Qt63DCore.dll") == "3DCore"
    assert rules.qt_library_module("plugins/platforms/libqxcb.so") is None


def test_libraries_follow_what_the_kept_binaries_link_to():
    """QtWebEngine links to Quick, Qml and Positioning: they stay though no pane uses them."""
    import PySide6
    from PyInstaller.depend import bindepend

    helper = Path(PySide6.__file__).parent / "Qt/libexec/QtWebEngineProcess"
    if not helper.exists():
        pytest.skip("this PySide6 has no QtWebEngine helper")
    bare = {"site_packages_files": [], "pyside6_modules": []}
    libraries = rules.qt_libraries_kept(
        bare, [str(helper)], lambda path: [full for _n, full in bindepend.get_imports(path) if full])
    assert {"WebEngineCore", "Quick", "Qml", "Gui", "Core", "WebChannel", "Positioning"} <= libraries
    assert not {"3DCore", "Multimedia", "Quick3D", "Location"} & libraries


def test_excluded_modules_and_packages_are_never_loaded():
    installed = rules.installed_pyside_modules()
    excluded = rules.pyside_excludes(installed, MANIFEST)
    assert "PySide6.Qt3DCore" in excluded and "PySide6.QtMultimedia" in excluded
    for module in rules.console_pyside_imports() | set(MANIFEST["pyside6_modules"]):
        assert module not in excluded, module  # the console's own imports are never cut
    loaded = set(MANIFEST["python_packages"]) | set(MANIFEST["python_modules"])
    for package in rules.UNUSED_PACKAGES:
        assert package not in loaded, package
        assert not any(m.startswith(package + ".") for m in MANIFEST["python_modules"]), package
    # pandas looks unused but OR-Tools' cp_model imports it: it must stay.
    assert "pandas" in loaded and "pandas" not in rules.UNUSED_PACKAGES


def test_every_resource_file_is_bundled_whatever_it_is(tmp_path):
    resources = tmp_path / "resources"
    (resources / "basemaps").mkdir(parents=True)
    (resources / "translations").mkdir()
    (resources / "basemaps/france.mbtiles").write_bytes(b"SQLite format 3\0")
    (resources / "translations/console_fr.qm").write_bytes(b"qm")
    (resources / "translations/console_fr.ts").write_text("<TS/>")
    (resources / ".hidden").write_text("x")
    found = {(Path(src).name, dest) for src, dest in rules.resource_datas(resources)}
    assert found == {("france.mbtiles", "resources/basemaps"),
                     ("console_fr.qm", "resources/translations")}
    real = {Path(src).relative_to(ROOT).as_posix() for src, _ in rules.resource_datas(ROOT / "resources")}
    assert {"resources/translations/console_fr.qm", "resources/cap/CAP-v1.2.xsd",
            "resources/report_templates/default.html", "resources/console.svg"} <= real


def test_the_spec_uses_the_rules():
    spec = (ROOT / "installers/console.spec").read_text()
    assert "rules.pyside_excludes(" in spec and "rules.keep_qt_file(" in spec
    assert "rules.qt_libraries_kept(" in spec and "rules.resource_datas(" in spec
