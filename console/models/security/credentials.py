"""The central database password, kept in the system keyring only (never in a file or a URL)."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

SERVICE = "console-central"
log = logging.getLogger(__name__)
_warned = False


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
            global _warned
            if not _warned:
                _warned = True
                log.warning("no usable system keyring (%s): connecting without a stored "
                            "password", str(error).split(".")[0])
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


# -- secrets of the security capability (offline sign-in verifiers) -------------------------------

OFFLINE_SERVICE = "console-offline"


def _keyring() -> tuple[KeyringBackend, type[Exception]]:
    """The system keyring in use (what keyring's module functions call), and its error type."""
    import keyring
    from keyring.errors import KeyringError

    return keyring.get_keyring(), KeyringError


def keyring_available() -> bool:
    """False when only keyring's 'fail' backend exists (no GNOME Keyring, KWallet...)."""
    backend, _ = _keyring()
    return bool(getattr(backend, "priority", 0) > 0)


def delete_password(url: str) -> None:
    backend, error_type = _keyring()
    try:
        backend.delete_password(SERVICE, account_for(url))
    except error_type:
        pass  # nothing stored, or no keyring: nothing to forget


def set_offline_record(account: str, value: str) -> None:
    """Keep the salted hash (and identity) that lets this user sign in here while offline."""
    backend, error_type = _keyring()
    try:
        backend.set_password(OFFLINE_SERVICE, account, value)
    except error_type as error:
        raise CredentialError(
            f"no system keyring ({error}): offline sign-in will not be possible on this "
            "workstation; install and unlock one (GNOME Keyring, KWallet, Windows Credential "
            "Manager, macOS Keychain)") from error


def get_offline_record(account: str) -> str | None:
    backend, error_type = _keyring()
    try:
        return backend.get_password(OFFLINE_SERVICE, account)
    except error_type as error:
        log.warning("keyring unavailable (%s): no offline sign-in", error)
        return None
