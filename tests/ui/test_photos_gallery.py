"""The Photos tab: importing a folder through the dialog (progress, per-file results with the
reason for a refused file), the gallery and its filters, dropping files on the gallery and on a
checklist item, and the gallery model (qtmodeltester; 3,000 rows without database work)."""

from __future__ import annotations

import datetime as dt
import shutil
import warnings
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSize, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from fieldcheck.domain.categories import Category
from fieldcheck.domain.inspection import InspectionKind
from fieldcheck.domain.photo import Phase, Photo
from fieldcheck.photos.blobs import BlobStore
from fieldcheck.photos.cache import DerivedCache
from fieldcheck.store import photos as photo_store
from fieldcheck.ui.i18n import CHINESE
from fieldcheck.ui.photo_gallery_model import PhotoGalleryModel, PhotoRole
from fieldcheck.ui.thumbnail_loader import ThumbnailLoader, load_thumbnail

from .conftest import WAIT_MS, compound_id, press_ok
from .photo_steps import (
    COMPOUND,
    corpus_file,
    import_folder,
    open_photos,
    photo_folder,
    wait_for_import,
)

GRID_PROBE = 40
LANDSCAPES = ["Landscape_1.jpg", "Landscape_3.jpg", "Landscape_6.jpg"]


def opaque_size(image) -> tuple[int, int]:
    """The width and height of the picture on a thumbnail tile (the rest is transparent)."""
    middle_row = sum(
        image.pixelColor(x, image.height() // 2).alpha() > 0 for x in range(image.width())
    )
    middle_column = sum(
        image.pixelColor(image.width() // 2, y).alpha() > 0 for y in range(image.height())
    )
    return middle_row, middle_column


def result_rows(tab) -> dict[str, tuple[str, str]]:
    tree = tab.import_panel.results
    return {
        tree.topLevelItem(i).text(0): (tree.topLevelItem(i).text(1), tree.topLevelItem(i).text(2))
        for i in range(tree.topLevelItemCount())
    }


def test_importing_a_folder_fills_the_gallery_and_lists_the_refused_file(
    start_app, tmp_path, monkeypatch
):
    folder = photo_folder(tmp_path / "card", LANDSCAPES, junk=True)
    app = start_app("en")
    tab = open_photos(app)
    assert tab.model.rowCount() == 0
    assert tab.empty_label.isVisible()

    summary = import_folder(app, tab, folder, monkeypatch, Phase.BEFORE, "3")

    assert (summary.imported, summary.duplicates, summary.refused) == (3, 0, 1)
    rows = result_rows(tab)
    assert rows["notes.jpg"] == ("Refused", "Not a photo.")
    assert all(rows[name] == ("Imported", "") for name in LANDSCAPES)
    assert tab.import_panel.progress.value() == tab.import_panel.progress.maximum() == 4
    assert tab.model.rowCount() == 3
    assert {p.original_name for p in tab.model.rows} == set(LANDSCAPES)
    # Each photo record waits in the outbox; the status bar counts them.
    assert app.window.pending_label.text() == "Pending changes: 3"
    assert all(p.phase is Phase.BEFORE and p.category == "3" for p in tab.model.rows)
    first = tab.model.index(0)
    assert first.data(Qt.ItemDataRole.DisplayRole).startswith("Before\n")
    assert "Landscape_" in first.data(Qt.ItemDataRole.ToolTipRole)
    # Thumbnails arrive lazily and the model shows them once loaded.
    loader = tab.thumbnails
    app.qtbot.waitUntil(
        lambda: all(loader.pixmap(p.sha256) is not None for p in tab.model.rows), timeout=WAIT_MS
    )
    # Landscape_6 is stored sideways (EXIF orientation 6): its thumbnail is upright (wide).
    sideways = next(p for p in tab.model.rows if p.original_name == "Landscape_6.jpg")
    width, height = opaque_size(loader.pixmap(sideways.sha256).toImage())
    assert width > height

    # Importing the same folder again duplicates nothing.
    again = import_folder(app, tab, folder, monkeypatch, Phase.BEFORE, "3")
    assert (again.imported, again.duplicates, again.refused) == (0, 3, 1)
    assert result_rows(tab)["Landscape_1.jpg"] == ("Already imported", "")
    assert tab.model.rowCount() == 3


def test_filters_by_phase_category_and_item(start_app, tmp_path, monkeypatch):
    app = start_app("en")
    tab = open_photos(app)
    import_folder(
        app, tab, photo_folder(tmp_path / "a", LANDSCAPES[:2]), monkeypatch, Phase.BEFORE, "1"
    )
    import_folder(
        app, tab, photo_folder(tmp_path / "b", ["Portrait_1.jpg"]), monkeypatch, Phase.AFTER, "3"
    )
    item_code = tab.import_dialog.item_combo.itemData(1)  # the first item of category 3
    import_folder(
        app,
        tab,
        photo_folder(tmp_path / "c", ["Portrait_8.jpg"]),
        monkeypatch,
        Phase.AFTER,
        "3",
        item_code,
    )
    assert tab.model.rowCount() == 4

    def shown_after(combo, data) -> set[str]:
        with app.qtbot.waitSignal(tab.loaded, timeout=WAIT_MS):
            combo.setCurrentIndex(combo.findData(data))
        return {p.original_name for p in tab.model.rows}

    assert shown_after(tab.phase_filter, Phase.AFTER.value) == {"Portrait_1.jpg", "Portrait_8.jpg"}
    assert shown_after(tab.phase_filter, Phase.BEFORE.value) == set(LANDSCAPES[:2])
    assert shown_after(tab.phase_filter, "") == {
        *LANDSCAPES[:2],
        "Portrait_1.jpg",
        "Portrait_8.jpg",
    }
    assert shown_after(tab.category_filter, "3") == {"Portrait_1.jpg", "Portrait_8.jpg"}
    assert tab.item_filter.isEnabled()
    assert shown_after(tab.item_filter, item_code) == {"Portrait_8.jpg"}
    assert shown_after(tab.category_filter, "2") == set()
    assert tab.empty_label.isVisible()


def drop(widget, paths: list[Path], at: QPoint | None = None) -> None:
    """Drag files over ``widget`` and drop them, the way a file manager does."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    point = at if at is not None else widget.rect().center()
    args = (
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # PySide marks the QPoint form
        enter = QDragEnterEvent(point, *args)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    dropped = QDropEvent(QPointF(point), *args)
    QApplication.sendEvent(widget, dropped)
    assert dropped.isAccepted()


def test_dropping_files_on_the_gallery_opens_the_import_and_imports_them(start_app, tmp_path):
    folder = photo_folder(
        tmp_path / "phone", ["Portrait_3.jpg", "Landscape_8.jpg", "Portrait_6.jpg"]
    )
    app = start_app("en")
    tab = open_photos(app)
    # An empty gallery shows its hint, and the hint takes drops.
    assert tab.empty_label.isVisible()
    drop(tab.empty_label, [folder / "Portrait_3.jpg", folder / "Landscape_8.jpg"])
    dialog = tab.import_dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog.path_list.count() == 2
    dialog.phase_combo.setCurrentIndex(dialog.phase_combo.findData(Phase.DURING.value))
    press_ok(dialog)
    summary = wait_for_import(app, tab)
    assert summary.imported == 2
    assert {p.phase for p in tab.model.rows} == {Phase.DURING}

    assert tab.view.isVisible()
    drop(tab.view.viewport(), [folder / "Portrait_6.jpg"])
    assert tab.import_dialog is not dialog
    press_ok(tab.import_dialog)
    assert wait_for_import(app, tab).imported == 1
    assert tab.model.rowCount() == 3


def test_dropping_a_folder_on_a_checklist_item_sets_its_category_and_item(start_app, tmp_path):
    folder = photo_folder(tmp_path / "item", ["Landscape_2.jpg"])
    app = start_app("en")
    app.open_compound(COMPOUND)
    app.start_inspection(InspectionKind.BASELINE_SURVEY)
    widget = app.item(Category.SECURITY_FIRE, "1.2")
    host = app.page.checklist.items_host
    drop(host, [folder], widget.mapTo(host, QPoint(20, 10)))
    tab = app.page.photos
    assert app.page.tabs.currentWidget() is tab
    dialog = tab.import_dialog
    assert dialog.category_combo.currentData() == "1"
    assert dialog.item_combo.currentData() == "1.2"
    press_ok(dialog)
    wait_for_import(app, tab)
    with app.context.store.read() as session:
        (photo,) = photo_store.list_photos(session, compound_id(COMPOUND))
    assert (photo.category, photo.item_code, photo.original_name) == ("1", "1.2", "Landscape_2.jpg")


def generated_photos(count: int) -> list[Photo]:
    start = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    phases = list(Phase)
    return [
        Photo(
            id=f"photo-{i}",
            sha256=f"{i:064x}",
            original_name=f"IMG_{i:05}.jpg",
            size_bytes=1000 + i,
            mime="image/jpeg",
            format="JPEG",
            make="Canon",
            model="EOS",
            captured_at=start + dt.timedelta(minutes=i) if i % 7 else None,
            location=None,
            location_source=None,
            orientation=1,
            width=4000,
            height=3000,
            imported_at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
            inspector="张三",
            clock_offset_s=None,
            phase=phases[i % 4],
            compound_id="c",
            category=str(i % 5 + 1),
        )
        for i in range(count)
    ]


@pytest.fixture
def gallery_model(start_app, monkeypatch):
    app = start_app("en")
    paths = app.context.paths
    loader = ThumbnailLoader(
        app.context.ops, BlobStore(paths.blobs), DerivedCache(paths.cache), QSize(64, 48)
    )
    model = PhotoGalleryModel(loader, QSize(64, 48))
    return app, model


def test_the_gallery_model_passes_qtmodeltester(gallery_model, qtmodeltester):
    _app, model = gallery_model
    model.set_rows(generated_photos(40))
    qtmodeltester.check(model, force_py=True)


def test_the_gallery_model_with_3000_rows_never_touches_the_database(gallery_model, monkeypatch):
    app, model = gallery_model
    model.set_rows(generated_photos(3000))

    def forbidden(*_args, **_kwargs):
        raise AssertionError("data() touched the database")

    monkeypatch.setattr(app.context.store, "read", forbidden)
    monkeypatch.setattr(app.context.store, "write", forbidden)
    monkeypatch.setattr(Path, "open", forbidden)
    roles = [
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.ToolTipRole,
        PhotoRole.PHOTO_ID,
        PhotoRole.PHASE,
    ]
    for row in range(model.rowCount()):
        for role in roles:
            assert model.index(row).data(role) is not None
    assert model.index(2999).data(PhotoRole.PHOTO_ID) == "photo-2999"
    monkeypatch.undo()
    app.settle()


def test_the_gallery_asks_only_for_the_thumbnails_it_shows(start_app):
    app = start_app("en")
    tab = open_photos(app)
    photos = generated_photos(3000)
    tab.model.set_rows(photos)
    tab._show_empty()
    app.qtbot.waitUntil(lambda: tab.thumbnails.requests > 0, timeout=WAIT_MS)
    app.settle()
    first_screen = tab.thumbnails.requests
    assert 0 < first_screen < 200

    def at_the_end() -> bool:  # the layout runs in batches: scroll again until it is done
        tab.view.scrollToBottom()
        return tab.view.indexAt(QPoint(GRID_PROBE, GRID_PROBE)).row() > 2500

    app.qtbot.waitUntil(at_the_end, timeout=WAIT_MS)
    app.qtbot.waitUntil(lambda: tab.thumbnails.requests > first_screen, timeout=WAIT_MS)
    app.settle()
    assert tab.thumbnails.requests < 400


def test_the_import_reports_progress_as_it_goes_and_can_be_cancelled(start_app, tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    source = Image.open(corpus_file("Landscape_1.jpg")).reduce(8)
    for i in range(300):  # distinct bytes, so none is a duplicate
        source.copy().rotate(i * 1.2).save(folder / f"IMG_{i:04}.jpg", quality=60)
    app = start_app("en")
    tab = open_photos(app)
    tab.open_import_dialog([folder])
    press_ok(tab.import_dialog)
    panel = tab.import_panel
    assert panel.running
    assert not tab.import_button.isEnabled()
    # The event loop keeps running: the bar moves while files are still coming in.
    app.qtbot.waitUntil(lambda: 0 < panel.progress.value() < 300, timeout=WAIT_MS)
    app.qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    summary = wait_for_import(app, tab)
    assert summary.stopped_code == "cancelled"
    assert 0 < summary.imported < 300
    assert panel.counts.text().endswith(" — stopped")
    assert panel.title.text() == "Import stopped"
    assert tab.import_button.isEnabled()
    with app.context.store.read() as session:
        kept = photo_store.list_photos(session, compound_id(COMPOUND))
    assert len(kept) == summary.imported == tab.model.rowCount()


def test_a_lost_thumbnail_cache_is_rebuilt_from_the_blob(start_app, tmp_path, monkeypatch):
    app = start_app("en")
    tab = open_photos(app)
    import_folder(app, tab, photo_folder(tmp_path / "f", ["Portrait_7.jpg"]), monkeypatch)
    paths = app.context.paths
    shutil.rmtree(paths.cache)
    (photo,) = tab.model.rows
    cache = DerivedCache(paths.cache)
    tile = load_thumbnail(BlobStore(paths.blobs), cache, photo.sha256, QSize(64, 48))
    assert not tile.isNull()
    assert cache.thumbnail_path(photo.sha256).is_file()
    width, height = opaque_size(tile)
    assert height > width  # still the right way up


def test_the_photos_tab_switches_language_live(start_app, tmp_path, monkeypatch):
    app = start_app("en")
    tab = open_photos(app)
    import_folder(app, tab, photo_folder(tmp_path / "f", ["Landscape_4.jpg"]), monkeypatch)
    page = app.page

    def texts() -> tuple[str, ...]:
        return (
            page.tabs.tabText(page.tabs.indexOf(tab)),
            tab.phase_filter.itemText(0),
            tab.model.index(0).data(Qt.ItemDataRole.DisplayRole).split("\n")[0],
            tab.count_label.text(),
            tab.import_panel.results.topLevelItem(0).text(1),
        )

    assert texts() == ("Photos", "All phases", "Before", "Photos: 1", "Imported")
    app.window.switch_language(CHINESE)
    app.qtbot.waitUntil(lambda: texts() == ("照片", "全部阶段", "整改前", "照片：1 张", "已导入"))


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_filters_stay_narrow_and_their_lists_show_whole_names(start_app, language):
    """The filter row leaves the compound list its room; a category's or item's whole name
    still shows when the list drops down."""
    app = start_app(language)
    tab = open_photos(app)
    combo = tab.category_filter
    combo.setCurrentIndex(combo.findData(Category.ENVIRONMENT_FACADE.value))
    app.settle()
    for filter_combo in (tab.category_filter, tab.item_filter):
        metrics = filter_combo.view().fontMetrics()
        longest = max(
            metrics.horizontalAdvance(filter_combo.itemText(i)) for i in range(filter_combo.count())
        )
        assert filter_combo.width() < longest  # narrow in the row…
        assert filter_combo.view().minimumWidth() >= longest  # …whole in the drop-down
    assert app.window.compound_list.width() >= 600
