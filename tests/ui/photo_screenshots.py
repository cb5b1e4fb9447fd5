"""The photo views for ``screenshots.py``: the gallery with the corpus orientation examples
imported (and a refused file in the import results), the viewer with annotations, the compare
view side by side and as an overlay, and the recovered-photos dialog.

The photos go in through the import dialog and the "add after photo" action, as a user's do;
only the file pickers are replaced (the shots run without a desktop). ``wait(app, done)`` is
the screenshot script's way of letting the app run until ``done()``.

Run on its own (``.venv/bin/python tests/ui/photo_screenshots.py OUTDIR``) it shoots the
gallery's sync badges: every photo not synced yet, then after a sync with a real server on
loopback photos on the server, waiting to upload and needing attention (a changed file), with
a tooltip, in Chinese and English. With ``--recovered`` (``photo_screenshots.py --recovered
OUTDIR``) it shoots the recovered photos instead: the dialog with the thumbnails of real
recovered photos (one of them damaged) selected, the attach dialog, and the dialog after the
attach (one photo was already recorded there, the damaged one is refused), in both languages.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtWidgets import QApplication, QToolTip

from fieldcheck.app import launch
from fieldcheck.domain.ids import fixed_id
from fieldcheck.domain.photo import Phase
from fieldcheck.paths import DataPaths
from fieldcheck.photos.blobs import BlobStore
from fieldcheck.photos.importer import MAX_PHOTO_BYTES
from fieldcheck.store.database import Store
from fieldcheck.store.integrity import IntegrityReport, RecoveredPhoto
from fieldcheck.ui.annotation_items import make_arrow, make_circle, make_rectangle, make_text
from fieldcheck.ui.context import AppContext
from fieldcheck.ui.main_window import MainWindow
from fieldcheck.ui.photo_compare import CompareDialog
from fieldcheck.ui.photo_gallery import PhotosTab
from fieldcheck.ui.photo_gallery_model import PhotoRole
from fieldcheck.ui.photo_viewer import PhotoViewerDialog
from fieldcheck.ui.photo_viewpoints import AfterPhotoFlow
from fieldcheck.ui.recovered_photos import RecoveredPhotosDialog

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "exif-orientation-examples"
BEFORE = "Landscape_3.jpg"
AFTER = "Landscape_8.jpg"
#: The photos of the sync-state shots: the first batch goes up in the first sync (its last
#: photo's file is changed first), the second is imported after it.
STATE_BATCHES = (
    ["Landscape_1.jpg", "Landscape_2.jpg", "Portrait_3.jpg", "Landscape_4.jpg"],
    ["Landscape_5.jpg", "Portrait_6.jpg"],
)


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
    dialog = RecoveredPhotosDialog(report, context, parent=window)
    dialog.show()
    app.processEvents()
    path = out / f"dialog-recovered-photos-{language}.png"
    dialog.grab().save(str(path))
    dialog.close()
    shots.append(path)
    return shots


def import_photos_through_dialog(
    app: QApplication, context: AppContext, tab: PhotosTab, names: list[str], wait: Wait
) -> None:
    """Import corpus photos as baseline photos of category 3 through the import dialog."""
    tab.open_import_dialog([CORPUS / name for name in names])
    tab.import_dialog.set_target(Phase.BEFORE, "3", "")
    tab.import_dialog.inspector_edit.setText("张三")
    tab.import_dialog.accept()
    wait(app, lambda: not tab.import_panel.running and context.ops.is_idle())


def shoot_gallery_states(out: Path, wait: Wait) -> list[Path]:
    """The gallery before the first sync, then with mixed sync states, in both languages."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from sync_server.testing import PASSWORD
    from tests.sync.conftest import FAST, start_server

    app = QApplication.instance() or QApplication(sys.argv[:1])
    scratch = Path(tempfile.mkdtemp(prefix="fieldcheck-gallery-shots-"))
    started = launch(scratch / "laptop", "en")
    assert started is not None
    window, context = started
    window.resize(1400, 900)
    window.show()
    wait(app, lambda: window.compound_list.model.rowCount() > 0)
    window.compound_list.select_compound(fixed_id("compound", "CG-04"))
    wait(app, context.ops.is_idle)
    tab = window.compound_page.photos
    window.compound_page.tabs.setCurrentWidget(tab)
    import_photos_through_dialog(app, context, tab, STATE_BATCHES[0], wait)
    shots = _shoot_states(app, window, context, tab, out, "never-synced", wait)

    changed = next(p for p in tab.model.rows if p.original_name == STATE_BATCHES[0][-1])
    blob = BlobStore(context.paths.blobs).path_for(changed.sha256)
    blob.chmod(0o600)
    with blob.open("r+b") as handle:  # as if another program had edited the file
        handle.seek(200)
        handle.write(b"\x00\x01\x02")
    server = start_server(scratch / "server")
    try:
        controller = window.sync.controller
        controller.http_config = FAST
        controller.sign_in(server.url, "alice", PASSWORD)
        wait(app, lambda: controller.snapshot.signed_in and not controller.running)
        wait(app, context.ops.is_idle)
        import_photos_through_dialog(app, context, tab, STATE_BATCHES[1], wait)
        shots += _shoot_states(app, window, context, tab, out, "mixed", wait)
    finally:
        window.close()
        context.close()
        server.process.stop()
    return shots


