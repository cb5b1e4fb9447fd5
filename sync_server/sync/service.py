"""Push (SYNC-RESEARCH §6.6): apply a batch of ops in the caller's transaction.

For each op, in order: a known op id returns its stored result (or ``rejected`` when the
payload differs); otherwise the op is validated, authorised and decided against the record's
head by revision, never by clocks — ``applied`` on the head, ``merged`` (soft conflict) when
concurrent edits touched other fields, ``conflict`` (hard, kept as a candidate version beside
the head) when they touched the same fields. Every stored version gets the next change number
and a ledger entry. The caller holds the counter lock and commits once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, TypedDict

from pydantic import ValidationError
from sqlmodel import Session, col, select

from fieldcheck.protocol.changes import ConflictState
from fieldcheck.protocol.ops import Action, Entity, Op, OpCode, OpResult, OpStatus
from fieldcheck.protocol.records import (
    BLOB_FIELD,
    CLOCK_SKEW_LIMIT_S,
    ENTITY_FIELDS,
    IGNORED_FIELDS,
    IMMUTABLE_FIELDS,
    PARENT_FIELD,
    SERVER_FIELDS,
    STATUS_STAMPS,
    parent_of,
    stamp_fields,
)
from sync_server.admin.models import Scope
from sync_server.auth.principal import Principal
from sync_server.blobs.access import readable
from sync_server.ledger import chain
from sync_server.state import SEQ, next_value
from sync_server.sync import policy
from sync_server.sync.models import AppliedOp, ChangeLog, Record, RecordVersion, ScopeHead
from sync_server.timeutil import utcnow

_BATCH_KEY = "fieldcheck_push_batch"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Outcome:
    """A decision not to store a version: rejected or deferred, with why."""

    status: OpStatus
    code: str
    message: str
    fields: tuple[str, ...] = ()


class _ResultBase(TypedDict):
    """What every result of an op repeats from the op."""

    op_id: str
    entity: Entity
    id: str


class _StopOpError(Exception):
    def __init__(self, outcome: _Outcome):
        self.outcome = outcome


def _reject(code: str, message: str, fields: tuple[str, ...] = ()) -> _StopOpError:
    return _StopOpError(_Outcome(OpStatus.REJECTED, code, message, fields))


def push_ops(
    session: Session,
    principal: Principal,
    device_id: str,
    ops: list[Op],
    clock_offset_s: float | None = None,
) -> list[OpResult]:
    """Apply ``ops`` in order; the counter lock must already be held. ``clock_offset_s``
    is the pushing laptop's measured clock offset, kept with the photos it creates."""
    _batch(session).clock_offset_s = clock_offset_s
    return [_push_one(session, principal, device_id, op) for op in ops]


def _push_one(session: Session, principal: Principal, device_id: str, op: Op) -> OpResult:
    payload_sha = chain.sha256_json(op.model_dump(mode="json", exclude={"client_ts"}))
    batch = _batch(session)
    stored = batch.ops.get(op.op_id) or session.get(AppliedOp, op.op_id)
    if stored is not None:
        if stored.payload_sha256 != payload_sha:
            return OpResult(
                op_id=op.op_id,
                status=OpStatus.REJECTED,
                entity=op.entity,
                id=op.id,
                code="idempotency_key_reused",
                message="this op id was used before with a different payload; "
                "the first result stands",
            )
        return OpResult.model_validate({**stored.result, "replayed": True})
    try:
        result = _decide_and_store(session, principal, device_id, op)
    except _StopOpError as stop:
        result = OpResult(
            op_id=op.op_id,
            status=stop.outcome.status,
            entity=op.entity,
            id=op.id,
            code=stop.outcome.code,
            message=stop.outcome.message,
            fields=list(stop.outcome.fields),
        )
        if result.status is OpStatus.DEFERRED:
            return result  # not remembered: the same op id must be able to apply later
    applied = AppliedOp(
        op_id=op.op_id,
        user_id=principal.user_id,
        device_id=device_id,
        payload_sha256=payload_sha,
        result=result.model_dump(mode="json"),
    )
    session.add(applied)
    batch.ops[op.op_id] = applied
    return result


