"""Upgrading mutation payloads written by an older client to the current schema version.

A workstation may come back after months offline, or run the previous release for a while after
the central database was migrated: its queued mutations carry the schema version they were
written with, and the central side upgrades them step by step before applying them.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from console.models.outbox import MUTATION_SCHEMA_VERSION
from console.models.sync.errors import MutationRejected, SchemaMismatch

# Oldest mutation schema version still accepted; older clients are told to upgrade.
MIN_MUTATION_SCHEMA_VERSION = 0

Upgrader = Callable[[str, dict[str, Any]], dict[str, Any]]


def _v0_to_v1(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    # Version 0 (the pilot release) called an event's place "location" and had no
    # "flagged_for_authorities" flag.
    if kind == "insert:events":
        payload = dict(payload)
        if "location" in payload:
            payload["place"] = payload.pop("location")
        payload.setdefault("flagged_for_authorities", False)
    return payload


UPGRADERS: dict[int, Upgrader] = {0: _v0_to_v1}


def upgrade_payload(kind: str, payload: dict[str, Any], version: int) -> dict[str, Any]:
    """The payload of a mutation written at `version`, in the current format."""
    if version > MUTATION_SCHEMA_VERSION:
        raise SchemaMismatch(
            f"this mutation was written by a newer console (schema {version}) than the central "
            f"database accepts ({MUTATION_SCHEMA_VERSION}); run `console init-central` with the "
            "new release")
    if version < MIN_MUTATION_SCHEMA_VERSION:
        raise MutationRejected(f"mutation schema {version} is too old to be upgraded")
    while version < MUTATION_SCHEMA_VERSION:
        payload = UPGRADERS[version](kind, payload)
        version += 1
    return payload
