"""A record's stored revision, read before a save so that a use case can tell whether the save
changed it (saving the values a record has records nothing)."""

from __future__ import annotations

from typing import TypeVar

from sqlmodel import Session

from fieldcheck.store.tables import AnswerRow, IllegalStructureRow

#: The tables whose saves may leave a record unchanged.
Revisioned = TypeVar("Revisioned", AnswerRow, IllegalStructureRow)


def stored_rev(session: Session, table: type[Revisioned], record_id: str) -> int | None:
    """The revision of the record as stored, None when there is none (yet)."""
    row = session.get(table, record_id) if record_id else None
    return row.rev if row is not None else None
