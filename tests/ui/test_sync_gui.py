"""Issue 5 (2): syncing through the real widgets against the real server in a subprocess:
sign in, answer, "Sync now", the status bar; a wrong password; a conflict made by a second
laptop, shown under Needs attention and resolved; a slowed upload that never freezes the
window."""

from __future__ import annotations

import itertools
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QMessageBox
from sqlmodel import select

from fieldcheck.core.photo_import import import_photos, run_import
from fieldcheck.domain.categories import Category
from fieldcheck.domain.inspection import InspectionKind
from fieldcheck.domain.photo import Phase, PhotoTarget
from fieldcheck.store import inspections
from fieldcheck.store.syncbook.meta import meta
from fieldcheck.store.tables import OutboxRow, RetractionRow
from fieldcheck.sync.credentials import TokenStore
from fieldcheck.sync.errors import SyncErrorKind
from fieldcheck.sync.progress import Phase as SyncPhase
from fieldcheck.ui.compound_table import SYNC_STATE_ROLE, CompoundColumn
from fieldcheck.ui.item_sync_marks import MARK_NAME
from fieldcheck.ui.sync_controller import BACKOFF_BASE_MS, INTERVAL_MS
from sync_server.testing import COMPOUNDS, PASSWORD
from tests.faults.proxy import UPSTREAM, FaultProxy, Toxic
from tests.sync.conftest import big_jpeg

from .conftest import press_ok
from .sync_steps import SYNC_MS, answer_entrances, sign_in, sync_now

pytestmark = pytest.mark.usefixtures("fast_retries")


def item_mark(app, code: str) -> str:
    mark = app.item(Category.SECURITY_FIRE, code).findChild(QLabel, MARK_NAME)
    return mark.text() if mark is not None else ""


def compound_state(app, code: str) -> str:
    model = app.window.compound_list.model
    return model.index(model.row_of(COMPOUNDS[code]), CompoundColumn.SYNC).data(SYNC_STATE_ROLE)


def test_sign_in_answer_and_sync_now(start_app, server):
    app = start_app()
    status = app.window.sync.status
    assert app.window.network_label.text() == "Offline"
    assert status.sign_in_button.isVisible()
    dialog = sign_in(app, server.url)
    with app.qtbot.waitSignal(app.window.sync.controller.sync_finished, timeout=SYNC_MS):
        press_ok(dialog)
    app.settle()
    assert not dialog.isVisible()
    assert app.window.network_label.text() == "Online"

    app.open_compound("CG-01")
    app.start_inspection(InspectionKind.BASELINE_SURVEY)
    answer_entrances(app, 3)
    app.qtbot.waitUntil(lambda: "0 records" not in status.waiting_label.text())
    app.qtbot.waitUntil(lambda: compound_state(app, "CG-01") == "pending")
    app.qtbot.waitUntil(lambda: item_mark(app, "1.1") == "↑")
    assert item_mark(app, "1.2") == ""

    report = sync_now(app)
    assert report.error is None
    assert report.records_pushed >= 2
    app.qtbot.waitUntil(lambda: status.waiting_label.text() == "To upload: records 0, photos 0")
    assert status.last_sync_label.text().startswith("Last sync: ")
    assert not status.attention_button.isVisible()
    app.qtbot.waitUntil(lambda: compound_state(app, "CG-01") == "synced")
    app.qtbot.waitUntil(lambda: item_mark(app, "1.1") == "✓")
    # the password was used once and is nowhere on disk
    for path in app.context.paths.root.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes()

    app.window.sync.sign_out_action.trigger()
    app.qtbot.waitUntil(status.sign_in_button.isVisible)
    assert app.window.network_label.text() == "Offline"
    assert TokenStore(app.context.paths.root).load(server.url, "alice") is None


