"""Photo evidence: phases, where a location came from, the photo record, its annotation overlay
and before/after pairs. Rules only: the image pipeline is ``fieldcheck.photos``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from fieldcheck.domain.categories import Category
from fieldcheck.domain.errors import ValidationError

#: A capture time later than the import time by more than this is "dated in the future".
#: Generous, because a camera without a time zone may run up to 14 hours ahead of the laptop.
FUTURE_TOLERANCE = dt.timedelta(days=1)


class Phase(StrEnum):
    """When in the programme a photo was taken."""

    BEFORE = "before"
    DURING = "during"
    AFTER = "after"
    ACCEPTANCE = "acceptance"


class LocationSource(StrEnum):
    EXIF = "exif"
    PLAN_PIN = "plan_pin"
    MANUAL = "manual"


@dataclass(frozen=True)
class GeoPoint:
    lat: float
    lon: float
    alt: float | None = None

    def __post_init__(self) -> None:
        if not (math.isfinite(self.lat) and math.isfinite(self.lon)):
            raise ValidationError("a position needs finite coordinates", "position_invalid")
        if not (-90.0 <= self.lat <= 90.0 and -180.0 <= self.lon <= 180.0):
            raise ValidationError(
                "latitude must lie in -90..90 and longitude in -180..180",
                "position_invalid",
                {"lat": self.lat, "lon": self.lon},
            )


def is_future_dated(
    captured_at: dt.datetime | None,
    imported_at: dt.datetime,
    tolerance: dt.timedelta = FUTURE_TOLERANCE,
) -> bool:
    """True when the capture time lies after the import time plus ``tolerance``. A capture time
    without an offset is read as the laptop's local time."""
    if captured_at is None:
        return False
    if captured_at.tzinfo is None:
        captured_at = captured_at.astimezone()
    return captured_at > imported_at + tolerance


@dataclass(frozen=True)
class ServerReceipt:
    """What the server noted when it first stored the photo record: its own time, and how far
    the laptop's clock was off then. ``clock_skewed`` flags a photo whose claimed capture time
    a reviewer should not take at face value (SYNC-RESEARCH F28); the claim itself is kept."""

    received_at: dt.datetime
    clock_offset_s: float | None
    clock_skewed: bool


@dataclass(frozen=True)
class Photo:
    """One imported photo: the facts of DESIGN §3 and where it belongs."""

    id: str
    sha256: str
    original_name: str
    size_bytes: int
    mime: str
    format: str
    make: str
    model: str
    captured_at: dt.datetime | None
    location: GeoPoint | None
    location_source: LocationSource | None
    orientation: int
    width: int
    height: int
    imported_at: dt.datetime
    inspector: str
    clock_offset_s: float | None
    phase: Phase
    compound_id: str
    category: str = ""
    item_code: str = ""
    structure_id: str | None = None
    viewpoint_id: str | None = None
    future_dated: bool = False
    rev: int = 1
    receipt: ServerReceipt | None = None


@dataclass(frozen=True)
class BeforeAfterPair:
    """The baseline photo of a viewpoint beside one later photo of the same spot."""

    before: Photo
    after: Photo


# Annotation overlay: shapes in coordinates relative to the displayed photo (0..1 each).

SHAPE_FIELDS: dict[str, tuple[str, ...]] = {
    "arrow": ("x1", "y1", "x2", "y2"),
    "circle": ("cx", "cy", "r"),
    "rectangle": ("x", "y", "w", "h"),
    "text": ("x", "y"),
}
MAX_TEXT_LENGTH = 500


def _shape_problem(index: int, message: str) -> ValidationError:
    return ValidationError(
        f"annotation shape {index + 1}: {message}", "annotation_invalid", {"shape": index}
    )


def validate_overlay(shapes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Check and normalise an overlay; coordinates must be numbers in 0..1."""
    cleaned: list[dict[str, Any]] = []
    for index, shape in enumerate(shapes):
        kind = shape.get("kind")
        if kind not in SHAPE_FIELDS:
            raise _shape_problem(index, f"unknown kind {kind!r}")
        out: dict[str, Any] = {"kind": kind}
        for name in SHAPE_FIELDS[kind]:
            value = shape.get(name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise _shape_problem(index, f"{name} must be a number")
            if not (math.isfinite(value) and 0.0 <= value <= 1.0):
                raise _shape_problem(index, f"{name} must lie in 0..1")
            out[name] = float(value)
        if kind == "text":
            text = shape.get("text")
            if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT_LENGTH:
                raise _shape_problem(index, f"text must have 1..{MAX_TEXT_LENGTH} characters")
            out["text"] = text
        if isinstance(shape.get("color"), str):
            out["color"] = shape["color"]
        cleaned.append(out)
    return cleaned


@dataclass(frozen=True)
class Annotation:
    """One saved version of a photo's overlay; a new save is a new version."""

    id: str
    photo_id: str
    version: int
    shapes: tuple[dict[str, Any], ...]
    author: str
    created_at: dt.datetime


@dataclass(frozen=True)
class PhotoTarget:
    """Where imported photos belong and who imports them."""

    compound_id: str
    phase: Phase
    category: str = ""
    item_code: str = ""
    structure_id: str | None = None
    viewpoint_id: str | None = None
    inspector: str = ""
    clock_offset_s: float | None = None

    def __post_init__(self) -> None:
        if self.category and self.category not in {c.value for c in Category}:
            raise ValidationError(
                f"unknown category {self.category!r} (use 1..5)",
                "category_unknown",
                {"category": self.category},
            )
