"""A test-only mutable synced table (the roster's tables do not exist yet when these tests run)."""
from __future__ import annotations

import uuid

from sqlalchemy import Boolean, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from console.models.base import Base, SurrogateKey, new_uuid
from console.models.synced_tables import register_synced_table


class TestAssignment(Base):
    """A vacation assignment stand-in: who holds which desk in which vacation."""

    __tablename__ = "sync_test_assignments"
    __test__ = False  # not a pytest class

    pk: Mapped[int] = mapped_column(SurrogateKey, primary_key=True, autoincrement=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=new_uuid)
    centre_code: Mapped[str] = mapped_column(String(32))
    desk: Mapped[str] = mapped_column(String(64))
    username: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=0)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    server_seq: Mapped[int | None] = mapped_column(SurrogateKey, nullable=True)


register_synced_table(TestAssignment, "put")


def ensure_test_tables(engine) -> None:  # noqa: ANN001
    TestAssignment.__table__.create(engine, checkfirst=True)
