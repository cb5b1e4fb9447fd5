"""The fields each synced entity may carry, checked on the server before a version is stored.

They mirror the laptop's snapshots (``id`` and the laptop's local ``rev`` included, both
ignored by the server, which owns revisions). Unknown fields are refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from fieldcheck.domain.categories import Category
from fieldcheck.domain.compound import ManagementStatus
from fieldcheck.domain.evidence import ActionStatus
from fieldcheck.domain.inspection import InspectionKind, InspectionStatus
from fieldcheck.domain.photo import LocationSource, Phase
from fieldcheck.domain.register import MAX_STRUCTURE_AREA_M2, StructureStatus, StructureType
from fieldcheck.domain.stages import Stage
from fieldcheck.protocol.base import Sha256Hex, WireModel
from fieldcheck.protocol.ops import Entity

#: Fields a client sends but the server does not store as data (it owns ids and revisions).
IGNORED_FIELDS = frozenset({"id", "rev", "updated_at"})
CLOCK_SKEW_LIMIT_S = 600.0
#: The statuses whose move the server records with who made it and when, per entity with a
#: workflow status: ``<status>_by`` (the username) and ``<status>_at`` (the server's time).
STATUS_STAMPS: dict[Entity, tuple[str, ...]] = {
    Entity.INSPECTION: ("submitted", "accepted"),
    Entity.RECTIFICATION_ACTION: ("rectified", "verified", "rejected"),
}


def stamp_fields(status: str) -> tuple[str, str]:
    """The server's fields recording who moved a record to ``status`` and when."""
    return f"{status}_by", f"{status}_at"


#: Fields only the server writes (a client's values are dropped): when it first stored a
#: photo, the laptop's clock offset then, and whether that clock was off by more than
#: ``CLOCK_SKEW_LIMIT_S`` — for the reviewer; ``captured_at`` is never changed (F28); and
#: the status stamps above. They travel in pulled data.
SERVER_FIELDS = frozenset(
    {"server_received_at", "received_clock_offset_s", "clock_skew_flag"}
    | {name for states in STATUS_STAMPS.values() for s in states for name in stamp_fields(s)}
)


class _RecordFields(WireModel):
    id: str | None = None
    rev: int | None = None


class CompoundFields(_RecordFields):
    code: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    address: str = Field(default="", max_length=400)
    sub_district_id: str = Field(min_length=1, max_length=64)
    year_built: int = Field(ge=1900, le=2100)
    floor_area_m2: float = Field(gt=0, le=5_000_000)
    buildings: int = Field(ge=1)
    households: int = Field(ge=0)
    management: ManagementStatus
    plan_year: int = Field(ge=2000, le=2100)
    stage: Stage


class InspectionFields(_RecordFields):
    compound_id: str = Field(min_length=1, max_length=64)
    kind: InspectionKind
    inspector: str = Field(max_length=128)
    started_on: dt.date
    template_id: str = Field(min_length=1, max_length=128)
    template_version: int = Field(ge=1)
    status: InspectionStatus = InspectionStatus.OPEN
    submitted_by: str | None = Field(default=None, max_length=64)
    submitted_at: dt.datetime | None = None
    accepted_by: str | None = Field(default=None, max_length=64)
    accepted_at: dt.datetime | None = None


class AnswerFields(_RecordFields):
    inspection_id: str = Field(min_length=1, max_length=64)
    item_code: str = Field(min_length=1, max_length=64)
    entry: int = Field(default=0, ge=0)
    values: dict[str, Any] = Field(default_factory=dict)
    note: str = Field(default="", max_length=4000)


class IllegalStructureFields(_RecordFields):
    compound_id: str = Field(min_length=1, max_length=64)
    location: str = Field(min_length=1, max_length=400)
    type: StructureType
    area_m2: float = Field(gt=0, le=MAX_STRUCTURE_AREA_M2)
    user: str = Field(default="", max_length=200)
    status: StructureStatus = StructureStatus.NOT_REMOVED
    status_date: dt.date | None = None
    note: str = Field(default="", max_length=4000)


class ViewpointFields(_RecordFields):
    compound_id: str = Field(min_length=1, max_length=64)
    category: Category
    item_code: str = Field(default="", max_length=64)
    structure_id: str | None = Field(default=None, max_length=64)
    label: str = Field(default="", max_length=200)
    pin_x: float | None = Field(default=None, ge=0, le=1)
    pin_y: float | None = Field(default=None, ge=0, le=1)
    bearing_deg: float | None = Field(default=None, ge=0, lt=360)


