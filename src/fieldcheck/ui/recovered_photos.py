"""The start-up integrity pass in the UI: run ``core.recovered`` on the photo pool once the
main window shows, and when it finds something, say so in the status bar and show the
non-blocking "Recovered photos" dialog. Nothing is ever deleted from here.

In the dialog the recovered photos show a thumbnail (the gallery's loader and derived cache)
with their size and time; several can be selected and attached to a compound, which imports
their blob files through ``core.photo_import`` like any import (the bytes are already
stored, so only the record and its outbox entry are new). Recorded photos leave the list; a
photo that cannot be read or is refused stays, with the reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldcheck.core import Store
from fieldcheck.core.photo_import import ImportStatus
from fieldcheck.core.recovered import (
    IntegrityReport,
    RecoveredPhoto,
    check_integrity,
    still_recovered,
    why_unreadable,
    without_recovered,
)
from fieldcheck.domain.photo import PhotoTarget
from fieldcheck.photos.blobs import BlobStore
from fieldcheck.photos.cache import DerivedCache
from fieldcheck.ui.colors import OVERDUE_TEXT
from fieldcheck.ui.context import AppContext
from fieldcheck.ui.formatting import format_number
from fieldcheck.ui.i18n import RetranslateOnLanguageChange
from fieldcheck.ui.ops import OpRunner
from fieldcheck.ui.photo_import_panel import PhotoImportPanel
from fieldcheck.ui.photo_texts import refusal_reason
from fieldcheck.ui.recovered_attach_dialog import AttachRecoveredDialog
from fieldcheck.ui.thumbnail_loader import ThumbnailLoader

THUMB = QSize(80, 60)
#: On the rows of recovered photos: the photo's SHA-256 (other rows have none).
SHA256_ROLE = Qt.ItemDataRole.UserRole


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
        self._ops.task(lambda: check_integrity(store)).on_success(self._done).run()

    def _done(self, report: IntegrityReport) -> None:
        self.report = report
        self.checked.emit(report)


class RecoveredPhotosDialog(RetranslateOnLanguageChange, QDialog):
    """Lists recovered photos (blobs without a record), records whose file is missing, files
    whose bytes no longer match their hash, and database check messages; attaches selected
    recovered photos to a compound. ``report_changed`` carries the report once attached photos
    have left it; ``attach_finished`` fires when an attach (and the recheck) is over."""

    report_changed = Signal(object)
    attach_finished = Signal()

    def __init__(
        self,
        report: IntegrityReport,
        context: AppContext,
        current_compound: Callable[[], str] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.report = report
        self._context = context
        self._current_compound = current_compound or (lambda: "")  # preselected to attach
        self.setModal(False)
        #: Why a recovered photo cannot be recorded: SHA-256 -> (code, message).
        self.problems: dict[str, tuple[str, str]] = {}
        self.attach_dialog: AttachRecoveredDialog | None = None
        self._attaching: list[str] = []
        self._items: dict[str, QTreeWidgetItem] = {}
        self._photos: dict[str, RecoveredPhoto] = {}
        self.thumbnails = ThumbnailLoader(
            context.ops,
            BlobStore(context.paths.blobs),
            DerivedCache(context.paths.cache),
            THUMB,
            self,
        )
        self.thumbnails.loaded.connect(self._thumbnail_loaded)
        self._blank = QPixmap(THUMB)  # keeps rows without a thumbnail in line
        self._blank.fill(Qt.GlobalColor.transparent)

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setRootIsDecorated(True)
        self.tree.setIconSize(THUMB)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setColumnWidth(0, 470)
        self.tree.setColumnWidth(1, 80)
        self.tree.setColumnWidth(2, 130)
        self.tree.itemSelectionChanged.connect(self._show_buttons)
        self.attach_button = QPushButton()
        self.attach_button.clicked.connect(self.open_attach_dialog)
        self.selection_label = QLabel()
        self.import_panel = PhotoImportPanel(context.ops, context.store, context.language)
        self.import_panel.import_finished.connect(lambda _summary: self._attached())
        self.import_panel.import_failed.connect(lambda _error: self._attached())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        actions = QHBoxLayout()
        actions.addWidget(self.attach_button)
        actions.addWidget(self.selection_label, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.import_panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(splitter, 1)
        layout.addLayout(actions)
        layout.addWidget(buttons)
        self.retranslate_ui()
        self.resize(980, 640)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Recovered photos"))
        self.intro.setText(
            self.tr(
                "The start-up check found the following. Nothing has been deleted: recovered "
                "photos are files kept in the data folder without a record (an import was "
                "interrupted). Select them and attach them to their compound to record them."
            )
        )
        self.attach_button.setText(self.tr("Attach to compound…"))
        self.tree.setHeaderLabels(
            [self.tr("File"), self.tr("Size"), self.tr("Saved"), self.tr("Note")]
        )
        self._fill_tree()
        self._show_buttons()

    def selected_hashes(self) -> list[str]:
        """The SHA-256 of the selected recovered photos, in list order."""
        selected = {id(item) for item in self.tree.selectedItems()}
        return [sha for sha, item in self._items.items() if id(item) in selected]

    def select(self, hashes: list[str]) -> None:
        self.tree.clearSelection()
        for sha in hashes:
            self._items[sha].setSelected(True)

    def open_attach_dialog(self) -> None:
        hashes = self.selected_hashes()
        if not hashes or self.import_panel.running:
            return
        context = self._context
        dialog = AttachRecoveredDialog(
            len(hashes),
            context.ops,
            context.catalog.latest(),
            lambda: context.language,
            context.settings.inspector,
            self._current_compound(),
            self,
        )
        dialog.accepted.connect(lambda: self.attach(hashes, dialog.request()))
        self.attach_dialog = dialog
        dialog.open()

    def attach(self, hashes: list[str], target: PhotoTarget) -> None:
        """Import the blob files of ``hashes`` into ``target``, as any import."""
        if target.inspector:
            self._context.remember_inspector(target.inspector)
        paths = [self._photos[sha].path for sha in hashes if sha in self._photos]
        self._attaching = list(hashes)
        if self.import_panel.start(paths, target):
            self._show_buttons()

    def _attached(self) -> None:
        """Note the refusals, then check again which photos are still without a record."""
        for outcome in self.import_panel.outcomes:
            if outcome.status is ImportStatus.REFUSED:
                self.problems[outcome.path.name] = (outcome.code, outcome.reason)
            else:
                self.problems.pop(outcome.path.name, None)
        hashes, self._attaching = self._attaching, []
        self._context.ops.read(lambda s: still_recovered(s, hashes)).on_success(
            lambda still: self._rechecked(set(hashes) - still)
        ).run()

    def _rechecked(self, recorded: set[str]) -> None:
        if recorded:
            self.report = without_recovered(self.report, recorded)
            self._fill_tree()
            self.report_changed.emit(self.report)
        self._show_buttons()
        self.attach_finished.emit()

    def _show_buttons(self) -> None:
        count = len(self.selected_hashes())
        busy = self.import_panel.running or bool(self._attaching)
        self.attach_button.setEnabled(count > 0 and not busy)
        self.attach_button.setVisible(bool(self.report.recovered) or busy)
        self.selection_label.setVisible(bool(self.report.recovered))
        if count:
            text = self.tr("{count} selected").format(count=count)
        else:
            text = self.tr("Select recovered photos (Ctrl or Shift for several) to attach them.")
        self.selection_label.setText(text)

    def _fill_tree(self) -> None:
        report = self.report
        chosen = set(self.selected_hashes())
        self.tree.clear()
        self._items = {}
        self._photos = {photo.sha256: photo for photo in report.recovered}
        recovered = QTreeWidgetItem([self.tr("Recovered photos ({count})")])
        for photo in report.recovered:
            row = QTreeWidgetItem()
            self._fill_recovered_row(row, photo)
            recovered.addChild(row)
            self._items[photo.sha256] = row
        groups = [
            (recovered, []),
            (
                QTreeWidgetItem([self.tr("Photos whose file is missing ({count})")]),
                list(report.missing_blobs),
            ),
            (
                QTreeWidgetItem([self.tr("Files that no longer match their SHA-256 ({count})")]),
                list(report.mismatched),
            ),
            (
                QTreeWidgetItem([self.tr("Database check ({count})")]),
                list(report.database_problems),
            ),
        ]
        for group, lines in groups:
            for line in lines:
                row = QTreeWidgetItem([line])
                row.setFlags(row.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                group.addChild(row)
            if not group.childCount():
                continue
            group.setText(0, group.text(0).format(count=group.childCount()))
            group.setFlags(group.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            group.setFirstColumnSpanned(True)
            self.tree.addTopLevelItem(group)
            group.setExpanded(True)
        for sha in chosen & self._items.keys():
            self._items[sha].setSelected(True)

    def _fill_recovered_row(self, row: QTreeWidgetItem, photo: RecoveredPhoto) -> None:
        row.setText(0, str(photo.path))
        row.setToolTip(0, str(photo.path))
        row.setData(0, SHA256_ROLE, photo.sha256)
        row.setText(1, self.tr("{kb} KB").format(kb=format_number(round(photo.size_bytes / 1024))))
        row.setText(2, dt.datetime.fromtimestamp(photo.modified_at).strftime("%Y-%m-%d %H:%M"))
        pixmap = self.thumbnails.pixmap(photo.sha256)
        row.setIcon(0, QIcon(pixmap if pixmap is not None else self._blank))
        problem = self.problems.get(photo.sha256)
        if problem is not None:
            row.setText(3, refusal_reason(*problem))
            row.setToolTip(3, problem[1])
            row.setForeground(3, QColor(OVERDUE_TEXT))

    def _thumbnail_loaded(self, sha256: str) -> None:
        row = self._items.get(sha256)
        if row is None:
            return
        pixmap = self.thumbnails.pixmap(sha256)
        if pixmap is not None:
            row.setIcon(0, QIcon(pixmap))
        elif self.thumbnails.is_missing(sha256) and sha256 not in self.problems:
            self._context.ops.task(partial(why_unreadable, self._context.paths, sha256)).on_success(
                partial(self._show_problem, sha256)
            ).run()

    def _show_problem(self, sha256: str, problem: tuple[str, str]) -> None:
        row = self._items.get(sha256)
        if problem[0] and row is not None:
            self.problems[sha256] = problem
            self._fill_recovered_row(row, self._photos[sha256])


def problem_count(report: IntegrityReport) -> int:
    """Missing files, hash mismatches and database check messages."""
    checks = len(report.database_problems)
    return len(report.missing_blobs) + len(report.mismatched) + checks
