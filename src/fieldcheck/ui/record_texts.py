"""Translated words for synced records as the Needs attention panel shows them: the label of
each field of each entity (``protocol.records``), the labels of the values of its enum and
yes/no fields, and what each of the server's rejection codes means and what the inspector can
do about it, chosen by the code (never parsed from the server's English message)."""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any, Union, get_args, get_origin

from PySide6.QtCore import QCoreApplication

from fieldcheck.domain.categories import Category
from fieldcheck.domain.evidence import ActionStatus
from fieldcheck.domain.inspection import InspectionStatus
from fieldcheck.domain.photo import LocationSource, Phase
from fieldcheck.domain.text import BilingualText
from fieldcheck.protocol.ops import Entity
from fieldcheck.protocol.records import ENTITY_FIELDS
from fieldcheck.ui.i18n import QT_TRANSLATE_NOOP
from fieldcheck.ui.photo_texts import phase_label
from fieldcheck.ui.sync_texts import entity_text

CONTEXT = "RecordTexts"

#: Fields that mean the same in every entity that has them.
SHARED_FIELDS: dict[str, str] = {
    "id": QT_TRANSLATE_NOOP("RecordTexts", "Record number"),
    "rev": QT_TRANSLATE_NOOP("RecordTexts", "Revision"),
    "compound_id": QT_TRANSLATE_NOOP("RecordTexts", "Compound"),
    "inspection_id": QT_TRANSLATE_NOOP("RecordTexts", "Inspection"),
    "photo_id": QT_TRANSLATE_NOOP("RecordTexts", "Photo"),
    "structure_id": QT_TRANSLATE_NOOP("RecordTexts", "Illegal structure"),
    "viewpoint_id": QT_TRANSLATE_NOOP("RecordTexts", "Viewpoint"),
    "item_code": QT_TRANSLATE_NOOP("RecordTexts", "Checklist item"),
    "category": QT_TRANSLATE_NOOP("RecordTexts", "Category"),
    "inspector": QT_TRANSLATE_NOOP("RecordTexts", "Inspector"),
    "note": QT_TRANSLATE_NOOP("RecordTexts", "Note"),
    "status": QT_TRANSLATE_NOOP("RecordTexts", "Status"),
    "created_at": QT_TRANSLATE_NOOP("RecordTexts", "Created at"),
    "updated_at": QT_TRANSLATE_NOOP("RecordTexts", "Updated at"),
}

