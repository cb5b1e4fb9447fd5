"""Retractions: nothing is hard-deleted; a record is withdrawn by a retraction with a reason.

The retraction is itself a record (with its outbox entry), so the server learns who withdrew
what and why, and the withdrawn record stays readable for the audit trail.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from fieldcheck.domain.errors import NotFoundError, ValidationError
from fieldcheck.domain.evidence import Retraction
from fieldcheck.domain.ids import new_id
from fieldcheck.store.base import LaptopTable
from fieldcheck.store.changes import save_change
from fieldcheck.store.tables import (
    AnswerRow,
    IllegalStructureRow,
    InspectionRow,
    RectificationRow,
    RetractionRow,
    ViewpointRow,
)

RETRACTABLE: dict[str, type[LaptopTable]] = {
    "answer": AnswerRow,
    "illegal_structure": IllegalStructureRow,
    "inspection": InspectionRow,
    "rectification_action": RectificationRow,
    "viewpoint": ViewpointRow,
}


def retract(session: Session, entity: str, entity_id: str, reason: str, by: str) -> Retraction:
    """Withdraw a record with a reason; the record itself is kept unchanged."""
    table = RETRACTABLE.get(entity)
    if table is None:
        raise ValidationError(f"{entity} records cannot be retracted", "retraction_entity")
    if session.get(table, entity_id) is None:
        raise NotFoundError(f"no {entity} {entity_id}", "retraction_target_missing")
    if retracted_ids(session, entity, [entity_id]):
        raise ValidationError(f"{entity} {entity_id} is already retracted", "retraction_twice")
    retraction = Retraction(
        id=new_id(),
        entity=entity,
        entity_id=entity_id,
        reason=reason.strip(),
        retracted_by=by,
        retracted_at=dt.datetime.now(dt.UTC),
    )
    save_change(session, RetractionRow(**retraction.__dict__), entity="retraction", action="create")
    session.flush()
    return retraction


def retracted_ids(session: Session, entity: str, ids: list[str] | None = None) -> set[str]:
    """The ids of ``entity`` records that were retracted (among ``ids`` when given)."""
    query = select(RetractionRow.entity_id).where(RetractionRow.entity == entity)
    if ids is not None:
        query = query.where(col(RetractionRow.entity_id).in_(ids))
    return set(session.exec(query).all())


def list_retractions(session: Session, entity: str, ids: list[str]) -> list[Retraction]:
    """The retractions of those of ``ids`` that were withdrawn, oldest first."""
    rows = session.exec(
        select(RetractionRow)
        .where(RetractionRow.entity == entity, col(RetractionRow.entity_id).in_(ids))
        .order_by(col(RetractionRow.retracted_at))
    ).all()
    return [
        Retraction(
            id=row.id,
            entity=row.entity,
            entity_id=row.entity_id,
            reason=row.reason,
            retracted_by=row.retracted_by,
            retracted_at=row.retracted_at,
        )
        for row in rows
    ]
