"""The illegal-structure register of a compound on the laptop: add, edit, change status."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from sqlmodel import Session, col, select

from fieldcheck.domain.errors import NotFoundError
from fieldcheck.domain.ids import new_id
from fieldcheck.domain.register import (
    IllegalStructure,
    StructureStatus,
    StructureType,
    validate_structure,
)
from fieldcheck.store.changes import save_change
from fieldcheck.store.tables import CompoundRow, IllegalStructureRow


class _StructureFields(TypedDict):
    """The columns of a register entry that an edit may change."""

    location: str
    type: str
    area_m2: float
    user: str
    status: str
    status_date: dt.date | None
    note: str


def _to_structure(row: IllegalStructureRow) -> IllegalStructure:
    return IllegalStructure(
        id=row.id,
        compound_id=row.compound_id,
        location=row.location,
        type=StructureType(row.type),
        area_m2=row.area_m2,
        user=row.user,
        status=StructureStatus(row.status),
        status_date=row.status_date,
        note=row.note,
        rev=row.rev,
    )


def save_structure(session: Session, structure: IllegalStructure) -> IllegalStructure:
    """Add a new register entry (unknown id) or update an existing one."""
    validate_structure(structure.location, structure.area_m2)
    if session.get(CompoundRow, structure.compound_id) is None:
        raise NotFoundError(
            f"no compound {structure.compound_id}",
            "compound_missing",
            {"id": structure.compound_id},
        )
    fields: _StructureFields = {
        "location": structure.location.strip(),
        "type": structure.type.value,
        "area_m2": float(structure.area_m2),
        "user": structure.user.strip(),
        "status": structure.status.value,
        "status_date": structure.status_date,
        "note": structure.note,
    }
    row = session.get(IllegalStructureRow, structure.id) if structure.id else None
    if row is None:
        row = IllegalStructureRow(
            id=structure.id or new_id(), compound_id=structure.compound_id, **fields
        )
        save_change(session, row, entity="illegal_structure", action="create")
    elif any(getattr(row, k) != v for k, v in fields.items()):
        for key, value in fields.items():
            setattr(row, key, value)
        row.rev += 1
        save_change(session, row, entity="illegal_structure", action="update")
    session.flush()
    return _to_structure(row)


def change_structure_status(
    session: Session, structure_id: str, status: StructureStatus, on: dt.date
) -> IllegalStructure:
    row = session.get(IllegalStructureRow, structure_id)
    if row is None:
        raise NotFoundError(
            f"no register entry {structure_id}", "structure_missing", {"id": structure_id}
        )
    current = _to_structure(row)
    return save_structure(
        session,
        IllegalStructure(**{**current.__dict__, "status": status, "status_date": on}),
    )


def list_structures(session: Session, compound_id: str) -> list[IllegalStructure]:
    rows = session.exec(
        select(IllegalStructureRow)
        .where(IllegalStructureRow.compound_id == compound_id)
        .order_by(col(IllegalStructureRow.location))
    ).all()
    return [_to_structure(r) for r in rows]
