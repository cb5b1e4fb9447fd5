"""Alembic environment: runs on the engine handed in by ``fieldcheck.store.migrate``."""

from __future__ import annotations

from alembic import context

from fieldcheck.store.schema import ALEMBIC_OPTIONS, metadata

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata(), **ALEMBIC_OPTIONS)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
