"""The push phase (SYNC-RESEARCH §6.6, §6.9.2): turn the outbox into ops and apply what the
server answered.

- One op per record: unsent edits of the same record coalesce into one op carrying the
  latest snapshot and the server revision the edits started from.
- An op that went out is frozen (``outbox_sync.sent_op``) before it is sent, so a lost
  answer is retried with the same op id and the same bytes; edits made meanwhile wait.
- Dependencies: a record whose parent was created here and is not confirmed yet waits for
  its parent (answers for their inspection); photo ops wait for their blob's verification.
- Entities the server does not accept yet stay pending, untouched ("held").
- Results: applied/merged → ``done`` with the server's revision; conflict → kept, flagged
  and put in the conflict inbox; rejected → kept with the reason; deferred → sent again later.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from fieldcheck.domain.ids import new_id
from fieldcheck.protocol.ops import MAX_OPS_PER_PUSH, Action, Entity, Op, OpResult, OpStatus
from fieldcheck.protocol.records import BLOB_FIELD, ENTITY_FIELDS, parent_of
from fieldcheck.store.sync_state import (
    CONFLICT,
    DEFERRED,
    DONE,
    ENTITY_TABLES,
    INFLIGHT,
    PENDING,
    REJECTED,
    SUPERSEDED,
    UNSENT_STATES,
)
from fieldcheck.store.sync_tables import BlobSyncRow, ConflictRow, OutboxSyncRow, SyncRecordRow
from fieldcheck.store.tables import OutboxRow, utcnow

#: A batch stops growing past this many bytes of JSON (the server takes 1 MiB bodies).
MAX_BATCH_BYTES = 700_000
#: Entities the server's protocol accepts (photos join when ``Entity`` names them).
SUPPORTED = frozenset(e.value for e in Entity)


@dataclass
class PlannedOp:
    """One op to send and the outbox rows (by ``seq``) it stands for."""

    op: Op
    seqs: list[int]
    frozen: bool  # re-sent exactly as before (its answer was lost)


@dataclass
class Plan:
    ops: list[PlannedOp] = field(default_factory=list)
    held: int = 0  # ops the server cannot take yet (unsupported entity)
    waiting: int = 0  # ops waiting for a parent or a blob


def _fields(entity: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The snapshot restricted to the fields the protocol knows for the entity."""
    model = ENTITY_FIELDS.get(Entity(entity)) if entity in SUPPORTED else None
    if model is None:
        return dict(payload)
    return {k: v for k, v in payload.items() if k in model.model_fields}


def _sync_rows(session: Session, op_ids: Iterable[str]) -> dict[str, OutboxSyncRow]:
    ids = list(op_ids)
    if not ids:
        return {}
    rows = session.exec(select(OutboxSyncRow).where(col(OutboxSyncRow.op_id).in_(ids))).all()
    return {r.op_id: r for r in rows}


def unsent_rows(session: Session) -> list[OutboxRow]:
    return list(
        session.exec(
            select(OutboxRow)
            .where(col(OutboxRow.state).in_(UNSENT_STATES))
            .order_by(col(OutboxRow.seq))
        ).all()
    )


def pushable_count(session: Session) -> int:
    """Unsent outbox rows of entities the server accepts (what makes a sync not a no-op)."""
    return sum(1 for r in unsent_rows(session) if r.entity in SUPPORTED)


def plan_ops(session: Session, limit: int = MAX_OPS_PER_PUSH) -> Plan:
    """The next batch, in outbox order, at most ``limit`` ops."""
    rows = unsent_rows(session)
    plan = Plan()
    syncs = _sync_rows(session, [r.op_id for r in rows])
    groups: dict[tuple[str, str], list[OutboxRow]] = {}
    for row in rows:
        groups.setdefault((row.entity, row.entity_id), []).append(row)
    unconfirmed_creates = {
        (r.entity, r.entity_id)
        for r in session.exec(
            select(OutboxRow).where(
                OutboxRow.action == "create", col(OutboxRow.state).not_in((DONE, SUPERSEDED))
            )
        ).all()
    }
    planned: set[tuple[str, str]] = set()
    size = 0
    for key, group in groups.items():
        if len(plan.ops) >= limit or size >= MAX_BATCH_BYTES:
            break
        entity = key[0]
        if entity not in SUPPORTED:
            plan.held += len(group)
            continue
        inflight = [r for r in group if r.state == INFLIGHT]
        sent = syncs.get(inflight[0].op_id) if inflight else None
        owner = syncs.get(sent.sent_as) if sent and sent.sent_as else None
        if inflight and owner is not None and owner.sent_op is not None:
            # Sent before, answer never came: the very same op again.
            members = [r.seq for r in group if _sent_as(syncs, r) == owner.op_id]
            plan.ops.append(PlannedOp(Op.model_validate(owner.sent_op), members, frozen=True))  # type: ignore[arg-type]
            planned.add(key)
            size += len(json.dumps(owner.sent_op))
            continue
        for row in inflight:  # in flight without a frozen op (cannot happen): plan it anew
            row.state = PENDING
            session.add(row)
        if _waits_for_parent(entity, group[-1].payload, unconfirmed_creates, planned):
            plan.waiting += len(group)
            continue
        blob_field = BLOB_FIELD.get(Entity(entity))
        blobs: list[str] = []
        if blob_field:
            sha = str(group[-1].payload.get(blob_field, ""))
            blob = session.get(BlobSyncRow, sha)
            if blob is None or blob.state != "verified":
                plan.waiting += len(group)
                continue
            blobs = [sha]
        op = _coalesce(session, group, syncs, blobs)
        plan.ops.append(PlannedOp(op, [r.seq for r in group], False))
        planned.add(key)
        size += len(op.model_dump_json())
    return plan


