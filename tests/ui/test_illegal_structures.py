"""(f) Adding an illegal structure, editing it and changing its status."""

from __future__ import annotations

from PySide6.QtCore import QDate

from fieldcheck.domain.register import StructureStatus, StructureType
from fieldcheck.ui.structure_table import StructureColumn

from .conftest import press_ok, type_text


def cell(register, column: StructureColumn, row: int = 0) -> str:
    return register.model.index(row, column).data()


def test_add_edit_and_change_status(start_app):
    app = start_app()
    app.open_compound("DG-05")
    register = app.page.register
    app.page.tabs.setCurrentWidget(register)

    register.add_button.click()
    dialog = register.structure_dialog
    press_ok(dialog)
    assert dialog.isVisible()
    assert dialog.error_label.text() == "Enter where the structure is."
    type_text(dialog.location_edit, "5号楼北侧")
    press_ok(dialog)
    assert dialog.error_label.text() == "The area must be above 0 m² and at most 100,000 m²."

    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData(StructureType.MAKESHIFT_SHED))
    dialog.area_spin.setValue(24.5)
    type_text(dialog.user_edit, "5号楼住户")
    with app.qtbot.waitSignal(register.structure_saved):
        press_ok(dialog)
    app.settle()
    assert register.model.rowCount() == 1
    assert cell(register, StructureColumn.TYPE) == "Makeshift shed"
    assert cell(register, StructureColumn.AREA) == "24.5"
    assert cell(register, StructureColumn.STATUS) == "Not removed"

    register.select_row(0)
    register.edit_button.click()
    dialog = register.structure_dialog
    assert dialog.location_edit.text() == "5号楼北侧"
    dialog.area_spin.setValue(30)
    with app.qtbot.waitSignal(register.structure_saved):
        press_ok(dialog)
    app.settle()
    assert register.model.rowCount() == 1
    assert cell(register, StructureColumn.AREA) == "30"

    register.select_row(0)
    register.status_button.click()
    status = register.status_dialog
    status.status_combo.setCurrentIndex(status.status_combo.findData(StructureStatus.REMOVED))
    status.date_edit.setDate(QDate(2026, 5, 10))
    with app.qtbot.waitSignal(register.structure_saved):
        press_ok(status)
    app.settle()
    assert cell(register, StructureColumn.STATUS) == "Removed"
    assert cell(register, StructureColumn.STATUS_DATE) == "2026-05-10"
    assert app.window.pending_label.text() == "Pending changes: 3"
