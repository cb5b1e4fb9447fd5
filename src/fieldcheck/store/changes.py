"""Saving a changed record together with its outbox entry: the one way records change."""

from __future__ import annotations

from sqlmodel import Session, SQLModel

from fieldcheck.store.syncbook.outbox import record_change
from fieldcheck.store.tables import utcnow


def save_change(session: Session, row: SQLModel, *, entity: str, action: str) -> None:
    """Add ``row`` (its ``rev`` already bumped by the caller when it is an update) to the
    session, stamp it, and record the outbox entry with the revision it started from."""
    rev = getattr(row, "rev", 1)
    if hasattr(row, "updated_at"):
        row.updated_at = utcnow()
    session.add(row)
    record_change(
        session,
        entity=entity,
        entity_id=row.id,  # type: ignore[attr-defined]
        action=action,
        base_rev=0 if action == "create" else rev - 1,
        payload=row.model_dump(exclude={"updated_at"}),
    )
