"""Every server table, imported in one place for Alembic and for tests."""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlmodel import SQLModel

from sync_server import state as _state
from sync_server.admin import models as _admin
from sync_server.auth import models as _auth
from sync_server.blobs import models as _blobs
from sync_server.ledger import models as _ledger
from sync_server.sync import models as _sync

MODULES = (_admin, _auth, _blobs, _ledger, _sync, _state)


def metadata() -> MetaData:
    """The metadata holding the server's tables (they register on import)."""
    return SQLModel.metadata
