"""Background operations against a real store: results and errors come back on the GUI
thread, late results of a view that moved on are dropped, changes are broadcast, and ORM rows
never cross threads."""

from __future__ import annotations

import threading

import pytest

from fieldcheck.core.changes import Changes, Done, in_compound
from fieldcheck.domain.errors import NotFoundError
from fieldcheck.store import plan
from fieldcheck.store.tables import CompoundRow
from fieldcheck.ui.ops import Generation, OpRunner


@pytest.fixture
def runner(qtbot, demo_store):
    ops = OpRunner(demo_store)
    yield ops
    ops.shutdown()


def test_result_arrives_on_the_gui_thread(qtbot, runner):
    seen = []
    with qtbot.waitSignal(runner.became_idle):
        runner.read(plan.list_compounds).on_success(
            lambda found: seen.append((len(found), threading.current_thread()))
        ).run()
    assert seen == [(27, threading.main_thread())]


def test_expected_errors_go_to_the_failure_handler(qtbot, runner):
    failures = []
    with qtbot.waitSignal(runner.became_idle):
        runner.read(lambda s: plan.get_compound(s, "nope")).on_failure(failures.append).run()
    assert isinstance(failures[0], NotFoundError)
    assert failures[0].code == "compound_missing"


def test_late_results_of_a_view_that_moved_on_are_dropped(qtbot, runner):
    generation, seen = Generation(), []
    runner.read(plan.list_compounds).guarded_by(generation).on_success(seen.append).run()
    generation.advance()
    qtbot.waitUntil(runner.is_idle)
    assert seen == []


def test_writes_broadcast_what_changed_even_when_stale(qtbot, runner):
    generation, seen = Generation(), []
    changes = in_compound("c-1", Changes(answers=True))
    view = object()
    op = runner.write(lambda s: Done(1, changes)).initiated_by(view).on_success(seen.append)
    op.guarded_by(generation)
    generation.advance()
    with qtbot.waitSignal(runner.changes_made) as changed:
        op.run()
    assert changed.args == [changes, view]
    assert seen == []


def test_the_success_handler_gets_the_value_of_a_done(qtbot, runner):
    seen, broadcast = [], []
    runner.changes_made.connect(lambda changes, initiator: broadcast.append(changes))
    with qtbot.waitSignal(runner.became_idle):
        runner.write(lambda s: Done(7, Changes(compounds=True))).on_success(seen.append).run()
    with qtbot.waitSignal(runner.became_idle):
        runner.write(lambda s: Done(8)).on_success(seen.append).run()
    assert seen == [7, 8]
    assert broadcast == [Changes(compounds=True)]  # nothing changed: nothing broadcast


def test_orm_rows_are_refused(qtbot, runner):
    with qtbot.waitSignal(runner.failed_unhandled) as failed:
        runner.read(lambda s: s.get(CompoundRow, plan.list_compounds(s)[0].id)).run()
    assert isinstance(failed.args[0], TypeError)


def test_orm_rows_inside_a_done_are_refused(qtbot, runner):
    with qtbot.waitSignal(runner.failed_unhandled) as failed:
        runner.write(lambda s: Done(s.get(CompoundRow, plan.list_compounds(s)[0].id))).run()
    assert isinstance(failed.args[0], TypeError)
