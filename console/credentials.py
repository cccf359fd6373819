"""The central database password, kept in the system keyring only (never in a file or a URL)."""
from __future__ import annotations

import logging

from sqlalchemy.engine import make_url

SERVICE = "console-central"
log = logging.getLogger(__name__)


class CredentialError(RuntimeError):
    """No usable keyring, or a password written into a URL."""


def account_for(url: str) -> str:
    """The keyring account of a central URL: user@host:port/database (no password)."""
    parsed = make_url(url)
    user, host = parsed.username or "", parsed.host or ""
    return f"{user}@{host}:{parsed.port or 5432}/{parsed.database or ''}"


def get_password(url: str) -> str | None:
    """The stored password for this central URL, or None (trust/peer/certificate auth)."""
    if make_url(url).get_backend_name() == "sqlite":
        return None
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            return keyring.get_password(SERVICE, account_for(url))
        except KeyringError as error:
            log.warning("keyring unavailable (%s): connecting without a stored password", error)
            return None
    except ImportError:  # pragma: no cover - keyring is a dependency
        return None


def set_password(url: str, password: str) -> None:
    try:
        import keyring
        from keyring.errors import KeyringError

        keyring.set_password(SERVICE, account_for(url), password)
    except KeyringError as error:
        raise CredentialError(
            f"no system keyring to keep the central password ({error}); install and unlock "
            "one (GNOME Keyring, KWallet, Windows Credential Manager, macOS Keychain)") from error


def refuse_password_in_url(url: str) -> None:
    if make_url(url).password:
        raise CredentialError("the central URL must not contain a password: store it with "
                              "`console init-central --store-password` (system keyring)")
