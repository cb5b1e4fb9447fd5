"""Opening the laptop's database and running units of work on it.

``Store.open`` checks the file, upgrades the schema (backup first) and hands back a store
whose ``write()`` runs one transaction (``BEGIN IMMEDIATE``; commit once at the end, roll
back on any error) and whose ``read()`` gives a read-only session.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from fieldcheck.paths import DataPaths
from fieldcheck.store import migrate
from fieldcheck.store.engine import make_engine


@dataclass
class Store:
    engine: Engine
    paths: DataPaths
    backup: Path | None = None

    @classmethod
    def open(cls, paths: DataPaths) -> Store:
        """Open (creating if needed) and upgrade the database; StoreError says what is wrong."""
        paths.ensure()
        migrate.check_readable(paths.database)
        engine = make_engine(paths.database)
        try:
            backup = migrate.upgrade(engine, paths.database, paths.backups)
        except Exception:
            engine.dispose()
            raise
        return cls(engine=engine, paths=paths, backup=backup)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: everything inside commits together or not at all."""
        with self.engine.connect() as connection:
            connection.info["begin_mode"] = "IMMEDIATE"
            try:
                with Session(bind=connection, expire_on_commit=False) as session:
                    yield session
                    session.commit()
            finally:
                connection.info.pop("begin_mode", None)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()
