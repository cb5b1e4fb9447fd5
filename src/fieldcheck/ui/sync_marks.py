"""Sync marks for lists: one state per compound, the worst of its records' states
(``sync_state.record_states`` for the compound, its inspections, answers, photos and
illegal structures, and whether its photos' files reached the server), and one state per photo
for the gallery (its record and its file together). No Qt here; the queries run inside a read
op, never in ``data()``."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import Session, col, select

from fieldcheck.store.sync_state import peek_meta, photo_states, record_states
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


#: Per photo, what the gallery shows (the record and its file together).
ON_SERVER, WAITING, ATTENTION, NEVER_SYNCED = "on_server", "waiting", "attention", "never_synced"


def photo_sync_state(record: str, blob: str, ever_synced: bool) -> str:
    """One photo from its record's state (``record_states``) and its file's
    (``photo_states``): ``attention`` when the server refused the record or it is in conflict,
    or the local file no longer matches its hash; ``on_server`` when the server has both;
    ``never_synced`` while this laptop has never finished a sync (or the record is not to be
    sent); else ``waiting`` (the record or the file still has to go up)."""
    if record in ("rejected", "conflict") or blob == "integrity":
        return ATTENTION
    if record == "synced" and blob == "verified":
        return ON_SERVER
    if record == "local" or not ever_synced:
        return NEVER_SYNCED
    return WAITING


def photo_sync_states(session: Session, photos: list[tuple[str, str]]) -> dict[str, str]:
    """photo id -> its ``photo_sync_state``, for (photo id, sha256) pairs."""
    if not photos:
        return {}
    records = record_states(session, "photo", [photo_id for photo_id, _ in photos])
    blobs = photo_states(session, sorted({sha for _, sha in photos}))
    settings = peek_meta(session)
    ever_synced = settings is not None and settings.last_sync_at is not None
    return {
        photo_id: photo_sync_state(records[photo_id], blobs[sha], ever_synced)
        for photo_id, sha in photos
    }
