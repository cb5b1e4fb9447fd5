"""The push phase's planning (SYNC-RESEARCH §6.6, §6.9.2): turn the outbox into ops.

- One op per record: unsent edits of the same record coalesce into one op carrying the
  latest snapshot and the server revision the edits started from.
- An op that went out is frozen (``outbox_sync.sent_op``) before it is sent, so a lost
  answer is retried with the same op id and the same bytes; edits made meanwhile wait.
- Dependencies: a record whose parent was created here and is not confirmed yet waits for
  its parent (answers for their inspection); photo ops wait for their blob's verification.
- Entities the server does not accept yet stay pending, untouched ("held").

Writing down what was sent and what came back is the sync book's job
(``fieldcheck.store.syncbook.outbox_sync``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from fieldcheck.domain.ids import new_id
from fieldcheck.protocol.ops import MAX_OPS_PER_PUSH, Action, Entity, Op
from fieldcheck.protocol.records import BLOB_FIELD, ENTITY_FIELDS, parent_of
from fieldcheck.store.syncbook import blobs, records
from fieldcheck.store.syncbook.entities import ENTITY_TABLES
from fieldcheck.store.syncbook.outbox import unsent_rows
from fieldcheck.store.syncbook.outbox_sync import OpRows, UnsentOutbox, replan, unsent_outbox
from fieldcheck.store.syncbook.states import OutboxState
from fieldcheck.store.tables import OutboxRow

#: A batch stops growing past this many bytes of JSON (the server takes 1 MiB bodies).
MAX_BATCH_BYTES = 700_000
#: Entities the server's protocol accepts (photos join when ``Entity`` names them).
SUPPORTED = frozenset(e.value for e in Entity)

RecordKey = tuple[str, str]


@dataclass(frozen=True)
class PlannedOp(OpRows):
    """One op to send and the outbox entries (by ``seq``) it stands for; ``frozen`` when it
    is re-sent exactly as before (its answer was lost)."""

    frozen: bool = False


@dataclass(frozen=True)
class Plan:
    """The next batch: the ops, and the entries left out of it because the server cannot
    take their entity yet (``held``) or they wait for a parent or a blob (``waiting``)."""

    ops: tuple[PlannedOp, ...] = ()
    held: int = 0
    waiting: int = 0


@dataclass(frozen=True)
class RecordPlan:
    """What the planner made of one record's unsent entries: an op to send (``size`` bytes
    of JSON), or the count of entries held or waiting."""

    op: PlannedOp | None = None
    size: int = 0
    held: int = 0
    waiting: int = 0


def _fields(entity: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The snapshot restricted to the fields the protocol knows for the entity."""
    model = ENTITY_FIELDS.get(Entity(entity)) if entity in SUPPORTED else None
    if model is None:
        return dict(payload)
    return {k: v for k, v in payload.items() if k in model.model_fields}


def _seqs(rows: list[OutboxRow]) -> tuple[int, ...]:
    return tuple(r.seq for r in rows if r.seq is not None)


def pushable_count(session: Session) -> int:
    """Unsent outbox rows of entities the server accepts (what makes a sync not a no-op)."""
    return sum(1 for r in unsent_rows(session) if r.entity in SUPPORTED)


def plan_ops(session: Session, limit: int = MAX_OPS_PER_PUSH) -> Plan:
    """The next batch, in outbox order, at most ``limit`` ops and about
    ``MAX_BATCH_BYTES`` of JSON."""
    outbox = unsent_outbox(session)
    ops: list[PlannedOp] = []
    held = waiting = size = 0
    planned: set[RecordKey] = set()
    for key, group in outbox.groups.items():
        if len(ops) >= limit or size >= MAX_BATCH_BYTES:
            break
        part = plan_record(session, outbox, group, planned)
        held, waiting = held + part.held, waiting + part.waiting
        if part.op is not None:
            ops.append(part.op)
            planned.add(key)
            size += part.size
    return Plan(tuple(ops), held, waiting)


