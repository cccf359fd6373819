"""`console --self-test` (run as a separate process, as an installer runs it) and the smoke test
that wraps it around a frozen build."""
from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_console(*args: str, env_extra: dict | None = None, timeout: float = 300):
    env = dict(os.environ)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "console.cli", *args], capture_output=True,
                          text=True, env=env, timeout=timeout, cwd=ROOT)


def test_self_test_passes_and_names_every_step():
    proc = run_console("--self-test")
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    for step in ("modules", "libraries", "application", "translations", "demo central",
                 "local store", "main window", "map", "event write/read", "sync"):
        assert re.search(rf"self-test: {step} ok \(\d+\.\d s\)", proc.stdout), step
    # The summary says how much of the run built the demo data (a first start's work).
    assert re.search(r"self-test: process started \d+\.\d s ago", proc.stdout)
    summary = re.search(r"self-test: PASSED in (\d+\.\d) s: first-start demo data (\d+\.\d) s "
                        r"\(demo central \+ local store\), slowest steps", proc.stdout)
    assert summary, proc.stdout
    assert 0 < float(summary[2]) <= float(summary[1])
    # The self-test works in a throwaway directory: the user's data directory stays untouched.
    assert not (Path(os.environ["CONSOLE_DATA_DIR"]) / "local.sqlite3").exists()


def test_self_test_fails_clearly_when_a_piece_is_missing(tmp_path):
    proc = run_console("--self-test", env_extra={"CONSOLE_TRANSLATIONS_DIR": str(tmp_path)})
    assert proc.returncode == 1
    assert "self-test: FAILED at translations: console_fr.qm not found" in proc.stderr
    assert "PASSED" not in proc.stdout


def fake_bundle(folder: Path, script: str) -> Path:
    folder.mkdir()
    binary = folder / "console"
    binary.write_text(f"#!{sys.executable}\n{script}\n")
    binary.chmod(binary.stat().st_mode | stat.S_IEXEC)
    return folder


@pytest.mark.skipif(sys.platform == "win32", reason="fake binary is a POSIX script")
def test_smoke_test_catches_a_missing_module(tmp_path, capsys):
    sys.path.insert(0, str(ROOT / "installers"))
    try:
        import smoke_test
    finally:
        sys.path.pop(0)
    broken = fake_bundle(tmp_path / "broken", "import sys\nprint('self-test: PASSED')\n"
                         "print(\"ModuleNotFoundError: No module named 'psycopg'\", file=sys.stderr)")
    assert smoke_test.main([str(broken), "--timeout", "30"]) == 1
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert "ModuleNotFoundError" in summary["problems"]
    silent = fake_bundle(tmp_path / "silent", "import sys\nsys.exit(0)")
    assert smoke_test.main([str(silent), "--timeout", "30"]) == 1
    good = fake_bundle(tmp_path / "good", "print('self-test: PASSED in 1 s')")
    assert smoke_test.main([str(good), "--timeout", "30"]) == 0


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("CONSOLE_BUILD_BUNDLE") != "1",
                    reason="builds the PyInstaller bundle (~10 min, 2 cores): set CONSOLE_BUILD_BUNDLE=1")
def test_frozen_bundle_builds_and_passes_its_self_test():
    proc = subprocess.run(["bash", str(ROOT / "installers/build_linux.sh"), "--no-archive"],
                          cwd=ROOT, capture_output=True, text=True, timeout=3600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "SMOKE TEST PASSED" in proc.stdout
    summary = json.loads(next(line for line in proc.stdout.splitlines()
                              if line.startswith('{"binary"')))
    # 807 MB with all of Qt; 600 MB measured with bundle_rules (QtWebEngine alone is 202 MB).
    assert summary["bundle_mb"] < 650, summary
    qt = ROOT / "dist/console/_internal/PySide6/Qt"
    assert not (qt / "qml").exists() and not list(qt.glob("lib/libQt63D*"))


def test_start_time_is_measured_on_the_existing_store(tmp_path):
    """`console --start-time`: the first run builds the demo store, the second one measures a
    start on it, up to the event log's first screen, and says what the time went to. Without
    --data-dir the demo goes to a folder of its own, never next to the operator's stores."""
    env = {k: v for k, v in os.environ.items() if k != "CONSOLE_DATA_DIR"}
    env.update(QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(tmp_path))

    def start_time():
        return subprocess.run([sys.executable, "-m", "console.cli", "--start-time"], env=env,
                              capture_output=True, text=True, timeout=300, cwd=ROOT)

    first = start_time()
    assert first.returncode == 0, first.stderr[-3000:]
    assert "on the new demo store (demo data built)" in first.stdout
    second = start_time()
    assert second.returncode == 0, second.stderr[-3000:]
    found = re.search(r"start-time: log first screen drawn (\d+\.\d\d) s after the process "
                      r"started, on the existing demo store \(interpreter and imports (\d+\.\d\d) s",
                      second.stdout)
    assert found, second.stdout
    assert 0 < float(found[2]) < float(found[1])
    stores = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.sqlite3")}
    assert stores and all(s.startswith("console/start-time/") for s in stores), stores