@dataclass
class _Batch:
    """What this transaction's earlier ops added and not yet flushed, so later ops of a
    large batch find it without a flush per op (write sessions do not autoflush)."""

    transaction: object
    ops: dict[str, AppliedOp] = field(default_factory=dict)
    records: dict[tuple[str, str], Record] = field(default_factory=dict)
    heads: dict[str, ScopeHead] = field(default_factory=dict)
    clock_offset_s: float | None = None


def _receipt(session: Session) -> dict[str, Any]:
    """The server's own fields of a photo it stores for the first time (F28): when it came
    and the laptop's clock offset then, flagged beyond the limit; ``captured_at`` stays."""
    offset = _batch(session).clock_offset_s
    return {
        "server_received_at": utcnow().isoformat(),
        "received_clock_offset_s": offset,
        "clock_skew_flag": offset is not None and abs(offset) > CLOCK_SKEW_LIMIT_S,
    }


def _batch(session: Session) -> _Batch:
    transaction = session.get_transaction()
    batch = session.info.get(_BATCH_KEY)
    if batch is None or batch.transaction is not transaction:
        batch = session.info[_BATCH_KEY] = _Batch(transaction)
    return batch


def _record(session: Session, entity: str, record_id: str) -> Record | None:
    return _batch(session).records.get((entity, record_id)) or session.get(
        Record, (entity, record_id)
    )


def _duplicate_photo(session: Session, scope_id: str, fields: dict[str, Any]) -> bool:
    """Whether another photo record holds this blob for the same compound and phase (the
    laptop's unique key: a second one could never be stored there, SYNC-RESEARCH F27)."""
    data = col(Record.data)
    query = select(Record.id).where(
        Record.entity == Entity.PHOTO.value,
        Record.scope_id == scope_id,
        data["sha256"].as_string() == str(fields.get("sha256")),
        data["compound_id"].as_string() == str(fields.get("compound_id")),
        data["phase"].as_string() == str(fields.get("phase")),
    )
    return session.exec(query.limit(1)).first() is not None


def _validate(entity: Entity, data: dict[str, Any]) -> dict[str, Any]:
    """The record's data checked against its entity's fields, with defaults filled in."""
    try:
        checked = ENTITY_FIELDS[entity].model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        bad = tuple(sorted({str(e["loc"][0]) for e in exc.errors() if e["loc"]}))
        raise _reject("invalid", f"{where}: {first['msg']}", bad) from None
    return checked.model_dump(mode="json", exclude=set(IGNORED_FIELDS))


def _scope_and_status(
    session: Session, entity: Entity, data: dict[str, Any]
) -> tuple[str, str | None]:
    """The scope a record belongs to, and the status of its inspection (if any)."""
    parent_entity, parent_field = parent_of(entity, data)
    if parent_entity is None:
        scope_id = str(data.get(parent_field, ""))
        if session.get(Scope, scope_id) is None:
            raise _reject("unknown_scope", f"no sub-district {scope_id!r}", (parent_field,))
        return scope_id, None
    parent = _record(session, parent_entity.value, str(data.get(parent_field, "")))
    if parent is None:
        raise _StopOpError(
            _Outcome(
                OpStatus.DEFERRED,
                "parent_missing",
                f"its {parent_entity.value} is not on the server yet; push it first",
                (parent_field,),
            )
        )
    status = parent.data.get("status") if parent_entity is Entity.INSPECTION else None
    return parent.scope_id, status


