"""The photo viewer: the photo on a zoomable canvas, its facts beside it, the annotation tools
above it, and the before/after actions. Saving the overlay stores a new annotation version;
the original file is only ever read."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QCoreApplication, QSizeF, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QIcon, QImage, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from fieldcheck.core.photos import list_annotations, save_annotation
from fieldcheck.domain.errors import FieldcheckError
from fieldcheck.domain.photo import Annotation, BeforeAfterPair, Phase, Photo
from fieldcheck.ui.context import AppContext
from fieldcheck.ui.form_parts import error_label
from fieldcheck.ui.i18n import RetranslateOnLanguageChange
from fieldcheck.ui.messages import error_text
from fieldcheck.ui.ops import Generation
from fieldcheck.ui.photo_canvas import PhotoCanvas, Tool
from fieldcheck.ui.photo_compare import CompareDialog, open_compare_dialog
from fieldcheck.ui.photo_images import load_best, load_original
from fieldcheck.ui.photo_metadata_panel import PhotoMetadataPanel, in_scroll_area
from fieldcheck.ui.photo_texts import format_moment, phase_label
from fieldcheck.ui.photo_viewpoints import AfterPhotoFlow, load_pairs, pairs_for

COLORS = ("#e53935", "#fdd835", "#43a047", "#1e88e5", "#ffffff", "#000000")


def color_icon(color: str) -> QIcon:
    pixmap = QPixmap(16, 16)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class PhotoViewerDialog(RetranslateOnLanguageChange, QDialog):
    """``image_shown`` fires when the preview is on screen, ``annotation_saved`` carries the
    new version, ``compare_opened`` the compare dialog."""

    image_shown = Signal()
    detail_shown = Signal()
    annotation_loaded = Signal(int)
    annotation_saved = Signal(int)
    compare_opened = Signal(object)

    def __init__(self, context: AppContext, photo: Photo, parent: QWidget | None = None):
        super().__init__(parent)
        self._context = context
        self.photo = photo
        self._generation = Generation()
        self.version = 0
        self.compare_dialog: CompareDialog | None = None
        self.after_flow = AfterPhotoFlow(context, self)
        self.after_flow.paired.connect(self._paired)
        self.after_flow.failed.connect(self.error_label_set)

        self.canvas = PhotoCanvas(QSizeF(max(1, photo.width), max(1, photo.height)))
        self.canvas.detail_wanted.connect(self._load_detail)
        self.canvas.zoom_changed.connect(lambda _z: self._show_zoom())
        self.canvas.undo_stack.cleanChanged.connect(lambda _c: self._show_state())
        self.metadata = PhotoMetadataPanel(photo)
        self.toolbar = QToolBar()
        self._build_actions()
        self.zoom_label = QLabel()
        self.state_label = QLabel()
        self.error_label = error_label()
        body = QHBoxLayout()
        body.addWidget(self.canvas, 1)
        body.addWidget(in_scroll_area(self.metadata))
        bottom = QHBoxLayout()
        bottom.addWidget(self.state_label)
        bottom.addWidget(self.error_label, 1)
        bottom.addWidget(self.zoom_label)
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addLayout(body, 1)
        layout.addLayout(bottom)
        self.retranslate_ui()
        self.resize(1300, 860)
        self._load()

    # Building

    def _action(
        self,
        handler: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | None = None,
    ) -> QAction:
        action = QAction(self)
        action.triggered.connect(lambda _checked=False: handler())
        if shortcut is not None:
            action.setShortcut(shortcut)
        self.toolbar.addAction(action)
        return action

    def _build_actions(self) -> None:
        canvas = self.canvas
        self.fit_action = self._action(canvas.fit)
        self.actual_action = self._action(canvas.actual_size)
        self.zoom_in_action = self._action(
            lambda: canvas.zoom_by(1.25), QKeySequence(QKeySequence.StandardKey.ZoomIn)
        )
        self.zoom_out_action = self._action(
            lambda: canvas.zoom_by(0.8), QKeySequence(QKeySequence.StandardKey.ZoomOut)
        )
        self.toolbar.addSeparator()
        self.tool_actions: dict[Tool, QAction] = {}
        group = QActionGroup(self)
        group.setExclusive(True)
        for tool in Tool:
            action = self._action(partial(canvas.set_tool, tool))
            action.setCheckable(True)
            action.setChecked(tool is Tool.SELECT)
            group.addAction(action)
            self.tool_actions[tool] = action
        self.toolbar.addSeparator()
        self.color_button = QToolButton()
        self.color_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.color_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.color_actions: dict[str, QAction] = {}
        for color in COLORS:
            action = QAction(color_icon(color), color, self)
            action.triggered.connect(lambda _c=False, c=color: self.choose_color(c))
            self.color_button.addAction(action)
            self.color_actions[color] = action
        self.color_button.setIcon(color_icon(canvas.color))
        self.toolbar.addWidget(self.color_button)
        self.delete_action = self._action(canvas.delete_selected)
        self.undo_action = canvas.undo_stack.createUndoAction(self)
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.redo_action = canvas.undo_stack.createRedoAction(self)
        self.redo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Redo))
        self.toolbar.addAction(self.undo_action)
        self.toolbar.addAction(self.redo_action)
        self.save_action = self._action(self.save_annotation, QKeySequence.StandardKey.Save)
        self.toolbar.addSeparator()
        self.add_after_action = self._action(self.add_after_photo)
        self.add_after_action.setVisible(self.photo.phase is Phase.BEFORE)
        self.compare_action = self._action(self.open_compare)
        self.compare_action.setEnabled(self.photo.viewpoint_id is not None)

    def retranslate_ui(self) -> None:
        photo = self.photo
        self.setWindowTitle(
            self.tr("{name} · {phase} · {time}").format(
                name=photo.original_name,
                phase=phase_label(photo.phase),
                time=format_moment(photo.captured_at) or self.tr("time unknown"),
            )
        )
        self.fit_action.setText(self.tr("Fit"))
        self.actual_action.setText(self.tr("100%"))
        self.zoom_in_action.setText(self.tr("Zoom in"))
        self.zoom_out_action.setText(self.tr("Zoom out"))
        names = {
            Tool.SELECT: self.tr("Select/move"),
            Tool.ARROW: self.tr("Arrow"),
            Tool.CIRCLE: self.tr("Circle"),
            Tool.RECTANGLE: self.tr("Rectangle"),
            Tool.TEXT: self.tr("Text"),
        }
        for tool, action in self.tool_actions.items():
            action.setText(names[tool])
        color_names = {
            "#e53935": self.tr("Red"),
            "#fdd835": self.tr("Yellow"),
            "#43a047": self.tr("Green"),
            "#1e88e5": self.tr("Blue"),
            "#ffffff": self.tr("White"),
            "#000000": self.tr("Black"),
        }
        for color, action in self.color_actions.items():
            action.setText(color_names[color])
        self.color_button.setText(self.tr("Colour"))
        self.delete_action.setText(self.tr("Delete"))
        self.undo_action.setText(self.tr("Undo"))
        self.redo_action.setText(self.tr("Redo"))
        self.save_action.setText(self.tr("Save annotations"))
        self.add_after_action.setText(self.tr("Add after photo of this spot…"))
        self.compare_action.setText(self.tr("Compare before/after"))
        self._show_zoom()
        self._show_state()

    # Loading

    def _load(self) -> None:
        context, photo = self._context, self.photo
        paths = context.paths
        context.ops.task(lambda: load_best(paths, photo)).guarded_by(self._generation).on_success(
            self._image_arrived
        ).run()
        context.ops.read(lambda s: list_annotations(s, photo.id)).guarded_by(
            self._generation
        ).on_success(self._annotations_arrived).run()

    def _image_arrived(self, image: QImage) -> None:
        self.canvas.show_image(image)
        self.canvas.fit()
        self.image_shown.emit()

    def _load_detail(self) -> None:
        paths, photo = self._context.paths, self.photo
        self._context.ops.task(lambda: load_original(paths, photo)).guarded_by(
            self._generation
        ).on_success(self._detail_arrived).run()

    def _detail_arrived(self, image: QImage) -> None:
        self.canvas.show_detail(image)
        self.detail_shown.emit()

    def _annotations_arrived(self, versions: list[Annotation]) -> None:
        if versions:
            latest = versions[-1]
            self.version = latest.version
            self.canvas.load_overlay(latest.shapes)
        self._show_state()
        self.annotation_loaded.emit(self.version)

    # Editing

    def choose_color(self, color: str) -> None:
        self.canvas.set_color(color)
        self.color_button.setIcon(color_icon(color))

    def save_annotation(self) -> None:
        shapes = self.canvas.overlay()
        photo_id, author = self.photo.id, self._context.settings.inspector
        self.canvas.undo_stack.setClean()
        self._context.ops.write(
            lambda s: save_annotation(s, photo_id, shapes, author=author)
        ).guarded_by(self._generation).on_success(self._saved).on_failure(self._save_failed).run()

    def _saved(self, annotation: Annotation) -> None:
        self.version = annotation.version
        self.error_label.clear()
        self._show_state()
        self.annotation_saved.emit(annotation.version)

    def _save_failed(self, error: FieldcheckError) -> None:
        self.canvas.undo_stack.resetClean()
        self.error_label_set(error_text(error, self._context.language))

    def error_label_set(self, text: str) -> None:
        self.error_label.setText(text)

    # Before/after

    def add_after_photo(self) -> None:
        self.error_label.clear()
        self.after_flow.start(self.photo, self)

    def _paired(self, after_id: str, pairs: list[BeforeAfterPair]) -> None:
        if pairs:
            self.photo = pairs[0].before
            self.compare_action.setEnabled(True)
            self.show_compare(pairs, pairs_for(pairs, after_id))

    def open_compare(self) -> None:
        if self.photo.viewpoint_id is not None:
            load_pairs(self._context, self.photo, self.show_compare)

    def show_compare(self, pairs: list[BeforeAfterPair], index: int) -> None:
        dialog = open_compare_dialog(self._context, pairs, index, self, self.error_label)
        if dialog is not None:
            self.compare_dialog = dialog
            self.compare_opened.emit(dialog)

    def _show_zoom(self) -> None:
        self.zoom_label.setText(
            self.tr("Zoom {percent}%").format(percent=round(self.canvas.zoom * 100))
        )

    def _show_state(self) -> None:
        self.save_action.setEnabled(not self.canvas.undo_stack.isClean())
        if not self.canvas.undo_stack.isClean():
            text = self.tr("Unsaved changes")
        elif self.version:
            text = self.tr("Annotations: version {version}").format(version=self.version)
        else:
            text = self.tr("No annotations yet")
        self.state_label.setText(text)

    @classmethod
    def ask_unsaved(cls, parent: QWidget) -> QMessageBox.StandardButton:
        """Save, Discard or Cancel for unsaved annotations (tests patch this)."""
        buttons = QMessageBox.StandardButton
        return QMessageBox.question(
            parent,
            QCoreApplication.translate("PhotoViewerDialog", "Unsaved annotations"),
            QCoreApplication.translate(
                "PhotoViewerDialog", "Save the annotations as a new version before closing?"
            ),
            buttons.Save | buttons.Discard | buttons.Cancel,
            buttons.Save,
        )

    def done(self, result: int) -> None:
        """Close; unsaved annotations are saved or dropped as the user says."""
        if not self.canvas.undo_stack.isClean():
            answer = self.ask_unsaved(self)
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save:
                self.save_annotation()  # queued on the writer; it completes after closing
        self._generation.advance()
        super().done(result)
