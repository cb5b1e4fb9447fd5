"""Rectification actions: a failed item followed to its fix (open → rectified → verified or
rejected, and rejected back to rectified)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from fieldcheck.domain.errors import NotFoundError, ValidationError
from fieldcheck.domain.evidence import ActionStatus, RectificationAction
from fieldcheck.domain.ids import new_id
from fieldcheck.store.changes import save_change
from fieldcheck.store.tables import InspectionRow, RectificationRow


def _to_action(row: RectificationRow) -> RectificationAction:
    return RectificationAction(
        id=row.id,
        inspection_id=row.inspection_id,
        item_code=row.item_code,
        assignee_org=row.assignee_org,
        due=row.due,
        status=ActionStatus(row.status),
    )


def open_action(
    session: Session, inspection_id: str, item_code: str, assignee_org: str, due: dt.date
) -> RectificationAction:
    if session.get(InspectionRow, inspection_id) is None:
        raise NotFoundError(f"no inspection {inspection_id}", "inspection_missing")
    if not assignee_org.strip():
        raise ValidationError("a rectification needs an assignee", "action_assignee")
    row = RectificationRow(
        id=new_id(),
        inspection_id=inspection_id,
        item_code=item_code,
        assignee_org=assignee_org.strip(),
        due=due,
    )
    save_change(session, row, entity="rectification_action", action="create")
    session.flush()
    return _to_action(row)


def move_action(session: Session, action_id: str, status: ActionStatus) -> RectificationAction:
    row = session.get(RectificationRow, action_id)
    if row is None:
        raise NotFoundError(f"no rectification {action_id}", "action_missing")
    moved = _to_action(row).moved_to(status)
    row.status = moved.status.value
    row.rev += 1
    save_change(session, row, entity="rectification_action", action="update")
    session.flush()
    return moved


def list_actions(session: Session, inspection_id: str) -> list[RectificationAction]:
    rows = session.exec(
        select(RectificationRow)
        .where(RectificationRow.inspection_id == inspection_id)
        .order_by(col(RectificationRow.due))
    ).all()
    return [_to_action(r) for r in rows]