class PhotoFields(_RecordFields):
    """A photo's capture record; its bytes are the blob ``sha256``, uploaded first."""

    sha256: Sha256Hex
    original_name: str = Field(max_length=400)
    size_bytes: int = Field(ge=0)
    mime: str = Field(max_length=100)
    format: str = Field(max_length=32)
    make: str = Field(default="", max_length=200)
    model: str = Field(default="", max_length=200)
    captured_at: str | None = Field(default=None, max_length=40)
    captured_offset: str | None = Field(default=None, max_length=8)
    gps_lat: float | None = Field(default=None, ge=-90, le=90)
    gps_lon: float | None = Field(default=None, ge=-180, le=180)
    gps_alt: float | None = None
    location_source: LocationSource | None = None
    orientation: int = Field(default=1, ge=1, le=8)
    width: int = Field(ge=0)
    height: int = Field(ge=0)
    imported_at: dt.datetime
    inspector: str = Field(default="", max_length=128)
    clock_offset_s: float | None = None
    phase: Phase
    compound_id: str = Field(min_length=1, max_length=64)
    category: str = Field(default="", max_length=64)
    item_code: str = Field(default="", max_length=64)
    structure_id: str | None = Field(default=None, max_length=64)
    viewpoint_id: str | None = Field(default=None, max_length=64)
    future_dated: bool = False
    server_received_at: dt.datetime | None = None
    received_clock_offset_s: float | None = None
    clock_skew_flag: bool = False


class AnnotationFields(_RecordFields):
    """One version of a photo's vector overlay (each version is its own record)."""

    photo_id: str = Field(min_length=1, max_length=64)
    version: int = Field(ge=1)
    shapes: list[dict[str, Any]] = Field(default_factory=list, max_length=500)
    author: str = Field(default="", max_length=128)
    created_at: dt.datetime | None = None


class RectificationFields(_RecordFields):
    inspection_id: str = Field(min_length=1, max_length=64)
    item_code: str = Field(min_length=1, max_length=64)
    assignee_org: str = Field(max_length=200)
    due: dt.date
    status: ActionStatus = ActionStatus.OPEN
    rectified_by: str | None = Field(default=None, max_length=64)
    rectified_at: dt.datetime | None = None
    verified_by: str | None = Field(default=None, max_length=64)
    verified_at: dt.datetime | None = None
    rejected_by: str | None = Field(default=None, max_length=64)
    rejected_at: dt.datetime | None = None


class RetractionFields(_RecordFields):
    """The withdrawal of a record, with a reason; the record itself stays as it was."""

    entity: Entity
    entity_id: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=1, max_length=2000)
    retracted_by: str = Field(max_length=128)
    retracted_at: dt.datetime


ENTITY_FIELDS: dict[Entity, type[_RecordFields]] = {
    Entity.COMPOUND: CompoundFields,
    Entity.INSPECTION: InspectionFields,
    Entity.ANSWER: AnswerFields,
    Entity.ILLEGAL_STRUCTURE: IllegalStructureFields,
    Entity.VIEWPOINT: ViewpointFields,
    Entity.PHOTO: PhotoFields,
    Entity.ANNOTATION: AnnotationFields,
    Entity.RECTIFICATION_ACTION: RectificationFields,
    Entity.RETRACTION: RetractionFields,
}

#: Fields that never change once a record exists: a photo's capture facts (its evidence),
#: and every field of an annotation version (a new overlay is a new version).
IMMUTABLE_FIELDS: dict[Entity, frozenset[str]] = {
    Entity.PHOTO: frozenset(PhotoFields.model_fields)
    - {"id", "rev", "category", "item_code", "structure_id", "viewpoint_id"}
    - SERVER_FIELDS,
    Entity.ANNOTATION: frozenset(AnnotationFields.model_fields) - {"id", "rev"},
    Entity.RETRACTION: frozenset(RetractionFields.model_fields) - {"id", "rev"},
}

#: The field of a record holding the blob it needs verified before it can be stored.
BLOB_FIELD: dict[Entity, str] = {Entity.PHOTO: "sha256"}

#: The field of each entity that names the record it belongs to (its parent), which gives
#: the record its scope; compounds name their sub-district directly, and a retraction's
#: parent is the record it withdraws (see :func:`parent_of`).
PARENT_FIELD: dict[Entity, tuple[Entity | None, str]] = {
    Entity.COMPOUND: (None, "sub_district_id"),
    Entity.INSPECTION: (Entity.COMPOUND, "compound_id"),
    Entity.ANSWER: (Entity.INSPECTION, "inspection_id"),
    Entity.ILLEGAL_STRUCTURE: (Entity.COMPOUND, "compound_id"),
    Entity.VIEWPOINT: (Entity.COMPOUND, "compound_id"),
    Entity.PHOTO: (Entity.COMPOUND, "compound_id"),
    Entity.ANNOTATION: (Entity.PHOTO, "photo_id"),
    Entity.RECTIFICATION_ACTION: (Entity.INSPECTION, "inspection_id"),
    Entity.RETRACTION: (None, "entity_id"),
}


def parent_of(entity: Entity, data: dict[str, Any]) -> tuple[Entity | None, str]:
    """The parent entity of a record with ``data`` (None: the field names a sub-district)
    and the field holding the parent's id."""
    if entity is Entity.RETRACTION:
        return Entity(data["entity"]), "entity_id"
    return PARENT_FIELD[entity]
