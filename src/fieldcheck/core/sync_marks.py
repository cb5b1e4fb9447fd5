"""Sync marks for the lists: one state per compound (the most pressing of its records' states
and whether its photos' files reached the server), per checklist item (its answers), per
register entry, and per photo for the gallery (its record and its file together).

This is the one place outside the store that reads the store's sync state strings
(``sync_state.record_states``, ``photo_states``, the blob sync rows, the kinds of attention
item); the UI keys its marks and texts by the constants below. The queries run inside a read
op, never in a model's ``data()``."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import Session, col, select

from fieldcheck.store import inspections
from fieldcheck.store.sync_state import peek_meta, photo_states, record_states
from fieldcheck.store.sync_tables import BlobSyncRow
from fieldcheck.store.tables import AnswerRow, IllegalStructureRow, InspectionRow, PhotoRow

#: A record's mark: never sent, confirmed by the server, changes waiting to go up, refused by
#: the server, in conflict with a colleague's change.
LOCAL, SYNCED, PENDING, REJECTED, CONFLICT = "local", "synced", "pending", "rejected", "conflict"
#: From least to most pressing; a compound or an item shows the most pressing of its records.
RANK = (LOCAL, SYNCED, PENDING, REJECTED, CONFLICT)
#: Marks that need the inspector (shown in red).
ATTENTION_STATES = frozenset({CONFLICT, REJECTED})
#: A photo file the server has confirmed, and one whose local bytes no longer match.
_BLOB_VERIFIED, _BLOB_INTEGRITY = "verified", "integrity"

#: Per photo, what the gallery shows (the record and its file together).
ON_SERVER, WAITING, ATTENTION, NEVER_SYNCED = "on_server", "waiting", "attention", "never_synced"

#: The kinds of item in "Needs attention" (``AttentionItem.kind``).
CONFLICT_ITEM, REJECTED_ITEM = "conflict", "rejected"


def worst(states: list[str]) -> str:
    return max(states, key=RANK.index, default=LOCAL)


def needs_attention(state: str) -> bool:
    """Whether a record's mark asks the inspector to act."""
    return state in ATTENTION_STATES


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
            if uploaded[sha] != _BLOB_VERIFIED:
                found[compound].append(PENDING)
    return {i: worst(found[i]) for i in compound_ids}


def item_sync_states(session: Session, inspection_id: str) -> dict[str, str]:
    """item code -> the most pressing sync state of its answers (retracted ones too)."""
    answers = inspections.list_answers(session, inspection_id, include_retracted=True)
    states = record_states(session, "answer", [a.id for a in answers])
    by_item: dict[str, list[str]] = defaultdict(list)
    for answer in answers:
        by_item[answer.item_code].append(states[answer.id])
    return {code: worst(found) for code, found in by_item.items()}


def structure_sync_states(session: Session, structure_ids: list[str]) -> dict[str, str]:
    """register entry id -> its sync state."""
    return record_states(session, "illegal_structure", structure_ids)


def photo_sync_state(record: str, blob: str, ever_synced: bool) -> str:
    """One photo from its record's state (``record_states``) and its file's
    (``photo_states``): ``attention`` when the server refused the record or it is in conflict,
    or the local file no longer matches its hash; ``on_server`` when the server has both;
    ``never_synced`` while this laptop has never finished a sync (or the record is not to be
    sent); else ``waiting`` (the record or the file still has to go up)."""
    if needs_attention(record) or blob == _BLOB_INTEGRITY:
        return ATTENTION
    if record == SYNCED and blob == _BLOB_VERIFIED:
        return ON_SERVER
    if record == LOCAL or not ever_synced:
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


def integrity_alerts(session: Session) -> list[tuple[str, str]]:
    """(sha256, the error) of every photo file whose local bytes no longer match its hash."""
    rows = session.exec(select(BlobSyncRow).where(col(BlobSyncRow.state) == _BLOB_INTEGRITY))
    return [(row.sha256, row.last_error) for row in rows.all()]
