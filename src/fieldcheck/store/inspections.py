"""Inspections and their answers on the laptop.

Answers are validated against the template version the inspection pinned, so a newer template
never changes what an old inspection asks or accepts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from fieldcheck.catalog import TemplateCatalog
from fieldcheck.domain.answers import validate_answer
from fieldcheck.domain.checklist import ChecklistTemplate
from fieldcheck.domain.errors import NotFoundError, ValidationError
from fieldcheck.domain.evidence import Retraction
from fieldcheck.domain.ids import answer_id, new_id
from fieldcheck.domain.inspection import Answer, Inspection, InspectionKind, InspectionStatus
from fieldcheck.store import retractions
from fieldcheck.store.changes import save_change
from fieldcheck.store.tables import AnswerRow, CompoundRow, InspectionRow


@dataclass(frozen=True)
class RetractedAnswer:
    """An answer withdrawn from its inspection, kept with the retraction that says why."""

    answer: Answer
    retraction: Retraction


def _to_inspection(row: InspectionRow) -> Inspection:
    return Inspection(
        id=row.id,
        compound_id=row.compound_id,
        kind=InspectionKind(row.kind),
        inspector=row.inspector,
        started_on=row.started_on,
        template_id=row.template_id,
        template_version=row.template_version,
        status=InspectionStatus(row.status),
    )


def _to_answer(row: AnswerRow) -> Answer:
    return Answer(
        id=row.id,
        inspection_id=row.inspection_id,
        item_code=row.item_code,
        values=dict(row.values),
        note=row.note,
        entry=row.entry,
        rev=row.rev,
    )


def start_inspection(
    session: Session,
    compound_id: str,
    kind: InspectionKind,
    inspector: str,
    template: ChecklistTemplate,
    today: dt.date,
) -> Inspection:
    """Start an inspection pinned to ``template``'s id and version."""
    if session.get(CompoundRow, compound_id) is None:
        raise NotFoundError(f"no compound {compound_id}", "compound_missing", {"id": compound_id})
    if not inspector.strip():
        raise ValidationError("the inspector's name is empty", "inspector_empty")
    row = InspectionRow(
        id=new_id(),
        compound_id=compound_id,
        kind=kind.value,
        inspector=inspector.strip(),
        started_on=today,
        template_id=template.template_id,
        template_version=template.version,
    )
    save_change(session, row, entity="inspection", action="create")
    session.flush()
    return _to_inspection(row)


def get_inspection(session: Session, inspection_id: str) -> Inspection:
    row = session.get(InspectionRow, inspection_id)
    if row is None:
        raise NotFoundError(
            f"no inspection {inspection_id}", "inspection_missing", {"id": inspection_id}
        )
    return _to_inspection(row)


def list_inspections(session: Session, compound_id: str) -> list[Inspection]:
    rows = session.exec(
        select(InspectionRow)
        .where(InspectionRow.compound_id == compound_id)
        .order_by(col(InspectionRow.started_on).desc(), col(InspectionRow.updated_at).desc())
    ).all()
    return [_to_inspection(r) for r in rows]


def save_answer(
    session: Session,
    catalog: TemplateCatalog,
    inspection_id: str,
    item_code: str,
    values: dict[str, Any],
    note: str = "",
    entry: int = 0,
) -> Answer:
    """Validate and save one answer (with its outbox entry). Saving the same values again
    changes nothing and records nothing."""
    inspection = get_inspection(session, inspection_id)
    inspection.ensure_editable()
    template = catalog.get(inspection.template_id, inspection.template_version)
    item = template.item(item_code)
    if item is None or item not in inspection.items(template):
        raise ValidationError(
            f"item {item_code} is not part of this inspection",
            "answer_unknown_item",
            {"item": item_code},
        )
    cleaned = validate_answer(item, values)
    row_id = answer_id(inspection_id, item_code, entry)
    if retractions.retracted_ids(session, "answer", [row_id]):
        raise ValidationError(
            f"entry {entry} of item {item_code} was retracted",
            "answer_retracted",
            {"item": item_code, "entry": entry},
        )
    row = session.get(AnswerRow, row_id)
    if row is None:
        row = AnswerRow(
            id=row_id,
            inspection_id=inspection_id,
            item_code=item_code,
            entry=entry,
            values=cleaned,
            note=note,
        )
        save_change(session, row, entity="answer", action="create")
    elif row.values != cleaned or row.note != note:
        row.values = cleaned
        row.note = note
        row.rev += 1
        save_change(session, row, entity="answer", action="update")
    session.flush()
    return _to_answer(row)


def list_answers(
    session: Session, inspection_id: str, include_retracted: bool = False
) -> list[Answer]:
    """The inspection's answers by item and entry; retracted ones only when asked for."""
    rows = session.exec(
        select(AnswerRow)
        .where(AnswerRow.inspection_id == inspection_id)
        .order_by(col(AnswerRow.item_code), col(AnswerRow.entry))
    ).all()
    answers = [_to_answer(r) for r in rows]
    if include_retracted:
        return answers
    withdrawn = retractions.retracted_ids(session, "answer", [a.id for a in answers])
    return [a for a in answers if a.id not in withdrawn]


def list_retracted_answers(session: Session, inspection_id: str) -> list[RetractedAnswer]:
    """The inspection's retracted answers with their retractions, in the order withdrawn."""
    answers = {a.id: a for a in list_answers(session, inspection_id, include_retracted=True)}
    return [
        RetractedAnswer(answers[r.entity_id], r)
        for r in retractions.list_retractions(session, "answer", list(answers))
    ]


def retract_answer(
    session: Session, inspection_id: str, item_code: str, entry: int, reason: str, by: str
) -> RetractedAnswer:
    """Withdraw one entry of an item with a reason; the answer itself is kept unchanged."""
    get_inspection(session, inspection_id).ensure_editable()
    row_id = answer_id(inspection_id, item_code, entry)
    retraction = retractions.retract(session, "answer", row_id, reason, by)
    row = session.get(AnswerRow, row_id)
    assert row is not None  # retract() refuses a missing record
    return RetractedAnswer(_to_answer(row), retraction)
