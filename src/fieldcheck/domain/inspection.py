"""Inspections of a compound and their answers.

An inspection pins the checklist template (id and version) it was started with. An accepted
inspection is frozen: later changes are amendments, never edits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from fieldcheck.domain.checklist import ChecklistItem, ChecklistTemplate, ItemStage
from fieldcheck.domain.errors import FrozenRecordError
from fieldcheck.domain.text import BilingualText


class InspectionKind(StrEnum):
    BASELINE_SURVEY = "baseline_survey"
    PROGRESS_VISIT = "progress_visit"
    COMPLETION_SELF_CHECK = "completion_self_check"
    ACCEPTANCE = "acceptance"
    QUARTERLY_SPOT_CHECK = "quarterly_spot_check"

    @property
    def label(self) -> BilingualText:
        return KIND_LABELS[self]

    @property
    def item_stages(self) -> frozenset[ItemStage]:
        """The item stages whose checklist items this kind of inspection asks."""
        return KIND_ITEM_STAGES[self]


KIND_LABELS = {
    InspectionKind.BASELINE_SURVEY: BilingualText("现状摸底调查", "Baseline survey"),
    InspectionKind.PROGRESS_VISIT: BilingualText("施工巡查", "Progress visit"),
    InspectionKind.COMPLETION_SELF_CHECK: BilingualText("完工自查", "Completion self-check"),
    InspectionKind.ACCEPTANCE: BilingualText("综合验收", "Acceptance"),
    InspectionKind.QUARTERLY_SPOT_CHECK: BilingualText("季度考核抽查", "Quarterly spot check"),
}

KIND_ITEM_STAGES = {
    InspectionKind.BASELINE_SURVEY: frozenset({ItemStage.SURVEY}),
    InspectionKind.PROGRESS_VISIT: frozenset({ItemStage.CONSTRUCTION}),
    InspectionKind.COMPLETION_SELF_CHECK: frozenset({ItemStage.ACCEPTANCE}),
    InspectionKind.ACCEPTANCE: frozenset({ItemStage.ACCEPTANCE}),
    InspectionKind.QUARTERLY_SPOT_CHECK: frozenset(ItemStage),
}


class InspectionStatus(StrEnum):
    OPEN = "open"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"


@dataclass(frozen=True)
class Inspection:
    id: str
    compound_id: str
    kind: InspectionKind
    inspector: str
    started_on: dt.date
    template_id: str
    template_version: int
    status: InspectionStatus = InspectionStatus.OPEN

    @property
    def frozen(self) -> bool:
        """Accepted: part of the evidence archive for good."""
        return self.status is InspectionStatus.ACCEPTED

    @property
    def locked(self) -> bool:
        """Submitted or accepted: its answers no longer change (the server refuses such
        edits as ``locked``, SYNC-RESEARCH F26); a correction is an amendment."""
        return self.status is not InspectionStatus.OPEN

    def ensure_editable(self) -> None:
        if self.frozen:
            raise FrozenRecordError(
                "this inspection is accepted and frozen; record an amendment instead",
                "inspection_frozen",
                {"inspection": self.id},
            )
        if self.locked:
            raise FrozenRecordError(
                "this inspection is submitted; its answers no longer change",
                "inspection_submitted",
                {"inspection": self.id},
            )

    def items(self, template: ChecklistTemplate) -> list[ChecklistItem]:
        """The items of the pinned template that this inspection asks, in template order."""
        if template.key != (self.template_id, self.template_version):
            raise ValueError(
                f"inspection uses {self.template_id} v{self.template_version}, "
                f"not v{template.version}"
            )
        return [item for item in template if item.stages & self.kind.item_stages]


@dataclass(frozen=True)
class Answer:
    """The answer to one checklist item in one inspection (``entry`` > 0 for repeats)."""

    id: str
    inspection_id: str
    item_code: str
    values: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    entry: int = 0
    rev: int = 0
