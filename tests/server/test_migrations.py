"""The server's Alembic migrations run up and down on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import pytest
from alembic import command
from sqlalchemy import inspect

from sync_server.db import open_database
from sync_server.migrate import alembic_config, migrate
from sync_server.settings import Settings


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrade_downgrade_upgrade(tmp_path, pg_cluster, backend):
    url = None
    if backend == "postgresql":
        if pg_cluster is None:
            pytest.skip("no PostgreSQL cluster here")
        url = pg_cluster.create_database(f"mig_{uuid.uuid4().hex[:8]}")
    database = open_database(Settings(data_dir=tmp_path, database_url=url))
    try:
        migrate(database)
        migrate(database)  # idempotent: a second process starting does nothing
        assert {"record", "ledger", "blob", "app_user"} <= set(
            inspect(database.read).get_table_names()
        )
        command.downgrade(alembic_config(database), "base")
        assert "record" not in inspect(database.read).get_table_names()
        migrate(database)
        with database.reading() as session:
            from sync_server.state import server_epoch

            assert server_epoch(session)
    finally:
        database.dispose()
