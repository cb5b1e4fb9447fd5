"""Recovered photos put back where they belong: a photo whose bytes were stored but whose record
never was (``fieldcheck import-photos`` killed at the ``blob_committed`` crash point, or bytes
put into the blob store the way the pipeline does) is listed with its thumbnail in the
"Recovered photos" dialog, selected, and attached to a compound and phase through the attach
dialog. Attaching is an ordinary import of the blob file: a record with a readable name and its
outbox entry, the gallery shows it, the dialog and the status bar stop listing it. A photo
already recorded there is reported, not recorded twice; a damaged one stays listed with the
reason. Nothing is deleted."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from sqlmodel import col, select

from fieldcheck.app import seed_demo_if_empty
from fieldcheck.core.photo_import import ImportStatus, import_photos
from fieldcheck.domain.photo import Phase, PhotoTarget
from fieldcheck.paths import DataPaths
from fieldcheck.photos.blobs import BlobStore
from fieldcheck.photos.importer import MAX_PHOTO_BYTES
from fieldcheck.store.database import Store
from fieldcheck.store.tables import OutboxRow, PhotoRow
from fieldcheck.ui.recovered_photos import RecoveredPhotosDialog

from .conftest import WAIT_MS, RunningApp, compound_id, press_ok
from .photo_steps import COMPOUND, corpus_file, import_folder, open_photos

FIELDCHECK = Path(sys.executable).with_name("fieldcheck")


def crashed_import(paths: DataPaths, photo: Path) -> str:
    """Run ``fieldcheck import-photos`` and kill it with SIGKILL once the photo's blob is
    durable, before its record is committed (SYNC-RESEARCH F18)."""
    env = {"PATH": "/usr/bin:/bin"}
    base = [str(FIELDCHECK), "--data-dir", str(paths.root)]
    seeded = subprocess.run(
        [*base, "demo"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert seeded.returncode == 0, seeded.stderr
    done = subprocess.run(
        [*base, "import-photos", str(photo), "--compound", COMPOUND, "--phase", "before",
         "--inspector", "张三"],
        env={**env, "FIELDCHECK_CRASH_AT": "blob_committed"},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == -signal.SIGKILL, done.stderr
    return hashlib.sha256(photo.read_bytes()).hexdigest()


def stored_without_record(paths: DataPaths, data: bytes) -> str:
    """Bytes put into the blob store as the pipeline does (staged, committed), no record."""
    blobs = BlobStore(paths.blobs)
    staged = blobs.stage(io.BytesIO(data), max_bytes=MAX_PHOTO_BYTES, name="card")
    assert blobs.commit(staged)
    return staged.sha256


def photo_rows(app: RunningApp, hashes: list[str]) -> list[PhotoRow]:
    with app.context.store.read() as session:
        rows = session.exec(select(PhotoRow).where(col(PhotoRow.sha256).in_(hashes))).all()
        session.expunge_all()
    return list(rows)


def outbox_rows(app: RunningApp) -> list[tuple[str, str, str]]:
    with app.context.store.read() as session:
        rows = session.exec(select(OutboxRow).where(OutboxRow.entity == "photo")).all()
        return [(row.entity_id, row.action, row.payload["sha256"]) for row in rows]


def recovered_dialog(app: RunningApp, hashes: list[str]) -> RecoveredPhotosDialog:
    """The dialog the start-up check opened, once it shows the thumbnails or the problems."""
    window = app.window
    app.qtbot.waitUntil(lambda: window.recovered_dialog is not None, timeout=WAIT_MS)
    dialog = window.recovered_dialog
    assert dialog.isVisible()
    app.qtbot.waitUntil(
        lambda: all(
            dialog.thumbnails.pixmap(sha) is not None or sha in dialog.problems for sha in hashes
        ),
        timeout=WAIT_MS,
    )
    return dialog


def listed(dialog: RecoveredPhotosDialog) -> list[str]:
    """The SHA-256 of the recovered photos the dialog's tree shows."""
    found = []
    for group in range(dialog.tree.topLevelItemCount()):
        item = dialog.tree.topLevelItem(group)
        for row in range(item.childCount()):
            sha = item.child(row).data(0, Qt.ItemDataRole.UserRole)
            if sha:
                found.append(sha)
    return found


