"""The compound use cases on a fresh store: the list with deadlines and sync marks, the
overview, a stage move and what it changed, the demo seed and the plan import."""

from __future__ import annotations

import datetime as dt

import pytest

from fieldcheck.core import compounds
from fieldcheck.core.changes import NOTHING, Changes, in_compound
from fieldcheck.core.sync_marks import RecordMark
from fieldcheck.domain.errors import NotFoundError
from fieldcheck.domain.stages import next_stages
from fieldcheck.export.plan_list import read_plan_file

TODAY = dt.date(2026, 6, 1)


def test_the_list_holds_every_compound_with_its_sub_district_and_mark(demo_store):
    with demo_store.read() as session:
        listed = compounds.load_compound_list(session, TODAY)
    assert len(listed.rows) == 27
    assert [r.compound.code for r in listed.rows] == sorted(r.compound.code for r in listed.rows)
    names = {sub.name for sub in listed.sub_districts}
    assert {row.sub_district for row in listed.rows} <= names
    assert {row.sync_state for row in listed.rows} == {RecordMark.LOCAL}  # seeded, never sent
    for row in listed.rows:
        overdue = row.deadline is not None and row.deadline.is_overdue(TODAY)
        assert row.overdue == overdue


def test_the_list_without_marks_is_the_same_list(demo_store):
    with demo_store.read() as session:
        marked = compounds.compound_rows(session, TODAY)
        plain = compounds.compound_rows(session, TODAY, sync_marks=False)
    assert [(r.compound, r.deadline, r.overdue) for r in plain] == [
        (r.compound, r.deadline, r.overdue) for r in marked
    ]


def test_a_stage_move_changes_the_compound_and_shows_in_its_overview(demo_store, compound_id):
    with demo_store.read() as session:
        before = compounds.load_overview(session, compound_id)
    current = before.compound.stage
    target = next(s for s in next_stages(current) if s.position > current.position)
    with demo_store.write() as session:
        moved = compounds.move_stage(session, compound_id, target, reason="", today=TODAY)
    assert moved.value.stage is target
    assert moved.changes == in_compound(compound_id, Changes(compounds=True))
    with demo_store.read() as session:
        after = compounds.load_overview(session, compound_id)
        marks = {r.compound.id: r.sync_state for r in compounds.compound_rows(session, TODAY)}
    assert after.sub_district == before.sub_district
    assert [(c.from_stage, c.to_stage) for c in after.history] == [(before.compound.stage, target)]
    assert marks[compound_id] == RecordMark.PENDING  # the move waits to go up


def test_the_overview_of_an_unknown_compound_is_refused(demo_store):
    with demo_store.read() as session, pytest.raises(NotFoundError):
        compounds.load_overview(session, "no-such-compound")


def test_the_demo_is_seeded_once(store):
    with store.write() as session:
        first = compounds.seed_demo_if_empty(session, 2026)
    with store.write() as session:
        again = compounds.seed_demo_if_empty(session, 2026)
        reseeded = compounds.seed_demo(session, 2026)
    assert (first.value, first.changes) == (True, Changes(compounds=True))
    assert (again.value, again.changes) == (False, NOTHING)
    assert (reseeded.value, reseeded.changes) == (0, NOTHING)
    with store.read() as session:
        assert len(compounds.list_compounds(session)) == 27
        code = compounds.list_compounds(session)[0].code
        assert compounds.resolve_compound(session, code) == compounds.list_compounds(session)[0].id


def test_a_plan_list_is_imported_and_says_what_it_changed(store, tmp_path):
    plan_file = tmp_path / "plan.csv"
    plan_file.write_text(
        "code,name,address,sub_district,year_built,floor_area_m2,buildings,households,"
        "management,plan_year\n"
        "ZX-01,一号院,东街1号,东街道,1988,12000,6,240,none,2026\n",
        encoding="utf-8",
    )
    rows = read_plan_file(plan_file)
    with store.write() as session:
        imported = compounds.import_plan(session, rows)
    with store.write() as session:
        again = compounds.import_plan(session, rows)
    assert (imported.value, imported.changes) == ((1, 0), Changes(compounds=True))
    assert (again.value, again.changes) == ((0, 0), NOTHING)  # nothing new: nothing changed