def test_wrong_password_is_named_and_keeps_everything(start_app, server):
    app = start_app()
    app.open_compound("CG-02")
    app.start_inspection(InspectionKind.BASELINE_SURVEY)
    answer_entrances(app, 2)
    before = app.window.sync.status.waiting_label.text()
    dialog = sign_in(app, server.url, password="not-the-password")
    with app.qtbot.waitSignal(app.window.sync.controller.sign_in_failed, timeout=SYNC_MS):
        press_ok(dialog)
    app.settle()
    assert dialog.isVisible()
    assert dialog.error.isVisible()
    assert dialog.error.text() == "Wrong user name or password."
    assert dialog.server_edit.text() == server.url
    assert dialog.user_edit.text() == "alice"
    assert not app.window.sync.controller.snapshot.signed_in
    assert app.window.sync.status.waiting_label.text() == before != "To upload: records 0, photos 0"

    # an address where nothing listens: named as unreachable, not as a wrong password
    dialog.server_edit.setText("http://127.0.0.1:9")
    dialog.password_edit.setText(PASSWORD)
    with app.qtbot.waitSignal(app.window.sync.controller.sign_in_failed, timeout=SYNC_MS):
        dialog.submit()
    assert "cannot be reached" in dialog.error.text()


def test_a_conflict_from_a_second_laptop_is_shown_and_resolved(start_app, server, make_laptop):
    app = start_app()
    with app.qtbot.waitSignal(app.window.sync.controller.sync_finished, timeout=SYNC_MS):
        press_ok(sign_in(app, server.url))
    app.open_compound("CG-03")
    inspection = app.start_inspection(InspectionKind.BASELINE_SURVEY)
    answer_entrances(app, 3)
    assert sync_now(app).error is None

    bob = make_laptop("bob")
    assert bob.sync().error is None
    bob.answer(inspection, "1.1", {"entrances": 5})
    assert bob.sync().error is None

    answer_entrances(app, 4)
    report = sync_now(app)
    assert report.conflicts == 1
    status = app.window.sync.status
    app.qtbot.waitUntil(status.attention_button.isVisible)
    assert status.attention_button.text() == "Needs attention: 1"
    app.qtbot.waitUntil(lambda: compound_state(app, "CG-03") == "conflict")
    app.qtbot.waitUntil(lambda: item_mark(app, "1.1") == "⚠")

    status.attention_button.click()
    panel = app.window.sync.attention_dialog
    app.qtbot.waitUntil(lambda: panel.list.count() == 1)
    conflict = panel.current()
    assert conflict.kind == "conflict"
    rows = {
        panel.compare.item(r, 0).text(): (
            panel.compare.item(r, 1).text(),
            panel.compare.item(r, 2).text(),
        )
        for r in range(panel.compare.rowCount())
    }
    entrances = app.context.catalog.latest().item("1.1").field("entrances").label.en
    assert rows == {entrances: ("4", "5")}
    assert panel.list.item(0).text() == "Conflict: Answer 1.1"
    authors = {panel.history.item(r, 1).text() for r in range(panel.history.rowCount())}
    assert any(a.startswith("alice") for a in authors)
    assert any(a.startswith("bob") for a in authors)

    panel.compare.item(0, 3).setText("6")  # neither: the inspector merges by hand
    with app.qtbot.waitSignal(app.window.sync.controller.sync_finished, timeout=SYNC_MS):
        panel.merged_button.click()
    app.settle()
    app.qtbot.waitUntil(lambda: panel.list.count() == 0)
    app.qtbot.waitUntil(lambda: not status.attention_button.isVisible())
    assert app.window.sync.controller.snapshot.records == 0
    app.qtbot.waitUntil(lambda: compound_state(app, "CG-03") == "synced")
    with app.context.store.read() as session:
        answers = inspections.list_answers(session, inspection)
    assert [a.values for a in answers if a.item_code == "1.1"] == [{"entrances": 6}]


def test_the_window_stays_responsive_during_a_slow_upload(start_app, server, tmp_path):
    app = start_app()
    photo = big_jpeg(tmp_path / "facade.jpg", seed=7, size=(1000, 800))
    target = PhotoTarget(compound_id=COMPOUNDS["CG-05"], phase=Phase.BEFORE, inspector="alice")
    imported = run_import(app.context.store, [photo], target)
    assert imported.value.refused == 0
    app.context.ops.broadcast(imported.changes)
    app.settle()
    size = photo.stat().st_size
    controller = app.window.sync.controller
    status = app.window.sync.status
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    uploading: list[str] = []
    controller.progress_made.connect(
        lambda p: (
            uploading.append(status.phase_label.text())
            if p.phase == SyncPhase.BLOBS and 0 < p.bytes_sent < p.bytes_total
            else None
        )
    )
    with FaultProxy(upstream_port=server.process.port) as proxy:
        proxy.add(Toxic.bandwidth(size / 1000 / 3, UPSTREAM))  # about 3 s for the photo
        timer.start(50)
        with app.qtbot.waitSignal(controller.sync_finished, timeout=SYNC_MS) as done:
            controller.sign_in(proxy.url, "alice", PASSWORD)
        timer.stop()
    report = done.args[0]
    assert report.error is None
    assert report.photos_uploaded == 1
    assert uploading
    assert uploading[-1].startswith("Uploading photo 1 of 1: ")
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(ticks) > 30  # the upload took seconds and the timer kept firing
    assert max(gaps) < 1.0


