"""(b) Answers of every answer type are saved as the user edits them and are there again,
in the widgets, after the app is closed and started anew on the same data folder."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt

from fieldcheck.domain.categories import Category
from fieldcheck.domain.inspection import InspectionKind
from fieldcheck.store import inspections

from .conftest import type_text

BASELINE_ANSWERS = {
    "1.1": {"entrances": 3, "guard_post": "pass"},
    "1.6": {"perimeter_intact": "fail", "height": 2.5},
    "3.1": {"damaged_area": 12.5, "road_surface_sound": "fail"},
    "4.10": {"fibre_to_home": "pass", "mobile_coverage": "东侧围墙外信号弱"},
    "5.7": {"plan_exists": "pass", "plan_document": "GH-2026-017"},
}


def answer_baseline(app) -> None:
    entrances = app.item(Category.SECURITY_FIRE, "1.1")
    entrances.editors["entrances"].spin.setValue(3)
    entrances.editors["guard_post"].choose("pass")
    type_text(entrances.note_edit, "main gate only")

    fence = app.item(Category.SECURITY_FIRE, "1.6")
    fence.editors["perimeter_intact"].choose("fail")
    type_text(fence.editors["height"].edit, "2.5")

    roads = app.item(Category.ENVIRONMENT_FACADE, "3.1")
    type_text(roads.editors["damaged_area"].edit, "12.5")
    roads.editors["road_surface_sound"].choose("fail")

    telecom = app.item(Category.INFRASTRUCTURE_CABLES, "4.10")
    telecom.editors["fibre_to_home"].choose("pass")
    type_text(telecom.editors["mobile_coverage"].edit, "东侧围墙外信号弱")

    plan = app.item(Category.UTILITIES, "5.7")
    plan.editors["plan_exists"].choose("pass")
    type_text(plan.editors["plan_document"].edit, "GH-2026-017")
    app.save_all()


def test_answers_of_every_type_survive_a_restart(start_app):
    app = start_app()
    app.open_compound("CG-04")
    baseline = app.start_inspection(InspectionKind.BASELINE_SURVEY)
    answer_baseline(app)
    assert app.item(Category.SECURITY_FIRE, "1.6").property("answeredFail") is True
    assert app.item(Category.SECURITY_FIRE, "1.1").property("answeredFail") is False

    # A progress visit asks the status of removals, with its date.
    app.start_inspection(InspectionKind.PROGRESS_VISIT)
    status = app.item(Category.ILLEGAL_SANITATION, "2.2")
    status.editors["status"].combo.setCurrentIndex(2)
    status.editors["status_date"].given.click()
    status.editors["status_date"].edit.setDate(QDate(2026, 5, 12))
    app.save_all()
    assert app.window.pending_label.text() != "Pending changes: 0"
    app.close()

    app = start_app()
    with app.context.store.read() as session:
        saved = {a.item_code: a for a in inspections.list_answers(session, baseline)}
    assert {code: saved[code].values for code in BASELINE_ANSWERS} == BASELINE_ANSWERS
    assert saved["1.1"].note == "main gate only"

    app.open_compound("CG-04")
    checklist = app.page.checklist
    titles = [checklist.inspection_combo.itemText(i) for i in range(2)]
    assert any("Baseline survey" in t for t in titles)
    assert any("Progress visit" in t for t in titles)

    status = app.item(Category.ILLEGAL_SANITATION, "2.2")  # the newest inspection comes first
    assert status.editors["status"].value() == "removed"
    assert status.editors["status_date"].value() == "2026-05-12"

    with app.qtbot.waitSignal(checklist.answers_loaded):
        checklist.select_inspection(baseline)
    for code, values in BASELINE_ANSWERS.items():
        widget = app.item(Category(code.split(".")[0]), code)
        shown = {key: editor.value() for key, editor in widget.editors.items()}
        assert shown == values, code
    assert app.item(Category.SECURITY_FIRE, "1.1").note_edit.text() == "main gate only"
    assert app.item(Category.SECURITY_FIRE, "1.6").property("answeredFail") is True


def test_edits_save_after_a_pause_without_flushing(start_app):
    app = start_app()
    app.open_compound("CG-01")
    app.start_inspection(InspectionKind.BASELINE_SURVEY)
    item = app.item(Category.SECURITY_FIRE, "1.10")
    with app.qtbot.waitSignal(app.page.checklist.answer_saved, timeout=3000) as saved:
        app.qtbot.mouseClick(
            item.editors["escape_routes_clear"].buttons["na"], Qt.MouseButton.LeftButton
        )
    assert saved.args == ["1.10"]
    assert item.state_label.text() == "Saved"


def test_clearing_a_field_saves_it_empty(start_app):
    app = start_app()
    app.open_compound("CG-01")
    inspection = app.start_inspection(InspectionKind.BASELINE_SURVEY)
    item = app.item(Category.SECURITY_FIRE, "1.1")
    item.editors["guard_post"].choose("fail")
    app.save_all()
    item.editors["guard_post"].clear_value()
    app.save_all()
    assert item.editors["guard_post"].value() is None
    with app.context.store.read() as session:
        (answer,) = inspections.list_answers(session, inspection)
    assert answer.values == {}
    assert item.property("answeredFail") is False


def test_an_accepted_inspection_is_read_only(start_app):
    app = start_app()
    app.open_compound("CG-01")
    inspection = app.start_inspection(InspectionKind.BASELINE_SURVEY)
    # Acceptance comes with the review workflow; mark it here the way the store keeps it.
    from fieldcheck.store.tables import InspectionRow

    with app.context.store.write() as session:
        session.get(InspectionRow, inspection).status = "accepted"
    with app.qtbot.waitSignal(app.page.checklist.answers_loaded):
        app.page.checklist.show_compound(app.page.compound_id, inspection)
    item = app.item(Category.SECURITY_FIRE, "1.1")
    assert not item.editors["guard_post"].isEnabled()
    assert item.note_edit.isReadOnly()
    assert app.page.checklist.frozen_label.text() == "Accepted: read-only"