def click_rows(app: RunningApp, dialog: RecoveredPhotosDialog, hashes: list[str]) -> None:
    """Click the first row, Ctrl-click the others, as a user selects several."""
    tree = dialog.tree
    for n, sha in enumerate(hashes):
        rect = tree.visualItemRect(dialog._items[sha])
        modifier = Qt.KeyboardModifier.ControlModifier if n else Qt.KeyboardModifier.NoModifier
        app.qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())
    assert sorted(dialog.selected_hashes()) == sorted(hashes)


def attach(
    app: RunningApp,
    dialog: RecoveredPhotosDialog,
    phase: Phase,
    category: str = "",
    item_code: str = "",
    typed: str = "",
) -> None:
    """Click "Attach to compound…", choose the compound (by typing ``typed`` and taking the
    one entry the list keeps, or as preselected), the phase, category and item, press
    Attach and wait until the photos were imported and checked again."""
    assert dialog.attach_button.isEnabled()
    app.qtbot.mouseClick(dialog.attach_button, Qt.MouseButton.LeftButton)
    chooser = dialog.attach_dialog
    assert chooser is not None
    assert chooser.isVisible()
    app.qtbot.waitUntil(lambda: chooser.compound_combo.count() > 0, timeout=WAIT_MS)
    combo = chooser.compound_combo
    if typed:
        combo.lineEdit().clear()
        app.qtbot.keyClicks(combo.lineEdit(), typed)
        completer = combo.completer()
        app.qtbot.waitUntil(completer.popup().isVisible, timeout=WAIT_MS)
        assert completer.completionCount() == 1
        app.qtbot.keyClick(completer.popup(), Qt.Key.Key_Down)
        app.qtbot.keyClick(completer.popup(), Qt.Key.Key_Return)
    for box, value in (
        (chooser.phase_combo, phase.value),
        (chooser.category_combo, category),
        (chooser.item_combo, item_code),
    ):
        box.setCurrentIndex(box.findData(value))
    with app.qtbot.waitSignal(dialog.attach_finished, timeout=WAIT_MS * 4):
        press_ok(chooser)
    app.settle()


def test_recovered_photos_are_attached_and_leave_the_list(start_app, data_paths, tmp_path):
    card = tmp_path / "card"
    card.mkdir()
    crashed = crashed_import(data_paths, Path(shutil.copy(corpus_file("Landscape_2.jpg"), card)))
    stored = stored_without_record(data_paths, corpus_file("Portrait_5.jpg").read_bytes())
    app = start_app("en")
    tab = open_photos(app, "CG-01")  # the gallery of another compound shows at first
    dialog = recovered_dialog(app, [crashed, stored])
    assert sorted(listed(dialog)) == sorted([crashed, stored])
    row = dialog._items[stored]
    assert row.text(1) == f"{round(corpus_file('Portrait_5.jpg').stat().st_size / 1024)} KB"
    assert row.text(2)
    assert not row.text(3)
    assert app.window.integrity_button.text() == "Start-up check: recovered photos 2, problems 0"
    assert not dialog.attach_button.isEnabled()

    click_rows(app, dialog, [crashed, stored])
    tab.show_compound(compound_id(COMPOUND))  # the inspector now looks at CG-04's gallery
    app.settle()
    attach(app, dialog, Phase.AFTER, "3", "3.2", typed="cg-04")

    rows = {row.sha256: row for row in photo_rows(app, [crashed, stored])}
    assert set(rows) == {crashed, stored}
    for sha, row in rows.items():
        assert (row.compound_id, row.phase) == (compound_id(COMPOUND), "after")
        assert (row.category, row.item_code) == ("3", "3.2")
        assert row.original_name == f"recovered-{sha[:12]}.jpg"
        assert (row.id, "create", sha) in outbox_rows(app)
        assert BlobStore(data_paths.blobs).path_for(sha).is_file()
    app.qtbot.waitUntil(
        lambda: {p.sha256 for p in tab.model.rows} >= {crashed, stored}, timeout=WAIT_MS
    )
    assert listed(dialog) == []
    assert dialog.report.recovered == ()
    assert not app.window.integrity_button.isVisible()
    assert app.window.integrity.report.recovered == ()
    assert dialog.import_panel.tally[ImportStatus.IMPORTED] == 2


