"""Alembic environment: runs on the engine handed in by ``fieldcheck.store.migrate``."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import fieldcheck.store.tables  # noqa: F401  (registers the tables on SQLModel.metadata)

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=True,
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
