"""Bring the server database to the current schema with Alembic, then make sure the
counters and the epoch exist. Safe to run from several processes at once: PostgreSQL takes
an advisory lock, SQLite serialises on its write lock."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from sync_server.db import Database
from sync_server.state import initialise

#: Arbitrary key of the PostgreSQL advisory lock held while migrating.
MIGRATION_LOCK = 0x6669656C64


def alembic_config(database: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    config.attributes["engine"] = database.read
    return config


def migrate(database: Database) -> None:
    """Upgrade to head and initialise server state."""
    if database.is_sqlite:
        command.upgrade(alembic_config(database), "head")
    else:
        with database.read.connect() as lock:
            lock.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK})
            try:
                command.upgrade(alembic_config(database), "head")
            finally:
                lock.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK})
                lock.commit()
    try:
        with database.writing() as session:
            initialise(session)
            session.commit()
    except IntegrityError:
        pass  # another process initialised it at the same moment
