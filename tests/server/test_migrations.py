"""The server's Alembic migrations: up and down on SQLite and PostgreSQL, their head exactly
the server's tables, and the server's tables kept apart from the laptop's."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import inspect
from sqlmodel import SQLModel

from fieldcheck.store import schema as laptop_schema
from fieldcheck.store.base import LaptopTable
from sync_server import models
from sync_server.db import Database, open_database
from sync_server.db_base import ServerTable
from sync_server.migrate import alembic_config, migrate
from sync_server.settings import Settings
from sync_server.state import server_epoch
from tests.schema_diff import schema_diff


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path, pg_cluster) -> Iterator[Database]:
    url = None
    if request.param == "postgresql":
        if pg_cluster is None:
            pytest.skip("no PostgreSQL cluster here")
        url = pg_cluster.create_database(f"mig_{uuid.uuid4().hex[:8]}")
    database = open_database(Settings(data_dir=tmp_path, database_url=url))
    try:
        yield database
    finally:
        database.dispose()


def test_upgrade_downgrade_upgrade(empty_database):
    database = empty_database
    migrate(database)
    migrate(database)  # idempotent: a second process starting does nothing
    assert {"record", "ledger", "blob", "app_user"} <= set(inspect(database.read).get_table_names())
    command.downgrade(alembic_config(database), "base")
    assert "record" not in inspect(database.read).get_table_names()
    migrate(database)
    with database.reading() as session:
        assert server_epoch(session)


def test_head_matches_the_tables_exactly(empty_database):
    """Types, nullability, defaults, indexes, unique constraints and foreign keys."""
    migrate(empty_database)
    with empty_database.read.connect() as connection:
        assert schema_diff(connection, models.metadata(), models.ALEMBIC_OPTIONS) == []


def table_classes(base: type[SQLModel]) -> set[type[SQLModel]]:
    """Every mapped table class below ``base``."""
    found, todo = set(), [base]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if "__table__" in vars(cls):
            found.add(cls)
    return found


def test_laptop_and_server_tables_are_kept_apart():
    """Both sides are imported here: each metadata holds exactly its own side's tables, and
    SQLModel's global metadata none."""
    every = table_classes(SQLModel)
    laptop, server = table_classes(LaptopTable), table_classes(ServerTable)
    assert laptop
    assert server
    assert laptop | server == every
    assert all(cls.__module__.startswith("fieldcheck.store.") for cls in laptop)
    assert all(cls.__module__.startswith("sync_server.") for cls in server)
    assert {cls.__table__ for cls in laptop} == set(laptop_schema.metadata().tables.values())
    assert {cls.__table__ for cls in server} == set(models.metadata().tables.values())
    assert not SQLModel.metadata.tables


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
