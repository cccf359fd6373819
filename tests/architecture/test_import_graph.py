"""The cycle finder itself finds a cycle when there is one (else the boundary test proves nothing)."""
from __future__ import annotations

from tests.architecture.import_graph import cycles


def test_a_cycle_through_a_lazy_import_is_found(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg.sub import b\n")
    (package / "sub" / "b.py").write_text("def f():\n    from ..c import g\n")
    (package / "c.py").write_text("import pkg.a\n")
    (package / "d.py").write_text("from pkg import a\n")
    assert cycles(package) == [["pkg.a", "pkg.c", "pkg.sub.b"]]


def test_no_cycle_in_a_tree(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("from pkg import a\n")
    (package / "a.py").write_text("import os\n")
    (package / "b.py").write_text("from pkg.a import x\n")
    assert cycles(package) == []
