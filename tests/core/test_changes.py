"""What changed, as the core says it: merging, emptiness, which compounds, the kind of change
each synced entity makes, and the rule that no ORM row leaves a unit of work."""

from __future__ import annotations

import pytest

from fieldcheck.core.changes import NOTHING, Changes, Done, in_compound, record_changes
from fieldcheck.core.detached import ensure_detached
from fieldcheck.store import plan
from fieldcheck.store.tables import CompoundRow


def test_nothing_is_falsy_and_anything_else_is_not():
    assert not NOTHING
    assert not Done(1).changes
    assert Changes(photos=True)
    assert Changes(compound_ids=frozenset({"c"}))


def test_merged_changes_keep_every_flag_and_compound():
    merged = in_compound("a", Changes(answers=True)) | in_compound("b", Changes(photos=True))
    assert merged == Changes(compound_ids=frozenset({"a", "b"}), answers=True, photos=True)
    assert merged.touches("a")
    assert merged.touches("b")
    assert not merged.touches("")
    assert not merged.touches("c")
    assert merged.records
    assert not merged.compounds


@pytest.mark.parametrize(
    ("entity", "data", "expected"),
    [
        ("answer", {}, Changes(answers=True)),
        ("annotation", {}, Changes(photos=True)),
        ("illegal_structure", {}, Changes(structures=True)),
        ("compound", {}, Changes(compounds=True)),
        ("retraction", {"entity": "photo"}, Changes(photos=True)),
    ],
)
def test_a_record_changes_its_kind_under_its_compound(entity, data, expected):
    assert record_changes(entity, data, {"c-1"}) == in_compound("c-1", expected)


def test_a_record_of_no_known_compound_changes_every_compound():
    assert record_changes("answer", {}, set()) == Changes(compounds=True, answers=True)


def test_rows_and_sessions_never_leave_a_unit_of_work(demo_store):
    with demo_store.read() as session:
        row = session.get(CompoundRow, plan.list_compounds(session)[0].id)
        for value in (row, [row], Done(row), session):
            with pytest.raises(TypeError):
                ensure_detached(value)
        ensure_detached(Done(plan.list_compounds(session)))
