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


def _users_at_0001(tmp_path, pg_cluster, backend, names):  # type: ignore[no-untyped-def]
    """A database at revision 0001 holding accounts ``names`` (as an older server left them)."""
    from sqlalchemy import text

    url = None
    if backend == "postgresql":
        url = pg_cluster.create_database(f"mig_{uuid.uuid4().hex[:8]}")
    database = open_database(Settings(data_dir=tmp_path, database_url=url))
    command.upgrade(alembic_config(database), "0001")
    with database.read.begin() as connection:
        for name in names:
            connection.execute(
                text(
                    "INSERT INTO app_user (username, role, all_scopes, password_hash, disabled, "
                    "created_at) VALUES (:n, 'INSPECTOR', true, 'x', false, CURRENT_TIMESTAMP)"
                ),
                {"n": name},
            )
    return database


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_0002_keys_existing_usernames_and_stops_on_a_clash(tmp_path, pg_cluster, backend):
    from sqlalchemy import text

    database = _users_at_0001(tmp_path / "ok", pg_cluster, backend, ["Li", "Wang Fang "])
    try:
        migrate(database)
        with database.read.connect() as connection:
            keys = connection.execute(
                text("SELECT username, username_key FROM app_user ORDER BY username")
            ).all()
        assert [tuple(k) for k in keys] == [("Li", "li"), ("Wang Fang ", "wang fang")]
    finally:
        database.dispose()
    clash = _users_at_0001(tmp_path / "clash", pg_cluster, backend, ["Li", "li "])
    try:
        with pytest.raises(RuntimeError, match="'Li' and 'li '"):
            migrate(clash)
    finally:
        clash.dispose()
