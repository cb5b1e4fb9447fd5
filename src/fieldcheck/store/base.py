"""The base class of every laptop table: ``class XRow(LaptopTable, table=True)``.

It carries the laptop's own SQLAlchemy registry, so the laptop's tables land in
``LaptopTable.metadata`` and never in SQLModel's global metadata, which the server's tables
would share when both sides are imported in one process (the test suite, a tool). A new
laptop table subclasses this class, gets a migration, and its module is listed in
:mod:`fieldcheck.store.schema`; tests/store/test_migrations.py then checks that the
migrations and the tables agree.

The registry is given to an abstract base of its own, never beside ``table=True`` on a
table class (SQLModel maps such a class wrongly: fastapi/sqlmodel#2046).
"""

from __future__ import annotations

from sqlalchemy.orm import registry
from sqlmodel import SQLModel


class LaptopTable(SQLModel, registry=registry()):
    """Abstract base of the laptop's tables; ``LaptopTable.metadata`` holds them all."""
