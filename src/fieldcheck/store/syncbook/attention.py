"""What the status bar counts and what needs the inspector: changes and photos waiting to go
up, open conflicts (mine, theirs and the history) and changes the server rejected (its code
and reason), and photos whose file no longer matches."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, func, select

from fieldcheck.protocol.ops import OpCode
from fieldcheck.store.syncbook import blobs, conflicts
from fieldcheck.store.syncbook.outbox_sync import ops_in_state
from fieldcheck.store.syncbook.states import UNSENT_STATES, AttentionKind, OutboxState
from fieldcheck.store.tables import OutboxRow


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
    return PendingCounts(
        records=records,
        photos=len(blobs.unverified_blobs(session)),
        conflicts=conflicts.open_count(session),
        rejected=session.exec(
            select(func.count(col(OutboxRow.seq))).where(OutboxRow.state == OutboxState.REJECTED)
        ).one(),
        integrity=blobs.integrity_count(session),
    )


@dataclass(frozen=True)
class AttentionItem:
    """One thing the inspector must look at: a conflict (``conflict_id`` set; mine, theirs
    and the history) or a rejected change (the server's ``code`` and reason)."""

    kind: AttentionKind
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


def attention_items(session: Session) -> list[AttentionItem]:
    """Open conflicts, then rejected changes, oldest first."""
    items = [
        AttentionItem(
            kind=AttentionKind.CONFLICT,
            entity=c.entity,
            record_id=c.record_id,
            op_id=c.op_id,
            code=OpCode.CONCURRENT_EDIT,
            conflict_id=c.id,
            fields=tuple(c.fields),
            mine=dict(c.mine),
            theirs=dict(c.theirs),
            history=tuple(c.history),
        )
        for c in conflicts.open_conflicts(session)
    ]
    for row, sync in ops_in_state(session, OutboxState.REJECTED):
        result = sync.result or {}
        items.append(
            AttentionItem(
                kind=AttentionKind.REJECTED,
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
