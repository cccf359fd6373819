"""What the PyInstaller bundle keeps of Qt and of the Python packages, shared by console.spec
(Linux and Windows) and the tests.

The base is installers/runtime_manifest.json, written by record_runtime.py from a real run of
the console (every Qt library, plugin and data file its processes mapped). On top of it come
the pieces loaded only on demand, which a recording run cannot meet (another platform, a print
dialog, an input method, another language), and the libraries those pieces link to. Everything
else of Qt (3D, Quick 3D, Multimedia, Location, QML trees, 40 languages...) is left out.
"""
from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MANIFEST = HERE / "runtime_manifest.json"

# Qt files loaded only on demand, as paths under Qt's prefix (PySide6/Qt/ on Linux, PySide6/ on
# Windows). Each line says why.
ON_DEMAND = tuple(re.compile(p) for p in (
    # the desktop (X11/XWayland), the self-test (offscreen) and Windows
    r"^plugins/platforms/(libqxcb\.so|libqoffscreen\.so|qwindows\.dll|qoffscreen\.dll)$",
    r"^plugins/xcbglintegrations/",     # OpenGL on X11 (QtWebEngine's compositing)
    r"^plugins/platforminputcontexts/(lib)?(compose|ibus)",  # dead keys, input methods (accents)
    r"^plugins/platformthemes/",        # native file dialogs (report, export, import)
    r"^plugins/imageformats/",          # icons, map snapshots, images in reports
    r"^plugins/iconengines/",           # SVG icons
    r"^plugins/tls/",                   # HTTPS of a tile server
    r"^plugins/networkinformation/",    # online/offline detection
    r"^plugins/printsupport/",          # the print dialog (CUPS)
    r"^plugins/styles/",                # native widget styles (Windows)
    r"^translations/(qt|qtbase|qtwebengine)_(en|fr)\.qm$",  # the two interface languages
    r"^translations/qtwebengine_locales/(en-US|en-GB|fr)\.pak$",
    r"^resources/",                     # QtWebEngine's ICU data, V8 snapshot and .pak files
    r"^libexec/QtWebEngineProcess$",    # QtWebEngine's helper (Linux)
    r"^QtWebEngineProcess\.exe$",       # and on Windows
))
# Qt files the bundle drops even though a run maps them: Qt loads every image-format plugin to
# list the formats, and Chromium maps its developer tools' pack at start; the console never
# reads a PDF as an image, shows no on-screen keyboard and opens no web inspector.
NEVER = tuple(re.compile(p) for p in (
    r"\.debug$",
    r"^plugins/imageformats/(lib)?qpdf",  # PDF pages as images, and the Qt Pdf library behind it
    r"^(lib/)?(lib)?Qt6Pdf\.(so\.6|dll)$",
    r"^plugins/platforminputcontexts/(lib)?qtvirtualkeyboard",
    r"^(lib/)?(lib)?Qt6VirtualKeyboard",
    r"^resources/qtwebengine_devtools_resources",
))

# PySide6 modules the console may import without the recording run having done so.
ON_DEMAND_PYSIDE = {"PySide6.QtSvgWidgets"}

# Python packages a dependency pulls in statically but the console never runs, with their
# weight in the bundle. Each is checked absent from the recorded run (tests/installers).
# (pandas is NOT here: OR-Tools' cp_model imports it at load time.)
UNUSED_PACKAGES = (
    "tkinter", "_tkinter",           # the standard library's Tk (PySide6 is the toolkit)
    "matplotlib", "scipy", "IPython", "jupyter_client", "notebook", "pytest", "hypothesis",
    "PyQt5", "PyQt6", "PySide2",     # other Qt bindings pyqtgraph can use
    "OpenGL", "pyqtgraph.opengl",    # pyqtgraph's 3D views
    "pyqtgraph.examples", "pyqtgraph.canvas", "pyqtgraph.jupyter",
    "pandas.tests", "numpy.tests", "numpy.f2py", "numpy.testing._private.extbuild",
    "sqlalchemy.testing", "alembic.testing",
    "docutils", "setuptools", "pip", "distutils", "lib2to3", "pydoc_data",
)


def load_manifest(path: Path = MANIFEST) -> dict:
    return json.loads(path.read_text())