def plan_record(
    session: Session, outbox: UnsentOutbox, group: list[OutboxRow], planned: set[RecordKey]
) -> RecordPlan:
    """One record's unsent entries (``group``): held when the server does not take the
    entity, the frozen op again when it went out before, waiting when a parent (not in
    ``planned``) or a blob is not confirmed yet, else one coalesced op."""
    entity = group[0].entity
    if entity not in SUPPORTED:
        return RecordPlan(held=len(group))
    again = _sent_before(outbox, group)
    if again is not None:
        return again
    # In flight without a frozen op (cannot happen): plan it anew.
    replan(session, [r for r in group if r.state == OutboxState.INFLIGHT])
    latest = group[-1].payload
    if _waits_for_parent(entity, latest, outbox.unconfirmed_creates, planned):
        return RecordPlan(waiting=len(group))
    shas = _blobs(session, entity, latest)
    if shas is None:
        return RecordPlan(waiting=len(group))
    op = _coalesce(session, outbox, group, shas)
    return RecordPlan(PlannedOp(op, _seqs(group)), size=len(op.model_dump_json()))


def _sent_before(outbox: UnsentOutbox, group: list[OutboxRow]) -> RecordPlan | None:
    """The very op sent before, when the record's entries are in flight under a frozen op
    whose answer never came; else None."""
    inflight = [r for r in group if r.state == OutboxState.INFLIGHT]
    if not inflight:
        return None
    sent_as = outbox.sent_as(inflight[0])
    owner = outbox.syncs.get(sent_as) if sent_as else None
    if owner is None or owner.sent_op is None:
        return None
    members = [r for r in group if outbox.sent_as(r) == owner.op_id]
    op = Op.model_validate(owner.sent_op)
    return RecordPlan(
        PlannedOp(op, _seqs(members), frozen=True), size=len(json.dumps(owner.sent_op))
    )


def _waits_for_parent(
    entity: str,
    payload: dict[str, Any],
    unconfirmed: frozenset[RecordKey],
    planned: set[RecordKey],
) -> bool:
    try:
        parent_entity, parent_field = parent_of(Entity(entity), payload)
    except (KeyError, ValueError):
        return False  # no parent rule for this entity or payload: nothing to wait for
    if parent_entity is None:
        return False
    parent = (parent_entity.value, str(payload.get(parent_field, "")))
    return parent in unconfirmed and parent not in planned


def _blobs(session: Session, entity: str, payload: dict[str, Any]) -> list[str] | None:
    """The blobs the op carries (its photo's), or None while one is not verified yet."""
    blob_field = BLOB_FIELD.get(Entity(entity))
    if not blob_field:
        return []
    sha = str(payload.get(blob_field, ""))
    return [sha] if blobs.is_verified(session, sha) else None


def _coalesce(
    session: Session, outbox: UnsentOutbox, group: list[OutboxRow], shas: list[str]
) -> Op:
    """One op for the record's unsent rows: the latest snapshot, the revision it started
    from, the op id of the latest row, and any conflict revisions it resolves."""
    first, last = group[0], group[-1]
    base_rev = records.server_rev(session, first.entity, first.entity_id)
    if not base_rev:
        # Never seen on the server through this laptop: a create starts from 0, an edit of a
        # record seeded identically on both sides (the demo plan) from its local revision.
        base_rev = 0 if any(r.action == Action.CREATE for r in group) else first.base_rev
    syncs = outbox.syncs
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
        blobs=shas,
        client_ts=last.created_at,
    )


# -- reconcile (decision 0041) ---------------------------------------------------------------
def reconcile_ops(session: Session) -> list[Op]:
    """A ``reconcile`` op for every record the laptop holds that the server once confirmed
    (pushed or pulled), parents first: the local copy (with any unsent edit) and the server
    revision it is based on. The server stores what it lost and skips what it has."""
    known = records.server_revs(session)
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
