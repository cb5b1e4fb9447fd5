"""Sync state on the laptop as the GUI and the CLI see it: counts of what waits to go up,
the items that need the inspector's attention (conflicts, rejected changes), resolving a
conflict, and the sync settings. Everything runs in the caller's session."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, SQLModel, col, func, select

from fieldcheck.domain.errors import NotFoundError, ValidationError
from fieldcheck.domain.evidence import check_retraction_reason
from fieldcheck.domain.ids import new_id
from fieldcheck.store.outbox import record_change
from fieldcheck.store.sync_tables import (
    BlobSyncRow,
    ConflictRow,
    OutboxSyncRow,
    SyncCursorRow,
    SyncMetaRow,
    SyncRecordRow,
)
from fieldcheck.store.tables import (
    AnnotationRow,
    AnswerRow,
    CompoundRow,
    IllegalStructureRow,
    InspectionRow,
    OutboxRow,
    PhotoRow,
    RectificationRow,
    RetractionRow,
    ViewpointRow,
    utcnow,
)

#: Outbox states. ``done`` only after the server confirmed the op.
PENDING, INFLIGHT, DONE = "pending", "inflight", "done"
CONFLICT, REJECTED, DEFERRED = "conflict", "rejected", "deferred"
#: A rejected op the inspector dealt with: sent again as a new op, or given up. Both stay
#: in the log.
SUPERSEDED, DISMISSED = "superseded", "dismissed"
#: States of ops not yet confirmed and still to be sent.
UNSENT_STATES = (PENDING, INFLIGHT, DEFERRED)
#: ``outbox_sync.result["dismissed"]["restore"]`` while the server's version of a record
#: whose rejected change was given up is still to be fetched (by the next sync).
RESTORE_PENDING, RESTORE_DONE, RESTORE_KEPT = "pending", "done", "kept"

#: The local table of every entity that syncs, parents before children.
ENTITY_TABLES: dict[str, type[SQLModel]] = {
    "compound": CompoundRow,
    "inspection": InspectionRow,
    "illegal_structure": IllegalStructureRow,
    "viewpoint": ViewpointRow,
    "photo": PhotoRow,
    "answer": AnswerRow,
    "annotation": AnnotationRow,
    "rectification_action": RectificationRow,
    "retraction": RetractionRow,
}


def peek_meta(session: Session) -> SyncMetaRow | None:
    """The sync settings row if there is one (for reading without writing)."""
    return session.get(SyncMetaRow, 1)


def meta(session: Session) -> SyncMetaRow:
    """The sync settings row, made (with a fresh device id) on first use: call it in a
    write transaction."""
    row = session.get(SyncMetaRow, 1)
    if row is None:
        row = SyncMetaRow(id=1, device_id=f"laptop-{uuid.uuid4()}")
        session.add(row)
        session.flush()
    return row


@dataclass(frozen=True)
class PendingCounts:
    """What the status bar shows: records and photos waiting to go up, and what needs the
    inspector (open conflicts, rejected changes, photos whose file no longer matches)."""

    records: int
    photos: int
    conflicts: int
    rejected: int
    integrity: int


def pending_counts(session: Session) -> PendingCounts:
    records = session.exec(
        select(func.count(func.distinct(OutboxRow.entity + ":" + OutboxRow.entity_id))).where(
            col(OutboxRow.state).in_(UNSENT_STATES)
        )
    ).one()
    unverified = unverified_blobs(session)
    return PendingCounts(
        records=records,
        photos=len(unverified),
        conflicts=session.exec(
            select(func.count(col(ConflictRow.id))).where(ConflictRow.state == "open")
        ).one(),
        rejected=session.exec(
            select(func.count(col(OutboxRow.seq))).where(OutboxRow.state == REJECTED)
        ).one(),
        integrity=session.exec(
            select(func.count(col(BlobSyncRow.sha256))).where(BlobSyncRow.state == "integrity")
        ).one(),
    )


def unverified_blobs(session: Session) -> list[tuple[str, int]]:
    """(sha256, size) of every photo blob the server has not confirmed yet."""
    rows = session.exec(
        select(PhotoRow.sha256, func.max(PhotoRow.size_bytes))
        .outerjoin(BlobSyncRow, col(BlobSyncRow.sha256) == col(PhotoRow.sha256))
        .where(col(BlobSyncRow.state).is_(None) | (BlobSyncRow.state != "verified"))
        .group_by(col(PhotoRow.sha256))
        .order_by(func.min(PhotoRow.imported_at))
    ).all()
    return [(sha, int(size)) for sha, size in rows]


@dataclass(frozen=True)
class AttentionItem:
    """One thing the inspector must look at: a conflict (``conflict_id`` set; mine, theirs
    and the history) or a rejected change (the server's ``code`` and reason)."""

    kind: str  # "conflict" or "rejected"
    entity: str
    record_id: str
    op_id: str
    code: str = ""
    reason: str = ""
    conflict_id: int | None = None
    fields: tuple[str, ...] = ()
    mine: dict[str, Any] = field(default_factory=dict)
    theirs: dict[str, Any] = field(default_factory=dict)
    history: tuple[dict[str, Any], ...] = ()


def _ops_in_state(session: Session, state: str) -> list[tuple[OutboxRow, OutboxSyncRow]]:
    """Outbox rows in ``state`` with their sync side, in outbox order."""
    rows = session.exec(
        select(OutboxRow, OutboxSyncRow)
        .join(OutboxSyncRow, col(OutboxSyncRow.op_id) == col(OutboxRow.op_id))
        .where(OutboxRow.state == state)
        .order_by(col(OutboxRow.seq))
    ).all()
    return list(rows)


def attention_items(session: Session) -> list[AttentionItem]:
    """Open conflicts, then rejected changes, oldest first."""
    items = [
        AttentionItem(
            kind="conflict",
            entity=c.entity,
            record_id=c.record_id,
            op_id=c.op_id,
            code="concurrent_edit",
            conflict_id=c.id,
            fields=tuple(c.fields),
            mine=dict(c.mine),
            theirs=dict(c.theirs),
            history=tuple(c.history),
        )
        for c in session.exec(
            select(ConflictRow).where(ConflictRow.state == "open").order_by(col(ConflictRow.id))
        ).all()
    ]
    for row, sync in _ops_in_state(session, REJECTED):
        result = sync.result or {}
        items.append(
            AttentionItem(
                kind="rejected",
                entity=row.entity,
                record_id=row.entity_id,
                op_id=row.op_id,
                code=str(result.get("code") or ""),
                reason=str(result.get("message") or sync.last_error),
                fields=tuple(result.get("fields") or ()),
                mine=dict(row.payload),
            )
        )
    return items


def resolve_conflict(
    session: Session, conflict_id: int, choice: str, values: dict[str, Any] | None = None
) -> str:
    """Settle a conflict with ``mine``, ``theirs`` or ``merged`` (``values`` over theirs):
    the local record takes the chosen values and a new op, with ``resolves``, goes into the
    outbox. Both versions stay in the server's history. Returns the new op id."""
    conflict = session.get(ConflictRow, conflict_id)
    if conflict is None or conflict.state != "open":
        raise NotFoundError(f"no open conflict {conflict_id}", "conflict_missing")
    if choice == "mine":
        chosen = dict(conflict.mine)
    elif choice == "theirs":
        chosen = dict(conflict.theirs)
    elif choice == "merged" and values is not None:
        chosen = {**conflict.theirs, **values}
    else:
        raise ValidationError(f"unknown resolution {choice!r}", "conflict_choice")
    table = ENTITY_TABLES.get(conflict.entity)
    row = session.get(table, conflict.record_id) if table else None
    if row is None:
        raise NotFoundError(f"no {conflict.entity} {conflict.record_id}", "conflict_missing")
    for name, value in chosen.items():
        if name in type(row).model_fields and name not in ("id", "rev", "updated_at"):
            setattr(row, name, _coerce(type(row), name, value))
    row.rev += 1  # type: ignore[attr-defined]
    row.updated_at = utcnow()  # type: ignore[attr-defined]
    session.add(row)
    outbox = record_change(
        session,
        entity=conflict.entity,
        entity_id=conflict.record_id,
        action="update",
        base_rev=conflict.head_rev,
        payload=row.model_dump(exclude={"updated_at"}),
    )
    session.add(OutboxSyncRow(op_id=outbox.op_id, resolves=list(conflict.candidate_revs)))
    record = session.get(SyncRecordRow, (conflict.entity, conflict.record_id))
    if record is not None:
        record.server_rev, record.clean = conflict.head_rev, False
        session.add(record)
    conflict.state = "resolving"
    session.add(conflict)
    session.flush()
    return outbox.op_id


def _rejected_op(session: Session, op_id: str) -> OutboxRow:
    row = session.exec(select(OutboxRow).where(OutboxRow.op_id == op_id)).first()
    if row is None or row.state != REJECTED:
        raise NotFoundError(f"no rejected change {op_id}", "rejected_missing")
    return row


def _settle(session: Session, row: OutboxRow, state: str, note: dict[str, Any]) -> None:
    """Mark a kept op ``superseded`` or ``dismissed``; the note goes beside the server's
    result, which stays."""
    row.state = state
    session.add(row)
    sync = session.get(OutboxSyncRow, row.op_id) or OutboxSyncRow(op_id=row.op_id)
    sync.result = {**(sync.result or {}), state: note}
    sync.updated_at = utcnow()
    session.add(sync)


def resend_rejected(session: Session, op_id: str) -> str:
    """Send a rejected change again after its cause was fixed: a new op made from the
    record's current local values, based on the last server revision this laptop knows (a
    create when the server never had the record). The rejected op stays in the log as
    ``superseded``. Returns the new op id."""
    row = _rejected_op(session, op_id)
    table = ENTITY_TABLES.get(row.entity)
    local = session.get(table, row.entity_id) if table else None
    if local is None:
        raise NotFoundError(f"no {row.entity} {row.entity_id}", "rejected_missing")
    record = session.get(SyncRecordRow, (row.entity, row.entity_id))
    server_rev = record.server_rev if record is not None else 0
    outbox = record_change(
        session,
        entity=row.entity,
        entity_id=row.entity_id,
        action="update" if server_rev else "create",
        base_rev=server_rev,
        payload=local.model_dump(exclude={"updated_at"}),
    )
    _settle(session, row, SUPERSEDED, {"by": outbox.op_id, "at": utcnow().isoformat()})
    session.flush()
    return outbox.op_id


def discard_rejected(session: Session, op_id: str, reason: str) -> None:
    """Give up a rejected change, with a reason. A record the server has goes back to the
    server's version (fetched by the next sync); a record the server never had stays on the
    laptop, withdrawn by a local retraction with the reason, and its other unsent changes are
    given up with it. The ops stay in the log as ``dismissed``; nothing is deleted."""
    reason = reason.strip()
    check_retraction_reason(reason)
    row = _rejected_op(session, op_id)
    note: dict[str, Any] = {"reason": reason, "at": utcnow().isoformat()}
    record = session.get(SyncRecordRow, (row.entity, row.entity_id))
    if record is not None and record.server_rev > 0:
        note["restore"] = RESTORE_PENDING
        record.clean = False
        session.add(record)
    else:
        note["withdrawn"] = True
        settings = peek_meta(session)
        withdrawn = session.exec(
            select(RetractionRow.id).where(
                RetractionRow.entity == row.entity, RetractionRow.entity_id == row.entity_id
            )
        ).first()
        if withdrawn is None:
            session.add(
                RetractionRow(
                    id=new_id(),
                    entity=row.entity,
                    entity_id=row.entity_id,
                    reason=reason,
                    retracted_by=settings.username if settings else "",
                )
            )
        unsent = session.exec(
            select(OutboxRow).where(
                OutboxRow.entity == row.entity,
                OutboxRow.entity_id == row.entity_id,
                col(OutboxRow.state).in_((PENDING, DEFERRED)),
            )
        ).all()
        for other in unsent:
            _settle(session, other, DISMISSED, note)
    _settle(session, row, DISMISSED, note)
    session.flush()


def pending_restores(session: Session) -> list[tuple[str, str, str]]:
    """(op id, entity, record id) of given-up changes whose record still waits for the
    server's version."""
    return [
        (row.op_id, row.entity, row.entity_id)
        for row, sync in _ops_in_state(session, DISMISSED)
        if ((sync.result or {}).get(DISMISSED) or {}).get("restore") == RESTORE_PENDING
    ]


def restore_noted(session: Session, op_id: str, outcome: str) -> None:
    """Note how a pending restore ended (``done``, or ``kept`` when it could not be)."""
    sync = session.get(OutboxSyncRow, op_id)
    if sync is None or not sync.result:
        return
    note = dict(sync.result.get(DISMISSED) or {})
    sync.result = {**sync.result, DISMISSED: {**note, "restore": outcome}}
    session.add(sync)


def _coerce(table: type[SQLModel], name: str, value: Any) -> Any:
    """A JSON value as the column wants it (ISO text to dates)."""
    annotation = str(table.model_fields[name].annotation)
    if isinstance(value, str) and "date" in annotation:
        if "datetime" in annotation:
            return dt.datetime.fromisoformat(value)
        return dt.date.fromisoformat(value)
    return value


#: ``sync_meta.server_epoch`` while a reconcile is due (decision 0041): the witness is
#: forgotten, and the next sync re-sends every blob and record the server lacks.
RECONCILE_EPOCH = "reconcile-pending"


def accept_server_history(session: Session) -> None:
    """After the bureau confirms a server restore or rewrite: forget the witnessed epoch,
    checkpoint and key; the next sync reconciles (every local blob and record the server
    lacks goes up again, then everything is pulled from the start). Local records and
    unsent changes stay as they are."""
    start_reconcile(session, forget_key=True)


def start_reconcile(session: Session, *, forget_key: bool = False) -> None:
    """Mark a reconcile as due (it survives a crash until a sync completes it)."""
    row = meta(session)
    row.server_epoch, row.checkpoint = RECONCILE_EPOCH, None
    if forget_key:
        row.server_public_key = ""
    row.history_alert = ""
    session.add(row)


def reset_cursors(session: Session) -> None:
    """Pull everything again from the start."""
    for cursor in session.exec(select(SyncCursorRow)).all():
        cursor.last_seq = 0
        session.add(cursor)


def record_states(session: Session, entity: str, ids: list[str]) -> dict[str, str]:
    """Per record, what a list shows: ``synced`` (the server confirmed every change),
    ``pending`` (changes wait to go up), ``conflict`` or ``rejected`` (needs attention), or
    ``local`` (never sent)."""
    states = {i: "local" for i in ids}
    confirmed = session.exec(
        select(SyncRecordRow.id).where(
            SyncRecordRow.entity == entity,
            col(SyncRecordRow.id).in_(ids),
            SyncRecordRow.server_rev > 0,
        )
    ).all()
    states.update({i: "synced" for i in confirmed})
    rank = {"synced": 0, "local": 0, "pending": 1, "rejected": 2, "conflict": 3}
    rows = session.exec(
        select(OutboxRow.entity_id, OutboxRow.state).where(
            OutboxRow.entity == entity, col(OutboxRow.entity_id).in_(ids), OutboxRow.state != DONE
        )
    ).all()
    for record_id, state in rows:
        shown = "pending" if state in UNSENT_STATES else state
        if shown == "conflict" and not _open_conflict(session, entity, record_id):
            continue  # settled by a later resolution
        if rank.get(shown, 0) > rank[states[record_id]]:
            states[record_id] = shown
    return states


def _open_conflict(session: Session, entity: str, record_id: str) -> bool:
    return (
        session.exec(
            select(ConflictRow.id).where(
                ConflictRow.entity == entity,
                ConflictRow.record_id == record_id,
                ConflictRow.state == "open",
            )
        ).first()
        is not None
    )


def photo_states(session: Session, sha256s: list[str]) -> dict[str, str]:
    """Per photo blob: ``verified`` on the server, ``uploading``, ``integrity`` (the local
    file no longer matches), ``missing`` (not on the server to download) or ``local_only``."""
    rows = session.exec(select(BlobSyncRow).where(col(BlobSyncRow.sha256).in_(sha256s))).all()
    found = {r.sha256: r.state for r in rows}
    return {sha: found.get(sha, "local_only") for sha in sha256s}
