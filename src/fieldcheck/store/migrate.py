"""Bring the database to the current schema with Alembic, after a backup of the file.

Refuses, with a clear StoreError, a file that is not a fieldcheck database and a database
written by a newer fieldcheck (its revision is unknown here); neither is touched.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from fieldcheck.store.errors import StoreError

SQLITE_MAGIC = b"SQLite format 3\x00"

log = logging.getLogger(__name__)


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def check_readable(database: Path) -> None:
    """Raise StoreError when an existing file is not an SQLite database."""
    if not database.exists() or database.stat().st_size == 0:
        return
    try:
        with database.open("rb") as f:
            magic = f.read(len(SQLITE_MAGIC))
    except OSError as exc:
        log.warning("the database %s cannot be read: %s", database, exc)
        raise StoreError(
            f"the database {database} cannot be read: {exc.strerror}",
            "store_unreadable",
            {"path": str(database), "reason": str(exc.strerror)},
        ) from exc
    if magic != SQLITE_MAGIC:
        log.warning("%s is not an SQLite file; refused, left untouched", database)
        raise StoreError(
            f"{database} is not a fieldcheck database (not an SQLite file)",
            "store_unreadable",
            {"path": str(database), "reason": "not an SQLite file"},
        )


def backup_database(database: Path, backups: Path, revision: str | None) -> Path:
    """Copy the database, consistently even in WAL mode, into ``backups``; return the copy."""
    backups.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backups / f"fieldcheck-{revision or 'empty'}-{stamp}.sqlite3"
    source = sqlite3.connect(database)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


def upgrade(engine: Engine, database: Path, backups: Path, target: str = "head") -> Path | None:
    """Upgrade to ``target``; back the file up first if it holds data. Returns the backup."""
    script = ScriptDirectory.from_config(alembic_config())
    try:
        current = current_revision(engine)
    except Exception as exc:  # sqlite3.DatabaseError and friends, wrapped by SQLAlchemy
        log.exception("the schema revision of %s cannot be read; refused", database)
        raise StoreError(
            f"the database {database} is damaged and cannot be opened: {exc}",
            "store_unreadable",
            {"path": str(database), "reason": str(exc).splitlines()[0]},
        ) from exc
    known = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in known:
        log.warning("%s has schema %s, newer than this fieldcheck; refused", database, current)
        raise StoreError(
            f"the database {database} was written by a newer fieldcheck (schema {current}); "
            "install the newer version to open it",
            "store_newer",
            {"path": str(database), "revision": current},
        )
    wanted = script.get_current_head() if target == "head" else target
    if current == wanted:
        return None
    has_data = current is not None or bool(inspect(engine).get_table_names())
    backup = backup_database(database, backups, current) if has_data else None
    log.info(
        "upgrading the database %s from schema %s to %s; backup %s",
        database,
        current or "(none)",
        wanted,
        backup or "(none: no data yet)",
    )
    try:
        command.upgrade(alembic_config(engine), target)
    except Exception as exc:
        log.exception("upgrading %s failed; the data as it was is in %s", database, backup)
        raise StoreError(
            f"upgrading the database failed: {exc}; the data as it was is in {backup}",
            "store_migration_failed",
            {"path": str(database), "backup": str(backup or ""), "reason": str(exc)},
        ) from exc
    log.info("the database %s is at schema %s", database, wanted)
    return backup
