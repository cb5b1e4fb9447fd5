"""Pulled changes whose parent record has not arrived yet (``sync_parked``): parked with
everything the server sent, and unparked when the parent comes."""

from __future__ import annotations

from sqlmodel import Session, select

from fieldcheck.protocol.changes import Change, ConflictState
from fieldcheck.protocol.ops import Entity
from fieldcheck.store.sync_tables import ParkedChangeRow


def park(session: Session, change: Change) -> None:
    session.merge(
        ParkedChangeRow(
            entity=change.entity.value,
            id=change.id,
            rev=change.rev,
            scope_id=change.scope_id,
            conflict_state=change.conflict_state.value,
            data=dict(change.data),
        )
    )


def unpark(session: Session, entity: str, record_id: str) -> None:
    """The parked change of the record is being applied: it leaves the parking."""
    row = session.get(ParkedChangeRow, (entity, record_id))
    if row is not None:
        session.delete(row)
        session.flush()


def parked_changes(session: Session) -> dict[tuple[str, str], Change]:
    """(entity, id) -> the parked change, as the server sent it (``seq`` is not kept)."""
    return {
        (row.entity, row.id): Change(
            seq=0,
            entity=Entity(row.entity),
            id=row.id,
            rev=row.rev,
            scope_id=row.scope_id,
            conflict_state=ConflictState(row.conflict_state),
            data=row.data,
        )
        for row in session.exec(select(ParkedChangeRow)).all()
    }