def _shoot_states(
    app: QApplication,
    window: MainWindow,
    context: AppContext,
    tab: PhotosTab,
    out: Path,
    name: str,
    wait: Wait,
) -> list[Path]:
    shots = []
    for language in ("zh_CN", "en"):
        window.switch_language(language)
        for _ in range(3):  # the language change is posted: let it and the ops run out
            wait(app, context.ops.is_idle)
            app.processEvents()
        wait(app, lambda: all(tab.thumbnails.pixmap(p.sha256) for p in tab.model.rows))
        wait(app, lambda: all(p.id in tab.model.sync_states for p in tab.model.rows))
        path = out / f"gallery-sync-{name}-{language}.png"
        window.grab().save(str(path))
        shots.append(path)
        shots += _shoot_tooltips(app, tab, out, f"{name}-{language}", wait)
    return shots


def _shoot_tooltips(
    app: QApplication, tab: PhotosTab, out: Path, name: str, wait: Wait
) -> list[Path]:
    """The tooltip of the first photo in each sync state the gallery shows."""
    shots = []
    firsts: dict[str, int] = {}
    for row in range(tab.model.rowCount()):
        firsts.setdefault(tab.model.index(row).data(PhotoRole.SYNC_STATE), row)
    for state, row in firsts.items():
        index = tab.model.index(row)
        QToolTip.showText(
            tab.view.viewport().mapToGlobal(tab.view.visualRect(index).center()),
            index.data(Qt.ItemDataRole.ToolTipRole),
            tab.view,
        )
        wait(app, QToolTip.isVisible)
        tip = next(w for w in app.topLevelWidgets() if w.inherits("QTipLabel") and w.isVisible())
        path = out / f"gallery-sync-{name}-tooltip-{state}.png"
        tip.grab().save(str(path))
        shots.append(path)
        QToolTip.hideText()
    return shots


#: The recovered photos of their shots: kept whole, then one cut in half (damaged).
RECOVERED = ["Landscape_2.jpg", "Portrait_5.jpg", "Landscape_7.jpg"]
DAMAGED = "Landscape_4.jpg"


def _store_without_record(paths: DataPaths, data: bytes) -> str:
    """Bytes in the blob store as an interrupted import leaves them: no record."""
    blobs = BlobStore(paths.blobs)
    staged = blobs.stage(io.BytesIO(data), max_bytes=MAX_PHOTO_BYTES, name="card")
    blobs.commit(staged)
    return staged.sha256


def shoot_recovered(out: Path, wait: Wait) -> list[Path]:
    """The recovered photos dialog, the attach dialog and the result, per language."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    shots = []
    for language in ("zh_CN", "en"):
        shots += _shoot_recovered_in(app, out, language, wait)
    return shots


def _shoot_recovered_in(app: QApplication, out: Path, language: str, wait: Wait) -> list[Path]:
    paths = DataPaths(Path(tempfile.mkdtemp(prefix="fieldcheck-recovered-shots-")))
    Store.open(paths).close()
    hashes = [_store_without_record(paths, (CORPUS / name).read_bytes()) for name in RECOVERED]
    whole = (CORPUS / DAMAGED).read_bytes()
    hashes.append(_store_without_record(paths, whole[: len(whole) // 2]))
    started = launch(paths.root, language)
    assert started is not None
    window, context = started
    window.resize(1400, 900)
    window.show()
    wait(app, lambda: window.recovered_dialog is not None)
    dialog = window.recovered_dialog
    wait(app, lambda: all(dialog.thumbnails.pixmap(s) is not None for s in hashes[:-1]))
    wait(app, lambda: hashes[-1] in dialog.problems)
    window.compound_list.select_compound(fixed_id("compound", "CG-04"))
    wait(app, context.ops.is_idle)
    tab = window.compound_page.photos
    window.compound_page.tabs.setCurrentWidget(tab)
    import_photos_through_dialog(app, context, tab, RECOVERED[:1], wait)  # again, from the card
    dialog.raise_()
    dialog.select(hashes)
    app.processEvents()
    shots = [out / f"dialog-recovered-photos-{language}.png"]
    dialog.grab().save(str(shots[-1]))

    dialog.open_attach_dialog()
    chooser = dialog.attach_dialog
    wait(app, lambda: chooser.compound_combo.count() > 0 and context.ops.is_idle())
    chooser.set_target(Phase.BEFORE, "3", "3.2")
    app.processEvents()
    shots.append(out / f"dialog-attach-recovered-{language}.png")
    chooser.grab().save(str(shots[-1]))

    finished: list[bool] = []
    dialog.attach_finished.connect(lambda: finished.append(True))
    chooser.accept()
    wait(app, lambda: bool(finished) and context.ops.is_idle())
    app.processEvents()
    shots.append(out / f"dialog-recovered-attached-{language}.png")
    dialog.grab().save(str(shots[-1]))
    shots.append(out / f"window-recovered-attached-{language}.png")
    window.grab().save(str(shots[-1]))
    window.close()
    context.close()
    return shots


if __name__ == "__main__":
    recovered = sys.argv[1:2] == ["--recovered"]
    if len(sys.argv) != 2 + recovered:
        sys.exit("usage: photo_screenshots.py [--recovered] OUTDIR")
    from screenshots import wait_until

    target = Path(sys.argv[-1])
    target.mkdir(parents=True, exist_ok=True)
    shoot = shoot_recovered if recovered else shoot_gallery_states
    for shot in shoot(target, wait_until):
        print(shot)