def _decide_and_store(session: Session, principal: Principal, device_id: str, op: Op) -> OpResult:
    needed = list(op.blobs)
    if op.entity in BLOB_FIELD and isinstance(op.fields.get(BLOB_FIELD[op.entity]), str):
        needed.append(op.fields[BLOB_FIELD[op.entity]])
    # A blob the pusher may not read is missing to them, as if it were not stored: they
    # send its bytes first (proof of possession), and the answer tells nothing either way.
    missing = set(needed) - set(readable(session, principal, needed)) if needed else set()
    if missing:
        raise _StopOpError(
            _Outcome(
                OpStatus.DEFERRED,
                "blob_missing",
                f"{len(missing)} blob(s) not uploaded and verified yet",
            )
        )
    fields = {
        k: v for k, v in op.fields.items() if k not in IGNORED_FIELDS and k not in SERVER_FIELDS
    }
    record = _record(session, op.entity.value, op.id)
    hidden = record is not None and policy.check_scope(principal, record.scope_id) is not None
    updating = op.base_rev != 0 and op.action is not Action.RECONCILE
    if hidden or (record is None and updating):
        raise _as_if_unknown(session, principal, op, fields)
    if op.action is Action.RECONCILE:
        return _reconcile(session, principal, device_id, op, fields, record)
    if record is None:
        return _create(session, principal, device_id, op, fields)
    return _update(session, principal, device_id, op, fields, record)


def _as_if_unknown(
    session: Session, principal: Principal, op: Op, fields: dict[str, Any]
) -> _StopOpError:
    """The answer to an update of a record that does not exist, and to any op on a record
    outside the principal's scopes: decided by what the op itself names (the parent its
    data gives) and never by the stored record, so neither its existence nor its revision
    leaks. An op naming a parent outside the scopes is ``forbidden_scope``, an update
    otherwise ``unknown_record``; a create is never made over a record the principal cannot
    see (refused as out of scope: telling that apart needs the record's random id)."""
    scope_id = _scope_named(session, op.entity, fields)
    if scope_id is not None and policy.check_scope(principal, scope_id):
        return _reject(policy.OUT_OF_SCOPE.code, policy.OUT_OF_SCOPE.message)
    if op.base_rev != 0 and op.action is not Action.RECONCILE:
        return _unknown_record(op)
    return _reject(policy.OUT_OF_SCOPE.code, policy.OUT_OF_SCOPE.message)


def _scope_named(session: Session, entity: Entity, fields: dict[str, Any]) -> str | None:
    """The scope of the parent an op's fields name, when that parent is known."""
    try:
        parent_entity, parent_field = parent_of(entity, fields)
    except (KeyError, ValueError):
        return None
    named = str(fields.get(parent_field, ""))
    if parent_entity is None:
        return named if session.get(Scope, named) is not None else None
    parent = _record(session, parent_entity.value, named)
    return parent.scope_id if parent is not None else None


def _unknown_record(op: Op) -> _StopOpError:
    return _reject("unknown_record", f"no {op.entity.value} {op.id} on the server to update")


def _reconcile(
    session: Session,
    principal: Principal,
    device_id: str,
    op: Op,
    fields: dict[str, Any],
    record: Record | None,
) -> OpResult:
    """A laptop's copy of a record after a restore from an older backup (SYNC-RESEARCH §6.8).

    - No such record: created (the server lost it), ``restored``.
    - The copy equals a stored version: nothing is stored; the result names that version's
      revision (``known_version``), so a repeat, or a version already restored by another
      laptop, changes nothing.
    - Otherwise, when the laptop saw a later revision than the server has (``base_rev`` above
      its last one), the server lost it: it becomes the head (``restored``; ``merged`` with a
      soft flag when the head it supersedes came from another device).
    - Anything else cannot be ordered: it is kept as a hard-conflict candidate, both versions
      stay, nothing is overwritten.

    Restored versions are chained in the ledger as ``restored`` entries naming the device.
    A record outside the pusher's sub-districts is refused as a create there would be, so
    the answer says nothing of whether it exists or of its revisions."""
    outside = policy.check_scope(principal, record.scope_id) if record is not None else None
    if outside:  # the refusal a create there gets: neither its existence nor its revision
        raise _reject(outside.code, outside.message)
    if record is None:
        result = _create(session, principal, device_id, op, fields, kind="restored")
        log.warning("reconcile: %s %s restored from device %s", op.entity, op.id, device_id)
        return result.model_copy(update={"code": OpCode.RESTORED.value})
    session.flush()
    mine = _validate(op.entity, {**record.data, **fields})
    base_result: _ResultBase = {"op_id": op.op_id, "entity": op.entity, "id": op.id}
    known = _known_rev(session, record, mine)
    if known is not None:
        return OpResult(
            **base_result,
            status=OpStatus.APPLIED,
            rev=known,
            head_rev=record.head_rev,
            code=OpCode.KNOWN_VERSION.value,
        )
    effective = sorted(k for k in mine if record.data.get(k) != mine[k])
    frozen = sorted(set(effective) & IMMUTABLE_FIELDS.get(op.entity, frozenset()))
    if frozen:
        raise _reject("immutable", f"{', '.join(frozen)} cannot change", tuple(frozen))
    _check_edit(session, principal, op, record, effective, mine)
    if op.base_rev <= record.last_rev:
        return _store_conflict(
            session, principal, device_id, op, record, mine, effective, effective, base_result
        )
    head = _version(session, record, record.head_rev) if record.head_rev else None
    foreign = head is not None and head.device_id != device_id
    state = ConflictState.SOFT if foreign else ConflictState(record.conflict_state)
    status = OpStatus.MERGED if foreign else OpStatus.APPLIED
    log.warning("reconcile: %s %s restored from device %s", op.entity, op.id, device_id)
    result = _advance(
        session, principal, device_id, op, record, mine, effective, state, status, base_result,
        kind="restored",
    )  # fmt: skip
    return result.model_copy(update={"code": OpCode.RESTORED.value})


