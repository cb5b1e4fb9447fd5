"""The sync part of the status bar: online or offline, what waits to go up (records and
photos), upload progress (bytes and the current photo) with a cancel button while a sync
runs, the time of the last successful sync, and a button to what needs attention.

It only shows what ``SyncController`` reports; clicking the network label signs in (or syncs
when signed in)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from fieldcheck.core.sync_status import SyncSnapshot
from fieldcheck.sync.progress import Phase, Progress
from fieldcheck.sync.report import SyncReport
from fieldcheck.ui.i18n import RetranslateOnLanguageChange
from fieldcheck.ui.sync_controller import SyncController
from fieldcheck.ui.sync_texts import phase_text, sync_error_text

MB = 1_000_000


def megabytes(count: int) -> str:
    return f"{count / MB:.1f}"


class SyncStatusBar(RetranslateOnLanguageChange, QWidget):
    """``sign_in_requested`` and ``attention_requested`` ask the window to open the dialogs."""

    sign_in_requested = Signal()
    attention_requested = Signal()

    def __init__(self, controller: SyncController, parent: QWidget | None = None):
        super().__init__(parent)
        self.controller = controller
        self.progress: Progress | None = None
        self.sign_in_button = QPushButton()
        self.sign_in_button.setFlat(True)
        self.sync_button = QPushButton()
        self.sync_button.setFlat(True)
        self.attention_button = QPushButton()
        self.attention_button.setFlat(True)
        self.attention_button.setStyleSheet("color: #b45309; font-weight: bold;")
        self.waiting_label = QLabel()
        self.phase_label = QLabel()
        self.progress_bar = QProgressBar()
        self.progress_bar.setMaximumWidth(160)
        self.progress_bar.setTextVisible(False)
        self.cancel_button = QPushButton()
        self.last_sync_label = QLabel()
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b91c1c;")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (
            self.error_label,
            self.attention_button,
            self.phase_label,
            self.progress_bar,
            self.cancel_button,
            self.waiting_label,
            self.last_sync_label,
            self.sign_in_button,
            self.sync_button,
        ):
            layout.addWidget(widget)
        self.sign_in_button.clicked.connect(self.sign_in_requested)
        self.sync_button.clicked.connect(controller.sync_now)
        self.attention_button.clicked.connect(self.attention_requested)
        self.cancel_button.clicked.connect(controller.cancel)
        controller.snapshot_loaded.connect(self.refresh)
        controller.sync_started.connect(self._started)
        controller.progress_made.connect(self._progressed)
        controller.sync_finished.connect(self._finished)
        controller.online_changed.connect(self.refresh)
        controller.sign_in_failed.connect(self.refresh)
        self.retranslate_ui()

    def network_text(self) -> str:
        snapshot = self.controller.snapshot
        if not snapshot.signed_in:
            return self.tr("Offline")
        return self.tr("Online") if self.controller.online else self.tr("Offline")

    def retranslate_ui(self) -> None:
        self.sign_in_button.setText(self.tr("Sign in…"))
        self.sync_button.setText(self.tr("Sync now"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.refresh()

    def refresh(self, *_args: object) -> None:
        snapshot: SyncSnapshot = self.controller.snapshot
        running = self.controller.running
        self.sign_in_button.setVisible(not snapshot.signed_in)
        self.sync_button.setVisible(snapshot.signed_in and not running)
        self.waiting_label.setText(
            self.tr("To upload: records {records}, photos {photos}").format(
                records=snapshot.records, photos=snapshot.photos
            )
        )
        if snapshot.last_sync_at is not None:
            when = snapshot.last_sync_at.astimezone().strftime("%Y-%m-%d %H:%M")
            self.last_sync_label.setText(self.tr("Last sync: {time}").format(time=when))
        else:
            self.last_sync_label.setText(self.tr("Never synced"))
        self.attention_button.setVisible(snapshot.attention > 0)
        self.attention_button.setText(
            self.tr("Needs attention: {count}").format(count=snapshot.attention)
        )
        error = self.controller.last_error
        self.error_label.setVisible(error is not None and not running)
        if error is not None:
            text = sync_error_text(error, snapshot.server_url)
            self.error_label.setText(self.tr("Sync failed"))
            self.error_label.setToolTip(text)
        for widget in (self.phase_label, self.progress_bar, self.cancel_button):
            widget.setVisible(running)
        if running:
            self._show_progress()
        tip = self.tr("Server: {server}, user: {user}").format(
            server=snapshot.server_url or "—", user=snapshot.username or "—"
        )
        if not self.controller.network_watched:
            tip += "\n" + self.tr("Network changes are not watched here: syncing every 5 minutes.")
        self.last_sync_label.setToolTip(tip)

    def _started(self) -> None:
        self.progress = None
        self.refresh()

    def _progressed(self, progress: Progress) -> None:
        self.progress = progress
        self._show_progress()

    def _show_progress(self) -> None:
        progress = self.progress
        if progress is None:
            self.phase_label.setText(phase_text(Phase.STATUS))
            self.progress_bar.setRange(0, 0)
            return
        if progress.phase == Phase.BLOBS and progress.bytes_total:
            self.phase_label.setText(
                self.tr("Uploading photo {number} of {total}: {sent} of {size} MB").format(
                    number=min(progress.records_done + 1, progress.records_total),
                    total=progress.records_total,
                    sent=megabytes(progress.bytes_sent),
                    size=megabytes(progress.bytes_total),
                )
            )
            if progress.current_photo:
                self.phase_label.setToolTip(progress.current_photo)
            self.progress_bar.setRange(0, 1000)
            self.progress_bar.setValue(int(1000 * progress.bytes_sent / progress.bytes_total))
        else:
            self.phase_label.setText(phase_text(progress.phase))
            self.progress_bar.setRange(0, 0)

    def _finished(self, report: SyncReport) -> None:
        self.progress = None
        self.refresh()
