"""The main window: menus (File, View → Language, Sync, Help), the compound list on the left, the
compound page on the right and the status bar (offline, pending changes, the start-up
integrity check once the window shows)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from fieldcheck.core.changes import Changes
from fieldcheck.core.sync_status import pending_count
from fieldcheck.domain.errors import FieldcheckError
from fieldcheck.ui.about_dialog import AboutDialog
from fieldcheck.ui.compound_list import CompoundListPanel
from fieldcheck.ui.compound_page import CompoundPage
from fieldcheck.ui.context import AppContext
from fieldcheck.ui.i18n import CHINESE, ENGLISH, RetranslateOnLanguageChange
from fieldcheck.ui.messages import error_text
from fieldcheck.ui.ops import report_unexpected
from fieldcheck.ui.recovered_photos import (
    IntegrityCheck,
    RecoveredPhotosDialog,
    needs_attention,
    problem_count,
)
from fieldcheck.ui.sync_ui import SyncUi

#: Language names are shown in their own language and never translated.
LANGUAGE_NAMES = {CHINESE: "中文", ENGLISH: "English"}
STATUS_MESSAGE_MS = 10_000


class MainWindow(RetranslateOnLanguageChange, QMainWindow):
    """``changes_made`` re-broadcasts what each mutating op changed (and the view that started
    it), for the views to refresh only what they show; ``compound_shown`` carries the id of the
    compound on the right."""

    changes_made = Signal(object, object)
    compound_shown = Signal(str)
    pending_counted = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.compound_list = CompoundListPanel(context)
        self.compound_page = CompoundPage(context)
        self.empty_page = QLabel()
        self.empty_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.right = QStackedWidget()
        self.right.addWidget(self.empty_page)
        self.right.addWidget(self.compound_page)
        splitter = QSplitter()
        splitter.addWidget(self.compound_list)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([730, 670])
        self.setCentralWidget(splitter)

        self.network_label = QLabel()
        self.pending_label = QLabel()
        self.integrity_button = QPushButton()
        self.integrity_button.setFlat(True)
        self.integrity_button.setVisible(False)
        self.integrity_button.clicked.connect(self.show_recovered_photos)
        self.statusBar().addPermanentWidget(self.integrity_button)
        self.statusBar().addPermanentWidget(self.pending_label)
        self.statusBar().addPermanentWidget(self.network_label)
        self._pending = 0
        self.integrity = IntegrityCheck(context.ops, context.store, self)
        self.integrity.checked.connect(self._integrity_checked)
        self.recovered_dialog: RecoveredPhotosDialog | None = None
        self.about_dialog: AboutDialog | None = None
        self._integrity_started = False
        self._build_menus()
        self.sync = SyncUi(
            self,
            context,
            self.network_label,
            self.help_menu.menuAction(),
            self.compound_list,
            self.compound_page.checklist,
        )
        self.pending_label.setVisible(False)  # the sync status shows records and photos

        context.ops.changes_made.connect(self._on_changes)
        context.ops.failed_unhandled.connect(self._on_unhandled_failure)
        self.changes_made.connect(self.compound_list.on_changes)
        self.changes_made.connect(self.compound_page.on_changes)
        self.compound_list.compound_selected.connect(self.show_compound)
        self.retranslate_ui()
        self.resize(1400, 900)
        self.compound_list.load()
        self._count_pending()

    def show_compound(self, compound_id: str) -> None:
        if compound_id == self.compound_page.compound_id:
            return
        self.compound_page.flush_pending()
        self.compound_page.show_compound(compound_id)
        self.right.setCurrentWidget(self.compound_page)
        self.compound_shown.emit(compound_id)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("fieldcheck — renovation inspections"))
        self.file_menu.setTitle(self.tr("&File"))
        self.quit_action.setText(self.tr("&Quit"))
        self.view_menu.setTitle(self.tr("&View"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.about_action.setText(self.tr("&About fieldcheck"))
        self.empty_page.setText(self.tr("Select a compound on the left."))
        self.sync.retranslate_ui()
        self._show_pending()
        self._show_integrity()
        for language, action in self.language_actions.items():
            action.setChecked(language == self.context.language)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Save edits still waiting for their debounce delay and stop a running photo import
        (what it saved stays); the app then closes the store."""
        self.compound_page.flush_pending()
        self.compound_page.photos.cancel_import()
        self.sync.shutdown()
        super().closeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        """Start the integrity pass once, after the window is on screen."""
        super().showEvent(event)
        if not self._integrity_started:
            self._integrity_started = True
            QTimer.singleShot(0, self.integrity.start)

    def show_recovered_photos(self) -> None:
        report = self.integrity.report
        if report is None:
            return
        if self.recovered_dialog is None:
            self.recovered_dialog = RecoveredPhotosDialog(
                report, self.context, lambda: self.compound_page.compound_id, self
            )
            self.recovered_dialog.report_changed.connect(self._recovered_changed)
        self.recovered_dialog.show()
        self.recovered_dialog.raise_()

    def _recovered_changed(self, report) -> None:
        """Recovered photos were attached: the status bar counts what is left."""
        self.integrity.report = report
        self._show_integrity()

    def _integrity_checked(self, report) -> None:
        if not needs_attention(report):
            return
        self._show_integrity()
        self.show_recovered_photos()

    def _show_integrity(self) -> None:
        report = self.integrity.report
        visible = report is not None and needs_attention(report)
        self.integrity_button.setVisible(visible)
        if report is not None and visible:
            self.integrity_button.setText(
                self.tr("Start-up check: recovered photos {recovered}, problems {problems}").format(
                    recovered=len(report.recovered), problems=problem_count(report)
                )
            )

    def show_about(self) -> None:
        """Help → About: version, data folder, log file, server (a fresh dialog each time)."""
        self.about_dialog = AboutDialog(
            self.context.paths.root,
            self.context.paths.log_file,
            self.sync.controller.snapshot,
            self,
        )
        self.about_dialog.open()

    def _build_menus(self) -> None:
        self.file_menu = self.menuBar().addMenu("")
        self.quit_action = QAction(self)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.quit_action)
        self.view_menu = self.menuBar().addMenu("")
        self.language_menu = self.view_menu.addMenu("")
        group = QActionGroup(self)
        group.setExclusive(True)
        self.language_actions: dict[str, QAction] = {}
        for language, name in LANGUAGE_NAMES.items():
            action = QAction(name, self)
            action.setCheckable(True)
            action.setData(language)
            group.addAction(action)
            self.language_menu.addAction(action)
            action.triggered.connect(lambda _checked, lang=language: self.switch_language(lang))
            self.language_actions[language] = action
        self.help_menu = self.menuBar().addMenu("")
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self.show_about)
        self.help_menu.addAction(self.about_action)

    def switch_language(self, language: str) -> None:
        if language != self.context.language:
            self.context.switch_language(language)

    def _on_changes(self, changes: Changes, initiator: object) -> None:
        self.changes_made.emit(changes, initiator)
        self._count_pending()

    def _on_unhandled_failure(self, error: BaseException) -> None:
        if isinstance(error, FieldcheckError):
            text = error_text(error, self.context.language)
            self.statusBar().showMessage(text, STATUS_MESSAGE_MS)
        else:
            report_unexpected(error)

    def _count_pending(self) -> None:
        self.context.ops.read(pending_count).on_success(self._show_pending_count).run()

    def _show_pending_count(self, count: int) -> None:
        self._pending = count
        self._show_pending()
        self.pending_counted.emit(count)

    def _show_pending(self) -> None:
        self.pending_label.setText(self.tr("Pending changes: {count}").format(count=self._pending))
