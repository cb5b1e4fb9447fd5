"""The right-hand page of one compound: a header and the Overview, Checklist, Illegal
structures and Photos tabs."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from fieldcheck.core.changes import Changes
from fieldcheck.ui.checklist_view import ChecklistView
from fieldcheck.ui.context import AppContext
from fieldcheck.ui.i18n import RetranslateOnLanguageChange
from fieldcheck.ui.overview_tab import OverviewTab
from fieldcheck.ui.photo_gallery import PhotosTab
from fieldcheck.ui.register_tab import RegisterTab


class CompoundPage(RetranslateOnLanguageChange, QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.compound_id = ""
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.overview = OverviewTab(context)
        self.checklist = ChecklistView(context)
        self.register = RegisterTab(context)
        self.photos = PhotosTab(context)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.overview, "")
        self.tabs.addTab(self.checklist, "")
        self.tabs.addTab(self.register, "")
        self.tabs.addTab(self.photos, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.tabs, 1)
        self.overview.loaded.connect(self._show_title)
        self.checklist.photos_dropped.connect(self._photos_dropped)
        self.checklist.register_requested.connect(lambda: self.tabs.setCurrentWidget(self.register))
        self.retranslate_ui()

    def show_compound(self, compound_id: str) -> None:
        self.compound_id = compound_id
        self.overview.show_compound(compound_id)
        self.checklist.show_compound(compound_id)
        self.register.show_compound(compound_id)
        self.photos.show_compound(compound_id)

    def on_changes(self, changes: Changes, initiator: object = None) -> None:
        self.overview.on_changes(changes, initiator)
        self.checklist.on_changes(changes, initiator)
        self.register.on_changes(changes, initiator)
        self.photos.on_changes(changes, initiator)

    def flush_pending(self) -> None:
        self.checklist.flush_pending()

    def retranslate_ui(self) -> None:
        self.tabs.setTabText(self.tabs.indexOf(self.overview), self.tr("Overview"))
        self.tabs.setTabText(self.tabs.indexOf(self.checklist), self.tr("Checklist"))
        self.tabs.setTabText(self.tabs.indexOf(self.register), self.tr("Illegal structures"))
        self.tabs.setTabText(self.tabs.indexOf(self.photos), self.tr("Photos"))

    def _photos_dropped(self, paths: list, category: str, item_code: str) -> None:
        """Photos dropped on a checklist item: import them into its category and item."""
        self.tabs.setCurrentWidget(self.photos)
        self.photos.open_import_dialog(paths, category, item_code)

    def _show_title(self, _compound_id: str) -> None:
        compound = self.overview.compound
        if compound is not None:
            self.title.setText(f"{compound.code}  {compound.name}")
