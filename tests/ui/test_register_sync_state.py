"""Issue 5 (2): each entry of the illegal-structure register shows its sync state, refreshed
after every sync — an entry recorded offline waits to go up, and after a real sync against
the real server it shows as on the server; a colleague's entry pulled in shows up at once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from fieldcheck.domain.register import IllegalStructure, StructureType
from fieldcheck.store import register as register_store
from fieldcheck.ui.structure_table import SYNC_STATE_ROLE, StructureColumn
from sync_server.testing import COMPOUNDS

from .conftest import press_ok, type_text
from .sync_steps import sign_in, sync_now

#: One compound per run: the server is the module's, and the app pulls every entry of one.
CODE = {"en": "CG-03", "zh_CN": "CG-02"}


def add_structure(app, register, location: str) -> None:
    register.add_button.click()
    dialog = register.structure_dialog
    type_text(dialog.location_edit, location)
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData(StructureType.MAKESHIFT_SHED))
    dialog.area_spin.setValue(12)
    with app.qtbot.waitSignal(register.structure_saved):
        press_ok(dialog)
    app.settle()


def states(register) -> dict[str, str]:
    """Location -> sync state, as the table shows it."""
    model = register.model
    return {
        model.index(row, StructureColumn.LOCATION).data(): model.index(
            row, StructureColumn.SYNC
        ).data(SYNC_STATE_ROLE)
        for row in range(model.rowCount())
    }


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_register_entries_show_their_sync_state(start_app, server, make_laptop, language):
    app = start_app(language)
    app.open_compound(CODE[language])
    register = app.page.register
    app.page.tabs.setCurrentWidget(register)
    add_structure(app, register, f"{language} 3号楼东侧")
    assert states(register) == {f"{language} 3号楼东侧": "pending"}
    mark = register.model.index(0, StructureColumn.SYNC)
    assert mark.data() == "↑"
    waiting = {"en": "Waiting to upload", "zh_CN": "等待上传"}[language]
    assert mark.data(Qt.ItemDataRole.ToolTipRole) == waiting

    # A colleague records another entry in the same compound and syncs first.
    bob = make_laptop("bob")
    with bob.store.write() as db:
        register_store.save_structure(
            db,
            IllegalStructure(
                id="",
                compound_id=COMPOUNDS[CODE[language]],
                location=f"{language} 鲍勃记录的棚",
                type=StructureType.MAKESHIFT_SHED,
                area_m2=8,
            ),
        )
    assert bob.sync().error is None

    dialog = sign_in(app, server.url)
    with app.qtbot.waitSignal(app.window.sync.controller.sync_finished, timeout=60_000):
        press_ok(dialog)
    assert sync_now(app).error is None
    app.qtbot.waitUntil(
        lambda: (
            states(register)
            == {f"{language} 3号楼东侧": "synced", f"{language} 鲍勃记录的棚": "synced"}
        )
    )
    mark = register.model.index(0, StructureColumn.SYNC)
    assert mark.data() == "✓"
    assert mark.data(Qt.ItemDataRole.ToolTipRole) != waiting
