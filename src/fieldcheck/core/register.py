"""The illegal-structure register of a compound: its entries with each entry's sync state, and
adding, editing and changing the status of an entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from fieldcheck.core.changes import NOTHING, Changes, Done, in_compound
from fieldcheck.core.revisions import stored_rev
from fieldcheck.core.sync_marks import RecordMark, structure_sync_states
from fieldcheck.domain.register import IllegalStructure, StructureStatus
from fieldcheck.store import register
from fieldcheck.store.tables import IllegalStructureRow

#: A compound's register entries by location.
list_structures = register.list_structures


@dataclass(frozen=True)
class RegisterEntries:
    """A compound's register and the sync state of each entry (by id)."""

    structures: list[IllegalStructure]
    sync_states: dict[str, RecordMark]


def load_register(session: Session, compound_id: str) -> RegisterEntries:
    structures = register.list_structures(session, compound_id)
    return RegisterEntries(structures, structure_sync_states(session, [s.id for s in structures]))


def save_structure(session: Session, structure: IllegalStructure) -> Done[IllegalStructure]:
    """Add a new register entry (no id yet) or update an existing one."""
    rev_before = stored_rev(session, IllegalStructureRow, structure.id)
    return _saved(register.save_structure(session, structure), rev_before)


def change_structure_status(
    session: Session, structure_id: str, status: StructureStatus, on: dt.date
) -> Done[IllegalStructure]:
    rev_before = stored_rev(session, IllegalStructureRow, structure_id)
    return _saved(register.change_structure_status(session, structure_id, status, on), rev_before)


def _saved(saved: IllegalStructure, rev_before: int | None) -> Done[IllegalStructure]:
    if saved.rev == rev_before:
        return Done(saved, NOTHING)
    return Done(saved, in_compound(saved.compound_id, Changes(structures=True)))
