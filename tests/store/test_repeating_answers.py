"""Entries of a repeating item: each saved under its own deterministic id, withdrawn by a
retraction with a reason, kept in the store and left out of the live answers."""

import pytest

from fieldcheck.catalog import shipped_catalog
from fieldcheck.domain.errors import FrozenRecordError, ValidationError
from fieldcheck.domain.ids import answer_id
from fieldcheck.store import inspections, retractions
from fieldcheck.store.syncbook import outbox
from fieldcheck.store.tables import AnswerRow, InspectionRow

FACADE = "3.7"


@pytest.fixture
def inspection(demo_store, baseline):
    with demo_store.write() as session:
        for entry, notes in enumerate(["东立面", "南立面", "西立面"]):
            inspections.save_answer(
                session, shipped_catalog(), baseline.id, FACADE, {"notes": notes}, entry=entry
            )
    return baseline


def live(store, inspection, **options):
    with store.read() as session:
        return inspections.list_answers(session, inspection.id, **options)


def test_each_entry_is_its_own_answer(demo_store, inspection):
    answers = live(demo_store, inspection)
    assert [(a.entry, a.values["notes"]) for a in answers] == [
        (0, "东立面"),
        (1, "南立面"),
        (2, "西立面"),
    ]
    assert [a.id for a in answers] == [answer_id(inspection.id, FACADE, e) for e in range(3)]


def test_a_retracted_entry_leaves_the_live_answers_but_stays_stored(demo_store, inspection):
    with demo_store.write() as session:
        retracted = inspections.retract_answer(
            session, inspection.id, FACADE, 1, " 重复登记 ", "王工"
        )
    assert (retracted.answer.entry, retracted.retraction.reason) == (1, "重复登记")
    assert [a.entry for a in live(demo_store, inspection)] == [0, 2]
    assert [a.entry for a in live(demo_store, inspection, include_retracted=True)] == [0, 1, 2]
    with demo_store.read() as session:
        (withdrawn,) = inspections.list_retracted_answers(session, inspection.id)
        assert session.get(AnswerRow, withdrawn.answer.id) is not None
        assert retractions.retracted_ids(session, "answer") == {withdrawn.answer.id}
        assert outbox.pending(session)[-1].entity == "retraction"
    assert (withdrawn.answer.entry, withdrawn.answer.values) == (1, {"notes": "南立面"})
    assert (withdrawn.retraction.reason, withdrawn.retraction.retracted_by) == ("重复登记", "王工")


def test_a_retracted_entry_cannot_be_saved_again(demo_store, inspection):
    with demo_store.write() as session:
        inspections.retract_answer(session, inspection.id, FACADE, 2, "拍错", "王工")
    with pytest.raises(ValidationError) as caught, demo_store.write() as session:
        inspections.save_answer(
            session, shipped_catalog(), inspection.id, FACADE, {"notes": "x"}, entry=2
        )
    assert caught.value.code == "answer_retracted"


def test_retracting_needs_a_reason_and_an_open_inspection(demo_store, inspection):
    with pytest.raises(ValidationError) as caught, demo_store.write() as session:
        inspections.retract_answer(session, inspection.id, FACADE, 0, "  ", "王工")
    assert caught.value.code == "retraction_reason"
    with demo_store.write() as session:
        session.get(InspectionRow, inspection.id).status = "accepted"
    with pytest.raises(FrozenRecordError), demo_store.write() as session:
        inspections.retract_answer(session, inspection.id, FACADE, 0, "拍错", "王工")
    assert len(live(demo_store, inspection)) == 3
