"""(c) A value that does not fit its field gets an inline error beside the field; nothing is
saved for it and the value saved before stays, while the item's other fields still save."""

from __future__ import annotations

from fieldcheck.domain.categories import Category
from fieldcheck.domain.inspection import InspectionKind
from fieldcheck.store import inspections

from .conftest import type_text


def saved_values(app, inspection_id: str, item_code: str) -> dict:
    with app.context.store.read() as session:
        answers = inspections.list_answers(session, inspection_id)
    return next(a.values for a in answers if a.item_code == item_code)


def test_out_of_range_measurement_keeps_the_saved_value(start_app):
    app = start_app()
    app.open_compound("CG-04")
    inspection = app.start_inspection(InspectionKind.BASELINE_SURVEY)
    fence = app.item(Category.SECURITY_FIRE, "1.6")
    height = fence.editors["height"].edit

    type_text(height, "2.5")
    app.save_all()
    assert saved_values(app, inspection, "1.6") == {"height": 2.5}
    assert not fence.has_error("height")

    height.clear()
    type_text(height, "99")  # the template allows 0–10 m
    fence.editors["perimeter_intact"].choose("fail")
    app.save_all()
    assert fence.errors["height"].text() == "99 is above the maximum of 10."
    assert height.text() == "99"  # what the user typed stays to be corrected
    assert saved_values(app, inspection, "1.6") == {"height": 2.5, "perimeter_intact": "fail"}

    height.clear()
    type_text(height, "abc")
    app.save_all()
    assert fence.errors["height"].text() == "Enter a number."

    height.clear()
    type_text(height, "3")
    app.save_all()
    assert not fence.has_error("height")
    assert saved_values(app, inspection, "1.6")["height"] == 3.0


def test_the_store_rule_across_fields_is_shown_beside_the_field(start_app):
    app = start_app()
    app.open_compound("CG-04")
    inspection = app.start_inspection(InspectionKind.BASELINE_SURVEY)
    doors = app.item(Category.SECURITY_FIRE, "1.5")
    doors.editors["total"].spin.setValue(4)
    app.save_all()
    with app.qtbot.waitSignal(app.page.checklist.answer_rejected):
        doors.editors["working"].spin.setValue(6)
        app.page.checklist.flush_pending()
    app.settle()
    assert doors.errors["working"].text() == "6 cannot be more than the total (4)."
    assert doors.state_label.text() == "Not saved"
    assert saved_values(app, inspection, "1.5") == {"total": 4}
