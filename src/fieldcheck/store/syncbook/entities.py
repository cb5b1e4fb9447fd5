"""The local table of every entity that syncs, parents before children."""

from __future__ import annotations

from sqlmodel import SQLModel

from fieldcheck.store.tables import (
    AnnotationRow,
    AnswerRow,
    CompoundRow,
    IllegalStructureRow,
    InspectionRow,
    PhotoRow,
    RectificationRow,
    RetractionRow,
    ViewpointRow,
)

ENTITY_TABLES: dict[str, type[SQLModel]] = {
    "compound": CompoundRow,
    "inspection": InspectionRow,
    "illegal_structure": IllegalStructureRow,
    "viewpoint": ViewpointRow,
    "photo": PhotoRow,
    "answer": AnswerRow,
    "annotation": AnnotationRow,
    "rectification_action": RectificationRow,
    "retraction": RetractionRow,
}
