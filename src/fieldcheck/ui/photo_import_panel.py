"""One photo import at a time, run on the photo pool through ``core.photo_import``, and
the panel that follows it: a progress bar that moves with every file, a cancel button, and the
result of every file (imported, already imported, refused with the reason).

The worker only counts the files, imports them and reports each outcome by a queued signal;
the panel lives on the GUI thread. Cancelling sets a flag the importer checks between files.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldcheck.core import Store
from fieldcheck.core.changes import Done
from fieldcheck.core.photo_import import (
    ImportOutcome,
    ImportStatus,
    ImportSummary,
    expand_paths,
    run_import,
)
from fieldcheck.domain.errors import FieldcheckError
from fieldcheck.domain.photo import Photo, PhotoTarget
from fieldcheck.ui.colors import DONE_TEXT, MUTED_TEXT, OVERDUE_TEXT
from fieldcheck.ui.form_parts import error_label
from fieldcheck.ui.i18n import RetranslateOnLanguageChange
from fieldcheck.ui.messages import error_text
from fieldcheck.ui.ops import OpRunner
from fieldcheck.ui.photo_texts import refusal_reason, status_label
from fieldcheck.ui.signal_emit import emit

STATUS_COLORS = {
    ImportStatus.IMPORTED: DONE_TEXT,
    ImportStatus.DUPLICATE: MUTED_TEXT,
    ImportStatus.REFUSED: OVERDUE_TEXT,
}


class _Reporter(QObject):
    """Lives on the GUI thread; the worker emits, Qt queues the calls over."""

    counted = Signal(int)
    reported = Signal(object)


class PhotoImportPanel(RetranslateOnLanguageChange, QWidget):
    """``photo_imported`` carries each newly imported ``Photo``; ``import_finished`` the
    ``ImportSummary`` (also after a cancel); ``import_failed`` a FieldcheckError."""

    photo_imported = Signal(object)
    import_finished = Signal(object)
    import_failed = Signal(object)

    def __init__(self, ops: OpRunner, store: Store, language: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._ops = ops
        self._store = store
        self.language = language
        self._cancel = threading.Event()
        self._reporter = _Reporter(self)
        self._reporter.counted.connect(self._counted)
        self._reporter.reported.connect(self._reported)
        self.running = False
        self.total = 0
        self.done = 0
        self.summary: ImportSummary | None = None
        self.outcomes: list[ImportOutcome] = []
        self.tally = dict.fromkeys(ImportStatus, 0)

        self.title = QLabel()
        self.progress = QProgressBar()
        self.progress.setFormat("%v / %m")
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.hide)
        self.counts = QLabel()
        self.error_label = error_label(hidden=True)
        self.results = QTreeWidget()
        self.results.setColumnCount(3)
        self.results.setRootIsDecorated(False)
        self.results.setUniformRowHeights(True)
        header = self.results.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.results.setColumnWidth(0, 260)
        self.results.setColumnWidth(1, 120)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.progress, 1)
        top.addWidget(self.cancel_button)
        top.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.counts)
        layout.addWidget(self.error_label)
        layout.addWidget(self.results, 1)
        self.retranslate_ui()
        self.hide()

    def start(self, paths: list[Path], target: PhotoTarget) -> bool:
        """Start importing; False (nothing started) while another import runs."""
        if self.running:
            return False
        self.running = True
        self._cancel = threading.Event()
        self.total = self.done = 0
        self.summary = None
        self.outcomes = []
        self.tally = dict.fromkeys(ImportStatus, 0)
        self.results.clear()
        self._show_error("")
        self.progress.setRange(0, 0)  # busy until the files are counted
        self.progress.setValue(0)
        self.cancel_button.setEnabled(True)
        self.close_button.setEnabled(False)
        self._show_counts()
        self.show()
        store, reporter, cancel = self._store, self._reporter, self._cancel

        def work() -> Done[ImportSummary]:
            files = list(expand_paths(paths))
            emit(reporter.counted, len(files))
            return run_import(
                store,
                files,
                target,
                on_outcome=lambda outcome: emit(reporter.reported, outcome),
                cancelled=cancel.is_set,
                keep_outcomes=False,
            )

        self._ops.task(work).initiated_by(self).on_success(self._finished).on_failure(
            self._failed
        ).run()
        return True

    def cancel(self) -> None:
        """Ask the running import to stop after the files in hand; what is saved stays."""
        if self.running:
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self._show_counts()

    def retranslate_ui(self) -> None:
        self.cancel_button.setText(self.tr("Cancel"))
        self.close_button.setText(self.tr("Close"))
        self.results.setHeaderLabels([self.tr("File"), self.tr("Result"), self.tr("Reason")])
        for row in range(self.results.topLevelItemCount()):
            if (item := self.results.topLevelItem(row)) is not None:
                self._fill_row(item, self.outcomes[row])
        self._show_counts()

    def _counted(self, total: int) -> None:
        self.total = total
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(self.done)

    def _reported(self, outcome: ImportOutcome) -> None:
        self.done += 1
        self.outcomes.append(outcome)
        self.tally[outcome.status] += 1
        self.progress.setValue(self.done)
        row = QTreeWidgetItem()
        self._fill_row(row, outcome)
        self.results.addTopLevelItem(row)
        if outcome.status is ImportStatus.REFUSED:
            self.results.scrollToItem(row)
        self._show_counts()
        if outcome.status is ImportStatus.IMPORTED and isinstance(outcome.photo, Photo):
            emit(self.photo_imported, outcome.photo)

    def _fill_row(self, row: QTreeWidgetItem, outcome: ImportOutcome) -> None:
        row.setText(0, outcome.path.name)
        row.setToolTip(0, str(outcome.path))
        row.setText(1, status_label(outcome.status.value))
        row.setForeground(1, QColor(STATUS_COLORS[outcome.status]))
        reason = ""
        if outcome.status is ImportStatus.REFUSED:
            reason = refusal_reason(outcome.code, outcome.reason)
        row.setText(2, reason)
        row.setToolTip(2, outcome.reason)
        row.setData(0, Qt.ItemDataRole.UserRole, outcome.status.value)

    def _finished(self, summary: ImportSummary) -> None:
        self.summary = summary
        self._stop()
        if summary.stopped_code == "disk_full":
            self._show_error(
                self.tr("The disk is full: the import stopped. The photos imported so far stay.")
            )
        self.import_finished.emit(summary)

    def _failed(self, error: FieldcheckError) -> None:
        self._stop()
        self._show_error(error_text(error, self.language))
        self.import_failed.emit(error)

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def _stop(self) -> None:
        self.running = False
        self.progress.setRange(0, max(self.total, 1))
        self.progress.setValue(self.done if self.total else max(self.total, 1))
        self.cancel_button.setEnabled(False)
        self.close_button.setEnabled(True)
        self._show_counts()

    def _show_counts(self) -> None:
        if self.running:
            title = self.tr("Importing photos…")
        elif self.summary is not None and self.summary.stopped_code:
            title = self.tr("Import stopped")
        else:
            title = self.tr("Import finished")
        self.title.setText(title)
        tally = self.tally
        text = self.tr("{imported} imported, {duplicates} already imported, {refused} refused")
        text = text.format(
            imported=tally[ImportStatus.IMPORTED],
            duplicates=tally[ImportStatus.DUPLICATE],
            refused=tally[ImportStatus.REFUSED],
        )
        if self.running and self._cancel.is_set():
            text += self.tr(" — stopping…")
        elif not self.running and self.summary is not None and self.summary.stopped_code:
            text += self.tr(" — stopped")
        self.counts.setText(text)
