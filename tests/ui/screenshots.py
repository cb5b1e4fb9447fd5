"""Screenshots of the main views in Chinese and English, for looking at layouts and
translations (not a test). Run: ``.venv/bin/python tests/ui/screenshots.py OUTDIR``.

Starts the app offscreen on a fresh temporary data folder, fills in a few answers (among them
the entries of a repeating item, one of them removed with a reason) and a register entry
through the widgets, and saves PNGs of 1400x900 windows into OUTDIR.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from fieldcheck.app import launch
from fieldcheck.core.register import save_structure
from fieldcheck.domain.categories import Category
from fieldcheck.domain.ids import fixed_id
from fieldcheck.domain.inspection import InspectionKind
from fieldcheck.domain.register import IllegalStructure, StructureType
from fieldcheck.store.errors import StoreError
from fieldcheck.ui.context import AppContext
from fieldcheck.ui.main_window import MainWindow
from fieldcheck.ui.startup_error_dialog import StartupErrorDialog

sys.path.insert(0, str(Path(__file__).parent))
from photo_screenshots import prepare_photos, shoot_photos
from sync_screenshots import prepare_sync, shoot_sync

SIZE = (1400, 900)
COMPOUND = "CG-04"
REPEATING = "3.7"
TIMEOUT_S = 10.0


def wait_until(app: QApplication, done: Callable[[], bool]) -> None:
    end = time.monotonic() + TIMEOUT_S
    while not done():
        if time.monotonic() > end:
            raise TimeoutError("the app did not settle")
        app.processEvents()
        time.sleep(0.01)


def settle(app: QApplication, context: AppContext) -> None:
    """Let queued ops and the events they post run out."""
    for _ in range(3):
        wait_until(app, context.ops.is_idle)
        app.processEvents()


def prepare(app: QApplication, window: MainWindow, context: AppContext) -> None:
    """Open the compound, answer some items and register a structure, as a user would."""
    compound_id = fixed_id("compound", COMPOUND)
    window.compound_list.select_compound(compound_id)
    settle(app, context)
    page = window.compound_page
    page.checklist.open_new_inspection_dialog()
    dialog = page.checklist.inspection_dialog
    dialog.set_kind(InspectionKind.BASELINE_SURVEY)
    dialog.inspector_edit.setText("张三")
    dialog.accept()
    settle(app, context)
    add_facade_entries(app, window, context)
    page.checklist.select_category(Category.SECURITY_FIRE)
    items = page.checklist.items
    items["1.1"].editors["entrances"].spin.setValue(3)
    items["1.1"].editors["guard_post"].choose("pass")
    items["1.2"].editors["entrance_cctv_access_control"].choose("fail")
    items["1.6"].editors["height"].edit.setText("12")
    items["1.6"].editors["height"].value_edited.emit()
    items["1.7"].editors["fire_lane_clear_marked"].choose("na")
    page.checklist.flush_pending()
    with context.store.write() as session:
        saved = save_structure(
            session,
            IllegalStructure(
                id="",
                compound_id=compound_id,
                location="5号楼北侧自行车棚",
                type=StructureType.MAKESHIFT_SHED,
                area_m2=24.5,
                user="5号楼住户",
            ),
        )
    # Written past the ops, so broadcast what changed the way an op does.
    context.ops.broadcast(saved.changes)
    settle(app, context)


def add_facade_entries(app: QApplication, window: MainWindow, context: AppContext) -> None:
    """Three entries of the repeating facade item; the third is removed with a reason."""
    checklist = window.compound_page.checklist
    checklist.select_category(Category.ENVIRONMENT_FACADE)
    facade = checklist.items[REPEATING]
    for entry, (sound, area, notes) in enumerate(
        [
            ("pass", "", "1号楼东立面"),
            ("fail", "3.5", "1号楼南立面，二层窗下空鼓"),
            ("pass", "", "重复"),
        ]
    ):
        form = facade.form(entry) or facade.add_entry()
        form.editors["facade_sound"].choose(sound)
        form.editors["defect_area"].edit.setText(area)
        form.editors["notes"].edit.setText(notes)
        form.editors["notes"].value_edited.emit()
    checklist.flush_pending()
    settle(app, context)
    facade.form(2).remove_button.click()
    checklist.retract_dialog.reason_edit.setText("与1号楼东立面重复")
    checklist.retract_dialog.accept()
    settle(app, context)


def shoot_checklist(
    app: QApplication, window: MainWindow, context: AppContext, out: Path, language: str
) -> list[Path]:
    """The checklist on the repeating facade item, on the register item's line, and the
    dialog that asks why an entry is removed (these switch categories, so they come last)."""
    checklist = window.compound_page.checklist
    window.compound_page.tabs.setCurrentWidget(checklist)
    shots = []
    for name, category, code in (
        ("checklist-register-line", Category.ILLEGAL_SANITATION, ""),
        ("checklist-repeating", Category.ENVIRONMENT_FACADE, REPEATING),
    ):
        checklist.select_category(category)
        settle(app, context)
        shown = checklist.items.get(code) or checklist.register_item
        checklist.item_scroll.verticalScrollBar().setValue(shown.y())
        settle(app, context)
        path = out / f"{name}-{language}.png"
        window.grab().save(str(path))
        shots.append(path)
    checklist.items[REPEATING].form(0).remove_button.click()
    settle(app, context)
    path = out / f"dialog-remove-entry-{language}.png"
    checklist.retract_dialog.grab().save(str(path))
    checklist.retract_dialog.reject()
    shots.append(path)
    return shots


def shoot_dialogs(
    app: QApplication, window: MainWindow, context: AppContext, out: Path, language: str
) -> list[Path]:
    """The dialogs a user meets, opened the way the buttons open them."""
    page = window.compound_page
    openers = {
        "dialog-move-stage": (page.overview.open_move_dialog, lambda: page.overview.move_dialog),
        "dialog-new-inspection": (
            page.checklist.open_new_inspection_dialog,
            lambda: page.checklist.inspection_dialog,
        ),
        "dialog-structure": (page.register.open_add_dialog, lambda: page.register.structure_dialog),
    }
    shots = []
    for name, (open_dialog, dialog) in openers.items():
        open_dialog()
        settle(app, context)
        path = out / f"{name}-{language}.png"
        dialog().grab().save(str(path))
        dialog().reject()
        shots.append(path)
    error = StoreError(
        "not a database", "store_unreadable", {"path": "/data/fieldcheck.sqlite3", "reason": "x"}
    )
    startup = StartupErrorDialog(error, language)
    startup.show()
    settle(app, context)
    path = out / f"dialog-startup-error-{language}.png"
    startup.grab().save(str(path))
    startup.close()
    shots.append(path)
    return shots


def shoot(out: Path) -> list[Path]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    data = Path(tempfile.mkdtemp(prefix="fieldcheck-shots-"))
    started = launch(data, "en")
    assert started is not None
    window, context = started
    window.resize(*SIZE)
    window.show()
    wait_until(app, lambda: window.compound_list.model.rowCount() > 0)
    prepare(app, window, context)
    prepare_photos(app, window, context, wait_until)
    scene = prepare_sync(app, window, context, wait_until, COMPOUND)
    page = window.compound_page
    shots = []
    for language in ("zh_CN", "en"):
        window.switch_language(language)
        settle(app, context)
        for name, tab in (
            ("overview", page.overview),
            ("checklist", page.checklist),
            ("illegal-structures", page.register),
        ):
            page.tabs.setCurrentWidget(tab)
            settle(app, context)
            path = out / f"{name}-{language}.png"
            window.grab().save(str(path))
            shots.append(path)
        shots.extend(shoot_dialogs(app, window, context, out, language))
    for language in ("zh_CN", "en"):
        window.switch_language(language)
        settle(app, context)
        shots.extend(shoot_checklist(app, window, context, out, language))
        shots.extend(shoot_photos(app, window, context, out, language, wait_until))
        shots.extend(shoot_sync(app, window, context, out, language, wait_until, scene))
    window.close()
    context.close()
    scene.stop()
    return shots


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: screenshots.py OUTDIR")
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    for shot in shoot(target):
        print(shot)
