"""Programme stage rules: forward one step, back one step with a reason, skip removal only
when nothing is registered, nothing after archived; deadlines and overdue."""

import datetime as dt
import itertools

import pytest

from fieldcheck.domain.errors import StageTransitionError
from fieldcheck.domain.stages import (
    STAGE_ORDER,
    Stage,
    StageDates,
    check_move,
    next_deadline,
    next_stages,
)


def test_stages_follow_the_programme_order():
    assert STAGE_ORDER[0] is Stage.PLAN_INCLUSION
    assert STAGE_ORDER[-1] is Stage.ARCHIVED
    assert len(STAGE_ORDER) == 10


@pytest.mark.parametrize(("current", "target"), list(itertools.pairwise(STAGE_ORDER)))
def test_every_stage_moves_forward_one_step(current, target):
    move = check_move(current, target)
    assert not move.backwards


def test_jumping_ahead_is_refused():
    with pytest.raises(StageTransitionError) as caught:
        check_move(Stage.BASELINE_SURVEY, Stage.CONSTRUCTION)
    assert caught.value.code == "stage_not_allowed"
    assert caught.value.params == {"current": "baseline_survey", "target": "construction"}


def test_moving_back_needs_a_reason():
    with pytest.raises(StageTransitionError) as caught:
        check_move(Stage.COMPREHENSIVE_ACCEPTANCE, Stage.COMPLETION_SELF_CHECK, reason="  ")
    assert caught.value.code == "stage_reason_required"
    move = check_move(
        Stage.COMPREHENSIVE_ACCEPTANCE, Stage.COMPLETION_SELF_CHECK, reason="rework on 3.7"
    )
    assert move.backwards


def test_removal_may_be_skipped_only_without_registered_structures():
    move = check_move(Stage.BASELINE_SURVEY, Stage.DESIGN_NOTICE, open_illegal_structures=0)
    assert move.skips_removal
    with pytest.raises(StageTransitionError) as caught:
        check_move(Stage.BASELINE_SURVEY, Stage.DESIGN_NOTICE, open_illegal_structures=2)
    assert caught.value.code == "stage_removal_pending"
    assert caught.value.params["count"] == 2


def test_archived_is_final():
    assert next_stages(Stage.ARCHIVED) == []
    with pytest.raises(StageTransitionError):
        check_move(Stage.ARCHIVED, Stage.HANDOVER, reason="oops")


def test_next_stages_lists_back_forward_and_skip():
    assert next_stages(Stage.BASELINE_SURVEY) == [
        Stage.PLAN_INCLUSION,
        Stage.ILLEGAL_STRUCTURE_REMOVAL,
        Stage.DESIGN_NOTICE,
    ]


def test_next_deadline_and_overdue():
    schedule = [
        StageDates(Stage.BASELINE_SURVEY, dt.date(2026, 3, 31), dt.date(2026, 3, 28)),
        StageDates(Stage.COMPLETION_SELF_CHECK, dt.date(2026, 11, 30)),
    ]
    deadline = next_deadline(schedule, Stage.CONSTRUCTION)
    assert deadline is not None
    assert deadline.stage is Stage.COMPLETION_SELF_CHECK
    assert not deadline.is_overdue(dt.date(2026, 11, 30))
    assert deadline.is_overdue(dt.date(2026, 12, 1))
    late = next_deadline(
        [StageDates(Stage.BASELINE_SURVEY, dt.date(2026, 3, 31))], Stage.BASELINE_SURVEY
    )
    assert late is not None
    assert late.is_overdue(dt.date(2026, 4, 1))
