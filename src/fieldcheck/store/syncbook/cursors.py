"""Pull cursors (``sync_cursor``): per scope, the last change number pulled and applied."""

from __future__ import annotations

from sqlmodel import Session, select

from fieldcheck.store.sync_tables import SyncCursorRow


def cursors(session: Session) -> dict[str, int]:
    """scope id -> the last change number applied."""
    return {r.scope_id: r.last_seq for r in session.exec(select(SyncCursorRow)).all()}


def move_cursor(session: Session, scope_id: str, last_seq: int) -> None:
    """A page of the scope was applied up to ``last_seq`` (in the page's transaction)."""
    cursor = session.get(SyncCursorRow, scope_id) or SyncCursorRow(scope_id=scope_id)
    cursor.last_seq = last_seq
    session.add(cursor)


def reset_cursors(session: Session) -> None:
    """Pull everything again from the start."""
    for cursor in session.exec(select(SyncCursorRow)).all():
        cursor.last_seq = 0
        session.add(cursor)
