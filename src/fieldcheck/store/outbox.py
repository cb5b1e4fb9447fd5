"""The outbox: every change a user makes leaves one entry here, in the same transaction.

The sync engine (a later layer) pushes pending entries in order; nothing here talks to a
server. Payloads are JSON-ready snapshots of the record after the change.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlmodel import Session, col, func, select

from fieldcheck.domain.ids import new_id
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
    )
    session.add(row)
    return row


def pending(session: Session) -> list[OutboxRow]:
    return list(
        session.exec(select(OutboxRow).where(OutboxRow.state == "pending").order_by("seq")).all()
    )


def pending_count(session: Session) -> int:
    return session.exec(
        select(func.count(col(OutboxRow.seq))).where(OutboxRow.state == "pending")
    ).one()
