"""Record what the running console really loads, so the bundle can leave the rest out.

Usage (from the source tree, under a virtual screen so that the xcb platform is recorded too):
    QT_QPA_PLATFORM=xcb xvfb-run -a python installers/record_runtime.py
Writes installers/runtime_manifest.json: the Python packages imported and every file under
site-packages mapped into the console's processes (the GUI and QtWebEngine's helpers), read
from /proc/<pid>/maps at the end of a run that goes through the self-test's steps (log, map
with QtWebEngine, local store, event write, sync) and also draws the roster and writes its
PDF, builds the dashboard and writes a situation report PDF. installers/console.spec keeps the
Qt libraries, plugins and data files listed here (plus the few loaded only on demand, listed in
bundle_rules.py) and drops the rest. Run it again after adding a pane or a library. Linux only.
"""
from __future__ import annotations

import functools
import json
import os
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = Path(__file__).resolve().parent / "runtime_manifest.json"
SITE = Path(sysconfig.get_paths()["purelib"]).resolve()


def _children(pid: int) -> list[int]:
    """Every descendant of pid (QtWebEngineProcess and its zygote and renderers)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        kids = parents.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


def _mapped_files(pid: int) -> set[Path]:
    files = set()
    try:
        lines = Path(f"/proc/{pid}/maps").read_text().splitlines()
    except OSError:
        return files
    for line in lines:
        parts = line.split(maxsplit=5)
        if len(parts) == 6 and parts[5].startswith("/"):
            files.add(Path(parts[5].removesuffix(" (deleted)")))
    return files


def _site_relative(paths: set[Path]) -> list[str]:
    kept = set()
    for path in paths:
        try:
            kept.add(path.resolve().relative_to(SITE).as_posix())
        except (ValueError, OSError):
            continue  # system libraries and our own files: not the bundle's choice
    return sorted(kept)


def _roster_pdf(run, tmp: Path) -> str:  # noqa: ANN001 (selftest._Run)
    from console.views.roster.printing import export_pdf

    pane = run.window.panes["roster"]
    run.window.docks["roster"].raise_()
    if not _wait(run.app, lambda: pane.snapshot is not None, 30):
        raise RuntimeError("the roster pane never loaded its snapshot")
    export_pdf(pane.snapshot, tmp / "roster.pdf")
    return "roster PDF"


def _report_pdf(run, tmp: Path) -> str:  # noqa: ANN001
    from console.views.reports.report_dialog import ReportDialog

    run.window.docks["dashboard"].raise_()
    dialog = ReportDialog(run.context, run.window)
    dialog.path.setText(str(tmp / "report.pdf"))
    outcome: list[bool] = []
    dialog.finished_report.connect(outcome.append)
    if not dialog.generate() or not _wait(run.app, lambda: bool(outcome), 120) or not outcome[0]:
        raise RuntimeError("the situation report was not written")
    _wait(run.app, run.context.ops.is_idle, 30)  # its last callbacks, before the window goes
    dialog.close()
    dialog.deleteLater()
    return "report PDF"


def _wait(app, done, timeout_s: float) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > deadline:
            return False
        app.processEvents()
        time.sleep(0.02)
    return True


def record() -> dict:
    from console.cli import selftest

    platform = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="console-record-") as name:
        tmp = Path(name)
        selftest._prepare_environment(tmp)
        os.environ["QT_QPA_PLATFORM"] = platform  # xcb under xvfb-run: its plugin is recorded
        run = selftest._Run(tmp, selftest.MAP_TIMEOUT_S)
        steps = [step for step in selftest.STEPS if step[0] != "application"]
        steps.insert(2, ("application", _start_application))
        steps += [("roster PDF", functools.partial(_roster_pdf, tmp=tmp)),
                  ("report PDF", functools.partial(_report_pdf, tmp=tmp))]
        try:
            for step_name, step in steps:
                start = time.monotonic()
                detail = step(run)
                print(f"record: {step_name} ({time.monotonic() - start:.1f} s) {detail or ''}",
                      flush=True)
            files = _mapped_files(os.getpid())
            helpers = _children(os.getpid())
            for pid in helpers:
                files |= _mapped_files(pid)
            modules = sorted(m for m in sys.modules if not m.startswith("_"))
            pyside = sorted(m for m in sys.modules if m.startswith("PySide6.Qt"))
        finally:
            selftest._tear_down(run)
    return {"platform": platform, "python": f"{sys.version_info.major}.{sys.version_info.minor}",
            "helper_processes": len(helpers),
            "python_packages": sorted({m.split(".")[0] for m in modules}), "python_modules": modules,
            "pyside6_modules": pyside, "site_packages_files": _site_relative(files)}


def _start_application(run) -> str:  # noqa: ANN001
    from console.cli.selftest import _isolate_settings
    from console.views.shell.app import create_application

    _isolate_settings(run.tmp)
    run.app_ = create_application(["console"])
    return os.environ["QT_QPA_PLATFORM"]


def main() -> int:
    if not sys.platform.startswith("linux"):
        print("record_runtime.py reads /proc: run it on Linux", file=sys.stderr)
        return 2
    manifest = record()
    MANIFEST.write_text(json.dumps(manifest, indent=1) + "\n")
    qt = [f for f in manifest["site_packages_files"] if f.startswith("PySide6/")]
    print(f"wrote {MANIFEST.relative_to(ROOT)}: {len(manifest['python_packages'])} packages, "
          f"{len(qt)} PySide6 files, {manifest['helper_processes']} helper processes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
