"""Who is acting: the signed-in user, their centre and role, and the workstation they sit at."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    username: str
    centre_code: str
    role: str = "operator"
    display_name: str = ""
    workstation: str = ""

    @property
    def label(self) -> str:
        return self.display_name or self.username
