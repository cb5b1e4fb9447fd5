"""Schema migrations: from empty to exactly the laptop's tables (types, nullability, defaults,
indexes, unique constraints, foreign keys), from the previous revision with data in it, a
backup before every upgrade, and a clear refusal (file untouched) for newer or unreadable
databases."""

import sqlite3

import pytest

from fieldcheck.store import migrate, schema
from fieldcheck.store.database import Store
from fieldcheck.store.engine import make_engine
from fieldcheck.store.errors import StoreError
from tests.schema_diff import schema_diff


def test_migration_from_empty_matches_the_tables_exactly(store):
    assert migrate.current_revision(store.engine) == migrate.head_revision()
    with store.engine.connect() as connection:
        assert schema_diff(connection, schema.metadata(), schema.ALEMBIC_OPTIONS) == []
    assert store.backup is None  # nothing to back up on a fresh file


def test_upgrade_from_previous_revision_keeps_data_and_backs_up_first(data_paths):
    data_paths.ensure()
    engine = make_engine(data_paths.database)
    migrate.upgrade(engine, data_paths.database, data_paths.backups, target="0001")
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO district VALUES ('d1', '老城区')")
        connection.exec_driver_sql("INSERT INTO sub_district VALUES ('s1', 'd1', 'LC', '老城街道')")
    engine.dispose()
    store = Store.open(data_paths)
    try:
        assert migrate.current_revision(store.engine) == migrate.head_revision()
        with store.engine.connect() as connection:
            assert (
                connection.exec_driver_sql("SELECT name FROM sub_district").scalar() == "老城街道"
            )
            assert (
                connection.exec_driver_sql("SELECT count(*) FROM illegal_structure").scalar() == 0
            )
        assert store.backup is not None
        assert "0001" in store.backup.name
        backup = sqlite3.connect(store.backup)
        assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert backup.execute("SELECT name FROM district").fetchone() == ("老城区",)
        backup.close()
    finally:
        store.close()


def test_reopening_an_up_to_date_database_makes_no_backup(store, data_paths):
    store.close()
    again = Store.open(data_paths)
    assert again.backup is None
    assert not data_paths.backups.exists() or not list(data_paths.backups.iterdir())
    again.close()


def test_newer_database_is_refused_and_left_alone(store, data_paths):
    with store.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_future'")
    store.close()
    before = data_paths.database.read_bytes()
    with pytest.raises(StoreError) as caught:
        Store.open(data_paths)
    assert caught.value.code == "store_newer"
    assert caught.value.params["revision"] == "9999_future"
    assert "newer fieldcheck" in str(caught.value)
    assert data_paths.database.read_bytes() == before


@pytest.mark.parametrize(
    "content", [b"not a database at all\n" * 50, b"SQLite format 3\x00" + b"\xff" * 4000]
)
def test_unreadable_database_is_refused_and_left_alone(data_paths, content):
    data_paths.ensure()
    data_paths.database.write_bytes(content)
    with pytest.raises(StoreError) as caught:
        Store.open(data_paths)
    assert caught.value.code == "store_unreadable"
    assert str(data_paths.database) in str(caught.value)
    assert data_paths.database.read_bytes() == content
