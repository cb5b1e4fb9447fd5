"""Rows looked up by id in bulk: one ``SELECT … WHERE column IN (…)`` per chunk of ids,
well below SQLite's limit on bound parameters, on the session's connection (no ORM objects)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Row, Table, select
from sqlmodel import Session

#: Ids per ``IN (…)`` query.
CHUNK = 500


def rows_with(session: Session, table: Table, column: str, values: Iterable[str]) -> list[Row[Any]]:
    """The rows of ``table`` whose ``column`` is one of ``values``."""
    wanted = list(set(values))
    found: list[Row[Any]] = []
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        found += session.connection().execute(select(table).where(table.c[column].in_(chunk)))
    return found
