"""The sync side of outbox entries (``outbox`` states and ``outbox_sync``): what is waiting
to go up, the op each entry went out under (frozen before sending, so a lost answer is retried
with the same op id and bytes), and what the server answered.

Results: applied or merged → ``done`` with the server's revision (an op that resolves a
conflict settles it); conflict → kept, the record flagged, the conflict put in the inbox by
the engine with the server's history; rejected → kept with the reason; deferred → sent again
later, as a new op.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from fieldcheck.protocol.ops import Action, Op, OpCode, OpResult, OpStatus
from fieldcheck.store.sync_tables import OutboxSyncRow
from fieldcheck.store.syncbook import conflicts, records
from fieldcheck.store.syncbook.outbox import unsent_rows
from fieldcheck.store.syncbook.states import OutboxState
from fieldcheck.store.tables import OutboxRow, utcnow

#: The outbox state an op's result puts its entries in.
STATE_OF_RESULT = {
    OpStatus.APPLIED: OutboxState.DONE,
    OpStatus.MERGED: OutboxState.DONE,
    OpStatus.CONFLICT: OutboxState.CONFLICT,
    OpStatus.REJECTED: OutboxState.REJECTED,
    OpStatus.DEFERRED: OutboxState.DEFERRED,
}


@dataclass(frozen=True)
class OpRows:
    """An op and the outbox entries (by ``seq``) it stands for."""

    op: Op
    seqs: tuple[int, ...]


@dataclass(frozen=True)
class UnsentOutbox:
    """The entries still to be sent, per record (``(entity, id)`` in the order of each
    record's first entry, its entries in outbox order), their sync rows by op id, and the
    records whose create the server has not confirmed yet."""

    groups: dict[tuple[str, str], list[OutboxRow]]
    syncs: dict[str, OutboxSyncRow]
    unconfirmed_creates: frozenset[tuple[str, str]]

    def sent_as(self, row: OutboxRow) -> str | None:
        """The op id the entry last went out under (None: not in flight)."""
        sync = self.syncs.get(row.op_id)
        return sync.sent_as if sync else None


def _sync_rows(session: Session, op_ids: Iterable[str]) -> dict[str, OutboxSyncRow]:
    ids = list(op_ids)
    if not ids:
        return {}
    rows = session.exec(select(OutboxSyncRow).where(col(OutboxSyncRow.op_id).in_(ids))).all()
    return {r.op_id: r for r in rows}


def unsent_outbox(session: Session) -> UnsentOutbox:
    rows = unsent_rows(session)
    groups: dict[tuple[str, str], list[OutboxRow]] = {}
    for row in rows:
        groups.setdefault((row.entity, row.entity_id), []).append(row)
    creates = session.exec(
        select(OutboxRow.entity, OutboxRow.entity_id).where(
            OutboxRow.action == Action.CREATE,
            col(OutboxRow.state).not_in((OutboxState.DONE, OutboxState.SUPERSEDED)),
        )
    ).all()
    return UnsentOutbox(
        groups,
        _sync_rows(session, [r.op_id for r in rows]),
        frozenset((e, i) for e, i in creates),
    )


def ops_in_state(session: Session, state: OutboxState) -> list[tuple[OutboxRow, OutboxSyncRow]]:
    """Outbox entries in ``state`` with their sync side, in outbox order."""
    rows = session.exec(
        select(OutboxRow, OutboxSyncRow)
        .join(OutboxSyncRow, col(OutboxSyncRow.op_id) == col(OutboxRow.op_id))
        .where(OutboxRow.state == state)
        .order_by(col(OutboxRow.seq))
    ).all()
    return list(rows)


def replan(session: Session, rows: Iterable[OutboxRow]) -> None:
    """Entries in flight without a frozen op (which cannot happen) are planned anew."""
    for row in rows:
        row.state = OutboxState.PENDING
        session.add(row)


def note_resolves(session: Session, op_id: str, revs: Iterable[int]) -> None:
    """The new op ``op_id`` settles a conflict over the candidate revisions ``revs``."""
    session.add(OutboxSyncRow(op_id=op_id, resolves=list(revs)))


def mark_sent(session: Session, sent: Sequence[OpRows]) -> None:
    """Freeze the ops about to be sent and mark their entries in flight (before sending, so
    a crash or a lost answer retries the very same op)."""
    seqs = [s for item in sent for s in item.seqs]
    rows = {r.seq: r for r in session.exec(select(OutboxRow).where(col(OutboxRow.seq).in_(seqs)))}
    syncs = _sync_rows(session, [r.op_id for r in rows.values()])
    for item in sent:
        frozen = item.op.model_dump(mode="json")
        for seq in item.seqs:
            row = rows[seq]
            sync = syncs.get(row.op_id) or OutboxSyncRow(op_id=row.op_id)
            sync.sent_as = item.op.op_id
            sync.attempts += 1
            sync.updated_at = utcnow()
            if row.op_id == item.op.op_id:
                sync.sent_op = frozen
            row.state = OutboxState.INFLIGHT
            session.add(row)
            session.add(sync)


def unfreeze_inflight(session: Session) -> None:
    """Ops sent before a restore carry revisions of the old history: plan them afresh."""
    for row in session.exec(select(OutboxRow).where(OutboxRow.state == OutboxState.INFLIGHT)):
        row.state = OutboxState.PENDING
        session.add(row)
    for sync in session.exec(select(OutboxSyncRow).where(col(OutboxSyncRow.sent_op).is_not(None))):
        sync.sent_as, sync.sent_op = None, None
        session.add(sync)


@dataclass(frozen=True)
class Applied:
    """Tallies of one batch's results; ``conflicts`` are the (result, op) pairs whose
    conflict still has to be put in the inbox with the server's history."""

    pushed: int = 0
    conflicts: tuple[tuple[OpResult, Op], ...] = ()
    rejected: int = 0
    deferred: int = 0


def _note_result(session: Session, rows: list[OutboxRow], result: OpResult) -> None:
    """Each entry's new state, the server's result and, unless done, the error."""
    state = STATE_OF_RESULT[result.status]
    error = (
        ""
        if state is OutboxState.DONE
        else f"{result.code or result.status.value}: {result.message or ''}"
    )
    syncs = _sync_rows(session, [r.op_id for r in rows])
    answer: dict[str, Any] = result.model_dump(mode="json")
    for row in rows:
        row.state = state
        session.add(row)
        sync = syncs.get(row.op_id) or OutboxSyncRow(op_id=row.op_id)
        sync.result = answer
        sync.last_error = error
        sync.updated_at = utcnow()
        if result.status is OpStatus.DEFERRED:
            sync.sent_as, sync.sent_op = None, None  # not remembered by the server
        session.add(sync)


@dataclass
class _Tally:
    pushed: int = 0
    conflicts: list[tuple[OpResult, Op]] = field(default_factory=list)
    rejected: int = 0
    deferred: int = 0

    def not_applied(self, session: Session, op: Op, result: OpResult) -> None:
        """Count a conflict (and flag its record), a rejection or a deferral."""
        if result.status is OpStatus.CONFLICT:
            self.conflicts.append((result, op))
            records.flag_conflict(session, op.entity.value, op.id)
        elif result.status is OpStatus.REJECTED:
            self.rejected += 1
        else:
            self.deferred += 1

    def done(self) -> Applied:
        return Applied(self.pushed, tuple(self.conflicts), self.rejected, self.deferred)


def apply_results(session: Session, sent: Sequence[OpRows], results: list[OpResult]) -> Applied:
    """Record each op's result on its outbox entries and the record's server revision."""
    tally = _Tally()
    for item, result in zip(sent, results, strict=True):
        op = item.op
        rows = list(session.exec(select(OutboxRow).where(col(OutboxRow.seq).in_(item.seqs))))
        _note_result(session, rows, result)
        if STATE_OF_RESULT[result.status] is OutboxState.DONE:
            tally.pushed += 1
            records.confirmed(session, op, result)
            if op.resolves:
                conflicts.settle(session, op.entity.value, op.id)
        else:
            tally.not_applied(session, op, result)
    return tally.done()


def apply_reconcile_results(session: Session, ops: list[Op], results: list[OpResult]) -> Applied:
    """The server revision each record's local copy now has (the version it matched or
    restored, clean), or its hard conflict; deferred ops go again, rejected ones are
    counted (the local record stays as it is). ``pushed`` counts the versions the server
    had lost."""
    tally = _Tally()
    for op, result in zip(ops, results, strict=True):
        if STATE_OF_RESULT[result.status] is OutboxState.DONE:
            records.reconciled(session, op, result)
            tally.pushed += result.code == OpCode.RESTORED
        else:
            tally.not_applied(session, op, result)
    return tally.done()
