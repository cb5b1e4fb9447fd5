"""Retractions keep the withdrawn record and say why; rectification actions follow their
status rules; both leave outbox entries."""

import datetime as dt

import pytest

from fieldcheck.catalog import shipped_catalog
from fieldcheck.domain.errors import ValidationError
from fieldcheck.domain.evidence import ActionStatus
from fieldcheck.store import inspections, rectifications, retractions
from fieldcheck.store.syncbook import outbox


@pytest.fixture
def inspection(demo_store, baseline):
    with demo_store.write() as session:
        inspections.save_answer(
            session, shipped_catalog(), baseline.id, "1.10", {"escape_routes_clear": "fail"}
        )
    return baseline


def test_retraction_keeps_the_record_and_needs_a_reason(demo_store, inspection):
    (answer,) = _answers(demo_store, inspection)
    with pytest.raises(ValidationError), demo_store.write() as session:
        retractions.retract(session, "answer", answer.id, "  ", "王工")
    with demo_store.write() as session:
        retractions.retract(session, "answer", answer.id, "拍错小区", "王工")
    with demo_store.read() as session:
        assert retractions.retracted_ids(session, "answer") == {answer.id}
        assert [e.entity for e in outbox.pending(session)][-1] == "retraction"
    assert _answers(demo_store, inspection) == [answer]  # still there, unchanged
    with pytest.raises(ValidationError) as caught, demo_store.write() as session:
        retractions.retract(session, "answer", answer.id, "again", "王工")
    assert caught.value.code == "retraction_twice"


def test_rectification_status_rules(demo_store, inspection):
    with demo_store.write() as session:
        action = rectifications.open_action(
            session, inspection.id, "1.10", "施工单位", dt.date(2026, 6, 1)
        )
    with pytest.raises(ValidationError) as caught, demo_store.write() as session:
        rectifications.move_action(session, action.id, ActionStatus.VERIFIED)
    assert caught.value.code == "action_status"
    with demo_store.write() as session:
        rectifications.move_action(session, action.id, ActionStatus.RECTIFIED)
        rectifications.move_action(session, action.id, ActionStatus.REJECTED)
        rectifications.move_action(session, action.id, ActionStatus.RECTIFIED)
        rectifications.move_action(session, action.id, ActionStatus.VERIFIED)
    with demo_store.read() as session:
        (done,) = rectifications.list_actions(session, inspection.id)
    assert done.status is ActionStatus.VERIFIED


def _answers(store, inspection):
    with store.read() as session:
        return inspections.list_answers(session, inspection.id, include_retracted=True)
