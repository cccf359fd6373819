"""Alembic migrations, run programmatically: the local cache at every start, the central on demand.

Each capability adds its own revision branch off the initial one (local: 0001, central: c0001);
upgrades go to every head, so independent branches never need to be serialised by hand.
"""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

HERE = Path(__file__).parent


def _config(kind: str, engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(HERE / kind))
    config.attributes["engine"] = engine
    return config


def upgrade_local(engine: Engine, revision: str = "heads") -> None:
    command.upgrade(_config("local", engine), revision)


def upgrade_central(engine: Engine, revision: str = "heads") -> None:
    command.upgrade(_config("central", engine), revision)
