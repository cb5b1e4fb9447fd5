"""The photo views for ``screenshots.py``: the gallery with the corpus orientation examples
imported (and a refused file in the import results), the viewer with annotations, the compare
view side by side and as an overlay, and the recovered-photos dialog.

The photos go in through the import dialog and the "add after photo" action, as a user's do;
only the file pickers are replaced (the shots run without a desktop). ``wait(app, done)`` is
the screenshot script's way of letting the app run until ``done()``.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtWidgets import QApplication

from fieldcheck.domain.photo import Phase
from fieldcheck.store.integrity import IntegrityReport, RecoveredPhoto
from fieldcheck.ui.annotation_items import make_arrow, make_circle, make_rectangle, make_text
from fieldcheck.ui.context import AppContext
from fieldcheck.ui.main_window import MainWindow
from fieldcheck.ui.photo_compare import CompareDialog
from fieldcheck.ui.photo_viewer import PhotoViewerDialog
from fieldcheck.ui.photo_viewpoints import AfterPhotoFlow
from fieldcheck.ui.recovered_photos import RecoveredPhotosDialog

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "exif-orientation-examples"
BEFORE = "Landscape_3.jpg"
AFTER = "Landscape_8.jpg"


Wait = Callable[[QApplication, Callable[[], bool]], None]


def prepare_photos(app: QApplication, window: MainWindow, context: AppContext, wait: Wait) -> None:
    """Import the orientation examples (and a text file named like a photo) as baseline photos
    of category 3, then add an after photo of one spot."""
    folder = Path(tempfile.mkdtemp(prefix="fieldcheck-card-"))
    for path in sorted(CORPUS.glob("*.jpg")):
        shutil.copy(path, folder / path.name)
    (folder / "notes.jpg").write_text("site notes, not a photo\n", encoding="utf-8")
    tab = window.compound_page.photos
    window.compound_page.tabs.setCurrentWidget(tab)
    tab.open_import_dialog([folder])
    tab.import_dialog.set_target(Phase.BEFORE, "3", "")
    tab.import_dialog.inspector_edit.setText("张三")
    tab.import_dialog.accept()
    wait(app, lambda: not tab.import_panel.running and context.ops.is_idle())
    baseline = next(p for p in tab.model.rows if p.original_name == BEFORE)
    AfterPhotoFlow.pick_file = classmethod(lambda cls, parent, title, filters: CORPUS / AFTER)
    opened: list[CompareDialog] = []
    tab.compare_opened.connect(opened.append)
    tab.add_after_photo(baseline)
    wait(app, lambda: bool(opened) and opened[0].images_loaded())
    opened[0].close()
    wait(app, context.ops.is_idle)


def _annotate(viewer: PhotoViewerDialog) -> None:
    """An arrow, a circle, a rectangle and a text, as the tools would draw them."""
    canvas = viewer.canvas
    size = canvas.photo_size
    w, h = size.width(), size.height()
    for item in (
        make_arrow(QPointF(0.12 * w, 0.18 * h), QPointF(0.38 * w, 0.45 * h), "#e53935", size),
        make_circle(QPointF(0.5 * w, 0.55 * h), 0.12 * min(w, h), "#fdd835", size),
        make_rectangle(QRectF(0.62 * w, 0.2 * h, 0.25 * w, 0.3 * h), "#1e88e5", size),
        make_text(QPointF(0.08 * w, 0.06 * h), "墙面空鼓 hollow render", "#e53935", size),
    ):
        canvas.add_shape(item)


def shoot_photos(
    app: QApplication,
    window: MainWindow,
    context: AppContext,
    out: Path,
    language: str,
    wait: Wait,
) -> list[Path]:
    shots = []
    tab = window.compound_page.photos
    window.compound_page.tabs.setCurrentWidget(tab)
    wait(app, context.ops.is_idle)
    wait(app, lambda: all(tab.thumbnails.pixmap(p.sha256) for p in tab.model.rows[:12]))
    path = out / f"photos-gallery-{language}.png"
    window.grab().save(str(path))
    shots.append(path)

    tab.open_import_dialog(sorted(CORPUS.glob("Portrait_*.jpg"))[:3], "3", "3.2")
    wait(app, context.ops.is_idle)
    path = out / f"dialog-import-photos-{language}.png"
    tab.import_dialog.grab().save(str(path))
    tab.import_dialog.reject()
    shots.append(path)

    baseline = next(p for p in tab.model.rows if p.original_name == BEFORE)
    viewer = tab.open_viewer(baseline)
    wait(app, lambda: not viewer.canvas.image_item.pixmap().isNull() and context.ops.is_idle())
    if not viewer.canvas.shapes():
        _annotate(viewer)
        viewer.save_annotation()
        wait(app, context.ops.is_idle)
    path = out / f"photos-viewer-{language}.png"
    viewer.grab().save(str(path))
    shots.append(path)

    viewer.open_compare()
    wait(app, lambda: viewer.compare_dialog is not None and viewer.compare_dialog.images_loaded())
    compare = viewer.compare_dialog
    path = out / f"photos-compare-side-{language}.png"
    compare.grab().save(str(path))
    shots.append(path)
    compare.show_overlay()
    compare.slider.setValue(50)
    app.processEvents()
    path = out / f"photos-compare-overlay-{language}.png"
    compare.grab().save(str(path))
    shots.append(path)
    compare.close()
    viewer.close()

    report = IntegrityReport(
        recovered=(
            RecoveredPhoto(
                "ab" * 32, context.paths.blobs / "ab" / "ab" / ("ab" * 32), 349915, time.time()
            ),
        ),
        missing_blobs=("cd" * 32,),
        rehashed=12,
        mismatched=(),
        quick_check=("ok",),
        stale_temp_files=0,
        seconds=0.2,
    )
    dialog = RecoveredPhotosDialog(report, window)
    dialog.show()
    app.processEvents()
    path = out / f"dialog-recovered-photos-{language}.png"
    dialog.grab().save(str(path))
    dialog.close()
    shots.append(path)
    return shots
