"""The base class of every server table: ``class X(ServerTable, table=True)``.

It carries the server's own SQLAlchemy registry, so the server's tables land in
``ServerTable.metadata`` and never in SQLModel's global metadata, which the laptop's tables
would share when both sides are imported in one process (the test suite, a tool). A new
server table subclasses this class, gets a migration, and its module is listed in
:mod:`sync_server.models`; tests/server/test_migrations.py then checks, on SQLite and
PostgreSQL, that the migrations and the tables agree.

The registry is given to an abstract base of its own, never beside ``table=True`` on a
table class (SQLModel maps such a class wrongly: fastapi/sqlmodel#2046).
"""

from __future__ import annotations

from sqlalchemy.orm import registry
from sqlmodel import SQLModel


class ServerTable(SQLModel, registry=registry()):
    """Abstract base of the server's tables; ``ServerTable.metadata`` holds them all."""