def _known_rev(session: Session, record: Record, data: dict[str, Any]) -> int | None:
    """The revision of a stored version (head or candidate) whose data equals ``data``."""
    if record.data == data:
        return record.head_rev
    versions = session.exec(
        select(RecordVersion.rev, RecordVersion.data).where(
            RecordVersion.entity == record.entity, RecordVersion.record_id == record.id
        )
    ).all()
    return next((rev for rev, stored in versions if stored == data), None)


def _create(
    session: Session,
    principal: Principal,
    device_id: str,
    op: Op,
    fields: dict[str, Any],
    kind: str = "version",
) -> OpResult:
    if op.base_rev != 0 and op.action is not Action.RECONCILE:
        raise _unknown_record(op)
    if op.entity is Entity.PHOTO:
        fields = {**fields, **_receipt(session)}
    fields = _validate(op.entity, fields)
    scope_id, status = _scope_and_status(session, op.entity, fields)
    refusal = policy.check_op(
        principal,
        op.entity,
        scope_id=scope_id,
        creating=True,
        changed=sorted(fields),
        current={},
        merged=fields,
        inspection_status=status,
    )
    if refusal:
        raise _reject(refusal.code, refusal.message)
    if op.entity is Entity.PHOTO and _duplicate_photo(session, scope_id, fields):
        raise _reject("duplicate_photo", "this blob is already a photo of this compound and phase")
    record = Record(
        entity=op.entity.value,
        id=op.id,
        scope_id=scope_id,
        head_rev=0,
        last_rev=0,
        data=fields,
        created_by=principal.username,
        updated_seq=0,
    )
    seq = _store_version(
        session, principal, device_id, op, record, fields, sorted(fields), kind=kind
    )
    return OpResult(
        op_id=op.op_id,
        status=OpStatus.APPLIED,
        entity=op.entity,
        id=op.id,
        rev=1,
        head_rev=1,
        seq=seq,
    )


