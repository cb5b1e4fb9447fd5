"""Per-photo sync state in the Photos tab: each thumbnail carries a badge (on the server,
waiting to upload, needs attention, not synced yet) and its tooltip says it in words, in both
languages. Photos go in through the import dialog, syncs run against the real server in a
subprocess, and the gallery follows without reopening the tab."""

from __future__ import annotations

import os
import stat

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QStyleOptionViewItem

from fieldcheck.core.sync_marks import PhotoMark, photo_sync_state
from fieldcheck.photos.blobs import BlobStore
from fieldcheck.photos.cache import DerivedCache
from fieldcheck.ui.colors import DONE_TEXT, OVERDUE_TEXT
from fieldcheck.ui.i18n import CHINESE
from fieldcheck.ui.photo_gallery_model import PhotoGalleryModel, PhotoRole
from fieldcheck.ui.thumbnail_loader import ThumbnailLoader

from .conftest import WAIT_MS
from .photo_steps import corpus_file, import_folder, open_photos, photo_folder
from .sync_steps import SYNC_MS, sign_in, sync_now
from .test_photos_gallery import generated_photos

pytestmark = pytest.mark.usefixtures("fast_retries")

#: A badge is 20 px across; its fill covers well over this many of them.
BADGE_FILL_PIXELS = 80


def states(tab) -> dict[str, str]:
    """original file name -> the sync state the gallery shows for it."""
    return {
        tab.model.index(row).data(PhotoRole.PHOTO).original_name: tab.model.index(row).data(
            PhotoRole.SYNC_STATE
        )
        for row in range(tab.model.rowCount())
    }


def tooltip(tab, name: str) -> str:
    row = next(i for i, p in enumerate(tab.model.rows) if p.original_name == name)
    return tab.model.index(row).data(Qt.ItemDataRole.ToolTipRole)


def badge_pixels(tab, name: str, color: QColor) -> int:
    """How many pixels of the thumbnail's badge, as painted on screen, have ``color``."""
    row = next(i for i, p in enumerate(tab.model.rows) if p.original_name == name)
    index = tab.model.index(row)
    tab.view.scrollTo(index)
    option = QStyleOptionViewItem()
    tab.view.initViewItemOption(option)
    option.rect = tab.view.visualRect(index)
    rect = tab.view.itemDelegate().badge_rect(option, index)
    image = tab.view.viewport().grab().toImage()
    return sum(
        image.pixelColor(x, y).rgb() == color.rgb()
        for x in range(rect.left(), rect.right() + 1)
        for y in range(rect.top(), rect.bottom() + 1)
    )


def sign_in_and_sync(app, url: str) -> None:
    """Sign in through the dialog; signing in runs the first sync."""
    dialog = sign_in(app, url)
    with app.qtbot.waitSignal(app.window.sync.controller.sync_finished, timeout=SYNC_MS):
        dialog.submit()
    app.settle()


@pytest.mark.parametrize(
    ("record", "blob", "ever_synced", "expected"),
    [
        ("synced", "verified", True, PhotoMark.ON_SERVER),
        ("pending", "verified", True, PhotoMark.WAITING),
        ("synced", "uploading", True, PhotoMark.WAITING),
        ("synced", "local_only", True, PhotoMark.WAITING),
        ("pending", "local_only", False, PhotoMark.NEVER_SYNCED),
        ("local", "local_only", True, PhotoMark.NEVER_SYNCED),
        ("rejected", "verified", True, PhotoMark.ATTENTION),
        ("conflict", "verified", True, PhotoMark.ATTENTION),
        ("synced", "integrity", True, PhotoMark.ATTENTION),
        ("pending", "integrity", False, PhotoMark.ATTENTION),
    ],
)
def test_a_photo_state_combines_its_record_and_its_file(record, blob, ever_synced, expected):
    assert photo_sync_state(record, blob, ever_synced) == expected


def test_the_gallery_model_with_sync_states_passes_qtmodeltester(start_app, qtmodeltester):
    app = start_app("en")
    paths = app.context.paths
    size = QSize(64, 48)
    loader = ThumbnailLoader(
        app.context.ops, BlobStore(paths.blobs), DerivedCache(paths.cache), size
    )
    model = PhotoGalleryModel(loader, size)
    photos = generated_photos(40)
    model.set_rows(photos)
    cycle = [
        PhotoMark.ON_SERVER,
        PhotoMark.WAITING,
        PhotoMark.ATTENTION,
    ]  # and the last ten not loaded yet
    model.set_sync_states({p.id: cycle[i % 3] for i, p in enumerate(photos[:30])})
    qtmodeltester.check(model, force_py=True)
    assert [model.index(i).data(PhotoRole.SYNC_STATE) for i in (0, 1, 2, 39)] == [
        PhotoMark.ON_SERVER,
        PhotoMark.WAITING,
        PhotoMark.ATTENTION,
        "",
    ]
    assert (
        model.index(2)
        .data(Qt.ItemDataRole.ToolTipRole)
        .endswith(
            "\nSync: Needs attention: "
            "refused by the server, in conflict, or the file on this laptop changed"
        )
    )
    assert "Sync:" not in model.index(39).data(Qt.ItemDataRole.ToolTipRole)
    app.settle()


