"""The checklist of a compound: its inspections, the answers and retracted entries of one
inspection; starting an inspection, answering an item's entry and retracting an entry with a
reason. Answers are checked against the template version the inspection pinned."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from fieldcheck.catalog import TemplateCatalog
from fieldcheck.core.changes import NOTHING, Changes, Done, in_compound
from fieldcheck.core.revisions import stored_rev
from fieldcheck.domain.checklist import ChecklistTemplate
from fieldcheck.domain.ids import answer_id
from fieldcheck.domain.inspection import Answer, Inspection, InspectionKind
from fieldcheck.store import inspections
from fieldcheck.store.inspections import RetractedAnswer
from fieldcheck.store.tables import AnswerRow

__all__ = [
    "InspectionAnswers",
    "RetractedAnswer",
    "answer_item",
    "list_inspections",
    "load_answers",
    "retract_entry",
    "start_inspection",
]

#: A compound's inspections, the latest first.
list_inspections = inspections.list_inspections


@dataclass(frozen=True)
class InspectionAnswers:
    """The live answers of an inspection (by item and entry) and its retracted entries."""

    answers: list[Answer]
    retracted: list[RetractedAnswer]


def load_answers(session: Session, inspection_id: str) -> InspectionAnswers:
    return InspectionAnswers(
        inspections.list_answers(session, inspection_id),
        inspections.list_retracted_answers(session, inspection_id),
    )


def start_inspection(
    session: Session,
    compound_id: str,
    kind: InspectionKind,
    inspector: str,
    template: ChecklistTemplate,
    today: dt.date,
) -> Done[Inspection]:
    """Start an inspection of ``compound_id`` pinned to ``template``'s id and version."""
    inspection = inspections.start_inspection(
        session, compound_id, kind, inspector, template, today
    )
    return Done(inspection, in_compound(compound_id, Changes(inspections=True)))


def answer_item(
    session: Session,
    catalog: TemplateCatalog,
    inspection_id: str,
    item_code: str,
    values: dict[str, Any],
    note: str = "",
    entry: int = 0,
) -> Done[Answer]:
    """Validate and save one entry of an item; saving the values it has changes nothing."""
    rev_before = stored_rev(session, AnswerRow, answer_id(inspection_id, item_code, entry))
    answer = inspections.save_answer(
        session, catalog, inspection_id, item_code, values, note, entry
    )
    if answer.rev == rev_before:
        return Done(answer, NOTHING)
    compound_id = inspections.get_inspection(session, inspection_id).compound_id
    return Done(answer, in_compound(compound_id, Changes(answers=True)))


def retract_entry(
    session: Session, inspection_id: str, item_code: str, entry: int, reason: str, by: str
) -> Done[RetractedAnswer]:
    """Withdraw one entry of an item with a reason; the answer itself is kept."""
    retracted = inspections.retract_answer(session, inspection_id, item_code, entry, reason, by)
    compound_id = inspections.get_inspection(session, inspection_id).compound_id
    return Done(retracted, in_compound(compound_id, Changes(answers=True)))
