"""Shared tables of vacation planning: desks, templates, operators, absences, coverage, rosters.

Every row here can be edited by a shift manager, possibly on two offline workstations at once, so
every table is a MUTABLE synced table: a UUID `id`, a `version` assigned by the central database,
a `deleted` tombstone (rows are never hard-deleted, so a deletion syncs like any other change)
and `server_seq` (position in the central change feed, NULL while pending here).

There are no foreign keys between these tables on purpose: the change feed may deliver an
assignment before the operator it names, and a tombstoned desk must not make its history vanish.
References are plain indexed UUID columns and the model layer checks them.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from console.models.base import Base, SurrogateKey, UTCDateTime, new_uuid


class MutableRow:
    """Columns every mutable synced row carries (see the sync helper's `put:<table>` mutation)."""

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    version: Mapped[int] = mapped_column(Integer, default=0)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    server_seq: Mapped[int | None] = mapped_column(SurrogateKey, nullable=True)


class Desk(MutableRow, Base):
    """A position in a centre (e.g. "Renseignement") and the qualifications it requires."""

    __tablename__ = "roster_desks"

    centre_code: Mapped[str] = mapped_column(String(32), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    qualifications: Mapped[str] = mapped_column(Text, default="")  # comma-separated codes
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class VacationTemplate(MutableRow, Base):
    """A kind of vacation: local start time and length (07:00 + 8 h, 19:00 + 12 h...), and the
    break it includes (decree 2000-815: 20 minutes before 6 hours of work; revision 0003)."""

    __tablename__ = "roster_templates"

    centre_code: Mapped[str] = mapped_column(String(32), index=True)
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100))
    start_minute: Mapped[int] = mapped_column(Integer)  # minutes after local midnight
    duration_minutes: Mapped[int] = mapped_column(Integer)
    # 0 until a manager records it: an older row is checked as having no break
    break_minutes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Operator(MutableRow, Base):
    """A person who can hold desks; `username` links to a console user when they have one."""

    __tablename__ = "roster_operators"

    centre_code: Mapped[str] = mapped_column(String(32), index=True)
    username: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    display_name: Mapped[str] = mapped_column(String(200))
    team: Mapped[str] = mapped_column(String(32), default="")
    contract_minutes: Mapped[int] = mapped_column(Integer, default=35 * 60)  # per week
    qualifications: Mapped[str] = mapped_column(Text, default="")


class Absence(MutableRow, Base):
    __tablename__ = "roster_absences"

    operator_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    kind: Mapped[str] = mapped_column(String(16))  # leave | sickness | training | recovery
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")


class Coverage(MutableRow, Base):
    """Operators required at a desk in a vacation; `day` NULL is the default for every day."""

    __tablename__ = "roster_coverage"

    centre_code: Mapped[str] = mapped_column(String(32), index=True)
    desk_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    template_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    day: Mapped[date | None] = mapped_column(Date, nullable=True)
    required: Mapped[int] = mapped_column(Integer)


class Roster(MutableRow, Base):
    """A planning period of one centre, draft or published, with the rule values it is checked by."""

    __tablename__ = "rosters"

    centre_code: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(200))
    start_day: Mapped[date] = mapped_column(Date)
    end_day: Mapped[date] = mapped_column(Date)  # exclusive
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft|published|archived
    rules: Mapped[str] = mapped_column(Text, default="{}")  # JSON of RuleSettings
    author: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    published_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


class Assignment(MutableRow, Base):
    """One operator holding one desk in one vacation; start/end are denormalised for look-ups."""

    __tablename__ = "roster_assignments"

    roster_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    operator_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    desk_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    template_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    day: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    fixed: Mapped[bool] = mapped_column(Boolean, default=False)  # the planner keeps it
    author: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_roster_assignments_roster_day", "roster_id", "day"),
        Index("ix_roster_assignments_time", "starts_at", "ends_at"),
    )


class Derogation(MutableRow, Base):
    """An explicit, recorded exception to one rule for one operator (or all) on one day (or all)."""

    __tablename__ = "roster_derogations"

    roster_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    rule: Mapped[str] = mapped_column(String(32))
    operator_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    day: Mapped[date | None] = mapped_column(Date, nullable=True)
    reason: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SwapRequest(MutableRow, Base):
    """An operator asks to hand a vacation to a colleague (or to exchange two vacations)."""

    __tablename__ = "roster_swaps"

    roster_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    assignment_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    to_operator_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    other_assignment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|approved|refused
    reason: Mapped[str] = mapped_column(Text, default="")
    requested_by: Mapped[str] = mapped_column(String(64))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    decision_note: Mapped[str] = mapped_column(Text, default="")


# The one list of roster tables (sync registration, conflicts, security tests): every model built on
# MutableRow, in declaration order. The central migration c0004 keeps its own frozen copy.
ROSTER_TABLES: tuple[type[Base], ...] = tuple(
    model for model in MutableRow.__subclasses__() if issubclass(model, Base))
