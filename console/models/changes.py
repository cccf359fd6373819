"""What an operation changed, so that each pane refreshes only what it shows (Anki's OpChanges)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field


@dataclass
class Changes:
    events: set[uuid.UUID] = field(default_factory=set)
    new_events: set[uuid.UUID] = field(default_factory=set)
    zones: bool = False
    roster: bool = False
    reference: bool = False  # centres, users, venues
    everything: bool = False  # e.g. after a full resync

    def merge(self, other: Changes) -> Changes:
        self.events |= other.events
        self.new_events |= other.new_events
        self.zones |= other.zones
        self.roster |= other.roster
        self.reference |= other.reference
        self.everything |= other.everything
        return self

    def __bool__(self) -> bool:
        return bool(self.events or self.new_events or self.zones or self.roster
                    or self.reference or self.everything)
