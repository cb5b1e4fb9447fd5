"""The checklist use cases on a fresh store: starting an inspection, answering an entry (and
saving the same values again, which changes nothing), retracting an entry, and the item marks
that follow; each says what it changed."""

from __future__ import annotations

import pytest

from fieldcheck.catalog import shipped_catalog
from fieldcheck.core.changes import NOTHING, Changes, in_compound
from fieldcheck.core.checklist import answer_item, list_inspections, load_answers, retract_entry
from fieldcheck.core.sync_marks import RecordMark, item_sync_states
from fieldcheck.domain.errors import ValidationError

ENTRANCES = {"entrances": 2, "guard_post": "pass"}


def test_a_started_inspection_is_listed_under_its_compound(demo_store, baseline, compound_id):
    with demo_store.read() as session:
        assert [i.id for i in list_inspections(session, compound_id)] == [baseline.id]


def test_an_answer_changes_the_compound_once(demo_store, baseline, compound_id):
    catalog = shipped_catalog()
    with demo_store.write() as session:
        saved = answer_item(session, catalog, baseline.id, "1.1", ENTRANCES, "门岗完好")
    with demo_store.write() as session:
        again = answer_item(session, catalog, baseline.id, "1.1", ENTRANCES, "门岗完好")
    assert saved.changes == in_compound(compound_id, Changes(answers=True))
    assert again.changes == NOTHING
    assert again.value == saved.value
    with demo_store.read() as session:
        assert load_answers(session, baseline.id).answers == [saved.value]
        assert item_sync_states(session, baseline.id) == {"1.1": RecordMark.PENDING}


def test_a_refused_answer_changes_nothing(demo_store, baseline):
    with demo_store.write() as session, pytest.raises(ValidationError):
        answer_item(session, shipped_catalog(), baseline.id, "1.1", {"entrances": "many"})
    with demo_store.read() as session:
        assert load_answers(session, baseline.id).answers == []


def test_a_retracted_entry_leaves_the_answers_with_its_reason(demo_store, baseline, compound_id):
    with demo_store.write() as session:
        answer_item(session, shipped_catalog(), baseline.id, "1.1", ENTRANCES)
    with demo_store.write() as session:
        retracted = retract_entry(session, baseline.id, "1.1", 0, "entered twice", "王工")
    assert retracted.changes == in_compound(compound_id, Changes(answers=True))
    with demo_store.read() as session:
        found = load_answers(session, baseline.id)
        marks = item_sync_states(session, baseline.id)
    assert found.answers == []
    assert [r.retraction.reason for r in found.retracted] == ["entered twice"]
    assert marks == {"1.1": RecordMark.PENDING}  # the retracted answer still waits to go up
