"""The database: engine per app, a session per request, and write transactions that
serialise the change sequence.

SQLite runs in WAL mode with SQLAlchemy's own BEGIN handling replaced, so that write sessions
start with ``BEGIN IMMEDIATE`` (a deferred transaction that reads then writes can fail with
SQLITE_BUSY despite the busy timeout). On PostgreSQL, transactions that number changes or
extend the ledger lock the counter row first (:func:`sync_server.state.lock_counter`), so
commit order equals sequence order.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, event
from sqlmodel import Session, create_engine

from sync_server.settings import Settings

SQLITE_BUSY_TIMEOUT_MS = 30_000


@dataclass(frozen=True)
class Database:
    """The engines of one app: ``read`` opens ordinary transactions, ``write`` opens
    transactions that take the write lock up front on SQLite."""

    read: Engine
    write: Engine
    is_sqlite: bool

    def dispose(self) -> None:
        self.read.dispose()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with Session(self.read, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A session whose transaction the caller commits once; rolled back on error.

        It does not autoflush: services flush where a later query must see earlier work
        (push flushes once per op), which keeps large batches from flushing per query."""
        with Session(self.write, expire_on_commit=False, autoflush=False) as session:
            try:
                yield session
            except BaseException:
                session.rollback()
                raise


def open_database(settings: Settings) -> Database:
    """Build the engines for ``settings`` (no connection is made yet)."""
    url = settings.db_url
    if settings.is_sqlite:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        _sqlite_transactions(engine)
    else:
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
        engine = create_engine(
            url,
            pool_size=10,
            max_overflow=20,
            pool_pre_ping=True,
            connect_args={"options": "-c timezone=UTC"},
        )
    write = engine.execution_options(fieldcheck_begin="IMMEDIATE")
    return Database(read=engine, write=write, is_sqlite=settings.is_sqlite)


def _sqlite_transactions(engine: Engine) -> None:
    """WAL, foreign keys, busy timeout, and our own BEGIN (SQLAlchemy's documented recipe)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("fieldcheck_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")
