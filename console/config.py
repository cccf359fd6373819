"""Where the console keeps its files, and its non-secret settings. Secrets live in the keyring."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "console"
APP_ORG = "console"


def data_dir() -> Path:
    """The user data directory; CONSOLE_DATA_DIR overrides it (tests, several workstations on one host)."""
    override = os.environ.get("CONSOLE_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_ORG))
    path.mkdir(parents=True, exist_ok=True)
    return path


def local_store_path() -> Path:
    return data_dir() / "local.sqlite3"


def embedded_central_path() -> Path:
    return data_dir() / "central.sqlite3"


def exercise_session() -> bool:
    """True when this process runs an exercise (set by `console --exercise`)."""
    return os.environ.get("CONSOLE_EXERCISE") == "1"


def resources_dir() -> Path:
    """The one `resources/` folder: in the frozen bundle, else at the top of the source tree."""
    bundle = getattr(sys, "_MEIPASS", None)  # PyInstaller's unpacked folder
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
