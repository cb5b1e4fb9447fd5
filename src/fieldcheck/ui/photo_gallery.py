"""The compound page's Photos tab: filters (phase, category, item), the thumbnail gallery with a
sync badge on each photo, the import button and drop target, the import progress panel, and the
ways into the viewer and the compare view (double-click, context menu)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from fieldcheck.core.changes import Changes
from fieldcheck.core.photos import list_photos
from fieldcheck.core.sync_marks import photo_sync_states
from fieldcheck.domain.photo import BeforeAfterPair, Phase, Photo
from fieldcheck.photos.blobs import BlobStore
from fieldcheck.photos.cache import DerivedCache
from fieldcheck.ui.app_view import AppView
from fieldcheck.ui.context import AppContext
from fieldcheck.ui.form_parts import error_label
from fieldcheck.ui.ops import Generation
from fieldcheck.ui.photo_compare import CompareDialog, open_compare_dialog
from fieldcheck.ui.photo_drop import PhotoDropFilter
from fieldcheck.ui.photo_gallery_model import PhotoGalleryModel
from fieldcheck.ui.photo_import_dialog import ImportPhotosDialog
from fieldcheck.ui.photo_import_panel import PhotoImportPanel
from fieldcheck.ui.photo_sync_badge import PhotoSyncDelegate
from fieldcheck.ui.photo_target_form import (
    fill_category_combo,
    fill_item_combo,
    item_combo,
    phase_combo,
    retranslate_phases,
)
from fieldcheck.ui.photo_viewer import PhotoViewerDialog
from fieldcheck.ui.photo_viewpoints import AfterPhotoFlow, load_pairs, pairs_for
from fieldcheck.ui.thumbnail_loader import ThumbnailLoader

THUMB = QSize(160, 120)
GRID = QSize(184, 176)


class PhotosTab(AppView):
    """``loaded`` carries the compound id once the gallery shows its photos;
    ``viewer_opened`` / ``compare_opened`` the dialog just opened."""

    loaded = Signal(str)
    viewer_opened = Signal(object)
    compare_opened = Signal(object)

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self._compound_id = ""
        self.import_dialog: ImportPhotosDialog | None = None
        self.viewer: PhotoViewerDialog | None = None
        self.compare_dialog: CompareDialog | None = None
        self.thumbnails = ThumbnailLoader(
            context.ops, BlobStore(context.paths.blobs), DerivedCache(context.paths.cache), THUMB
        )
        self.model = PhotoGalleryModel(self.thumbnails, THUMB, self)
        self._sync_generation = Generation()

        self.import_button = QPushButton()
        self.import_button.clicked.connect(lambda: self.open_import_dialog())
        self.phase_label, self.category_label, self.item_label = QLabel(), QLabel(), QLabel()
        self.phase_filter = phase_combo(with_all=True)
        self.category_filter = item_combo(12)  # narrow; the popup shows the whole names
        self.item_filter = item_combo(12)
        self.count_label = QLabel()
        self.error_label = error_label()
        self.phase_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.category_filter.currentIndexChanged.connect(lambda _i: self._category_chosen())
        self.item_filter.currentIndexChanged.connect(lambda _i: self.reload())

        self.view = QListView()
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setUniformItemSizes(True)
        self.view.setLayoutMode(QListView.LayoutMode.Batched)
        self.view.setBatchSize(200)
        self.view.setIconSize(THUMB)
        self.view.setGridSize(GRID)
        self.view.setWordWrap(True)
        self.view.setSpacing(4)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setDragEnabled(False)
        self.view.setModel(self.model)
        self.view.setItemDelegate(PhotoSyncDelegate(self.view))
        self.view.activated.connect(self._activated)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: #6b6b6b; font-size: 14px;")

        self.import_panel = PhotoImportPanel(context.ops, context.store, context.language)
        self.import_panel.photo_imported.connect(self._photo_imported)
        self.import_panel.import_finished.connect(lambda _s: self._import_done())
        self.import_panel.import_failed.connect(lambda _e: self._import_done())
        self.after_flow = AfterPhotoFlow(context, self)
        self.after_flow.paired.connect(self._paired)
        self.after_flow.failed.connect(self.error_label.setText)

        filters = QHBoxLayout()
        filters.addWidget(self.import_button)
        filters.addSpacing(12)
        for label, combo in (
            (self.phase_label, self.phase_filter),
            (self.category_label, self.category_filter),
            (self.item_label, self.item_filter),
        ):
            filters.addWidget(label)
            filters.addWidget(combo)
        filters.addWidget(self.count_label)
        filters.addStretch(1)
        gallery = QWidget()
        gallery_layout = QVBoxLayout(gallery)
        gallery_layout.setContentsMargins(0, 0, 0, 0)
        gallery_layout.addWidget(self.view, 1)
        gallery_layout.addWidget(self.empty_label, 1)
        self.drop_filters = [
            PhotoDropFilter(widget, lambda paths, _pos: self.open_import_dialog(paths))
            for widget in (self.view.viewport(), gallery)
        ]
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(gallery)
        self.splitter.addWidget(self.import_panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.error_label)
        layout.addWidget(self.splitter, 1)
        self.retranslate_ui()
        self._show_empty()

    # Loading

    def show_compound(self, compound_id: str) -> None:
        if compound_id != self._compound_id:
            self.error_label.clear()
        self._compound_id = compound_id
        self.reload()

    def filters(self) -> tuple[Phase | None, str | None, str | None]:
        phase = self.phase_filter.currentData()
        return (
            Phase(phase) if phase else None,
            self.category_filter.currentData() or None,
            self.item_filter.currentData() or None,
        )

    def reload(self) -> None:
        if not self._compound_id:
            return
        self._generation.advance()
        compound_id = self._compound_id
        phase, category, item_code = self.filters()
        self._context.ops.read(
            lambda s: list_photos(
                s, compound_id, phase=phase, category=category, item_code=item_code
            )
        ).guarded_by(self._generation).on_success(self._show).run()

    def on_changes(self, changes: Changes, initiator: object = None) -> None:
        """Reload on photo changes of this compound; an import of ours reloads when it ends.
        Changes to compounds (every finished sync says so, and so does settling a conflict or
        a refused change) may change the photos' sync states: reload those."""
        if initiator is self.import_panel or self._importing():
            return
        if changes.photos and changes.touches(self._compound_id):
            self.reload()
        elif changes.compounds:
            self.refresh_sync_states()

    def refresh_sync_states(self) -> None:
        """Load the sync state of the photos shown (``sync_marks.photo_sync_states``)."""
        self._sync_generation.advance()
        shown = [(photo.id, photo.sha256) for photo in self.model.rows]
        if not shown:
            return
        self._context.ops.read(lambda s: photo_sync_states(s, shown)).guarded_by(
            self._sync_generation
        ).on_success(self.model.set_sync_states).run()

    def _show(self, photos: list[Photo]) -> None:
        self.model.set_rows(photos)
        self._show_empty()
        self.refresh_sync_states()
        self.loaded.emit(self._compound_id)

    def _show_empty(self) -> None:
        count = self.model.rowCount()
        self.count_label.setText(self.tr("Photos: {count}").format(count=count))
        self.empty_label.setVisible(count == 0)
        self.view.setVisible(count > 0)

    def _matches(self, photo: Photo) -> bool:
        phase, category, item_code = self.filters()
        return (
            photo.compound_id == self._compound_id
            and (phase is None or photo.phase is phase)
            and (category is None or photo.category == category)
            and (item_code is None or photo.item_code == item_code)
        )

    # Import

    def open_import_dialog(
        self,
        paths: list[Path] | None = None,
        category: str = "",
        item_code: str = "",
    ) -> None:
        """The import dialog, with dropped paths and the drop target's category and item."""
        if not self._compound_id:
            return
        if self._importing():
            self.error_label.setText(self.tr("An import is running; wait for it to finish."))
            return
        context = self._context
        dialog = ImportPhotosDialog(
            self._compound_id,
            context.catalog.latest(),
            lambda: context.language,
            context.settings.inspector,
            self,
        )
        phase, filter_category, filter_item = self.filters()
        dialog.set_target(
            phase or Phase.BEFORE, category or filter_category or "", item_code or filter_item or ""
        )
        dialog.add_paths(paths or [])
        dialog.accepted.connect(lambda: self._start_import(dialog))
        self.import_dialog = dialog
        dialog.open()

    def _start_import(self, dialog: ImportPhotosDialog) -> None:
        request = dialog.request()
        if request.target.inspector:
            self._context.remember_inspector(request.target.inspector)
        self.error_label.clear()
        self.import_button.setEnabled(False)
        self.import_panel.start(list(request.paths), request.target)
        self.splitter.setSizes([600, 240])

    def _importing(self) -> bool:
        return self.import_panel.running

    def cancel_import(self) -> None:
        self.import_panel.cancel()

    def _photo_imported(self, photo: Photo) -> None:
        if self._matches(photo):
            self.model.add_rows([photo])
            self._show_empty()

    def _import_done(self) -> None:
        self.import_button.setEnabled(True)
        self.reload()

    # Viewer and compare

    def selected_photo(self) -> Photo | None:
        index = self.view.currentIndex()
        return self.model.photo(index.row()) if index.isValid() else None

    def open_viewer(self, photo: Photo) -> PhotoViewerDialog:
        viewer = PhotoViewerDialog(self._context, photo, self)
        viewer.compare_opened.connect(self.compare_opened.emit)
        self.viewer = viewer
        viewer.show()
        self.viewer_opened.emit(viewer)
        return viewer

    def add_after_photo(self, photo: Photo) -> None:
        self.error_label.clear()
        self.after_flow.start(photo, self)

    def open_compare(self, photo: Photo) -> None:
        if photo.viewpoint_id is not None:
            load_pairs(self._context, photo, self.show_compare)

    def show_compare(self, pairs: list[BeforeAfterPair], index: int) -> None:
        dialog = open_compare_dialog(self._context, pairs, index, self, self.error_label)
        if dialog is not None:
            self.compare_dialog = dialog
            self.compare_opened.emit(dialog)

    def _paired(self, after_id: str, pairs: list[BeforeAfterPair]) -> None:
        self.show_compare(pairs, pairs_for(pairs, after_id))

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_viewer(self.model.photo(index.row()))

    def context_actions(self, photo: Photo) -> list[QAction]:
        open_action = QAction(self.tr("Open"), self)
        open_action.triggered.connect(lambda: self.open_viewer(photo))
        after_action = QAction(self.tr("Add after photo of this spot…"), self)
        after_action.triggered.connect(lambda: self.add_after_photo(photo))
        after_action.setEnabled(photo.phase is Phase.BEFORE)
        compare_action = QAction(self.tr("Compare before/after"), self)
        compare_action.triggered.connect(lambda: self.open_compare(photo))
        compare_action.setEnabled(photo.viewpoint_id is not None)
        return [open_action, after_action, compare_action]

    def _context_menu(self, position: QPoint) -> None:
        index = self.view.indexAt(position)
        if not index.isValid():
            return
        menu = QMenu(self)
        menu.addActions(self.context_actions(self.model.photo(index.row())))
        menu.popup(self.view.viewport().mapToGlobal(position))

    # Texts

    def retranslate_ui(self) -> None:
        language = self._context.language
        self.import_button.setText(self.tr("Import photos…"))
        self.phase_label.setText(self.tr("Phase:"))
        self.category_label.setText(self.tr("Category:"))
        self.item_label.setText(self.tr("Item:"))
        self.phase_filter.setItemText(0, self.tr("All phases"))
        retranslate_phases(self.phase_filter)
        fill_category_combo(self.category_filter, language, self.tr("All categories"))
        self._fill_items()
        self.empty_label.setText(
            self.tr("No photos here yet. Drop photos or a folder here, or use “Import photos…”.")
        )
        self.import_panel.language = language
        self.model.retranslate()
        self._show_empty()

    def _category_chosen(self) -> None:
        self._fill_items()
        self.reload()

    def _fill_items(self) -> None:
        category = self.category_filter.currentData() or ""
        template = self._context.catalog.latest()
        language = self._context.language
        fill_item_combo(self.item_filter, template, category, language, self.tr("All items"))
        self.item_filter.setEnabled(bool(category))
