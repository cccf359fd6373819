"""Alembic environment of the local cache; the engine comes from the caller, not from an ini file."""
from __future__ import annotations

from alembic import context

from console.models.base import Base
from console.models.local_tables import LocalBase

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=[Base.metadata, LocalBase.metadata],
        render_as_batch=True,
    )
    context.run_migrations()
