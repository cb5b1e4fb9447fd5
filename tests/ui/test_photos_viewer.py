"""The photo viewer: the preview the right way up, zoom (fit, 100%, wheel) with the original
loaded when zoomed in far, the metadata panel, and annotations drawn with the mouse (arrow,
text), undone, redone, moved and saved as a new version while the original stays untouched."""

from __future__ import annotations

import hashlib
import shutil

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from fieldcheck.domain.photo import Phase
from fieldcheck.photos.blobs import BlobStore
from fieldcheck.photos.cache import DerivedCache
from fieldcheck.store import photos as photo_store
from fieldcheck.ui.photo_canvas import PhotoCanvas, Tool
from fieldcheck.ui.photo_viewer import PhotoViewerDialog

from ..conftest import SHARED
from .conftest import WAIT_MS
from .photo_steps import corpus_file, import_folder, open_photos, open_viewer, photo_folder


def viewer_on(start_app, tmp_path, monkeypatch, name: str):
    """The app with one corpus photo imported as a baseline photo, open in the viewer."""
    app = start_app("en")
    tab = open_photos(app)
    import_folder(app, tab, photo_folder(tmp_path / "f", [name]), monkeypatch)
    return app, tab, open_viewer(app, tab, name)


def drag(qtbot, canvas: PhotoCanvas, start: QPointF, end: QPointF) -> None:
    """Press, move and release the left button between two points of the photo."""
    viewport = canvas.viewport()
    a, b = canvas.mapFromScene(start), canvas.mapFromScene(end)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(viewport, pos=(a + b) / 2)
    qtbot.mouseMove(viewport, pos=b)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=b)


