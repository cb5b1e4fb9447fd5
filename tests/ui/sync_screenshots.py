"""The sync views for ``screenshots.py``: the sign-in dialog (after a wrong password), the
status bar while a slowed photo upload runs, and the Needs attention panel with a conflict
(compare and history) and with a change the server rejected.

A real server runs in a subprocess (``tests.sync.conftest.start_server``) behind a
``FaultProxy``; a second laptop made with ``fieldcheck demo`` changes the same answer so the
conflict is a real one, and an inspection of a compound outside alice's sub-districts is
rejected by the server. ``wait(app, done)`` lets the app run until ``done()``.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from fieldcheck import cli
from fieldcheck.core.photo_import import run_import
from fieldcheck.domain.categories import Category
from fieldcheck.domain.ids import fixed_id
from fieldcheck.domain.inspection import InspectionKind
from fieldcheck.domain.photo import Phase, PhotoTarget
from fieldcheck.paths import DataPaths
from fieldcheck.store import inspections
from fieldcheck.store.database import Store
from fieldcheck.store.syncbook.meta import meta
from fieldcheck.sync.progress import Phase as SyncPhase
from fieldcheck.ui.context import AppContext
from fieldcheck.ui.main_window import MainWindow
from sync_server.testing import PASSWORD
from tests.faults.proxy import UPSTREAM, FaultProxy, Toxic
from tests.sync.conftest import FAST, Laptop, Server, big_jpeg, start_server

Wait = Callable[[QApplication, Callable[[], bool]], None]
SLOW_KB_S = 250
#: A compound outside alice's sub-districts: her inspection of it is rejected.
OUTSIDE = "BY-01"


@dataclass
class SyncScene:
    server: Server
    proxy: FaultProxy
    photos: Path

    def stop(self) -> None:
        self.proxy.stop()
        self.server.process.stop()


def prepare_sync(
    app: QApplication, window: MainWindow, context: AppContext, wait: Wait, compound: str
) -> SyncScene:
    """Sign in, sync what was recorded, make a conflict on item 1.1 of ``compound``'s
    inspection (its values and its note) with a second laptop, and have an inspection of a
    compound outside alice's area rejected."""
    scratch = Path(tempfile.mkdtemp(prefix="fieldcheck-sync-shots-"))
    server = start_server(scratch / "server")
    proxy = FaultProxy(upstream_port=server.process.port).start()
    scene = SyncScene(server, proxy, scratch / "photos")
    scene.photos.mkdir()
    sync = window.sync
    sync.controller.http_config = FAST
    sync.controller.sign_in(proxy.url, "alice", PASSWORD)
    wait(app, lambda: sync.controller.snapshot.signed_in and not sync.controller.running)
    wait(app, lambda: sync.controller.last_error is None and not sync.controller.running)
    wait(app, context.ops.is_idle)  # the views reload what the first sync pulled

    inspection = window.compound_page.checklist.inspection
    assert inspection is not None
    root = scratch / "bob"
    assert cli.main(["--data-dir", str(root), "demo", "--year", "2026"]) == 0
    bob = Laptop(root, Store.open(DataPaths(root)), "bob", server.url)
    try:
        assert bob.sync().error is None
        bob.answer(inspection.id, "1.1", {"entrances": 4, "guard_post": "fail"}, "东门有门岗")
        assert bob.sync().error is None
    finally:
        bob.close()
    checklist = window.compound_page.checklist
    checklist.select_category(Category.SECURITY_FIRE)
    checklist.items["1.1"].editors["entrances"].spin.setValue(5)
    note = checklist.items["1.1"].note_edit
    note.setText("西门无门岗，需补设")
    note.textEdited.emit(note.text())
    checklist.flush_pending()
    with context.store.write() as session:
        inspections.start_inspection(
            session,
            fixed_id("compound", OUTSIDE),
            InspectionKind.BASELINE_SURVEY,
            "alice",
            context.catalog.latest(),
            dt.date(2026, 3, 2),
        )
    wait(app, context.ops.is_idle)
    sync.controller.sync_now()
    wait(
        app,
        lambda: (
            not sync.controller.running
            and sync.controller.snapshot.conflicts == 1
            and sync.controller.snapshot.rejected == 1
        ),
    )
    wait(app, context.ops.is_idle)
    return scene


def shoot_sync(
    app: QApplication,
    window: MainWindow,
    context: AppContext,
    out: Path,
    language: str,
    wait: Wait,
    scene: SyncScene,
) -> list[Path]:
    sync = window.sync
    shots = []

    # the sign-in dialog after a wrong password
    sync.open_sign_in()
    dialog = sync.sign_in_dialog
    dialog.password_edit.setText("wrong-password")
    dialog.submit()
    wait(app, lambda: dialog.error.isVisible())
    wait(app, context.ops.is_idle)
    path = out / f"sync-sign-in-{language}.png"
    dialog.grab().save(str(path))
    dialog.reject()
    shots.append(path)

    shots.extend(shoot_attention(app, window, out, language, wait))

    # the status bar during a slowed photo upload
    photo = big_jpeg(scene.photos / f"facade-{language}.jpg", seed=len(language), size=(1400, 1000))
    compound_id = fixed_id("compound", "CG-01")
    target = PhotoTarget(compound_id=compound_id, phase=Phase.BEFORE, inspector="alice")
    imported = run_import(context.store, [photo], target)
    assert imported.value.refused == 0
    context.ops.broadcast(imported.changes)
    wait(app, context.ops.is_idle)
    with context.store.write() as session:
        meta(session).chunk_size = 256 * 1024  # as after a slow link: small chunks
    slow = scene.proxy.add(Toxic.bandwidth(SLOW_KB_S, UPSTREAM))
    status = sync.status
    sync.controller.sync_now()
    wait(
        app,
        lambda: (
            status.progress is not None
            and status.progress.phase == SyncPhase.BLOBS
            and 0 < status.progress.bytes_sent < status.progress.bytes_total
        ),
    )
    for name, widget in (("sync-uploading", window), ("sync-status-bar", window.statusBar())):
        path = out / f"{name}-{language}.png"
        widget.grab().save(str(path))
        shots.append(path)
    scene.proxy.remove(slow)
    wait(app, lambda: not sync.controller.running)
    wait(app, context.ops.is_idle)
    return shots


def shoot_attention(
    app: QApplication, window: MainWindow, out: Path, language: str, wait: Wait
) -> list[Path]:
    """The Needs attention panel on the conflict (compare and history), then on the
    rejected inspection."""
    sync = window.sync
    sync.open_attention()
    panel = sync.attention_dialog
    wait(app, lambda: panel.list.count() == 2)
    shots = []
    for row, name in enumerate(("sync-needs-attention", "sync-needs-attention-rejected")):
        panel.list.setCurrentRow(row)
        app.processEvents()
        path = out / f"{name}-{language}.png"
        panel.grab().save(str(path))
        shots.append(path)
    panel.hide()
    return shots