def qt_relative(dest: str) -> str | None:
    """Path of a bundled file under Qt's prefix, or None when it is not a Qt file."""
    dest = dest.replace("\\", "/")
    if "/" not in dest and qt_library_module(dest) is not None:
        return dest  # PyInstaller's top-level link to a Qt library (libQt6Foo.so.6 -> PySide6/Qt/lib)
    for prefix in ("PySide6/Qt/", "PySide6/"):
        if dest.startswith(prefix):
            rest = dest[len(prefix):]
            if prefix == "PySide6/" and not rest.startswith(
                    ("plugins/", "translations/", "resources/", "qml/", "Qt6", "QtWebEngineProcess")):
                return None  # PySide6's own Python modules and helpers
            return rest
    return None


_QT_LIBRARY = re.compile(r"^(?:lib/)?(?:lib)?Qt6(\w+?)(?:\.so\.6|\.dll)$")


def qt_library_module(relative: str) -> str | None:
    """'lib/libQt6WebEngineCore.so.6' or 'Qt6WebEngineCore.dll' -> 'WebEngineCore'."""
    match = _QT_LIBRARY.match(relative)
    return match.group(1) if match else None


def recorded_qt_files(manifest: dict) -> set[str]:
    return {rel for f in manifest["site_packages_files"] if (rel := qt_relative(f)) is not None}


def console_pyside_imports(source: Path = ROOT / "console") -> set[str]:
    """Every PySide6 module the console's code imports anywhere (lazy imports included)."""
    found = set()
    for path in source.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            found |= {n.split(".")[0] + "." + n.split(".")[1] for n in names
                      if n.startswith("PySide6.Qt") and n.count(".") >= 1}
    return found


def pyside_modules_kept(manifest: dict) -> set[str]:
    return set(manifest["pyside6_modules"]) | ON_DEMAND_PYSIDE | console_pyside_imports()


def pyside_excludes(installed: Iterable[str], manifest: dict) -> list[str]:
    """The PySide6 modules to leave out: every installed one the console does not use."""
    kept = pyside_modules_kept(manifest)
    return sorted(m for m in installed if m not in kept)


def never(relative: str) -> bool:
    return any(p.search(relative) for p in NEVER)


def keep_qt_file(relative: str, recorded: set[str], libraries: set[str]) -> bool:
    """Whether a Qt file (path under Qt's prefix) goes into the bundle."""
    if never(relative):
        return False
    module = qt_library_module(relative)
    if module is not None:
        return module in libraries
    if relative.startswith("qml/"):
        return relative in recorded  # no pane loads QML
    return relative in recorded or any(p.search(relative) for p in ON_DEMAND)


def qt_libraries_kept(manifest: dict, kept_binaries: Iterable[str],
                      imports_of: Callable[[str], Iterable[str]]) -> set[str]:
    """Qt libraries to keep: those recorded, those of the kept PySide6 modules, and every Qt
    library a kept binary links to (followed to the end: QtWebEngineCore needs Quick, Qml...)."""
    libraries = {m for f in recorded_qt_files(manifest) if (m := qt_library_module(f))}
    libraries |= {m.removeprefix("PySide6.Qt") for m in pyside_modules_kept(manifest)}
    todo = list(kept_binaries)
    seen: set[str] = set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for needed in imports_of(path):
            module = qt_library_module(Path(needed).name)
            if module is not None and never(Path(needed).name):
                raise RuntimeError(f"{path} needs {Path(needed).name}, which NEVER leaves out")
            if module is not None and module not in libraries:
                libraries.add(module)
                todo.append(needed)
    return libraries


# Files of resources/ that are sources, not run-time data.
RESOURCE_SOURCES = ("*.ts",)


def resource_datas(resources: Path) -> list[tuple[str, str]]:
    """(file, folder in the bundle) for every data file under resources/, whatever is added there
    later (translations, icons, templates, CAP schema, basemaps)."""
    found = []
    for path in sorted(resources.rglob("*")):
        relative = path.relative_to(resources)
        if (not path.is_file() or any(part.startswith((".", "__pycache__")) for part in relative.parts)
                or any(path.match(pattern) for pattern in RESOURCE_SOURCES)):
            continue
        found.append((str(path), str(Path("resources") / relative.parent)))
    return found


def installed_pyside_modules() -> list[str]:
    """Every Qt module of the installed PySide6 (QtCore, Qt3DCore, QtWebEngineCore...)."""
    import importlib.util

    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("PySide6 is not installed")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return sorted(f"PySide6.{p.name.split('.')[0]}" for p in folder.glob("Qt*")
                  if p.is_file() and p.name.endswith((".so", ".pyd")))