def test_cancel_stops_a_running_sync(start_app, server, tmp_path):
    app = start_app()
    photo = big_jpeg(tmp_path / "gate.jpg", seed=8, size=(1000, 800))
    target = PhotoTarget(compound_id=COMPOUNDS["CG-04"], phase=Phase.BEFORE, inspector="alice")
    assert import_photos(app.context.store, [photo], target).refused == 0
    controller = app.window.sync.controller
    status = app.window.sync.status
    with FaultProxy(upstream_port=server.process.port) as proxy:
        proxy.add(Toxic.bandwidth(150, UPSTREAM))
        with app.qtbot.waitSignal(controller.sync_finished, timeout=SYNC_MS) as done:
            controller.sign_in(proxy.url, "alice", PASSWORD)
            app.qtbot.waitUntil(
                lambda: (
                    status.cancel_button.isVisible()
                    and status.progress is not None
                    and status.progress.phase == SyncPhase.BLOBS
                ),
                timeout=SYNC_MS,
            )
            status.cancel_button.click()
    report = done.args[0]
    assert report.error.kind is SyncErrorKind.CANCELLED
    assert report.photos_uploaded == 0
    app.settle()
    assert status.waiting_label.text() == "To upload: records 1, photos 1"
    assert not status.error_label.isVisible()  # cancelling is no failure
    assert status.sync_button.isVisible()


def test_a_failed_sync_only_pauses_syncing(start_app, server):
    app = start_app()
    controller = app.window.sync.controller
    status = app.window.sync.status
    with FaultProxy(upstream_port=server.process.port) as proxy:
        with app.qtbot.waitSignal(controller.sync_finished, timeout=SYNC_MS):
            controller.sign_in(proxy.url, "alice", PASSWORD)
        app.settle()
        assert controller.timer.isActive()
        assert controller.timer.interval() == INTERVAL_MS  # the next background sync

        proxy.down()
        report = sync_now(app)
        assert report.error.kind is SyncErrorKind.UNREACHABLE
        assert app.window.network_label.text() == "Offline"
        assert status.error_label.isVisible()
        assert "cannot be reached" in status.error_label.toolTip()
        assert controller.snapshot.signed_in  # still signed in, only paused
        assert controller.timer.isActive()
        assert BACKOFF_BASE_MS <= controller.timer.interval() <= 2 * BACKOFF_BASE_MS

        proxy.up()
        with app.qtbot.waitSignal(controller.sync_finished, timeout=SYNC_MS) as done:
            controller.timer.timeout.emit()  # the retry comes due
        assert done.args[0].error is None
        app.settle()
        assert app.window.network_label.text() == "Online"
        assert not status.error_label.isVisible()
        assert controller.failures == 0


class CaptivePortal(BaseHTTPRequestHandler):
    """A hotel Wi-Fi's login page, answered with 200 to every request."""

    def _page(self) -> None:
        body = b"<html><body><form>Log in to HotelWiFi</form></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _page

    def log_message(self, *_args) -> None:
        pass


def test_a_captive_portal_is_named_as_such(start_app):
    portal = ThreadingHTTPServer(("127.0.0.1", 0), CaptivePortal)
    threading.Thread(target=portal.serve_forever, daemon=True).start()
    try:
        app = start_app("zh_CN")
        url = f"http://127.0.0.1:{portal.server_address[1]}"
        dialog = sign_in(app, url)
        with app.qtbot.waitSignal(app.window.sync.controller.sign_in_failed, timeout=SYNC_MS):
            press_ok(dialog)
        assert dialog.error.text().startswith("收到的是一个网页")
        assert dialog.isVisible()
        assert not app.window.sync.controller.snapshot.signed_in
    finally:
        portal.shutdown()
        portal.server_close()


