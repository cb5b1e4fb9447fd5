"""The start-up integrity pass in the UI: run ``store.integrity`` on the photo pool once the
main window shows, and when it finds something, say so in the status bar and show the
non-blocking "Recovered photos" dialog. Nothing is ever deleted from here."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldcheck.store.database import Store
from fieldcheck.store.integrity import IntegrityReport, run_integrity_pass
from fieldcheck.ui.formatting import format_number
from fieldcheck.ui.i18n import RetranslateOnLanguageChange
from fieldcheck.ui.ops import OpRunner


def needs_attention(report: IntegrityReport) -> bool:
    return bool(report.recovered) or not report.ok


class IntegrityCheck(QObject):
    """``checked`` carries the IntegrityReport of the pass."""

    checked = Signal(object)

    def __init__(self, ops: OpRunner, store: Store, parent: QObject | None = None):
        super().__init__(parent)
        self._ops = ops
        self._store = store
        self.report: IntegrityReport | None = None

    def start(self) -> None:
        store = self._store
        self._ops.task(lambda: run_integrity_pass(store)).on_success(self._done).run()

    def _done(self, report: IntegrityReport) -> None:
        self.report = report
        self.checked.emit(report)


class RecoveredPhotosDialog(RetranslateOnLanguageChange, QDialog):
    """Lists recovered photos (blobs without a record), records whose file is missing, files
    whose bytes no longer match their hash, and database check messages."""

    def __init__(self, report: IntegrityReport, parent: QWidget | None = None):
        super().__init__(parent)
        self.report = report
        self.setModal(False)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setRootIsDecorated(True)
        self.tree.setColumnWidth(0, 460)
        self.tree.setColumnWidth(1, 90)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.retranslate_ui()
        self.resize(820, 460)

    def retranslate_ui(self) -> None:
        report = self.report
        self.setWindowTitle(self.tr("Recovered photos"))
        self.intro.setText(
            self.tr(
                "The start-up check found the following. Nothing has been deleted: recovered "
                "photos are files kept in the data folder without a record (an import was "
                "interrupted); import them again from their original files to record them."
            )
        )
        self.tree.setHeaderLabels([self.tr("File"), self.tr("Size"), self.tr("Saved")])
        self.tree.clear()
        groups = [
            (
                self.tr("Recovered photos ({count})"),
                [
                    (
                        str(photo.path),
                        self.tr("{kb} KB").format(kb=format_number(round(photo.size_bytes / 1024))),
                        dt.datetime.fromtimestamp(photo.modified_at).strftime("%Y-%m-%d %H:%M"),
                    )
                    for photo in report.recovered
                ],
            ),
            (
                self.tr("Photos whose file is missing ({count})"),
                [(sha, "", "") for sha in report.missing_blobs],
            ),
            (
                self.tr("Files that no longer match their SHA-256 ({count})"),
                [(sha, "", "") for sha in report.mismatched],
            ),
            (
                self.tr("Database check ({count})"),
                [(line, "", "") for line in report.quick_check if line != "ok"],
            ),
        ]
        for title, rows in groups:
            if not rows:
                continue
            group = QTreeWidgetItem([title.format(count=len(rows))])
            for row in rows:
                group.addChild(QTreeWidgetItem(list(row)))
            self.tree.addTopLevelItem(group)
            group.setExpanded(True)


def problem_count(report: IntegrityReport) -> int:
    """Missing files, hash mismatches and database check messages."""
    checks = sum(1 for line in report.quick_check if line != "ok")
    return len(report.missing_blobs) + len(report.mismatched) + checks
