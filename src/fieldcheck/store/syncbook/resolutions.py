"""What the inspector decides about what needs attention: settle a conflict (mine, theirs or
merged), send a rejected change again, or give it up with a reason. Each decision is a new op
in the outbox (or a local retraction); the old ops stay in the log, nothing is deleted.
Everything runs in the caller's session."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, SQLModel, col, select

from fieldcheck.domain.errors import NotFoundError, ValidationError
from fieldcheck.domain.evidence import check_retraction_reason
from fieldcheck.domain.ids import new_id
from fieldcheck.protocol.ops import Action
from fieldcheck.store.sync_tables import OutboxSyncRow
from fieldcheck.store.syncbook import conflicts, records
from fieldcheck.store.syncbook.entities import ENTITY_TABLES
from fieldcheck.store.syncbook.meta import peek_meta
from fieldcheck.store.syncbook.outbox import op_row, record_change
from fieldcheck.store.syncbook.outbox_sync import note_resolves
from fieldcheck.store.syncbook.restores import RESTORE_KEY
from fieldcheck.store.syncbook.states import ConflictChoice, OutboxState, RestoreNote
from fieldcheck.store.tables import OutboxRow, RetractionRow, utcnow

#: Fields of a record a resolution never sets from either version.
_KEPT_FIELDS = ("id", "rev", "updated_at")


def _chosen(
    choice: str, mine: dict[str, Any], theirs: dict[str, Any], values: dict[str, Any] | None
) -> dict[str, Any]:
    try:
        picked = ConflictChoice(choice)
    except ValueError:
        picked = None
    if picked is ConflictChoice.MINE:
        return dict(mine)
    if picked is ConflictChoice.THEIRS:
        return dict(theirs)
    if picked is ConflictChoice.MERGED and values is not None:
        return {**theirs, **values}
    raise ValidationError(f"unknown resolution {choice!r}", "conflict_choice")


def resolve_conflict(
    session: Session, conflict_id: int, choice: str, values: dict[str, Any] | None = None
) -> str:
    """Settle a conflict with ``mine``, ``theirs`` or ``merged`` (``values`` over theirs; a
    :class:`ConflictChoice`): the local record takes the chosen values and a new op, with
    ``resolves``, goes into the outbox. Both versions stay in the server's history. Returns
    the new op id."""
    conflict = conflicts.choosing(session, conflict_id)
    if conflict is None:
        raise NotFoundError(f"no open conflict {conflict_id}", "conflict_missing")
    chosen = _chosen(choice, conflict.mine, conflict.theirs, values)
    table = ENTITY_TABLES.get(conflict.entity)
    row = session.get(table, conflict.record_id) if table else None
    if row is None:
        raise NotFoundError(f"no {conflict.entity} {conflict.record_id}", "conflict_missing")
    for name, value in chosen.items():
        if name in type(row).model_fields and name not in _KEPT_FIELDS:
            setattr(row, name, _coerce(type(row), name, value))
    row.rev += 1  # type: ignore[attr-defined]
    row.updated_at = utcnow()
    session.add(row)
    outbox = record_change(
        session,
        entity=conflict.entity,
        entity_id=conflict.record_id,
        action=Action.UPDATE,
        base_rev=conflict.head_rev,
        payload=row.model_dump(exclude={"updated_at"}),
    )
    note_resolves(session, outbox.op_id, conflict.candidate_revs)
    records.rebased(session, conflict.entity, conflict.record_id, conflict.head_rev)
    conflicts.chosen(session, conflict)
    session.flush()
    return outbox.op_id


def _coerce(table: type[SQLModel], name: str, value: Any) -> Any:
    """A JSON value as the column wants it (ISO text to dates)."""
    annotation = str(table.model_fields[name].annotation)
    if isinstance(value, str) and "date" in annotation:
        if "datetime" in annotation:
            return dt.datetime.fromisoformat(value)
        return dt.date.fromisoformat(value)
    return value


def _rejected_op(session: Session, op_id: str) -> OutboxRow:
    row = op_row(session, op_id)
    if row is None or row.state != OutboxState.REJECTED:
        raise NotFoundError(f"no rejected change {op_id}", "rejected_missing")
    return row


def _settle(session: Session, row: OutboxRow, state: OutboxState, note: dict[str, Any]) -> None:
    """Mark a kept op ``superseded`` or ``dismissed``; the note goes beside the server's
    result, which stays."""
    row.state = state
    session.add(row)
    sync = session.get(OutboxSyncRow, row.op_id) or OutboxSyncRow(op_id=row.op_id)
    sync.result = {**(sync.result or {}), state.value: note}
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
    server_rev = records.server_rev(session, row.entity, row.entity_id)
    outbox = record_change(
        session,
        entity=row.entity,
        entity_id=row.entity_id,
        action=Action.UPDATE if server_rev else Action.CREATE,
        base_rev=server_rev,
        payload=local.model_dump(exclude={"updated_at"}),
    )
    _settle(session, row, OutboxState.SUPERSEDED, {"by": outbox.op_id, "at": utcnow().isoformat()})
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
    server_rev = records.server_rev(session, row.entity, row.entity_id)
    if server_rev > 0:
        note[RESTORE_KEY] = RestoreNote.PENDING.value
        records.rebased(session, row.entity, row.entity_id, server_rev)
    else:
        note["withdrawn"] = True
        _withdraw(session, row, reason)
        unsent = session.exec(
            select(OutboxRow).where(
                OutboxRow.entity == row.entity,
                OutboxRow.entity_id == row.entity_id,
                col(OutboxRow.state).in_((OutboxState.PENDING, OutboxState.DEFERRED)),
            )
        ).all()
        for other in unsent:
            _settle(session, other, OutboxState.DISMISSED, note)
    _settle(session, row, OutboxState.DISMISSED, note)
    session.flush()


def _withdraw(session: Session, row: OutboxRow, reason: str) -> None:
    """A local retraction of the record a given-up change created (unless it has one)."""
    withdrawn = session.exec(
        select(RetractionRow.id).where(
            RetractionRow.entity == row.entity, RetractionRow.entity_id == row.entity_id
        )
    ).first()
    if withdrawn is not None:
        return
    settings = peek_meta(session)
    session.add(
        RetractionRow(
            id=new_id(),
            entity=row.entity,
            entity_id=row.entity_id,
            reason=reason,
            retracted_by=settings.username if settings else "",
        )
    )