def _sent_as(syncs: dict[str, OutboxSyncRow], row: OutboxRow) -> str | None:
    sync = syncs.get(row.op_id)
    return sync.sent_as if sync else None


def _waits_for_parent(
    entity: str,
    payload: dict[str, Any],
    unconfirmed: set[tuple[str, str]],
    planned: set[tuple[str, str]],
) -> bool:
    try:
        parent_entity, parent_field = parent_of(Entity(entity), payload)
    except (KeyError, ValueError):
        return False
    if parent_entity is None:
        return False
    parent = (parent_entity.value, str(payload.get(parent_field, "")))
    return parent in unconfirmed and parent not in planned


def _coalesce(
    session: Session, group: list[OutboxRow], syncs: dict[str, OutboxSyncRow], blobs: list[str]
) -> Op:
    """One op for the record's unsent rows: the latest snapshot, the revision it started
    from, the op id of the latest row, and any conflict revisions it resolves."""
    first, last = group[0], group[-1]
    record = session.get(SyncRecordRow, (first.entity, first.entity_id))
    if record is not None and record.server_rev:
        base_rev = record.server_rev
    else:
        # Never seen on the server through this laptop: a create starts from 0, an edit of a
        # record seeded identically on both sides (the demo plan) from its local revision.
        base_rev = 0 if any(r.action == "create" for r in group) else first.base_rev
    resolves = sorted({rev for r in group if r.op_id in syncs for rev in syncs[r.op_id].resolves})
    action = Action.CREATE if base_rev == 0 else Action(last.action)
    if action is Action.CREATE and base_rev:
        action = Action.UPDATE
    return Op(
        op_id=last.op_id,
        entity=Entity(last.entity),
        id=last.entity_id,
        action=action,
        base_rev=base_rev,
        fields=_fields(last.entity, last.payload),
        resolves=resolves,
        blobs=blobs,
        client_ts=last.created_at,
    )


def mark_sent(session: Session, planned: list[PlannedOp]) -> None:
    """Freeze the ops about to be sent and mark their rows in flight (before sending, so a
    crash or a lost answer retries the very same op)."""
    seqs = [s for p in planned for s in p.seqs]
    rows = {r.seq: r for r in session.exec(select(OutboxRow).where(col(OutboxRow.seq).in_(seqs)))}
    syncs = _sync_rows(session, [r.op_id for r in rows.values()])
    for item in planned:
        frozen = item.op.model_dump(mode="json")
        for seq in item.seqs:
            row = rows[seq]
            sync = syncs.get(row.op_id) or OutboxSyncRow(op_id=row.op_id)
            sync.sent_as = item.op.op_id
            sync.attempts += 1
            sync.updated_at = utcnow()
            if row.op_id == item.op.op_id:
                sync.sent_op = frozen
            row.state = INFLIGHT
            session.add(row)
            session.add(sync)


@dataclass
class Applied:
    """Tallies of one batch's results."""

    pushed: int = 0
    conflicts: list[tuple[OpResult, Op]] = field(default_factory=list)
    rejected: int = 0
    deferred: int = 0


def apply_results(session: Session, planned: list[PlannedOp], results: list[OpResult]) -> Applied:
    """Record each op's result on its outbox rows and the record's server revision."""
    tally = Applied()
    for item, result in zip(planned, results, strict=True):
        op = item.op
        rows = list(session.exec(select(OutboxRow).where(col(OutboxRow.seq).in_(item.seqs))))
        syncs = _sync_rows(session, [r.op_id for r in rows])
        status = result.status
        state = {
            OpStatus.APPLIED: DONE,
            OpStatus.MERGED: DONE,
            OpStatus.CONFLICT: CONFLICT,
            OpStatus.REJECTED: REJECTED,
            OpStatus.DEFERRED: DEFERRED,
        }[status]
        error = "" if state == DONE else f"{result.code or status.value}: {result.message or ''}"
        for row in rows:
            row.state = state
            session.add(row)
            sync = syncs.get(row.op_id) or OutboxSyncRow(op_id=row.op_id)
            sync.result = result.model_dump(mode="json")
            sync.last_error = error
            sync.updated_at = utcnow()
            if status is OpStatus.DEFERRED:
                sync.sent_as, sync.sent_op = None, None  # not remembered by the server
            session.add(sync)
        if state == DONE:
            tally.pushed += 1
            _confirmed(session, op, result)
        elif status is OpStatus.CONFLICT:
            tally.conflicts.append((result, op))
            _flag(session, op, "hard")
        elif status is OpStatus.REJECTED:
            tally.rejected += 1
        else:
            tally.deferred += 1
    return tally


