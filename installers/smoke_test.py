"""Smoke test of a frozen build: run its `--self-test` offscreen and fail on any missing piece.

Usage: python installers/smoke_test.py [dist/console] [--timeout SECONDS]
Runs the binary from an empty working directory with a clean environment (no PYTHONPATH, no
source tree within reach), so that it proves the folder is self-contained. Fails if the exit code
is not 0, if the self-test did not print PASSED, or if the output shows a missing module, Qt
plugin or QtWebEngine resource. Ends with one JSON line (exit code, seconds, bundle size).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Messages a broken bundle prints even when the self-test itself might not notice.
FATAL_PATTERNS = (
    "ModuleNotFoundError",
    "No module named",
    "ImportError",
    "Could not load the Qt platform plugin",
    "Could not find the Qt platform plugin",
    "Could not find QtWebEngineProcess",
    "QtWebEngineProcess: not found",
    "Qt WebEngine resources not found",
    "Installed Qt WebEngine locales directory not found",
    "Failed to execute script",
    "Traceback (most recent call last)",
)


def binary_in(folder: Path) -> Path:
    for name in ("console-cli.exe", "console.exe", "console"):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise SystemExit(f"no console binary in {folder}")


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def clean_environment(home: Path) -> dict[str, str]:
    keep = ("PATH", "LANG", "LC_ALL", "SYSTEMROOT", "TEMP", "TMP", "USERPROFILE", "WINDIR")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
               XDG_DATA_HOME=str(home / "data"), QT_QPA_PLATFORM="offscreen",
               QTWEBENGINE_CHROMIUM_FLAGS="--disable-gpu")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"  # Chromium's sandbox refuses root
    return env


def run(folder: Path, timeout: float) -> dict:
    binary = binary_in(folder.resolve())  # absolute: the run happens in an empty directory
    with tempfile.TemporaryDirectory(prefix="console-smoke-") as tmp:
        start = time.monotonic()
        try:
            proc = subprocess.run([str(binary), "--self-test"], cwd=tmp, env=clean_environment(Path(tmp)),
                                  capture_output=True, text=True, timeout=timeout)
            code, out, err = proc.returncode, proc.stdout, proc.stderr
        except subprocess.TimeoutExpired as exc:
            code = -1
            out = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
            err = f"timed out after {timeout:.0f} s"
        seconds = time.monotonic() - start
    output = out + "\n" + err
    problems = [p for p in FATAL_PATTERNS if p in output]
    if "self-test: PASSED" not in out:
        problems.append("no 'self-test: PASSED' line")
    if code != 0:
        problems.append(f"exit code {code}")
    return {"binary": str(binary), "exit_code": code, "seconds": round(seconds, 1),
            "bundle_bytes": folder_size(folder), "problems": problems,
            "stdout": out, "stderr": err}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="dist/console", type=Path)
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args(argv)
    result = run(args.folder, args.timeout)
    print(result["stdout"].rstrip())
    if result["problems"]:
        print(result["stderr"].rstrip()[-4000:], file=sys.stderr)
        print("SMOKE TEST FAILED: " + "; ".join(result["problems"]), file=sys.stderr)
    else:
        print("SMOKE TEST PASSED")
    summary = {k: result[k] for k in ("binary", "exit_code", "seconds", "bundle_bytes", "problems")}
    summary["bundle_mb"] = round(result["bundle_bytes"] / 1e6, 1)
    print(json.dumps(summary))
    return 0 if not result["problems"] else 1


if __name__ == "__main__":
    sys.exit(main())