def test_attaching_a_photo_already_recorded_there_reports_it_and_changes_nothing(
    start_app, data_paths, tmp_path, monkeypatch
):
    card = tmp_path / "card"
    card.mkdir()
    crashed = crashed_import(data_paths, Path(shutil.copy(corpus_file("Landscape_2.jpg"), card)))
    app = start_app("en")
    dialog = recovered_dialog(app, [crashed])
    # The photo is attached once: the inspector imports it again from the card (what the
    # dialog used to advise) while the dialog still lists it...
    tab = open_photos(app)
    summary = import_folder(app, tab, card, monkeypatch, Phase.BEFORE)
    assert summary.imported == 1
    before_rows = [(r.id, r.original_name, r.rev) for r in photo_rows(app, [crashed])]
    before_outbox = outbox_rows(app)
    assert listed(dialog) == [crashed]

    # ...then attaches the recovered copy to the same compound and phase.
    click_rows(app, dialog, [crashed])
    attach(app, dialog, Phase.BEFORE)

    panel = dialog.import_panel
    assert panel.tally == {
        ImportStatus.IMPORTED: 0,
        ImportStatus.DUPLICATE: 1,
        ImportStatus.REFUSED: 0,
    }
    assert panel.results.topLevelItem(0).text(1) == "Already imported"
    assert [(r.id, r.original_name, r.rev) for r in photo_rows(app, [crashed])] == before_rows
    assert before_rows[0][1] == "Landscape_2.jpg"
    assert outbox_rows(app) == before_outbox
    assert listed(dialog) == []  # it has a record: it is no longer a recovered photo
    assert BlobStore(data_paths.blobs).path_for(crashed).is_file()


def test_a_damaged_recovered_photo_stays_listed_with_the_reason(start_app, data_paths):
    whole = corpus_file("Landscape_4.jpg").read_bytes()
    damaged = stored_without_record(data_paths, whole[: len(whole) // 2])
    good = stored_without_record(data_paths, corpus_file("Portrait_2.jpg").read_bytes())
    app = start_app("en")
    dialog = recovered_dialog(app, [damaged, good])
    reason = "The photo is damaged or unreadable."
    assert dialog._items[damaged].text(3) == reason
    assert dialog.thumbnails.is_missing(damaged)
    assert dialog.thumbnails.pixmap(good) is not None
    assert dialog._items[good].text(3) == ""

    app.open_compound(COMPOUND)
    click_rows(app, dialog, [damaged, good])
    attach(app, dialog, Phase.BEFORE)

    assert [row.sha256 for row in photo_rows(app, [damaged, good])] == [good]
    assert listed(dialog) == [damaged]
    assert dialog._items[damaged].text(3) == reason
    results = dialog.import_panel.results
    texts = {results.topLevelItem(i).text(0): results.topLevelItem(i).text(2) for i in range(2)}
    assert texts == {damaged: reason, good: ""}
    assert BlobStore(data_paths.blobs).path_for(damaged).is_file()
    assert app.window.integrity_button.text() == "Start-up check: recovered photos 1, problems 0"


def test_a_blob_that_no_longer_matches_its_hash_is_refused_not_recorded_anew(data_paths):
    """The blob's bytes changed (another program wrote to it): importing it would record
    photo bytes the blob's name does not vouch for, under a new hash. It is refused."""
    Store.open(data_paths).close()
    blobs = BlobStore(data_paths.blobs)
    sha = stored_without_record(data_paths, corpus_file("Landscape_1.jpg").read_bytes())
    blob = blobs.path_for(sha)
    blob.chmod(0o600)
    changed = corpus_file("Landscape_6.jpg").read_bytes()
    blob.write_bytes(changed)
    store = Store.open(data_paths)
    try:
        seed_demo_if_empty(store, dt.date.today())
        summary = import_photos(
            store, [blob], PhotoTarget(compound_id=compound_id(COMPOUND), phase=Phase.BEFORE)
        )
        with store.read() as session:
            assert session.exec(select(PhotoRow)).all() == []
    finally:
        store.close()
    assert [(o.status, o.code) for o in summary.outcomes] == [
        (ImportStatus.REFUSED, "photo_damaged")
    ]
    assert not blobs.exists(hashlib.sha256(changed).hexdigest())
    assert blob.read_bytes() == changed  # kept as it is, for someone to look at
