"""Registration of the roster tables with the sync engine (mutable `put` rows, per centre)."""
from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from ..synced_tables import register_synced_table
from .tables import (
    Absence,
    Assignment,
    Coverage,
    Derogation,
    Desk,
    Operator,
    Roster,
    SwapRequest,
    VacationTemplate,
)


def _roster_centre(session: Any, record: dict[str, Any]) -> str | None:
    return session.scalar(select(Roster.centre_code).where(
        Roster.id == uuid.UUID(str(record["roster_id"]))))


def _operator_centre(session: Any, record: dict[str, Any]) -> str | None:
    return session.scalar(select(Operator.centre_code).where(
        Operator.id == uuid.UUID(str(record["operator_id"]))))


for _centred in (Desk, VacationTemplate, Operator, Coverage, Roster):
    register_synced_table(_centred, "put")
for _in_roster in (Assignment, Derogation, SwapRequest):
    register_synced_table(_in_roster, "put", centre_of=_roster_centre)
register_synced_table(Absence, "put", centre_of=_operator_centre)