#: Fields of one entity (and shared names that read differently there).
ENTITY_FIELD_LABELS: dict[Entity, dict[str, str]] = {
    Entity.COMPOUND: {
        "code": QT_TRANSLATE_NOOP("RecordTexts", "Code"),
        "name": QT_TRANSLATE_NOOP("RecordTexts", "Name"),
        "address": QT_TRANSLATE_NOOP("RecordTexts", "Address"),
        "sub_district_id": QT_TRANSLATE_NOOP("RecordTexts", "Sub-district"),
        "year_built": QT_TRANSLATE_NOOP("RecordTexts", "Year built"),
        "floor_area_m2": QT_TRANSLATE_NOOP("RecordTexts", "Floor area (m²)"),
        "buildings": QT_TRANSLATE_NOOP("RecordTexts", "Buildings"),
        "households": QT_TRANSLATE_NOOP("RecordTexts", "Households"),
        "management": QT_TRANSLATE_NOOP("RecordTexts", "Management"),
        "plan_year": QT_TRANSLATE_NOOP("RecordTexts", "Plan year"),
        "stage": QT_TRANSLATE_NOOP("RecordTexts", "Stage"),
    },
    Entity.INSPECTION: {
        "kind": QT_TRANSLATE_NOOP("RecordTexts", "Kind of inspection"),
        "started_on": QT_TRANSLATE_NOOP("RecordTexts", "Started on"),
        "template_id": QT_TRANSLATE_NOOP("RecordTexts", "Checklist"),
        "template_version": QT_TRANSLATE_NOOP("RecordTexts", "Checklist version"),
        "submitted_by": QT_TRANSLATE_NOOP("RecordTexts", "Submitted by"),
        "submitted_at": QT_TRANSLATE_NOOP("RecordTexts", "Submitted at"),
        "accepted_by": QT_TRANSLATE_NOOP("RecordTexts", "Accepted by"),
        "accepted_at": QT_TRANSLATE_NOOP("RecordTexts", "Accepted at"),
    },
    Entity.ANSWER: {
        "entry": QT_TRANSLATE_NOOP("RecordTexts", "Entry number"),
        "values": QT_TRANSLATE_NOOP("RecordTexts", "Answers"),
    },
    Entity.ILLEGAL_STRUCTURE: {
        "location": QT_TRANSLATE_NOOP("RecordTexts", "Location"),
        "type": QT_TRANSLATE_NOOP("RecordTexts", "Type"),
        "area_m2": QT_TRANSLATE_NOOP("RecordTexts", "Area (m²)"),
        "user": QT_TRANSLATE_NOOP("RecordTexts", "Used by"),
        "status": QT_TRANSLATE_NOOP("RecordTexts", "Removal status"),
        "status_date": QT_TRANSLATE_NOOP("RecordTexts", "Status date"),
    },
    Entity.VIEWPOINT: {
        "label": QT_TRANSLATE_NOOP("RecordTexts", "Name"),
        "pin_x": QT_TRANSLATE_NOOP("RecordTexts", "Pin on the plan (across)"),
        "pin_y": QT_TRANSLATE_NOOP("RecordTexts", "Pin on the plan (down)"),
        "bearing_deg": QT_TRANSLATE_NOOP("RecordTexts", "Direction (°)"),
    },
    Entity.PHOTO: {
        "sha256": QT_TRANSLATE_NOOP("RecordTexts", "File fingerprint"),
        "original_name": QT_TRANSLATE_NOOP("RecordTexts", "File name"),
        "size_bytes": QT_TRANSLATE_NOOP("RecordTexts", "File size (bytes)"),
        "mime": QT_TRANSLATE_NOOP("RecordTexts", "File type"),
        "format": QT_TRANSLATE_NOOP("RecordTexts", "Image format"),
        "make": QT_TRANSLATE_NOOP("RecordTexts", "Camera make"),
        "model": QT_TRANSLATE_NOOP("RecordTexts", "Camera model"),
        "captured_at": QT_TRANSLATE_NOOP("RecordTexts", "Taken at"),
        "captured_offset": QT_TRANSLATE_NOOP("RecordTexts", "Time zone"),
        "gps_lat": QT_TRANSLATE_NOOP("RecordTexts", "Latitude"),
        "gps_lon": QT_TRANSLATE_NOOP("RecordTexts", "Longitude"),
        "gps_alt": QT_TRANSLATE_NOOP("RecordTexts", "Altitude"),
        "location_source": QT_TRANSLATE_NOOP("RecordTexts", "Location source"),
        "orientation": QT_TRANSLATE_NOOP("RecordTexts", "Image orientation"),
        "width": QT_TRANSLATE_NOOP("RecordTexts", "Width (pixels)"),
        "height": QT_TRANSLATE_NOOP("RecordTexts", "Height (pixels)"),
        "imported_at": QT_TRANSLATE_NOOP("RecordTexts", "Imported at"),
        "clock_offset_s": QT_TRANSLATE_NOOP("RecordTexts", "Laptop clock offset (s)"),
        "phase": QT_TRANSLATE_NOOP("RecordTexts", "Phase"),
        "future_dated": QT_TRANSLATE_NOOP("RecordTexts", "Dated in the future"),
        "server_received_at": QT_TRANSLATE_NOOP("RecordTexts", "Received by the server at"),
        "received_clock_offset_s": QT_TRANSLATE_NOOP(
            "RecordTexts", "Laptop clock offset on receipt (s)"
        ),
        "clock_skew_flag": QT_TRANSLATE_NOOP("RecordTexts", "Laptop clock was wrong"),
    },
    Entity.ANNOTATION: {
        "version": QT_TRANSLATE_NOOP("RecordTexts", "Version"),
        "shapes": QT_TRANSLATE_NOOP("RecordTexts", "Markings"),
        "author": QT_TRANSLATE_NOOP("RecordTexts", "Drawn by"),
    },
    Entity.RECTIFICATION_ACTION: {
        "assignee_org": QT_TRANSLATE_NOOP("RecordTexts", "Responsible organisation"),
        "due": QT_TRANSLATE_NOOP("RecordTexts", "Due date"),
        "rectified_by": QT_TRANSLATE_NOOP("RecordTexts", "Rectification reported by"),
        "rectified_at": QT_TRANSLATE_NOOP("RecordTexts", "Rectification reported at"),
        "verified_by": QT_TRANSLATE_NOOP("RecordTexts", "Verified by"),
        "verified_at": QT_TRANSLATE_NOOP("RecordTexts", "Verified at"),
        "rejected_by": QT_TRANSLATE_NOOP("RecordTexts", "Returned by"),
        "rejected_at": QT_TRANSLATE_NOOP("RecordTexts", "Returned at"),
    },
    Entity.RETRACTION: {
        "entity": QT_TRANSLATE_NOOP("RecordTexts", "Kind of record"),
        "entity_id": QT_TRANSLATE_NOOP("RecordTexts", "Removed record"),
        "reason": QT_TRANSLATE_NOOP("RecordTexts", "Reason"),
        "retracted_by": QT_TRANSLATE_NOOP("RecordTexts", "Removed by"),
        "retracted_at": QT_TRANSLATE_NOOP("RecordTexts", "Removed at"),
    },
}

