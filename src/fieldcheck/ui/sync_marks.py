"""Sync marks for lists: one state per compound, the worst of its records' states
(``sync_state.record_states`` for the compound, its inspections, answers, photos and
illegal structures, and whether its photos' files reached the server). Queries only; they run
inside a read op, never in ``data()``."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import Session, col, select

from fieldcheck.store.sync_state import photo_states, record_states
from fieldcheck.store.tables import AnswerRow, IllegalStructureRow, InspectionRow, PhotoRow

#: From least to most pressing; a compound shows the most pressing state of its records.
RANK = ("local", "synced", "pending", "rejected", "conflict")


def worst(states: list[str]) -> str:
    return max(states, key=RANK.index, default="local")


def compound_sync_states(session: Session, compound_ids: list[str]) -> dict[str, str]:
    """compound id -> ``local``, ``synced``, ``pending``, ``rejected`` or ``conflict``."""
    owners: dict[str, list[tuple[str, str]]] = {
        "compound": [(i, i) for i in compound_ids],
        "inspection": list(session.exec(select(InspectionRow.id, InspectionRow.compound_id))),
        "answer": list(
            session.exec(
                select(AnswerRow.id, InspectionRow.compound_id).join(
                    InspectionRow, col(AnswerRow.inspection_id) == col(InspectionRow.id)
                )
            )
        ),
        "photo": list(session.exec(select(PhotoRow.id, PhotoRow.compound_id))),
        "illegal_structure": list(
            session.exec(select(IllegalStructureRow.id, IllegalStructureRow.compound_id))
        ),
    }
    found: dict[str, list[str]] = defaultdict(list)
    for entity, pairs in owners.items():
        if not pairs:
            continue
        states = record_states(session, entity, [record for record, _ in pairs])
        for record, compound in pairs:
            found[compound].append(states[record])
    blobs = list(session.exec(select(PhotoRow.sha256, PhotoRow.compound_id)))
    if blobs:
        uploaded = photo_states(session, sorted({sha for sha, _ in blobs}))
        for sha, compound in blobs:
            if uploaded[sha] != "verified":
                found[compound].append("pending")
    return {i: worst(found[i]) for i in compound_ids}
