"""The workstation's non-secret set-up, kept in QSettings: demo or central, the URL, centre, user.

Written by the first-run wizard and the settings dialog, read at start-up and by `console doctor`.
The central password is never here: it lives in the system keyring (console/models/security/credentials.py).
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QSettings

from console.config import APP_NAME, APP_ORG

MODE_KEY = "connection/mode"  # "demo" or "central"; absent until the first run is done
CENTRAL_URL_KEY = "connection/central_url"
CENTRE_KEY = "identity/centre"
USER_KEY = "identity/user"
SHOW_TIMEZONE_KEY = "ui/show_timezone"  # status bar shows the centre's zone


@dataclass
class Setup:
    mode: str = ""  # "" = never configured (the first-run wizard is due)
    central_url: str = ""
    centre: str = ""
    user: str = ""

    @property
    def configured(self) -> bool:
        return self.mode == "demo" or (self.mode == "central" and bool(self.central_url))


def _settings() -> QSettings:
    # Outside the GUI (console doctor) nobody has named the application yet.
    if not QCoreApplication.organizationName():
        QCoreApplication.setOrganizationName(APP_ORG)
    if not QCoreApplication.applicationName():
        QCoreApplication.setApplicationName(APP_NAME)
    return QSettings()


def named_settings() -> QSettings:
    """The application's settings, named even when no GUI started (the command line)."""
    return _settings()


def load() -> Setup:
    settings = _settings()
    return Setup(mode=str(settings.value(MODE_KEY, "") or ""),
                 central_url=str(settings.value(CENTRAL_URL_KEY, "") or ""),
                 centre=str(settings.value(CENTRE_KEY, "") or ""),
                 user=str(settings.value(USER_KEY, "") or ""))


def save(setup: Setup) -> None:
    settings = _settings()
    settings.setValue(MODE_KEY, setup.mode)
    settings.setValue(CENTRAL_URL_KEY, setup.central_url)
    settings.setValue(CENTRE_KEY, setup.centre)
    settings.setValue(USER_KEY, setup.user)
    settings.sync()


def effective_central_url(explicit: str | None = None) -> str | None:
    """--central, else CONSOLE_CENTRAL, else the saved central URL (None = embedded demo)."""
    if explicit:
        return explicit
    if os.environ.get("CONSOLE_CENTRAL"):
        return os.environ["CONSOLE_CENTRAL"]
    setup = load()
    return setup.central_url if setup.mode == "central" and setup.central_url else None
