"""Vacation planning: shared roster tables, working-time rules, the CP-SAT planner, duty look-ups."""
from __future__ import annotations

from console.models.roster import synced, tables  # noqa: F401  (registers the shared tables and their sync mode)
