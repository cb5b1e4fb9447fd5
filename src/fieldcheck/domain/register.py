"""The illegal-structure register (违法建设/临时建筑登记) of a compound."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from fieldcheck.domain.errors import ValidationError
from fieldcheck.domain.text import BilingualText

#: The checklist item whose entries are the register: it is filled in the register, not in
#: the checklist.
REGISTER_ITEM_CODE = "2.1"


class StructureType(StrEnum):
    ILLEGAL_CONSTRUCTION = "illegal_construction"
    TEMPORARY_BUILDING = "temporary_building"
    MAKESHIFT_SHED = "makeshift_shed"
    GREEN_SPACE_ENCROACHMENT = "green_space_encroachment"
    OTHER = "other"

    @property
    def label(self) -> BilingualText:
        return STRUCTURE_TYPE_LABELS[self]


STRUCTURE_TYPE_LABELS = {
    StructureType.ILLEGAL_CONSTRUCTION: BilingualText("违法建设", "Illegal construction"),
    StructureType.TEMPORARY_BUILDING: BilingualText("临时建筑", "Temporary building"),
    StructureType.MAKESHIFT_SHED: BilingualText("私搭乱建棚房", "Makeshift shed"),
    StructureType.GREEN_SPACE_ENCROACHMENT: BilingualText("占用绿地", "Green-space encroachment"),
    StructureType.OTHER: BilingualText("其他", "Other"),
}


class StructureStatus(StrEnum):
    NOT_REMOVED = "not_removed"
    REMOVED = "removed"
    RETAINED = "retained"

    @property
    def label(self) -> BilingualText:
        return STRUCTURE_STATUS_LABELS[self]


STRUCTURE_STATUS_LABELS = {
    StructureStatus.NOT_REMOVED: BilingualText("未拆", "Not removed"),
    StructureStatus.REMOVED: BilingualText("已拆", "Removed"),
    StructureStatus.RETAINED: BilingualText("保留待处理", "Retained, pending decision"),
}

MAX_STRUCTURE_AREA_M2 = 100_000.0


@dataclass(frozen=True)
class IllegalStructure:
    """One registered illegal or temporary structure: where, what, how big, who uses it."""

    id: str
    compound_id: str
    location: str
    type: StructureType
    area_m2: float
    user: str = ""
    status: StructureStatus = StructureStatus.NOT_REMOVED
    status_date: dt.date | None = None
    note: str = ""
    rev: int = 0


def validate_structure(location: str, area_m2: float) -> None:
    """Raise ValidationError when a register entry's location or area cannot be right."""
    if not location.strip():
        raise ValidationError("the location is empty", "structure_location", {"field": "location"})
    if not 0 < area_m2 <= MAX_STRUCTURE_AREA_M2:
        raise ValidationError(
            f"area {area_m2} m² must be above 0 and at most {MAX_STRUCTURE_AREA_M2:g} m²",
            "structure_area",
            {"field": "area_m2", "value": area_m2, "limit": MAX_STRUCTURE_AREA_M2},
        )
