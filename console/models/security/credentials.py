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


def insecure_reason(backend: KeyringBackend) -> str | None:
    """Why this keyring backend must not hold a secret, or None when it may.

    Refused: keyring's `fail` backend, any backend of priority < 1 (keyring's own mark of a
    backend it does not recommend), and the keyrings.alt file backends (PlaintextKeyring keeps
    passwords base64-encoded in a file anyone with the user's file access can read).
    """
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    for inner in getattr(backend, "backends", None) or ():  # a chainer is as weak as its worst
        reason = insecure_reason(inner)
        if reason:
            return reason
    if type(backend).__module__.startswith(("keyring.backends.fail", "keyring.backends.null")):
        return f"no system keyring ({name})"
    if type(backend).__module__.startswith("keyrings.alt") or "plaintext" in name.lower():
        return f"the keyring backend {name} keeps secrets in a readable file"
    try:
        priority = float(getattr(backend, "priority", 0))
    except Exception:  # noqa: BLE001 - keyring raises from `priority` when a backend is unusable
        priority = 0
    if priority < 1:
        return f"the keyring backend {name} is not recommended (priority {priority:g} < 1)"
    return None


def keyring_refusal() -> str | None:
    """Why the system keyring in use is refused (a sentence to show the user), or None."""
    try:
        backend, _ = _keyring()
    except ImportError:  # pragma: no cover - keyring is a dependency
        return "the keyring package is missing"
    reason = insecure_reason(backend)
    if reason is None:
        return None
    return (f"{reason}: nothing is stored in it and the password is asked for each time; "
            "install and unlock a system keyring (GNOME Keyring, KWallet, Windows Credential "
            "Manager, macOS Keychain)")


def get_password(url: str) -> str | None:
    """The stored password for this central URL, or None (trust/peer/certificate auth, or an
    insecure keyring, which is never read: the caller asks for the password)."""
    if make_url(url).get_backend_name() == "sqlite":
        return None
    refusal = keyring_refusal()
    if refusal:
        global _warned
        if not _warned:
            _warned = True
            log.warning("%s", refusal)
        return None
    backend, error_type = _keyring()
    try:
        return backend.get_password(SERVICE, account_for(url))
    except error_type as error:
        log.warning("keyring unavailable (%s): no stored password", str(error).split(".")[0])
        return None


def set_password(url: str, password: str) -> None:
    refusal = keyring_refusal()
    if refusal:
        raise CredentialError(f"the central password was not kept: {refusal}")
    backend, error_type = _keyring()
    try:
        backend.set_password(SERVICE, account_for(url), password)
    except error_type as error:
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
    """False when no keyring may hold secrets (only 'fail', a plaintext file, priority < 1)."""
    return keyring_refusal() is None


def delete_password(url: str) -> None:
    backend, error_type = _keyring()  # also from an insecure backend: forgetting is always fine
    try:
        backend.delete_password(SERVICE, account_for(url))
    except error_type:
        pass  # nothing stored, or no keyring: nothing to forget


def set_offline_record(account: str, value: str) -> None:
    """Keep the salted hash (and identity) that lets this user sign in here while offline."""
    refusal = keyring_refusal()
    if refusal:
        raise CredentialError(f"offline sign-in will not be possible on this workstation: "
                              f"{refusal}")
    backend, error_type = _keyring()
    try:
        backend.set_password(OFFLINE_SERVICE, account, value)
    except error_type as error:
        raise CredentialError(
            f"no system keyring ({error}): offline sign-in will not be possible on this "
            "workstation; install and unlock one (GNOME Keyring, KWallet, Windows Credential "
            "Manager, macOS Keychain)") from error


def get_offline_record(account: str) -> str | None:
    if keyring_refusal():
        return None  # an insecure store is never trusted with a role
    backend, error_type = _keyring()
    try:
        return backend.get_password(OFFLINE_SERVICE, account)
    except error_type as error:
        log.warning("keyring unavailable (%s): no offline sign-in", error)
        return None
