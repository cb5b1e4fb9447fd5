"""Sync marks for the lists: one state per compound (the most pressing of its records' states
and whether its photos' files reached the server), per checklist item (its answers), per
register entry, and per photo for the gallery (its record and its file together).

The states are the sync book's enums (``RecordMark``, ``BlobState``, ``AttentionKind``) and
``PhotoMark``, the gallery's view of a photo's record and file together; the UI keys its marks
and texts by them. The queries run inside a read
op, never in a model's ``data()``."""

from __future__ import annotations

from collections import defaultdict
from enum import StrEnum

from sqlmodel import Session, col, select

from fieldcheck.store import inspections
from fieldcheck.store.syncbook.blobs import photo_states
from fieldcheck.store.syncbook.marks import record_states
from fieldcheck.store.syncbook.meta import peek_meta
from fieldcheck.store.syncbook.states import AttentionKind, BlobState, RecordMark
from fieldcheck.store.tables import AnswerRow, IllegalStructureRow, InspectionRow, PhotoRow

__all__ = [
    "RANK",
    "AttentionKind",
    "PhotoMark",
    "RecordMark",
    "compound_sync_states",
    "item_sync_states",
    "needs_attention",
    "photo_sync_state",
    "photo_sync_states",
    "structure_sync_states",
    "worst",
]

#: From least to most pressing; a compound or an item shows the most pressing of its records.
RANK = (
    RecordMark.LOCAL,
    RecordMark.SYNCED,
    RecordMark.PENDING,
    RecordMark.REJECTED,
    RecordMark.CONFLICT,
)
#: Marks that need the inspector (shown in red).
ATTENTION_STATES = frozenset({RecordMark.CONFLICT, RecordMark.REJECTED})


class PhotoMark(StrEnum):
    """Per photo, what the gallery shows (its record and its file together)."""

    ON_SERVER = "on_server"
    WAITING = "waiting"
    ATTENTION = "attention"
    NEVER_SYNCED = "never_synced"


def worst(states: list[RecordMark]) -> RecordMark:
    return max(states, key=RANK.index, default=RecordMark.LOCAL)


def needs_attention(state: RecordMark) -> bool:
    """Whether a record's mark asks the inspector to act."""
    return state in ATTENTION_STATES


def compound_sync_states(session: Session, compound_ids: list[str]) -> dict[str, RecordMark]:
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
    found: dict[str, list[RecordMark]] = defaultdict(list)
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
            if uploaded[sha] != BlobState.VERIFIED:
                found[compound].append(RecordMark.PENDING)
    return {i: worst(found[i]) for i in compound_ids}


def item_sync_states(session: Session, inspection_id: str) -> dict[str, RecordMark]:
    """item code -> the most pressing sync state of its answers (retracted ones too)."""
    answers = inspections.list_answers(session, inspection_id, include_retracted=True)
    states = record_states(session, "answer", [a.id for a in answers])
    by_item: dict[str, list[RecordMark]] = defaultdict(list)
    for answer in answers:
        by_item[answer.item_code].append(states[answer.id])
    return {code: worst(found) for code, found in by_item.items()}


def structure_sync_states(session: Session, structure_ids: list[str]) -> dict[str, RecordMark]:
    """register entry id -> its sync state."""
    return record_states(session, "illegal_structure", structure_ids)


def photo_sync_state(record: RecordMark, blob: BlobState, ever_synced: bool) -> PhotoMark:
    """One photo from its record's state (``record_states``) and its file's
    (``photo_states``): ``attention`` when the server refused the record or it is in conflict,
    or the local file no longer matches its hash; ``on_server`` when the server has both;
    ``never_synced`` while this laptop has never finished a sync (or the record is not to be
    sent); else ``waiting`` (the record or the file still has to go up)."""
    if needs_attention(record) or blob == BlobState.INTEGRITY:
        return PhotoMark.ATTENTION
    if record == RecordMark.SYNCED and blob == BlobState.VERIFIED:
        return PhotoMark.ON_SERVER
    if record == RecordMark.LOCAL or not ever_synced:
        return PhotoMark.NEVER_SYNCED
    return PhotoMark.WAITING


def photo_sync_states(session: Session, photos: list[tuple[str, str]]) -> dict[str, PhotoMark]:
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
