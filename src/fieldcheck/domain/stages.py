"""Programme stages of a compound (RENOVATION.md B.7) and the moves allowed between them.

A compound moves forward one stage at a time. It may skip illegal-structure removal when the
baseline survey registered no illegal structure, and it may step back one stage (for example,
acceptance returned for rework) when a reason is given. Archived is final.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from fieldcheck.domain.errors import StageTransitionError
from fieldcheck.domain.text import BilingualText


class Stage(StrEnum):
    """A programme stage; members are listed in programme order."""

    PLAN_INCLUSION = "plan_inclusion"
    BASELINE_SURVEY = "baseline_survey"
    ILLEGAL_STRUCTURE_REMOVAL = "illegal_structure_removal"
    DESIGN_NOTICE = "design_notice"
    TENDER = "tender"
    CONSTRUCTION = "construction"
    COMPLETION_SELF_CHECK = "completion_self_check"
    COMPREHENSIVE_ACCEPTANCE = "comprehensive_acceptance"
    HANDOVER = "handover"
    ARCHIVED = "archived"

    @property
    def position(self) -> int:
        """Its place in programme order, from 0 (a property `index` would hide `str.index`)."""
        return STAGE_ORDER.index(self)

    @property
    def label(self) -> BilingualText:
        return STAGE_LABELS[self]


STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)

STAGE_LABELS: dict[Stage, BilingualText] = {
    Stage.PLAN_INCLUSION: BilingualText("计划申报", "Plan inclusion"),
    Stage.BASELINE_SURVEY: BilingualText("现状摸底调查", "Baseline survey"),
    Stage.ILLEGAL_STRUCTURE_REMOVAL: BilingualText("拆违拆临", "Illegal-structure removal"),
    Stage.DESIGN_NOTICE: BilingualText("方案设计与公示", "Design and public notice"),
    Stage.TENDER: BilingualText("审批招投标", "Approval and tender"),
    Stage.CONSTRUCTION: BilingualText("施工", "Construction"),
    Stage.COMPLETION_SELF_CHECK: BilingualText("完工自查", "Completion self-check"),
    Stage.COMPREHENSIVE_ACCEPTANCE: BilingualText("综合验收", "Comprehensive acceptance"),
    Stage.HANDOVER: BilingualText("移交长效管理", "Hand-over"),
    Stage.ARCHIVED: BilingualText("归档", "Archived"),
}


@dataclass(frozen=True)
class StageMove:
    """How a compound may move from one stage to another."""

    backwards: bool = False
    skips_removal: bool = False

    @property
    def needs_reason(self) -> bool:
        return self.backwards


def allowed_move(current: Stage, target: Stage) -> StageMove | None:
    """The kind of move from ``current`` to ``target``, or None when it is not allowed."""
    if current is Stage.ARCHIVED or current is target:
        return None
    step = target.position - current.position
    if step == 1:
        return StageMove()
    if step == -1:
        return StageMove(backwards=True)
    if current is Stage.BASELINE_SURVEY and target is Stage.DESIGN_NOTICE:
        return StageMove(skips_removal=True)
    return None


def next_stages(current: Stage) -> list[Stage]:
    """Every stage a compound at ``current`` may move to, in programme order."""
    return [stage for stage in STAGE_ORDER if allowed_move(current, stage) is not None]


def check_move(
    current: Stage,
    target: Stage,
    *,
    reason: str = "",
    open_illegal_structures: int = 0,
) -> StageMove:
    """Validate a stage change and return it; raise StageTransitionError naming the problem."""
    move = allowed_move(current, target)
    params = {"current": current.value, "target": target.value}
    if move is None:
        raise StageTransitionError(
            f"a compound at stage {current.value!r} cannot move to {target.value!r}",
            "stage_not_allowed",
            params,
        )
    if move.needs_reason and not reason.strip():
        raise StageTransitionError(
            f"moving back from {current.value!r} to {target.value!r} needs a reason",
            "stage_reason_required",
            params,
        )
    if move.skips_removal and open_illegal_structures:
        raise StageTransitionError(
            f"{open_illegal_structures} illegal structures are registered: "
            "the removal stage cannot be skipped",
            "stage_removal_pending",
            {**params, "count": open_illegal_structures},
        )
    return move


@dataclass(frozen=True)
class StageDates:
    """The planned due date and the actual completion date of one stage of one compound."""

    stage: Stage
    planned_due: dt.date | None = None
    actual_done: dt.date | None = None

    def is_overdue(self, today: dt.date) -> bool:
        return (
            self.actual_done is None and self.planned_due is not None and today > self.planned_due
        )


def next_deadline(schedule: list[StageDates], current: Stage) -> StageDates | None:
    """The earliest planned deadline of a stage not yet done, at or after ``current``."""
    open_dates = [
        d
        for d in schedule
        if d.actual_done is None
        and d.planned_due is not None
        and d.stage.position >= current.position
    ]
    return min(open_dates, key=lambda d: d.planned_due or dt.date.max, default=None)


@dataclass(frozen=True)
class StageChange:
    """One recorded move of a compound between stages."""

    from_stage: Stage
    to_stage: Stage
    changed_on: dt.date
    reason: str = ""
