"""What a workstation and the central database exchange: mutations pushed, acks, pulled pages."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

NOTIFY_CHANNEL = "console_changes"
FEED_LOCK_KEY = 0x636F6E73  # "cons": the advisory lock serialising feed allocation
META_SCHEMA = "mutation_schema_version"
META_MIN_CLIENT = "min_client_schema_version"


@dataclass
class Mutation:
    mutation_id: uuid.UUID
    kind: str
    payload: dict[str, Any]
    schema_version: int
    author: str


@dataclass
class Ack:
    mutation_id: uuid.UUID
    status: str  # applied | conflict | rejected
    seq: int | None = None
    error: str | None = None
    version: int | None = None


@dataclass
class PushResult:
    acks: list[Ack]
    client_id: uuid.UUID
    token: uuid.UUID
    max_seq: int


@dataclass
class PulledChange:
    seq: int
    change_id: uuid.UUID
    table: str
    values: dict[str, Any] | None  # column values of the row now (None: not visible any more)


@dataclass
class PullPage:
    changes: list[PulledChange] = field(default_factory=list)
    max_seq: int = 0  # highest seq in the feed when the page was read
    skipped: dict[int, str] = field(default_factory=dict)  # seq -> why the row was malformed

    @property
    def last(self) -> PulledChange | None:
        return self.changes[-1] if self.changes else None