INSPECTION_STATUSES: dict[InspectionStatus, str] = {
    InspectionStatus.OPEN: QT_TRANSLATE_NOOP("RecordTexts", "In progress"),
    InspectionStatus.SUBMITTED: QT_TRANSLATE_NOOP("RecordTexts", "Submitted"),
    InspectionStatus.ACCEPTED: QT_TRANSLATE_NOOP("RecordTexts", "Accepted"),
}
ACTION_STATUSES: dict[ActionStatus, str] = {
    ActionStatus.OPEN: QT_TRANSLATE_NOOP("RecordTexts", "To be rectified"),
    ActionStatus.RECTIFIED: QT_TRANSLATE_NOOP("RecordTexts", "Rectified"),
    ActionStatus.VERIFIED: QT_TRANSLATE_NOOP("RecordTexts", "Verified"),
    ActionStatus.REJECTED: QT_TRANSLATE_NOOP("RecordTexts", "Rectification not accepted"),
}
#: Where a photo's location came from, in the words of the photo details panel.
LOCATION_SOURCES: dict[LocationSource, str] = {
    LocationSource.EXIF: "from the camera (EXIF)",
    LocationSource.PLAN_PIN: "pinned on the site plan",
    LocationSource.MANUAL: "entered by hand",
}
YES_NO: dict[bool, str] = {
    True: QT_TRANSLATE_NOOP("RecordTexts", "Yes"),
    False: QT_TRANSLATE_NOOP("RecordTexts", "No"),
}
#: Fields stored as plain text that hold an enum's value.
TEXT_ENUMS: dict[tuple[Entity, str], type[Enum]] = {(Entity.PHOTO, "category"): Category}

#: What a rejection by the server means and what the inspector can do, by its code.
REJECTIONS: dict[str, str] = {
    "forbidden_scope": QT_TRANSLATE_NOOP(
        "RecordTexts",
        "This record belongs to a compound outside your sub-districts, so the server does not "
        "take changes to it from you. If you should work there, ask the bureau to add the "
        "sub-district to your account and send again; otherwise discard your change.",
    ),
    "forbidden_role": QT_TRANSLATE_NOOP(
        "RecordTexts",
        "Your account may not make this change: inspectors record inspections and the "
        "illegal-structure register and may move a compound's stage; other compound details "
        "are changed by the bureau. Discard your change, or ask the bureau to make it.",
    ),
    "locked": QT_TRANSLATE_NOOP(
        "RecordTexts",
        "The inspection was already submitted or accepted, so its records can no longer be "
        "edited. Discard your change, or record it as an amendment to the inspection.",
    ),
    "invalid_transition": QT_TRANSLATE_NOOP(
        "RecordTexts",
        "This status change is not allowed: an inspector submits an open inspection, and only "
        "the acceptance team accepts a submitted one. Discard your change.",
    ),
    "open_conflict": QT_TRANSLATE_NOOP(
        "RecordTexts",
        "A record of this inspection is in conflict with a colleague's change. Settle the "
        "conflicts here under Needs attention first, then send again.",
    ),
    "duplicate_photo": QT_TRANSLATE_NOOP(
        "RecordTexts",
        "The server already has this photo for this compound and phase (a colleague may have "
        "imported the same file). Discard your copy; the photo on the server stays.",
    ),
    "immutable": QT_TRANSLATE_NOOP(
        "RecordTexts",
        "These details cannot change once recorded (a photo's capture details, a saved "
        "annotation, a removal). Discard your change; to correct something, record it anew.",
    ),
    "immutable_field": QT_TRANSLATE_NOOP(
        "RecordTexts",
        "A record cannot be moved to another compound, inspection or photo once it exists. "
        "Discard your change and record it again in the right place.",
    ),
    "invalid": QT_TRANSLATE_NOOP(
        "RecordTexts",
        "The server cannot accept a value of this change (missing, too long or out of range). "
        "Correct the value and send again, or discard your change.",
    ),
    "unknown_scope": QT_TRANSLATE_NOOP(
        "RecordTexts",
        "The server does not know this record's sub-district. Ask the bureau to check it, "
        "then send again; or discard your change.",
    ),
    "unknown_record": QT_TRANSLATE_NOOP(
        "RecordTexts",
        "The server does not have this record, so it cannot change it. Discard your change "
        "and tell the bureau if the record should exist.",
    ),
    "bad_base_rev": QT_TRANSLATE_NOOP(
        "RecordTexts",
        "Your change is based on a version of this record the server does not have (the "
        "server may have been restored from a backup). Discard your change and make it again "
        "after the next sync.",
    ),
    "parent_missing": QT_TRANSLATE_NOOP(
        "RecordTexts",
        "The record this one belongs to is not on the server yet. Send again after it was sent.",
    ),
    "blob_missing": QT_TRANSLATE_NOOP(
        "RecordTexts",
        "The photo file is not on the server yet. Send again after the photo was uploaded.",
    ),
    "idempotency_key_reused": QT_TRANSLATE_NOOP(
        "RecordTexts",
        "The server already received a different change under the same number and keeps the "
        "first one. Discard this change and make it again.",
    ),
}
#: A rejection with a code not listed above: the server's own words.
SERVER_REASON = QT_TRANSLATE_NOOP("RecordTexts", "The server's reason: {reason} ({code})")
#: Between the items of a list of names.
SEPARATOR = QT_TRANSLATE_NOOP("RecordTexts", ", ")


