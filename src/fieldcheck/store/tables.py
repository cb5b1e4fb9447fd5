"""The laptop's tables. Every record a user changes carries a local revision ``rev`` and the
time it changed; ids are UUID strings made on the laptop (deterministic for answers).
Every laptop table subclasses :class:`fieldcheck.store.base.LaptopTable`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint, false
from sqlmodel import Field

from fieldcheck.store.base import LaptopTable
from fieldcheck.store.syncbook.states import OutboxState


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class DistrictRow(LaptopTable, table=True):
    __tablename__ = "district"
    id: str = Field(primary_key=True)
    name: str


class SubDistrictRow(LaptopTable, table=True):
    __tablename__ = "sub_district"
    id: str = Field(primary_key=True)
    district_id: str = Field(foreign_key="district.id", index=True)
    code: str = Field(unique=True)
    name: str


class CompoundRow(LaptopTable, table=True):
    __tablename__ = "compound"
    id: str = Field(primary_key=True)
    code: str = Field(unique=True)
    name: str
    address: str = ""
    sub_district_id: str = Field(foreign_key="sub_district.id", index=True)
    year_built: int
    floor_area_m2: float
    buildings: int
    households: int
    management: str
    plan_year: int
    stage: str
    rev: int = 1
    updated_at: dt.datetime = Field(default_factory=utcnow)


class CompoundStageRow(LaptopTable, table=True):
    __tablename__ = "compound_stage"
    compound_id: str = Field(foreign_key="compound.id", primary_key=True)
    stage: str = Field(primary_key=True)
    planned_due: dt.date | None = None
    actual_done: dt.date | None = None


class InspectionRow(LaptopTable, table=True):
    __tablename__ = "inspection"
    id: str = Field(primary_key=True)
    compound_id: str = Field(foreign_key="compound.id", index=True)
    kind: str
    inspector: str
    started_on: dt.date
    template_id: str
    template_version: int
    status: str = "open"
    rev: int = 1
    updated_at: dt.datetime = Field(default_factory=utcnow)


class AnswerRow(LaptopTable, table=True):
    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("inspection_id", "item_code", "entry"),)
    id: str = Field(primary_key=True)
    inspection_id: str = Field(foreign_key="inspection.id", index=True)
    item_code: str
    entry: int = 0
    values: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    note: str = ""
    rev: int = 1
    updated_at: dt.datetime = Field(default_factory=utcnow)


class OutboxRow(LaptopTable, table=True):
    """One change waiting to be pushed, written in the same transaction as the change."""

    __tablename__ = "outbox"
    seq: int | None = Field(default=None, primary_key=True)
    op_id: str = Field(unique=True)
    entity: str = Field(index=True)
    entity_id: str = Field(index=True)
    action: str
    base_rev: int
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: dt.datetime = Field(default_factory=utcnow)
    state: str = Field(default=OutboxState.PENDING, index=True)


# Revision 0002: the register, stage history and the evidence-linking records.


class StageChangeRow(LaptopTable, table=True):
    __tablename__ = "stage_change"
    id: str = Field(primary_key=True)
    compound_id: str = Field(foreign_key="compound.id", index=True)
    from_stage: str
    to_stage: str
    reason: str = ""
    changed_on: dt.date
    changed_at: dt.datetime = Field(default_factory=utcnow)


class IllegalStructureRow(LaptopTable, table=True):
    __tablename__ = "illegal_structure"
    id: str = Field(primary_key=True)
    compound_id: str = Field(foreign_key="compound.id", index=True)
    location: str
    type: str
    area_m2: float
    user: str = ""
    status: str = "not_removed"
    status_date: dt.date | None = None
    note: str = ""
    rev: int = 1
    updated_at: dt.datetime = Field(default_factory=utcnow)


class ViewpointRow(LaptopTable, table=True):
    __tablename__ = "viewpoint"
    id: str = Field(primary_key=True)
    compound_id: str = Field(foreign_key="compound.id", index=True)
    category: str
    item_code: str = ""
    structure_id: str | None = Field(default=None, foreign_key="illegal_structure.id")
    label: str = ""
    pin_x: float | None = None
    pin_y: float | None = None
    bearing_deg: float | None = None
    rev: int = 1
    updated_at: dt.datetime = Field(default_factory=utcnow)


class RectificationRow(LaptopTable, table=True):
    __tablename__ = "rectification_action"
    id: str = Field(primary_key=True)
    inspection_id: str = Field(foreign_key="inspection.id", index=True)
    item_code: str
    assignee_org: str
    due: dt.date
    status: str = "open"
    rev: int = 1
    updated_at: dt.datetime = Field(default_factory=utcnow)


class RetractionRow(LaptopTable, table=True):
    __tablename__ = "retraction"
    id: str = Field(primary_key=True)
    entity: str = Field(index=True)
    entity_id: str = Field(index=True)
    reason: str
    retracted_by: str
    retracted_at: dt.datetime = Field(default_factory=utcnow)


# Revision 0003: photo evidence and its annotation overlays.


class PhotoRow(LaptopTable, table=True):
    """One imported photo (DESIGN §3). The same bytes appear once per compound and phase."""

    __tablename__ = "photo"
    __table_args__ = (UniqueConstraint("compound_id", "phase", "sha256"),)
    id: str = Field(primary_key=True)
    sha256: str = Field(index=True)
    original_name: str
    size_bytes: int
    mime: str
    format: str
    make: str = ""
    model: str = ""
    captured_at: str | None = None  # EXIF wall-clock time, ISO 8601 without offset
    captured_offset: str | None = None  # "+08:00" when the camera recorded it
    gps_lat: float | None = None
    gps_lon: float | None = None
    gps_alt: float | None = None
    location_source: str | None = None  # exif, plan_pin, manual
    orientation: int = 1
    width: int
    height: int
    imported_at: dt.datetime = Field(default_factory=utcnow)
    inspector: str = ""
    clock_offset_s: float | None = None
    phase: str = Field(index=True)
    compound_id: str = Field(foreign_key="compound.id", index=True)
    category: str = ""
    item_code: str = ""
    structure_id: str | None = Field(default=None, foreign_key="illegal_structure.id")
    viewpoint_id: str | None = Field(default=None, foreign_key="viewpoint.id", index=True)
    future_dated: bool = False
    # Written by the server only (revision 0005): its receipt time, the laptop clock's offset
    # then, and whether that offset was beyond ten minutes (F28, for the reviewer). The flag's
    # column default is how 0005 added it to existing rows; the table declares it too.
    server_received_at: dt.datetime | None = None
    received_clock_offset_s: float | None = None
    clock_skew_flag: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    rev: int = 1
    updated_at: dt.datetime = Field(default_factory=utcnow)


class AnnotationRow(LaptopTable, table=True):
    """One version of a photo's vector overlay; a save adds a version, never updates one."""

    __tablename__ = "annotation"
    __table_args__ = (UniqueConstraint("photo_id", "version"),)
    id: str = Field(primary_key=True)
    photo_id: str = Field(foreign_key="photo.id", index=True)
    version: int
    shapes: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    author: str = ""
    created_at: dt.datetime = Field(default_factory=utcnow)


# Revision 0004: the sync engine's bookkeeping lives in its own module; importing it here
# registers its tables wherever these are (fieldcheck.store.schema lists every table module
# for Alembic and the tests).
from fieldcheck.store import sync_tables as _sync_tables  # noqa: E402, F401
