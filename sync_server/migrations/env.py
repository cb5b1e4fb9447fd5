"""Alembic environment for the server: runs on the engine handed in by
``sync_server.migrate`` (SQLite or PostgreSQL)."""

from __future__ import annotations

from alembic import context

from sync_server.models import metadata

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata(),
        render_as_batch=True,
        transactional_ddl=True,
        version_table="server_alembic_version",
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
