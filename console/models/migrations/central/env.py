"""Alembic environment of the central database; the engine comes from the caller, not from an ini file."""
from __future__ import annotations

from alembic import context

from console.models.base import Base


def target_metadata() -> list:
    """Shared entity tables, plus the central-only tables when their module exists."""
    metadata = [Base.metadata]
    try:
        from console.models.central_tables import CentralBase
    except ImportError:
        pass
    else:
        metadata.append(CentralBase.metadata)
    return metadata


config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=target_metadata(),
        render_as_batch=connection.dialect.name == 'sqlite',
    )
    context.run_migrations()