def test_viewer_shows_the_photo_upright_with_its_facts_and_zooms(start_app, tmp_path, monkeypatch):
    app, _tab, viewer = viewer_on(start_app, tmp_path, monkeypatch, "Landscape_6.jpg")
    canvas = viewer.canvas
    # Stored sideways with orientation 6; shown as the 1800 x 1200 landscape it is.
    assert (canvas.photo_size.width(), canvas.photo_size.height()) == (1800, 1200)
    pixmap = canvas.image_item.pixmap()
    assert pixmap.width() > pixmap.height()
    facts = {key: label.text() for key, label in viewer.metadata.values.items()}
    assert facts["name"] == "Landscape_6.jpg"
    photo = viewer.photo
    assert facts["sha256"].replace("\n", "") == photo.sha256
    assert facts["phase"] == "Before"
    assert facts["gps"] == "not recorded"

    viewer.actual_action.trigger()
    assert abs(canvas.zoom - 1.0) < 1e-6
    # Pan: drag the photo (no shape under the mouse) with the select tool.
    scroll = canvas.horizontalScrollBar().value()
    middle = canvas.viewport().rect().center()
    app.qtbot.mousePress(canvas.viewport(), Qt.MouseButton.LeftButton, pos=middle)
    app.qtbot.mouseMove(canvas.viewport(), pos=middle - QPoint(120, 0))
    app.qtbot.mouseRelease(
        canvas.viewport(), Qt.MouseButton.LeftButton, pos=middle - QPoint(120, 0)
    )
    assert canvas.horizontalScrollBar().value() == scroll + 120
    viewer.fit_action.trigger()
    fitted = canvas.zoom
    assert fitted < 1.0
    wheel = QWheelEvent(
        QPointF(canvas.viewport().rect().center()),
        QPointF(canvas.viewport().mapToGlobal(canvas.viewport().rect().center())),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(canvas.viewport(), wheel)
    assert abs(canvas.zoom - fitted * 1.25) < 1e-6
    # This photo's preview is the full resolution already: nothing more to load.
    assert canvas.preview_width == 1800
    canvas.zoom_to(4.0)
    assert not canvas.has_detail
    assert "Zoom 400%" in viewer.zoom_label.text()
    viewer.close()


def test_a_jpegs_preview_is_made_when_the_viewer_first_shows_it(start_app, tmp_path, monkeypatch):
    """The import makes a JPEG's thumbnail only; opening the photo in the viewer makes the
    preview (a 1/2-scale decode of the blob, off the GUI thread) and shows it upright."""
    source = Image.new("RGB", (4000, 3000), (90, 120, 160))
    source.paste((250, 250, 250), (0, 0, 1000, 750))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: shown turned a quarter clockwise
    folder = tmp_path / "card"
    folder.mkdir()
    source.save(folder / "IMG_0042.jpg", quality=85, exif=exif.tobytes())
    app = start_app("en")
    tab = open_photos(app)
    import_folder(app, tab, folder, monkeypatch)
    (photo,) = tab.model.rows
    cache = DerivedCache(app.context.paths.cache)
    assert cache.thumbnail_path(photo.sha256).is_file()
    assert not cache.preview_path(photo.sha256).exists()
    viewer = open_viewer(app, tab, "IMG_0042.jpg")
    assert cache.preview_path(photo.sha256).is_file()
    with Image.open(cache.preview_path(photo.sha256)) as preview:
        assert preview.size == (1500, 2000)
    canvas = viewer.canvas
    assert canvas.preview_width == 1500
    assert (canvas.photo_size.width(), canvas.photo_size.height()) == (3000, 4000)
    shown = canvas.image_item.pixmap().toImage()
    assert shown.pixelColor(shown.width() - 10, 10).red() > 240  # the light corner, top right
    assert shown.pixelColor(10, 10).red() < 120
    viewer.close()


def test_zooming_in_far_loads_the_original(start_app, tmp_path, monkeypatch):
    folder = tmp_path / "big"
    folder.mkdir()
    big = Image.new("RGB", (4000, 3000), (90, 120, 160))
    big.paste((250, 250, 250), (0, 0, 400, 300))
    big.save(folder / "big.jpg", quality=85)
    app = start_app("en")
    tab = open_photos(app)
    import_folder(app, tab, folder, monkeypatch)
    viewer = open_viewer(app, tab, "big.jpg")
    canvas = viewer.canvas
    assert canvas.preview_width < 4000
    viewer.fit_action.trigger()
    assert not canvas.has_detail
    with app.qtbot.waitSignal(viewer.detail_shown, timeout=WAIT_MS):
        viewer.actual_action.trigger()
    assert canvas.image_item.pixmap().width() == 4000
    assert canvas.image_item.scale() == 1.0
    viewer.close()


def test_annotating_saves_a_new_version_and_never_touches_the_original(
    start_app, tmp_path, monkeypatch
):
    source = corpus_file("Landscape_3.jpg")
    app, tab, viewer = viewer_on(start_app, tmp_path, monkeypatch, "Landscape_3.jpg")
    photo = viewer.photo
    blob = BlobStore(app.context.paths.blobs).path_for(photo.sha256)
    original = blob.read_bytes()
    assert original == source.read_bytes()
    canvas = viewer.canvas
    w, h = canvas.photo_size.width(), canvas.photo_size.height()

    viewer.tool_actions[Tool.ARROW].trigger()
    drag(app.qtbot, canvas, QPointF(0.2 * w, 0.2 * h), QPointF(0.5 * w, 0.6 * h))
    assert [s["kind"] for s in canvas.overlay()] == ["arrow"]
    viewer.choose_color("#fdd835")
    viewer.tool_actions[Tool.TEXT].trigger()
    monkeypatch.setattr(PhotoCanvas, "ask_text", classmethod(lambda cls, parent: "裂缝 crack"))
    at = canvas.mapFromScene(QPointF(0.6 * w, 0.3 * h))
    app.qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=at)
    shapes = canvas.overlay()
    assert [s["kind"] for s in shapes] == ["arrow", "text"]
    assert shapes[1]["text"] == "裂缝 crack"
    assert shapes[1]["color"] == "#fdd835"
    arrow = shapes[0]
    assert abs(arrow["x1"] - 0.2) < 0.01
    assert abs(arrow["y2"] - 0.6) < 0.01

    viewer.undo_action.trigger()
    assert [s["kind"] for s in canvas.overlay()] == ["arrow"]
    viewer.redo_action.trigger()
    assert [s["kind"] for s in canvas.overlay()] == ["arrow", "text"]
    viewer.tool_actions[Tool.RECTANGLE].trigger()
    drag(app.qtbot, canvas, QPointF(0.1 * w, 0.7 * h), QPointF(0.3 * w, 0.9 * h))
    viewer.undo_action.trigger()
    assert [s["kind"] for s in canvas.overlay()] == ["arrow", "text"]
    assert viewer.state_label.text() == "Unsaved changes"

    with app.qtbot.waitSignal(viewer.annotation_saved, timeout=WAIT_MS) as saved:
        viewer.save_action.trigger()
    assert saved.args == [1]
    # Move the text with the select tool, then save again: version 2.
    viewer.tool_actions[Tool.SELECT].trigger()
    text_item = next(i for i in canvas.shapes() if i.data(0) == "text")
    start = text_item.sceneBoundingRect().center()
    drag(app.qtbot, canvas, start, start + QPointF(0.1 * w, 0.1 * h))
    moved = canvas.overlay()[1]
    assert abs(moved["x"] - 0.7) < 0.02
    assert abs(moved["y"] - 0.4) < 0.02
    viewer.undo_action.trigger()
    assert abs(canvas.overlay()[1]["x"] - 0.6) < 0.01
    viewer.redo_action.trigger()
    with app.qtbot.waitSignal(viewer.annotation_saved, timeout=WAIT_MS) as saved:
        viewer.save_action.trigger()
    assert saved.args == [2]
    assert viewer.state_label.text() == "Annotations: version 2"

    with app.context.store.read() as session:
        versions = photo_store.list_annotations(session, photo.id)
        again = photo_store.get_photo(session, photo.id)
    assert [v.version for v in versions] == [1, 2]
    assert [s["kind"] for s in versions[0].shapes] == ["arrow", "text"]
    assert abs(versions[1].shapes[1]["x"] - 0.7) < 0.02
    assert all(
        0.0 <= v <= 1.0 for s in versions[1].shapes for v in s.values() if isinstance(v, float)
    )
    # The original: same bytes, same hash, same record.
    assert blob.read_bytes() == original
    assert hashlib.sha256(blob.read_bytes()).hexdigest() == photo.sha256 == again.sha256
    assert again.phase is Phase.BEFORE
    viewer.close()

    # Opening the viewer again shows the latest version.
    reopened = open_viewer(app, tab, "Landscape_3.jpg")
    app.qtbot.waitUntil(lambda: reopened.version == 2, timeout=WAIT_MS)
    assert [s["kind"] for s in reopened.canvas.overlay()] == ["arrow", "text"]
    reopened.close()