def inspection_outside_the_area(start_app, server, code: str):  # type: ignore[no-untyped-def]
    """A signed-in app with a new inspection of compound ``code``, outside alice's area."""
    app = start_app()
    with app.qtbot.waitSignal(app.window.sync.controller.sync_finished, timeout=SYNC_MS):
        press_ok(sign_in(app, server.url))
    app.open_compound(code)
    app.start_inspection(InspectionKind.BASELINE_SURVEY)
    return app


def test_a_change_outside_the_inspectors_area_is_kept_with_the_reason(start_app, server):
    app = inspection_outside_the_area(start_app, server, "BY-01")
    answer_entrances(app, 7)
    report = sync_now(app)
    assert report.rejected >= 1
    status = app.window.sync.status
    app.qtbot.waitUntil(status.attention_button.isVisible)
    app.qtbot.waitUntil(lambda: compound_state(app, "BY-01") == "rejected")
    status.attention_button.click()
    panel = app.window.sync.attention_dialog
    app.qtbot.waitUntil(lambda: panel.list.count() >= 1)
    assert panel.list.item(0).text().startswith("Rejected: ")
    assert "The server rejected this change" in panel.title.text()
    assert not panel.keep_mine_button.isVisible()

    # kept until dealt with: another sync leaves it there, and the local record as it was
    sync_now(app)
    panel.load()
    app.qtbot.waitUntil(lambda: panel.list.count() >= 1)
    assert compound_state(app, "BY-01") == "rejected"


def test_a_changed_server_history_is_accepted_only_when_confirmed(start_app, server):
    app = start_app()
    with app.context.store.write() as session:  # as the engine leaves it after a restore
        meta(session).history_alert = "the ledger went backwards"
    app.window.sync.open_attention()
    panel = app.window.sync.attention_dialog
    app.qtbot.waitUntil(panel.history_frame.isVisible)
    assert "the ledger went backwards" in panel.history_label.text()

    panel.accept_history_button.click()
    panel.confirm_box.button(QMessageBox.StandardButton.No).click()
    app.settle()
    with app.context.store.read() as session:
        assert meta(session).history_alert == "the ledger went backwards"

    panel.accept_history_button.click()
    panel.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    app.settle()
    app.qtbot.waitUntil(lambda: not panel.history_frame.isVisible())
    with app.context.store.read() as session:
        assert meta(session).history_alert == ""


def test_a_rejected_change_is_sent_again_or_discarded_with_a_reason(start_app, server):
    app = inspection_outside_the_area(start_app, server, "BY-02")
    assert sync_now(app).rejected >= 1
    app.window.sync.open_attention()
    panel = app.window.sync.attention_dialog
    app.qtbot.waitUntil(lambda: panel.list.count() == 1)
    first = panel.current()
    assert panel.send_again_button.isVisible()
    assert panel.discard_button.isVisible()
    assert not panel.keep_mine_button.isVisible()

    # sent again as a new op; still outside her area, so rejected again under the new op
    controller = app.window.sync.controller
    with app.qtbot.waitSignal(controller.sync_finished, timeout=SYNC_MS):
        panel.send_again_button.click()
    app.settle()
    app.qtbot.waitUntil(lambda: panel.list.count() == 1 and panel.current().op_id != first.op_id)
    again = panel.current()
    assert (again.record_id, again.code) == (first.record_id, "forbidden_scope")

    # given up with a reason: gone from the list, the inspection withdrawn, the log kept
    panel.discard_button.click()
    box = panel.discard_box
    assert box is not None
    assert box.isVisible()
    box.setTextValue("wrong compound")
    box.accept()
    app.settle()
    app.qtbot.waitUntil(lambda: panel.list.count() == 0)
    with app.context.store.read() as session:
        states = {r.op_id: r.state for r in session.exec(select(OutboxRow)).all()}
        assert (states[first.op_id], states[again.op_id]) == ("superseded", "dismissed")
        retraction = session.exec(select(RetractionRow)).one()
        assert (retraction.entity_id, retraction.reason) == (first.record_id, "wrong compound")
