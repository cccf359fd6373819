"""Registration of the roster tables with the sync engine (mutable `put` rows, per centre)."""
from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from console.models.roster.tables import (
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
from console.models.synced_tables import register_synced_table


def _roster_centre_of(model: Any):  # noqa: ANN202
    """Centre of a row that belongs to a roster; the record may carry only the row's id (the
    central gives feed places to seeded rows that way)."""
    def centre(session: Any, record: dict[str, Any]) -> str | None:
        roster_id = record.get("roster_id")
        if roster_id is None:
            roster_id = session.scalar(select(model.roster_id).where(
                model.id == uuid.UUID(str(record["id"]))))
        if roster_id is None:
            return None
        return session.scalar(select(Roster.centre_code).where(
            Roster.id == uuid.UUID(str(roster_id))))
    return centre


def _operator_centre(session: Any, record: dict[str, Any]) -> str | None:
    operator_id = record.get("operator_id")
    if operator_id is None:
        operator_id = session.scalar(select(Absence.operator_id).where(
            Absence.id == uuid.UUID(str(record["id"]))))
    if operator_id is None:
        return None
    return session.scalar(select(Operator.centre_code).where(
        Operator.id == uuid.UUID(str(operator_id))))


def register() -> None:
    for centred in (Desk, VacationTemplate, Operator, Coverage, Roster):
        register_synced_table(centred, "put")
    for in_roster in (Assignment, Derogation, SwapRequest):
        register_synced_table(in_roster, "put", centre_of=_roster_centre_of(in_roster))
    register_synced_table(Absence, "put", centre_of=_operator_centre)