def _update(
    session: Session,
    principal: Principal,
    device_id: str,
    op: Op,
    fields: dict[str, Any],
    record: Record,
) -> OpResult:
    session.flush()  # versions stored earlier in this batch take part in the decision
    if op.base_rev > record.last_rev:
        raise _reject(
            "bad_base_rev", f"base_rev {op.base_rev} is above the server's {record.last_rev}"
        )
    base = _version(session, record, op.base_rev).data if op.base_rev else {}
    # The client's version, checked and normalised like stored data (dates, numbers, defaults)
    # so that comparing it with stored versions compares values, not spellings.
    theirs = _validate(op.entity, {**record.data, **fields})
    if op.changed is not None:
        unknown = tuple(k for k in op.changed if k not in fields)
        if unknown:
            raise _reject("invalid", "changed names fields the op does not carry", unknown)
        changed = [k for k in op.changed if k in theirs]
    else:
        changed = sorted(k for k in fields if k in theirs and base.get(k) != theirs[k])
    effective = [k for k in changed if record.data.get(k) != theirs[k]]
    base_result: _ResultBase = {"op_id": op.op_id, "entity": op.entity, "id": op.id}
    if not effective and not op.resolves:
        return OpResult(
            **base_result,
            status=OpStatus.APPLIED,
            rev=record.head_rev,
            head_rev=record.head_rev,
            code=OpCode.UNCHANGED.value,
        )
    merged = {**record.data, **{k: theirs[k] for k in effective}}
    frozen = sorted(set(effective) & IMMUTABLE_FIELDS.get(op.entity, frozenset()))
    if frozen:
        raise _reject("immutable", f"{', '.join(frozen)} cannot change", tuple(frozen))
    _, parent_field = PARENT_FIELD[op.entity]
    if parent_field in effective:
        raise _reject(
            "immutable_field", f"{parent_field} cannot change after creation", (parent_field,)
        )
    _check_edit(session, principal, op, record, effective, merged)
    if op.base_rev == record.head_rev:
        state = ConflictState.NONE if op.resolves else ConflictState(record.conflict_state)
        status = OpStatus.APPLIED
    else:
        overlap = sorted(set(effective) & _changed_since(session, record, op.base_rev))
        if overlap:
            return _store_conflict(
                session, principal, device_id, op, record, theirs, effective, overlap, base_result
            )
        state = max(ConflictState(record.conflict_state), ConflictState.SOFT, key=_severity)
        status = OpStatus.MERGED
    return _advance(
        session, principal, device_id, op, record, merged, effective, state, status, base_result
    )


def _check_edit(
    session: Session,
    principal: Principal,
    op: Op,
    record: Record,
    effective: list[str],
    merged: dict[str, Any],
) -> None:
    """Reject an edit of ``record`` the principal's role or the inspection's state forbids."""
    _, status = _scope_and_status(session, op.entity, merged)
    open_conflicts = 0
    if op.entity is Entity.INSPECTION:
        status = record.data.get("status")
        if "status" in effective:
            open_conflicts = _hard_conflicts_in(session, record)
    refusal = policy.check_op(
        principal,
        op.entity,
        scope_id=record.scope_id,
        creating=False,
        changed=effective,
        current=record.data,
        merged=merged,
        inspection_status=status,
        open_conflicts=open_conflicts,
    )
    if refusal:
        raise _reject(refusal.code, refusal.message)


def _hard_conflicts_in(session: Session, inspection: Record) -> int:
    """How many of the inspection's records (itself, its answers and rectification actions)
    are in a hard conflict. Hard conflicts are rare, so the scope's are read and filtered."""
    children = {e.value for e, (parent, _) in PARENT_FIELD.items() if parent is Entity.INSPECTION}
    hard = session.exec(
        select(Record).where(
            Record.scope_id == inspection.scope_id,
            Record.conflict_state == ConflictState.HARD.value,
        )
    ).all()
    return sum(
        1
        for r in hard
        if (r.entity, r.id) == (inspection.entity, inspection.id)
        or (r.entity in children and r.data.get("inspection_id") == inspection.id)
    )


def _store_conflict(
    session: Session,
    principal: Principal,
    device_id: str,
    op: Op,
    record: Record,
    fields: dict[str, Any],
    effective: list[str],
    overlap: list[str],
    base_result: _ResultBase,
) -> OpResult:
    """Keep a hard-conflicting edit as a candidate version; the head stays as it is."""
    record.conflict_state = ConflictState.HARD.value
    candidate = {**record.data, **{k: fields[k] for k in effective}}
    seq = _store_version(
        session, principal, device_id, op, record, candidate, effective, candidate_only=True
    )
    return OpResult(
        **base_result,
        status=OpStatus.CONFLICT,
        rev=record.last_rev,
        head_rev=record.head_rev,
        seq=seq,
        code=OpCode.CONCURRENT_EDIT.value,
        message="another edit changed the same fields; both versions are kept",
        fields=overlap,
    )


def _severity(state: ConflictState) -> int:
    return [ConflictState.NONE, ConflictState.SOFT, ConflictState.HARD].index(state)