def _confirmed(session: Session, op: Op, result: OpResult) -> None:
    record = session.get(SyncRecordRow, (op.entity.value, op.id)) or SyncRecordRow(
        entity=op.entity.value, id=op.id
    )
    rev = result.head_rev or result.rev or record.server_rev
    record.server_rev = rev
    record.seen_rev = max(record.seen_rev, rev)
    record.clean = result.status is OpStatus.APPLIED
    if op.resolves:
        record.conflict_state = "none"
        for conflict in session.exec(
            select(ConflictRow).where(
                ConflictRow.entity == op.entity.value,
                ConflictRow.record_id == op.id,
                col(ConflictRow.state).in_(["open", "resolving"]),
            )
        ).all():
            conflict.state, conflict.resolved_at = "resolved", utcnow()
            session.add(conflict)
    record.updated_at = utcnow()
    session.add(record)


def _flag(session: Session, op: Op, state: str) -> None:
    record = session.get(SyncRecordRow, (op.entity.value, op.id)) or SyncRecordRow(
        entity=op.entity.value, id=op.id
    )
    record.conflict_state, record.clean = state, False
    session.add(record)


def store_conflict(
    session: Session,
    op: Op,
    result: OpResult,
    theirs: dict[str, Any],
    history: list[dict[str, Any]],
) -> None:
    """Put a hard conflict in the inbox: my fields, the server head, the history."""
    existing = session.exec(
        select(ConflictRow).where(ConflictRow.op_id == op.op_id, ConflictRow.state == "open")
    ).first()
    if existing is not None:
        return
    candidates = sorted(
        {
            int(v["rev"])
            for v in history
            if v.get("is_candidate") and int(v["rev"]) > (result.head_rev or 0)
        }
        | ({result.rev} if result.rev else set())
    )
    session.add(
        ConflictRow(
            entity=op.entity.value,
            record_id=op.id,
            op_id=op.op_id,
            mine=dict(op.fields),
            theirs=theirs,
            history=history,
            fields=list(result.fields),
            head_rev=result.head_rev or 0,
            candidate_revs=candidates,
        )
    )


# -- reconcile (decision 0041) ---------------------------------------------------------------
def reconcile_ops(session: Session) -> list[Op]:
    """A ``reconcile`` op for every record the laptop holds that the server once confirmed
    (pushed or pulled), parents first: the local copy (with any unsent edit) and the server
    revision it is based on. The server stores what it lost and skips what it has."""
    known = {
        (r.entity, r.id): r.server_rev
        for r in session.exec(select(SyncRecordRow).where(SyncRecordRow.server_rev > 0)).all()
    }
    ops: list[Op] = []
    for entity, table in ENTITY_TABLES.items():
        if entity not in SUPPORTED:
            continue
        for row in session.exec(select(table)).all():
            server_rev = known.get((entity, row.id))  # type: ignore[attr-defined]
            if not server_rev:
                continue  # never on the server: its outbox ops push it as usual
            payload = row.model_dump(mode="json", exclude={"updated_at"})
            blob_field = BLOB_FIELD.get(Entity(entity))
            ops.append(
                Op(
                    op_id=new_id(),
                    entity=Entity(entity),
                    id=row.id,  # type: ignore[attr-defined]
                    action=Action.RECONCILE,
                    base_rev=server_rev,
                    fields=_fields(entity, payload),
                    blobs=[payload[blob_field]] if blob_field and payload.get(blob_field) else [],
                )
            )
    return ops


def unfreeze_inflight(session: Session) -> None:
    """Ops sent before a restore carry revisions of the old history: plan them afresh."""
    for row in session.exec(select(OutboxRow).where(OutboxRow.state == INFLIGHT)).all():
        row.state = PENDING
        session.add(row)
    for sync in session.exec(select(OutboxSyncRow).where(col(OutboxSyncRow.sent_op).is_not(None))):
        sync.sent_as, sync.sent_op = None, None
        session.add(sync)


def apply_reconcile_results(session: Session, ops: list[Op], results: list[OpResult]) -> Applied:
    """The server revision each record's local copy now has (the version it matched or
    restored, clean), or its hard conflict; deferred ops go again, rejected ones are
    counted (the local record stays as it is)."""
    tally = Applied()
    for op, result in zip(ops, results, strict=True):
        if result.status in (OpStatus.APPLIED, OpStatus.MERGED):
            record = session.get(SyncRecordRow, (op.entity.value, op.id)) or SyncRecordRow(
                entity=op.entity.value, id=op.id
            )
            record.server_rev = result.rev or record.server_rev
            record.seen_rev = max(result.head_rev or 0, record.server_rev)
            record.clean = True  # the local copy is that version
            record.updated_at = utcnow()
            session.add(record)
            tally.pushed += result.code == "restored"
        elif result.status is OpStatus.CONFLICT:
            tally.conflicts.append((result, op))
            _flag(session, op, "hard")
        elif result.status is OpStatus.REJECTED:
            tally.rejected += 1
        else:
            tally.deferred += 1
    return tally
