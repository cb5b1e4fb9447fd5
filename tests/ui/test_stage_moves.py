"""(e) Moving a compound's stage forward, and backwards with the reason it needs."""

from __future__ import annotations

from fieldcheck.domain.stages import Stage
from fieldcheck.ui.compound_table import CompoundColumn
from fieldcheck.ui.stage_timeline import STAGE_STATE_ROLE

from .conftest import compound_id, press_ok, type_text


def move(app, target: Stage, reason: str = "") -> None:
    overview = app.page.overview
    overview.move_button.click()
    dialog = overview.move_dialog
    assert dialog is not None
    assert dialog.isVisible()
    dialog.target_combo.setCurrentIndex(dialog.target_combo.findData(target.value))
    if reason:
        type_text(dialog.reason_edit, reason)
    press_ok(dialog)


def test_forward_then_back_with_a_reason(start_app):
    app = start_app()
    app.open_compound("CG-04")
    overview = app.page.overview
    assert overview.compound.stage is Stage.BASELINE_SURVEY

    with app.qtbot.waitSignal(overview.stage_changed):
        move(app, Stage.ILLEGAL_STRUCTURE_REMOVAL)
    app.settle()
    assert overview.compound.stage is Stage.ILLEGAL_STRUCTURE_REMOVAL
    current = Stage.ILLEGAL_STRUCTURE_REMOVAL.position
    assert overview.timeline_model.index(current, 0).data(STAGE_STATE_ROLE) == "current"
    done = overview.timeline_model.index(Stage.BASELINE_SURVEY.position, 0)
    assert done.data(STAGE_STATE_ROLE) == "done"
    panel = app.window.compound_list
    row = panel.model.row_of(compound_id("CG-04"))
    assert panel.model.index(row, CompoundColumn.STAGE).data() == "Illegal-structure removal"

    move(app, Stage.BASELINE_SURVEY)
    dialog = overview.move_dialog
    assert dialog.isVisible(), "a backwards move without a reason must not go through"
    assert dialog.error_label.text() == "Moving back to an earlier stage needs a reason."
    with app.qtbot.waitSignal(overview.stage_changed):
        type_text(dialog.reason_edit, "survey photos incomplete")
        press_ok(dialog)
    app.settle()
    assert overview.compound.stage is Stage.BASELINE_SURVEY
    history = [overview.history.item(i).text() for i in range(overview.history.count())]
    assert len(history) == 2
    assert history[1].endswith(
        "Illegal-structure removal → Baseline survey (reason: survey photos incomplete)"
    )


def test_refused_move_is_shown_inline(start_app):
    app = start_app()
    app.open_compound("CG-04")
    overview = app.page.overview
    register = app.page.register
    register.open_add_dialog()
    dialog = register.structure_dialog
    type_text(dialog.location_edit, "north gate shed")
    dialog.area_spin.setValue(8)
    with app.qtbot.waitSignal(register.structure_saved):
        press_ok(dialog)
    app.settle()
    # With a structure registered, the removal stage cannot be skipped.
    move(app, Stage.DESIGN_NOTICE)
    app.settle()
    assert overview.compound.stage is Stage.BASELINE_SURVEY
    assert overview.move_error.text() == (
        "1 illegal structures are not removed yet: the removal stage cannot be skipped."
    )
