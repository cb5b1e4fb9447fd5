"""Viewpoints, rectification actions and retractions: the records that tie evidence together.

A viewpoint is the spot a baseline photo and its during/after photos share. A rectification
action follows a failed item to its fix. Nothing is hard-deleted: a retraction records which
record was withdrawn and why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from fieldcheck.domain.categories import Category
from fieldcheck.domain.errors import ValidationError


@dataclass(frozen=True)
class PlanPin:
    """A point on the compound's site plan, in relative coordinates (0..1 each)."""

    x: float
    y: float

    def __post_init__(self) -> None:
        if not (0.0 <= self.x <= 1.0 and 0.0 <= self.y <= 1.0):
            raise ValidationError("a plan pin must lie within the plan (0..1)", "pin_outside")


@dataclass(frozen=True)
class Viewpoint:
    id: str
    compound_id: str
    category: Category
    item_code: str = ""
    structure_id: str = ""
    label: str = ""
    pin: PlanPin | None = None
    bearing_deg: float | None = None


class ActionStatus(StrEnum):
    OPEN = "open"
    RECTIFIED = "rectified"
    VERIFIED = "verified"
    REJECTED = "rejected"


ACTION_MOVES = {
    ActionStatus.OPEN: {ActionStatus.RECTIFIED},
    ActionStatus.RECTIFIED: {ActionStatus.VERIFIED, ActionStatus.REJECTED},
    ActionStatus.REJECTED: {ActionStatus.RECTIFIED},
    ActionStatus.VERIFIED: set(),
}


@dataclass(frozen=True)
class RectificationAction:
    id: str
    inspection_id: str
    item_code: str
    assignee_org: str
    due: dt.date
    status: ActionStatus = ActionStatus.OPEN

    def moved_to(self, status: ActionStatus) -> RectificationAction:
        if status not in ACTION_MOVES[self.status]:
            raise ValidationError(
                f"a rectification that is {self.status.value} cannot become {status.value}",
                "action_status",
                {"current": self.status.value, "target": status.value},
            )
        return RectificationAction(**{**self.__dict__, "status": status})


@dataclass(frozen=True)
class Retraction:
    """A record withdrawn with a reason; the record itself stays."""

    id: str
    entity: str
    entity_id: str
    reason: str
    retracted_by: str
    retracted_at: dt.datetime

    def __post_init__(self) -> None:
        check_retraction_reason(self.reason)


def check_retraction_reason(reason: str) -> None:
    """A retraction must say why; raise ValidationError when ``reason`` is blank."""
    if not reason.strip():
        raise ValidationError("a retraction needs a reason", "retraction_reason")
