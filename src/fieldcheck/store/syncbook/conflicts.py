"""Hard conflicts in the inspector's inbox (``sync_conflict``): opened when the server
answers a push with a conflict (my fields, the server head, the record's history), marked
``resolving`` when the inspector chooses (``resolutions.resolve_conflict``), ``resolved`` when
the server confirms the op that settles it."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, func, select

from fieldcheck.protocol.ops import Op, OpResult
from fieldcheck.store.sync_tables import ConflictRow
from fieldcheck.store.syncbook.states import UNSETTLED_CONFLICTS, ConflictStatus
from fieldcheck.store.tables import utcnow


def open_conflict(
    session: Session,
    op: Op,
    result: OpResult,
    theirs: dict[str, Any],
    history: list[dict[str, Any]],
) -> None:
    """Put a hard conflict in the inbox (once per op): my fields, the server head, the
    history, and the candidate revisions an op that resolves it must name."""
    existing = session.exec(
        select(ConflictRow).where(
            ConflictRow.op_id == op.op_id, ConflictRow.state == ConflictStatus.OPEN
        )
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
            state=ConflictStatus.OPEN,
        )
    )


def open_conflicts(session: Session) -> list[ConflictRow]:
    """The conflicts waiting for the inspector, oldest first."""
    return list(
        session.exec(
            select(ConflictRow)
            .where(ConflictRow.state == ConflictStatus.OPEN)
            .order_by(col(ConflictRow.id))
        ).all()
    )


def open_count(session: Session) -> int:
    return session.exec(
        select(func.count(col(ConflictRow.id))).where(ConflictRow.state == ConflictStatus.OPEN)
    ).one()


def has_open_conflict(session: Session, entity: str, record_id: str) -> bool:
    found = session.exec(
        select(ConflictRow.id).where(
            ConflictRow.entity == entity,
            ConflictRow.record_id == record_id,
            ConflictRow.state == ConflictStatus.OPEN,
        )
    ).first()
    return found is not None


def unsettled(session: Session, record_ids: list[str]) -> set[tuple[str, str]]:
    """(entity, id) of the records among ``record_ids`` with a conflict open or resolving."""
    rows = session.exec(
        select(ConflictRow.entity, ConflictRow.record_id).where(
            col(ConflictRow.record_id).in_(record_ids),
            col(ConflictRow.state).in_(UNSETTLED_CONFLICTS),
        )
    ).all()
    return {(e, i) for e, i in rows}


def choosing(session: Session, conflict_id: int) -> ConflictRow | None:
    """The open conflict ``conflict_id``, or None when there is none open by that id."""
    conflict = session.get(ConflictRow, conflict_id)
    if conflict is None or conflict.state != ConflictStatus.OPEN:
        return None
    return conflict


def chosen(session: Session, conflict: ConflictRow) -> None:
    """The inspector chose; the op that settles the conflict waits to be confirmed."""
    conflict.state = ConflictStatus.RESOLVING
    session.add(conflict)


def settle(session: Session, entity: str, record_id: str) -> None:
    """The server confirmed an op that resolves the record's conflicts: all are resolved."""
    for conflict in session.exec(
        select(ConflictRow).where(
            ConflictRow.entity == entity,
            ConflictRow.record_id == record_id,
            col(ConflictRow.state).in_(UNSETTLED_CONFLICTS),
        )
    ).all():
        conflict.state, conflict.resolved_at = ConflictStatus.RESOLVED, utcnow()
        session.add(conflict)
