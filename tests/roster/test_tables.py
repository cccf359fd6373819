"""One list of roster tables (console.models.roster.tables.ROSTER_TABLES), used everywhere."""
from __future__ import annotations

import importlib
import pkgutil

from console.models.base import Base
from console.models.migrations.central import versions as central_versions
from console.models.roster.synced import centre_rule
from console.models.roster.tables import ROSTER_TABLES, MutableRow
from console.models.synced_tables import SYNCED_TABLES

NAMES = {model.__tablename__ for model in ROSTER_TABLES}


def test_the_list_holds_every_roster_model_once():
    assert len(NAMES) == len(ROSTER_TABLES) == 9
    mapped = {mapper.class_ for mapper in Base.registry.mappers}
    assert {m for m in mapped if issubclass(m, MutableRow)} == set(ROSTER_TABLES)
    # A roster table declared without MutableRow would escape the list: none does.
    assert {t for t in Base.metadata.tables if t.startswith("roster")} == NAMES


def test_every_roster_table_syncs_as_a_mutable_row_of_a_centre():
    for model in ROSTER_TABLES:
        synced = SYNCED_TABLES[model.__tablename__]
        assert synced.model is model and synced.mode == "put"
        column = centre_rule(model)[0]
        assert (synced.centre_of is None) == (column == "centre_code"), model.__tablename__
    assert {name for name, t in SYNCED_TABLES.items() if t.model in ROSTER_TABLES} == NAMES


def test_every_roster_table_is_secured_by_a_central_migration():
    """Migrations are frozen history with their own lists: a new roster table needs a new
    revision listing it in its ROSTER_TABLES (grants, row-level security, audit)."""
    secured: set[str] = set()
    for module in pkgutil.iter_modules(central_versions.__path__):
        revision = importlib.import_module(f"{central_versions.__name__}.{module.name}")
        secured |= set(getattr(revision, "ROSTER_TABLES", ()))
    assert NAMES <= secured