def _advance(
    session: Session,
    principal: Principal,
    device_id: str,
    op: Op,
    record: Record,
    merged: dict[str, Any],
    changed: list[str],
    state: ConflictState,
    status: OpStatus,
    base_result: _ResultBase,
    kind: str = "version",
) -> OpResult:
    stamp = _status_stamp(principal, op.entity, record.data, merged)
    if stamp:  # normalised like the rest of the data, so equal versions compare equal
        merged, changed = _validate(op.entity, {**merged, **stamp}), [*changed, *sorted(stamp)]
    record.data = merged
    record.conflict_state = state.value
    seq = _store_version(session, principal, device_id, op, record, merged, changed, kind=kind)
    return OpResult(
        **base_result,
        status=status,
        rev=record.head_rev,
        head_rev=record.head_rev,
        seq=seq,
        code=OpCode.MERGED_DISJOINT_FIELDS.value if status is OpStatus.MERGED else None,
    )


def _status_stamp(
    principal: Principal, entity: Entity, before: dict[str, Any], after: dict[str, Any]
) -> dict[str, Any]:
    """Who moved the record's status and when, for a move the server records (a policy-
    checked transition); empty when the status stays or is not a workflow status."""
    status = after.get("status")
    if status == before.get("status") or status not in STATUS_STAMPS.get(entity, ()):
        return {}
    by, at = stamp_fields(str(status))
    return {by: principal.username, at: utcnow().isoformat()}


def _version(session: Session, record: Record, rev: int) -> RecordVersion:
    version = session.get(RecordVersion, (record.entity, record.id, rev))
    if version is None:
        raise _reject("bad_base_rev", f"the server has no revision {rev} of this record")
    return version


def _changed_since(session: Session, record: Record, base_rev: int) -> set[str]:
    """Fields changed by head versions after ``base_rev`` (candidates never moved the head)."""
    rows = session.exec(
        select(RecordVersion.changed).where(
            RecordVersion.entity == record.entity,
            RecordVersion.record_id == record.id,
            col(RecordVersion.rev) > base_rev,
            col(RecordVersion.is_candidate).is_(False),
        )
    ).all()
    return {name for changed in rows for name in changed}


def _store_version(
    session: Session,
    principal: Principal,
    device_id: str,
    op: Op,
    record: Record,
    data: dict[str, Any],
    changed: list[str],
    *,
    candidate_only: bool = False,
    kind: str = "version",
) -> int:
    """Number the change, append the version and its ledger entry (``kind``: ``version``, or
    ``restored`` for a laptop's copy after a restore), move the head (unless a candidate) and
    log the change for the record's scope. Returns the change number."""
    base_rev = record.head_rev if op.action is Action.RECONCILE else op.base_rev
    seq = next_value(session, SEQ)
    rev = record.last_rev + 1
    record.last_rev = rev
    if not candidate_only:
        record.head_rev = rev
    record.updated_seq = seq
    entry = chain.append(
        session,
        kind=kind,
        entity=record.entity,
        record_id=record.id,
        rev=rev,
        actor=principal.username,
        device_id=device_id,
        op_id=op.op_id,
        payload_sha256=chain.sha256_json(data),
    )
    session.add(record)
    session.add(
        RecordVersion(
            entity=record.entity,
            record_id=record.id,
            rev=rev,
            base_rev=base_rev,
            data=data,
            changed=changed,
            is_candidate=candidate_only,
            author=principal.username,
            device_id=device_id,
            op_id=op.op_id,
            seq=seq,
            ledger_idx=entry.idx,
        )
    )
    session.add(
        ChangeLog(
            seq=seq,
            scope_id=record.scope_id,
            entity=record.entity,
            record_id=record.id,
            rev=record.head_rev,
        )
    )
    batch = _batch(session)
    head = batch.heads.get(record.scope_id) or session.get(ScopeHead, record.scope_id)
    head = head or ScopeHead(scope_id=record.scope_id)
    batch.heads[record.scope_id] = head
    batch.records[(record.entity, record.id)] = record
    head.max_seq = seq
    session.add(head)
    return seq
