"""The start-up integrity pass in the app: after the window shows, a blob without a record (an
import interrupted between the blob and its record) is listed under "Recovered photos" in a
non-blocking dialog and noted in the status bar; nothing is deleted."""

from __future__ import annotations

from fieldcheck.paths import DataPaths
from fieldcheck.photos.blobs import BlobStore
from fieldcheck.photos.cache import DerivedCache
from fieldcheck.photos.importer import prepare_photo
from fieldcheck.store.database import Store

from .conftest import WAIT_MS
from .photo_steps import corpus_file


def interrupted_import(paths: DataPaths, name: str) -> str:
    """The pipeline took the file in, then the app died before the record was written."""
    Store.open(paths).close()
    prepared = prepare_photo(corpus_file(name), BlobStore(paths.blobs), DerivedCache(paths.cache))
    return prepared.sha256


def test_recovered_photos_are_shown_and_kept(start_app, data_paths):
    sha256 = interrupted_import(data_paths, "Portrait_4.jpg")
    blob = BlobStore(data_paths.blobs).path_for(sha256)
    app = start_app("en")
    window = app.window
    app.qtbot.waitUntil(lambda: window.recovered_dialog is not None, timeout=WAIT_MS)
    dialog = window.recovered_dialog
    assert dialog.isVisible()
    assert not dialog.isModal()
    group = dialog.tree.topLevelItem(0)
    assert group.text(0) == "Recovered photos (1)"
    assert group.child(0).text(0) == str(blob)
    assert window.integrity_button.isVisible()
    assert window.integrity_button.text() == ("Start-up check: recovered photos 1, problems 0")
    dialog.close()
    window.integrity_button.click()
    assert dialog.isVisible()
    assert blob.is_file()


def test_a_clean_data_folder_shows_nothing(start_app):
    app = start_app("en")
    app.qtbot.waitUntil(lambda: app.window.integrity.report is not None, timeout=WAIT_MS)
    assert app.window.recovered_dialog is None
    assert not app.window.integrity_button.isVisible()
