"""The register use cases on a fresh store: an entry added, saved again unchanged, moved to
another status, each with what it changed, and the entries read with their sync states."""

from __future__ import annotations

import datetime as dt

from fieldcheck.core.changes import NOTHING, Changes, in_compound
from fieldcheck.core.register import change_structure_status, load_register, save_structure
from fieldcheck.core.sync_marks import RecordMark
from fieldcheck.domain.register import IllegalStructure, StructureStatus, StructureType


def test_an_entry_is_saved_changed_and_read_with_its_state(demo_store, compound_id):
    shed = IllegalStructure(
        id="",
        compound_id=compound_id,
        location="5号楼北侧",
        type=StructureType.MAKESHIFT_SHED,
        area_m2=24.5,
        user="5号楼住户",
    )
    with demo_store.write() as session:
        added = save_structure(session, shed)
    with demo_store.write() as session:
        unchanged = save_structure(session, added.value)
    with demo_store.write() as session:
        removed = change_structure_status(
            session, added.value.id, StructureStatus.REMOVED, dt.date(2026, 5, 1)
        )
    register_changed = in_compound(compound_id, Changes(structures=True))
    assert added.changes == register_changed
    assert unchanged.changes == NOTHING
    assert removed.changes == register_changed
    assert removed.value.rev == added.value.rev + 1
    with demo_store.read() as session:
        entries = load_register(session, compound_id)
    assert entries.structures == [removed.value]
    assert entries.sync_states == {added.value.id: RecordMark.PENDING}