def translate(source: str) -> str:
    return QCoreApplication.translate(CONTEXT, source)


def _entity(entity: str) -> Entity | None:
    try:
        return Entity(entity)
    except ValueError:
        return None


def field_label(entity: str, name: str) -> str:
    """The translated label of ``entity``'s field ``name``; the name itself when unknown."""
    known = _entity(entity)
    own = ENTITY_FIELD_LABELS.get(known, {}) if known else {}
    source = own.get(name) or SHARED_FIELDS.get(name)
    return translate(source) if source else name


def joined(texts: Iterable[str]) -> str:
    return translate(SEPARATOR).join(texts)


def rejection_reason(code: str, reason: str) -> str:
    """What a rejection with a known ``code`` means and what to do; for an unknown code, the
    server's own ``reason``."""
    if code in REJECTIONS:
        return translate(REJECTIONS[code])
    return translate(SERVER_REASON).format(reason=reason, code=code)


def _bilingual(language: str) -> Callable[[Any], str]:
    def label(member: Any) -> str:
        text = getattr(member, "label", None)
        return text.get(language) if isinstance(text, BilingualText) else str(member.value)

    return label


#: How the members of an enum without a bilingual ``label`` are named.
_ENUM_LABELS: dict[type[Enum], Callable[[Any], str]] = {
    InspectionStatus: lambda m: translate(INSPECTION_STATUSES[m]),
    ActionStatus: lambda m: translate(ACTION_STATUSES[m]),
    Phase: phase_label,
    LocationSource: lambda m: QCoreApplication.translate("PhotoMetadataPanel", LOCATION_SOURCES[m]),
    Entity: lambda m: entity_text(m.value),
}


def _field_type(entity: str, name: str) -> Any:
    """The declared type of the field (``X | None`` unwrapped); None when unknown."""
    known = _entity(entity)
    if known is None:
        return None
    if (known, name) in TEXT_ENUMS:
        return TEXT_ENUMS[known, name]
    info = ENTITY_FIELDS[known].model_fields.get(name)
    annotation = info.annotation if info else None
    if get_origin(annotation) in (Union, types.UnionType):
        annotation = next((a for a in get_args(annotation) if a is not type(None)), None)
    return annotation


def value_options(entity: str, name: str, language: str) -> list[tuple[Any, str]]:
    """(value, translated label) of every value of an enum or yes/no field; empty for a
    field of free values."""
    kind = _field_type(entity, name)
    if kind is bool:
        return [(value, translate(text)) for value, text in YES_NO.items()]
    if isinstance(kind, type) and issubclass(kind, Enum):
        label = _ENUM_LABELS.get(kind) or _bilingual(language)
        return [(member.value, label(member)) for member in kind]
    return []
