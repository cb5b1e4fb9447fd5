"""Every server table imported in one place, the metadata holding them, and the options
Alembic uses for it (in ``migrations/env.py`` and in the test that the migrations' head
matches the tables). The tables subclass :class:`sync_server.db_base.ServerTable`."""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import MetaData

from sync_server import state as _state
from sync_server.admin import models as _admin
from sync_server.auth import models as _auth
from sync_server.blobs import models as _blobs
from sync_server.db_base import ServerTable
from sync_server.ledger import models as _ledger
from sync_server.sync import models as _sync

MODULES = (_admin, _auth, _blobs, _ledger, _sync, _state)

#: How Alembic runs and compares against this metadata: its own version table (a database
#: could hold the laptop's too), batch mode for SQLite, DDL in the migration's transaction,
#: and autogenerate that compares column types and server defaults as well as tables,
#: columns, indexes and constraints.
ALEMBIC_OPTIONS: Final[dict[str, Any]] = {
    "version_table": "server_alembic_version",
    "render_as_batch": True,
    "transactional_ddl": True,
    "compare_type": True,
    "compare_server_default": True,
}


def metadata() -> MetaData:
    """The metadata holding the server's tables, and only them."""
    return ServerTable.metadata
