"""The outbox: every change a user makes leaves one entry here, in the same transaction.

Entries start ``pending``; what happens to them once they go out (sent, answered, settled by
the inspector) is in ``outbox_sync`` and ``resolutions``. Payloads are JSON-ready snapshots of
the record after the change. Nothing here talks to a server.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlmodel import Session, col, func, select

from fieldcheck.domain.ids import new_id
from fieldcheck.store.syncbook.states import UNSENT_STATES, OutboxState
from fieldcheck.store.tables import OutboxRow


def to_json_ready(value: Any) -> Any:
    """Dates as ISO text, enums as their value, containers recursively."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): to_json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json_ready(v) for v in value]
    return value


def record_change(
    session: Session,
    *,
    entity: str,
    entity_id: str,
    action: str,
    base_rev: int,
    payload: dict[str, Any],
) -> OutboxRow:
    """Add the outbox entry of a change to the session's transaction."""
    row = OutboxRow(
        op_id=new_id(),
        entity=entity,
        entity_id=entity_id,
        action=action,
        base_rev=base_rev,
        payload=to_json_ready(payload),
        state=OutboxState.PENDING,
    )
    session.add(row)
    return row


def pending(session: Session) -> list[OutboxRow]:
    """Entries never sent, in outbox order."""
    return list(
        session.exec(
            select(OutboxRow)
            .where(OutboxRow.state == OutboxState.PENDING)
            .order_by(col(OutboxRow.seq))
        ).all()
    )


def pending_count(session: Session) -> int:
    return session.exec(
        select(func.count(col(OutboxRow.seq))).where(OutboxRow.state == OutboxState.PENDING)
    ).one()


def unsent_rows(session: Session) -> list[OutboxRow]:
    """Entries not yet confirmed and still to be sent (pending, in flight, deferred), in
    outbox order."""
    return list(
        session.exec(
            select(OutboxRow)
            .where(col(OutboxRow.state).in_(UNSENT_STATES))
            .order_by(col(OutboxRow.seq))
        ).all()
    )


def op_row(session: Session, op_id: str) -> OutboxRow | None:
    return session.exec(select(OutboxRow).where(OutboxRow.op_id == op_id)).first()
