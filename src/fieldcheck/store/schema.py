"""Every laptop table imported in one place, the metadata holding them, and the options
Alembic uses for it (in ``migrations/env.py`` and in the test that the migrations' head
matches the tables)."""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import MetaData

from fieldcheck.store import sync_tables as _sync_tables
from fieldcheck.store import tables as _tables
from fieldcheck.store.base import LaptopTable

MODULES = (_tables, _sync_tables)

#: How Alembic runs and compares against this metadata: batch mode (SQLite alters a table by
#: copying it), DDL in the migration's transaction, and autogenerate that compares column
#: types and server defaults as well as tables, columns, indexes and constraints.
ALEMBIC_OPTIONS: Final[dict[str, Any]] = {
    "render_as_batch": True,
    "transactional_ddl": True,
    "compare_type": True,
    "compare_server_default": True,
}


def metadata() -> MetaData:
    """The metadata holding the laptop's tables, and only them."""
    return LaptopTable.metadata
