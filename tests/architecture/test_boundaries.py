"""The layout's rules, checked by running them rather than hoping: the domain loads without Qt,
the packages form no import cycle, and the import-linter contracts hold."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

IMPORT_ALL_MODELS = """
import importlib, pkgutil, sys
import console.models
names = [m.name for m in pkgutil.walk_packages(console.models.__path__, "console.models.")
         if ".migrations." not in m.name]
for name in names:
    importlib.import_module(name)
qt = sorted(m for m in sys.modules if m.split(".")[0] in {"PySide6", "shiboken6", "pyqtgraph"})
print(len(names), ",".join(qt))
"""


def test_importing_every_model_module_leaves_qt_unloaded():
    # A fresh interpreter: this test process has Qt loaded by pytest-qt already.
    out = subprocess.run([sys.executable, "-c", IMPORT_ALL_MODELS], capture_output=True,
                         text=True, cwd=ROOT, timeout=300, check=True).stdout.split()
    assert int(out[0]) > 50  # the walk really found the domain's modules
    assert out[1:] == [], f"Qt loaded by the domain: {out[1:]}"


def test_the_package_has_no_import_cycle():
    sys.path.insert(0, str(ROOT))
    try:
        from tests.architecture.import_graph import cycles
    finally:
        sys.path.remove(str(ROOT))
    assert cycles(ROOT / "console") == []


def test_import_contracts_hold():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which(
        "lint-imports")
    if lint is None:
        pytest.skip("import-linter is not installed (it comes with the dev extra)")
    result = subprocess.run([lint], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:]
