"""Repeating checklist items: entries added one by one, saved per entry and there again after
a restart; an entry removed is retracted with a reason and stays in the store. The register
item is summed up in the checklist and kept in the Illegal structures tab."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlmodel import select

from fieldcheck.domain.categories import Category
from fieldcheck.domain.ids import answer_id
from fieldcheck.domain.inspection import InspectionKind
from fieldcheck.domain.register import StructureType
from fieldcheck.store import inspections
from fieldcheck.store.tables import RetractionRow
from fieldcheck.ui.i18n import CHINESE

from .conftest import WAIT_MS, press_ok, type_text

FACADE, CABLES = "3.7", "4.1"


def click(app, button) -> None:
    app.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def shown_entries(widget) -> dict[int, dict]:
    return {
        entry: {key: editor.value() for key, editor in form.editors.items() if editor.value()}
        | ({"note": form.note_edit.text()} if form.note_edit.text() else {})
        for entry, form in widget.forms.items()
    }


def category_text(app, category: Category) -> str:
    checklist = app.page.checklist
    return checklist.category_list.item(list(Category).index(category)).text()


def fill_entries(app) -> None:
    facade = app.item(Category.ENVIRONMENT_FACADE, FACADE)
    assert list(facade.forms) == [0]  # one empty entry to start with
    first = facade.form(0)
    first.editors["facade_sound"].choose("pass")
    type_text(first.editors["notes"].edit, "1号楼东立面")
    click(app, facade.add_button)
    click(app, facade.add_button)
    assert list(facade.forms) == [0, 1, 2]
    second, third = facade.form(1), facade.form(2)
    second.editors["facade_sound"].choose("fail")
    type_text(second.editors["defect_area"].edit, "3.5")
    type_text(second.editors["notes"].edit, "1号楼南立面空鼓")
    type_text(third.editors["notes"].edit, "1号楼西立面")
    type_text(third.note_edit, "待复核")
    app.save_all()
    assert facade.property("answeredFail") is True

    cables = app.item(Category.INFRASTRUCTURE_CABLES, CABLES)
    cables.form(0).editors["clutter_points"].spin.setValue(2)
    click(app, cables.add_button)
    cables.form(1).editors["clutter_points"].spin.setValue(5)
    app.save_all()


FACADE_ENTRIES = {
    0: {"facade_sound": "pass", "notes": "1号楼东立面"},
    1: {"facade_sound": "fail", "defect_area": 3.5, "notes": "1号楼南立面空鼓"},
    2: {"notes": "1号楼西立面", "note": "待复核"},
}


def test_entries_survive_a_restart_and_a_removal_is_a_retraction(start_app):
    app = start_app()
    app.open_compound("CG-04")
    inspection = app.start_inspection(InspectionKind.BASELINE_SURVEY)
    assert "(0/" in category_text(app, Category.INFRASTRUCTURE_CABLES)
    fill_entries(app)
    assert "(1/" in category_text(app, Category.INFRASTRUCTURE_CABLES)
    app.close()

    app = start_app()
    app.open_compound("CG-04")
    app.page.tabs.setCurrentWidget(app.page.checklist)
    with app.context.store.read() as session:
        saved = inspections.list_answers(session, inspection)
    assert [(a.item_code, a.entry) for a in saved] == [
        (FACADE, 0),
        (FACADE, 1),
        (FACADE, 2),
        (CABLES, 0),
        (CABLES, 1),
    ]
    assert saved[1].id == answer_id(inspection, FACADE, 1)
    cables = app.item(Category.INFRASTRUCTURE_CABLES, CABLES)
    assert shown_entries(cables) == {0: {"clutter_points": 2}, 1: {"clutter_points": 5}}
    facade = app.item(Category.ENVIRONMENT_FACADE, FACADE)
    assert shown_entries(facade) == FACADE_ENTRIES
    assert facade.property("answeredFail") is True
    assert facade.form(1).number_label.text() == "<b>Entry 2</b>"
    assert facade.retracted_label.isHidden()

    # Removing needs a reason; the entry goes from the editor, not from the store.
    checklist = app.page.checklist
    click(app, facade.form(1).remove_button)
    dialog = checklist.retract_dialog
    assert dialog is not None
    assert dialog.isVisible()
    press_ok(dialog)
    assert dialog.isVisible()
    assert dialog.error_label.text() == "Enter the reason for the removal."
    type_text(dialog.reason_edit, "与东立面重复登记")
    with app.qtbot.waitSignal(checklist.entry_retracted, timeout=WAIT_MS):
        press_ok(dialog)
    app.settle()
    assert list(facade.forms) == [0, 2]
    assert facade.property("answeredFail") is False  # the failing entry is withdrawn
    assert not facade.retracted_label.isHidden()
    assert facade.retracted_label.text() == "1 retracted"
    assert "Entry 2: 与东立面重复登记 (张三," in facade.retracted_label.toolTip()

    retracted_id = answer_id(inspection, FACADE, 1)
    with app.context.store.read() as session:
        live = inspections.list_answers(session, inspection)
        kept = inspections.list_answers(session, inspection, include_retracted=True)
        rows = session.exec(select(RetractionRow)).all()
        retraction = [(r.entity, r.entity_id, r.reason) for r in rows]
    assert retracted_id not in {a.id for a in live}
    assert next(a for a in kept if a.id == retracted_id).values == {
        "facade_sound": "fail",
        "defect_area": 3.5,
        "notes": "1号楼南立面空鼓",
    }
    assert retraction == [("answer", retracted_id, "与东立面重复登记")]

    # A new entry never reuses the number of a retracted one; a blank one goes without asking.
    click(app, facade.add_button)
    assert list(facade.forms) == [0, 2, 3]
    click(app, facade.form(3).remove_button)
    assert list(facade.forms) == [0, 2]
    app.close()

    app = start_app()
    app.open_compound("CG-04")
    facade = app.item(Category.ENVIRONMENT_FACADE, FACADE)
    assert shown_entries(facade) == {0: FACADE_ENTRIES[0], 2: FACADE_ENTRIES[2]}
    assert facade.retracted_label.text() == "1 retracted"


def test_the_register_item_sums_up_the_register_tab(start_app):
    app = start_app()
    app.open_compound("DG-05")
    app.start_inspection(InspectionKind.BASELINE_SURVEY)
    checklist, register = app.page.checklist, app.page.register
    checklist.select_category(Category.ILLEGAL_SANITATION)
    line = checklist.register_item
    assert line is not None
    assert "2.1" not in checklist.items
    assert line.summary_label.text() == (
        "Registered in the Illegal structures tab: 0 structures, 0 m²"
    )
    assert "(0/" in category_text(app, Category.ILLEGAL_SANITATION)

    click(app, line.open_button)
    assert app.page.tabs.currentWidget() is register
    register.add_button.click()
    dialog = register.structure_dialog
    type_text(dialog.location_edit, "5号楼北侧")
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData(StructureType.MAKESHIFT_SHED))
    dialog.area_spin.setValue(24.5)
    with app.qtbot.waitSignal(checklist.register_loaded, timeout=WAIT_MS):
        press_ok(dialog)
    app.settle()
    assert line.summary_label.text() == (
        "Registered in the Illegal structures tab: 1 structures, 24.5 m²"
    )
    assert "(1/" in category_text(app, Category.ILLEGAL_SANITATION)

    app.window.switch_language(CHINESE)
    app.qtbot.waitUntil(lambda: line.open_button.text() != "Open the register")
    assert line.summary_label.text() == "已在“违法建设”标签页登记：1 处，共 24.5 m²"
    cables = app.item(Category.INFRASTRUCTURE_CABLES, CABLES)
    assert cables.add_button.text() == "添加一处"
