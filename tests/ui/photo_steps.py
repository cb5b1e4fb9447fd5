"""Steps the photo UI tests share: open a compound's Photos tab, import files through the
import dialog (only the file picker is patched), wait for the import, and make folders of real
photos from the shared corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from fieldcheck.core.photo_import import ImportSummary
from fieldcheck.domain.photo import Phase
from fieldcheck.ui.photo_gallery import PhotosTab
from fieldcheck.ui.photo_import_dialog import ImportPhotosDialog

from ..conftest import SHARED
from .conftest import WAIT_MS, RunningApp, press_ok

ORIENTATION = SHARED / "corpus" / "exif-orientation-examples"
COMPOUND = "CG-04"


def corpus_file(name: str) -> Path:
    path = ORIENTATION / name
    if not path.is_file():
        pytest.skip(f"the shared corpus is not at {ORIENTATION}")
    return path


def photo_folder(folder: Path, names: list[str], *, junk: bool = False) -> Path:
    """A folder with copies of corpus photos (and a text file named like a photo)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(corpus_file(name), folder / name)
    if junk:
        (folder / "notes.jpg").write_text("not a photo, just notes\n", encoding="utf-8")
    return folder


def open_photos(app: RunningApp, code: str = COMPOUND) -> PhotosTab:
    app.open_compound(code)
    tab = app.page.photos
    app.page.tabs.setCurrentWidget(tab)
    app.settle()
    return tab


def wait_for_import(app: RunningApp, tab: PhotosTab) -> ImportSummary:
    app.qtbot.waitUntil(lambda: not tab.import_panel.running, timeout=WAIT_MS * 4)
    app.settle()
    summary = tab.import_panel.summary
    assert summary is not None
    return summary


def import_folder(
    app: RunningApp,
    tab: PhotosTab,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    phase: Phase = Phase.BEFORE,
    category: str = "",
    item_code: str = "",
) -> ImportSummary:
    """Click "Import photos…", add the folder with the (patched) picker, choose, press OK."""
    monkeypatch.setattr(
        ImportPhotosDialog, "pick_folder", classmethod(lambda cls, parent, title: folder)
    )
    app.qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    dialog = tab.import_dialog
    assert dialog is not None
    assert dialog.isVisible()
    app.qtbot.mouseClick(dialog.folder_button, Qt.MouseButton.LeftButton)
    for combo, value in (
        (dialog.phase_combo, phase.value),
        (dialog.category_combo, category),
        (dialog.item_combo, item_code),
    ):
        combo.setCurrentIndex(combo.findData(value))
    press_ok(dialog)
    return wait_for_import(app, tab)


def open_viewer(app: RunningApp, tab: PhotosTab, name: str):  # type: ignore[no-untyped-def]
    """Open the photo named ``name`` in the viewer by activating its thumbnail."""
    row = next(i for i, p in enumerate(tab.model.rows) if p.original_name == name)
    index = tab.model.index(row)
    tab.view.setCurrentIndex(index)
    with app.qtbot.waitSignal(tab.viewer_opened, timeout=WAIT_MS) as opened:
        tab.view.activated.emit(index)
    viewer = opened.args[0]
    app.qtbot.waitUntil(lambda: not viewer.canvas.image_item.pixmap().isNull(), timeout=WAIT_MS)
    app.settle()
    return viewer