def test_closing_with_unsaved_annotations_asks_first(start_app, tmp_path, monkeypatch):
    app, _tab, viewer = viewer_on(start_app, tmp_path, monkeypatch, "Portrait_5.jpg")
    canvas = viewer.canvas
    w, h = canvas.photo_size.width(), canvas.photo_size.height()
    viewer.tool_actions[Tool.CIRCLE].trigger()
    drag(app.qtbot, canvas, QPointF(0.5 * w, 0.5 * h), QPointF(0.6 * w, 0.5 * h))
    (circle,) = canvas.overlay()
    assert abs(circle["r"] - 0.1 * w / min(w, h)) < 0.01
    answers = iter([QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save])
    monkeypatch.setattr(PhotoViewerDialog, "ask_unsaved", classmethod(lambda cls, p: next(answers)))
    viewer.close()
    assert viewer.isVisible()
    viewer.close()
    assert not viewer.isVisible()
    app.settle()
    with app.context.store.read() as session:
        (saved,) = photo_store.list_annotations(session, viewer.photo.id)
    assert [s["kind"] for s in saved.shapes] == ["circle"]


def test_metadata_of_a_heic_with_gps_and_a_future_dated_photo(start_app, tmp_path, monkeypatch):
    corpus = SHARED / "corpus"
    pug = corpus / "pillow_heif" / "tests" / "images" / "heif_other" / "pug.heic"
    future = corpus / "pillow" / "Tests" / "images" / "exif_gps.jpg"
    if not (pug.is_file() and future.is_file()):
        pytest.skip("the shared corpus is missing")
    folder = tmp_path / "phone"
    folder.mkdir()
    shutil.copy(pug, folder / pug.name)
    shutil.copy(future, folder / future.name)
    app = start_app("en")
    tab = open_photos(app)
    import_folder(app, tab, folder, monkeypatch)

    viewer = open_viewer(app, tab, "pug.heic")
    facts = {key: label.text() for key, label in viewer.metadata.values.items()}
    assert facts["captured"].startswith("2023-02-21 14:33")
    assert facts["gps"].startswith("44.850478, 34.976647")
    assert "from the camera (EXIF)" in facts["gps"]
    assert facts["device"] == "Apple iPhone 13 Pro"
    assert not viewer.metadata.warning.isVisibleTo(viewer)
    with app.qtbot.waitSignal(viewer.detail_shown, timeout=WAIT_MS * 2):
        viewer.actual_action.trigger()
    assert viewer.canvas.image_item.pixmap().width() == viewer.photo.width
    viewer.close()

    dated = open_viewer(app, tab, "exif_gps.jpg")
    assert dated.metadata.values["captured"].text().startswith("2099-09-29 10:10")
    assert dated.metadata.warning.isVisibleTo(dated)
    assert "after the import time" in dated.metadata.warning.text()
    dated.close()