def test_a_freshly_imported_photo_shows_it_was_never_synced(start_app, tmp_path, monkeypatch):
    app = start_app("en")
    tab = open_photos(app)
    import_folder(app, tab, photo_folder(tmp_path / "card", ["Landscape_2.jpg"]), monkeypatch)
    app.qtbot.waitUntil(
        lambda: states(tab) == {"Landscape_2.jpg": PhotoMark.NEVER_SYNCED}, timeout=WAIT_MS
    )
    assert tooltip(tab, "Landscape_2.jpg").endswith("\nSync: Not synced yet")
    app.window.switch_language(CHINESE)
    app.qtbot.waitUntil(
        lambda: tooltip(tab, "Landscape_2.jpg").endswith("\n同步：尚未同步"), timeout=WAIT_MS
    )


def test_after_a_real_sync_the_gallery_shows_the_photos_on_the_server(
    start_app, server, tmp_path, monkeypatch
):
    app = start_app("en")
    tab = open_photos(app)
    first = ["Landscape_1.jpg", "Portrait_2.jpg"]
    import_folder(app, tab, photo_folder(tmp_path / "a", first), monkeypatch)
    app.qtbot.waitUntil(
        lambda: set(states(tab).values()) == {PhotoMark.NEVER_SYNCED}, timeout=WAIT_MS
    )
    assert badge_pixels(tab, "Landscape_1.jpg", DONE_TEXT) == 0

    sign_in_and_sync(app, server.url)
    assert app.page.tabs.currentWidget() is tab
    app.qtbot.waitUntil(lambda: set(states(tab).values()) == {PhotoMark.ON_SERVER}, timeout=WAIT_MS)
    assert tooltip(tab, "Portrait_2.jpg").endswith("\nSync: On the server")
    assert badge_pixels(tab, "Landscape_1.jpg", DONE_TEXT) > BADGE_FILL_PIXELS

    # A photo taken after that sync waits for the next one; the others stay on the server.
    import_folder(app, tab, photo_folder(tmp_path / "b", ["Landscape_5.jpg"]), monkeypatch)
    app.qtbot.waitUntil(
        lambda: (
            states(tab)
            == {**dict.fromkeys(first, PhotoMark.ON_SERVER), "Landscape_5.jpg": PhotoMark.WAITING}
        ),
        timeout=WAIT_MS,
    )
    assert tooltip(tab, "Landscape_5.jpg").endswith("\nSync: Waiting to upload")
    assert sync_now(app).photos_uploaded == 1
    app.qtbot.waitUntil(lambda: set(states(tab).values()) == {PhotoMark.ON_SERVER}, timeout=WAIT_MS)
    app.window.switch_language(CHINESE)
    app.qtbot.waitUntil(
        lambda: tooltip(tab, "Landscape_5.jpg").endswith("\n同步：已在服务器上"), timeout=WAIT_MS
    )


def test_a_photo_whose_file_changed_on_the_laptop_needs_attention(
    start_app, server, tmp_path, monkeypatch
):
    app = start_app("en")
    tab = open_photos(app, "CG-05")  # not the compound whose photos the test above sent
    names = ["Portrait_5.jpg", "Landscape_7.jpg"]
    import_folder(app, tab, photo_folder(tmp_path / "card", names), monkeypatch)
    changed = next(p for p in tab.model.rows if p.original_name == "Portrait_5.jpg")
    path = BlobStore(app.context.paths.blobs).path_for(changed.sha256)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    with open(path, "r+b") as handle:  # bit rot, or an edit in another program
        handle.seek(200)
        handle.write(b"\x00\x01\x02")

    sign_in_and_sync(app, server.url)
    app.qtbot.waitUntil(
        lambda: (
            states(tab)
            == {"Portrait_5.jpg": PhotoMark.ATTENTION, "Landscape_7.jpg": PhotoMark.ON_SERVER}
        ),
        timeout=WAIT_MS,
    )
    assert "\nSync: Needs attention: " in tooltip(tab, "Portrait_5.jpg")
    assert badge_pixels(tab, "Portrait_5.jpg", OVERDUE_TEXT) > BADGE_FILL_PIXELS
    assert badge_pixels(tab, "Landscape_7.jpg", OVERDUE_TEXT) == 0
    app.window.switch_language(CHINESE)
    app.qtbot.waitUntil(
        lambda: "\n同步：需要处理：" in tooltip(tab, "Portrait_5.jpg"), timeout=WAIT_MS
    )


def test_a_colleagues_photo_arrives_in_the_open_gallery(start_app, server, make_laptop):
    """The gallery of the compound on screen reloads when a sync pulls photos for it, and
    shows them as on the server, without the tab being opened again."""
    bob = make_laptop("bob")
    [sha] = bob.import_photos([corpus_file("Landscape_8.jpg")], "CG-03")
    assert bob.sync().error is None
    app = start_app("en")
    tab = open_photos(app, "CG-03")
    assert tab.model.rowCount() == 0
    sign_in_and_sync(app, server.url)
    app.qtbot.waitUntil(lambda: [p.sha256 for p in tab.model.rows] == [sha], timeout=WAIT_MS)
    app.qtbot.waitUntil(lambda: set(states(tab).values()) == {PhotoMark.ON_SERVER}, timeout=WAIT_MS)
    assert app.page.tabs.currentWidget() is tab
