"""The photo viewer's canvas: a QGraphicsView of one photo with zoom (wheel, fit, 100%), pan
(drag the background), and the annotation tools (select/move, arrow, circle, rectangle, text)
on an undo stack.

The scene is the photo as displayed, one unit per original pixel; the preview image is scaled
up to fill it. When the user zooms in past the preview's own resolution, ``detail_wanted`` asks
for the full-resolution original, which ``show_detail`` puts in place.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from PySide6.QtCore import QCoreApplication, QLineF, QPointF, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import QImage, QKeyEvent, QMouseEvent, QPixmap, QTransform, QUndoStack
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QInputDialog,
    QWidget,
)

from fieldcheck.ui.annotation_commands import (
    AddShapesCommand,
    DeleteShapesCommand,
    MoveShapesCommand,
    RecolorShapesCommand,
)
from fieldcheck.ui.annotation_items import (
    DEFAULT_COLOR,
    is_annotation,
    item_from_shape,
    make_arrow,
    make_circle,
    make_rectangle,
    make_text,
    shape_of,
)

ZOOM_STEP = 1.25
MIN_ZOOM = 0.02
MAX_ZOOM = 16.0
#: Ask for the original once a preview pixel would cover this many screen pixels.
DETAIL_AT = 1.5
MIN_DRAG_PX = 4


class Tool(StrEnum):
    SELECT = "select"
    ARROW = "arrow"
    CIRCLE = "circle"
    RECTANGLE = "rectangle"
    TEXT = "text"


class PhotoCanvas(QGraphicsView):
    """``zoom_changed`` carries the scale (1.0 = 100%); ``detail_wanted`` is emitted once."""

    zoom_changed = Signal(float)
    detail_wanted = Signal()

    def __init__(self, size: QSizeF, parent: QWidget | None = None):
        super().__init__(parent)
        self.photo_size = QSizeF(size)
        self.scene_ = QGraphicsScene(self)
        self.scene_.setSceneRect(QRectF(0, 0, size.width(), size.height()))
        self.setScene(self.scene_)
        self.image_item = QGraphicsPixmapItem()
        self.image_item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.image_item.setZValue(0)
        self.scene_.addItem(self.image_item)
        self.undo_stack = QUndoStack(self)
        self.tool = Tool.SELECT
        self.color = DEFAULT_COLOR
        self.preview_width = 0
        self.has_detail = False
        self._detail_asked = False
        self._fitted = True
        self._start: QPointF | None = None
        self._draft: QGraphicsItem | None = None
        self._press_positions: dict[QGraphicsItem, QPointF] = {}
        self._counter = 0
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setBackgroundBrush(Qt.GlobalColor.darkGray)
        self.set_tool(Tool.SELECT)

    # The image

    def show_image(self, image: QImage) -> None:
        """Show the preview (scaled to the photo's displayed size)."""
        self.preview_width = image.width()
        self._place(image)

    def show_detail(self, image: QImage) -> None:
        """Replace the preview with the full-resolution original."""
        if not image.isNull():
            self.has_detail = True
            self._place(image)

    def _place(self, image: QImage) -> None:
        if image.isNull():
            return
        self.image_item.setPixmap(QPixmap.fromImage(image))
        self.image_item.setScale(self.photo_size.width() / image.width())

    # Zoom

    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def zoom_to(self, scale: float) -> None:
        scale = min(MAX_ZOOM, max(MIN_ZOOM, scale))
        self._fitted = False
        self.setTransform(QTransform.fromScale(scale, scale))
        self._zoomed()

    def zoom_by(self, factor: float) -> None:
        self.zoom_to(self.zoom * factor)

    def fit(self) -> None:
        self._fitted = True
        self.fitInView(self.scene_.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        self._zoomed()

    def actual_size(self) -> None:
        self.zoom_to(1.0)

    def _zoomed(self) -> None:
        self.zoom_changed.emit(self.zoom)
        if self.has_detail or self._detail_asked or not self.preview_width:
            return
        preview_pixel = self.photo_size.width() / self.preview_width
        if preview_pixel > 1.01 and self.zoom * preview_pixel > DETAIL_AT:
            self._detail_asked = True
            self.detail_wanted.emit()

    def wheelEvent(self, event: Any) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(ZOOM_STEP**steps)
        event.accept()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self._fitted:
            self.fit()

    # Tools

    def set_tool(self, tool: Tool) -> None:
        self.tool = tool
        selecting = tool is Tool.SELECT
        self.setDragMode(
            QGraphicsView.DragMode.ScrollHandDrag if selecting else QGraphicsView.DragMode.NoDrag
        )
        self.viewport().setCursor(
            Qt.CursorShape.OpenHandCursor if selecting else Qt.CursorShape.CrossCursor
        )
        if not selecting:
            self.scene_.clearSelection()

    def set_color(self, color: str) -> None:
        """The colour of new shapes; the selected shapes take it too (undoably)."""
        self.color = color
        selected = self.selected_shapes()
        if selected:
            self.undo_stack.push(RecolorShapesCommand(selected, color, self.photo_size))

    def selected_shapes(self) -> list[QGraphicsItem]:
        return [item for item in self.scene_.selectedItems() if is_annotation(item)]

    def shapes(self) -> list[QGraphicsItem]:
        items = [item for item in self.scene_.items() if is_annotation(item)]
        return sorted(items, key=lambda item: item.data(2) or 0)

    def delete_selected(self) -> None:
        selected = self.selected_shapes()
        if selected:
            self.undo_stack.push(DeleteShapesCommand(self.scene_, selected))

    # The overlay

    def load_overlay(self, shapes: tuple[dict[str, Any], ...]) -> None:
        """Show a saved overlay (not undoable: it is where editing starts)."""
        for old in self.shapes():
            self.scene_.removeItem(old)
        for shape in shapes:
            item = item_from_shape(shape, self.photo_size)
            if item is not None:
                self._number(item)
                self.scene_.addItem(item)
        self.undo_stack.clear()
        self.undo_stack.setClean()

    def overlay(self) -> list[dict[str, Any]]:
        """The shapes on the photo, in the order they were drawn, relative to its size."""
        return [shape_of(item, self.photo_size) for item in self.shapes()]

    def add_shape(self, item: QGraphicsItem) -> None:
        self._number(item)
        self.undo_stack.push(AddShapesCommand(self.scene_, [item]))

    def _number(self, item: QGraphicsItem) -> None:
        self._counter += 1
        item.setData(2, self._counter)

    @classmethod
    def ask_text(cls, parent: QWidget) -> str | None:
        """The text of a text shape (tests patch this)."""
        text, ok = QInputDialog.getText(
            parent,
            QCoreApplication.translate("PhotoCanvas", "Text"),
            QCoreApplication.translate("PhotoCanvas", "Text to place on the photo:"),
        )
        return text.strip() if ok and text.strip() else None

    # Mouse

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        point = self._clamped(self.mapToScene(event.position().toPoint()))
        if self.tool is Tool.SELECT:
            super().mousePressEvent(event)
            self._press_positions = {item: item.pos() for item in self.selected_shapes()}
            return
        if self.tool is Tool.TEXT:
            text = self.ask_text(self)
            if text:
                self.add_shape(make_text(point, text, self.color, self.photo_size))
            event.accept()
            return
        self._start = point
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._start is None:
            super().mouseMoveEvent(event)
            return
        point = self._clamped(self.mapToScene(event.position().toPoint()))
        if self._draft is not None:
            self.scene_.removeItem(self._draft)
        self._draft = self._shape_between(self._start, point)
        if self._draft is not None:
            self.scene_.addItem(self._draft)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._start is None:
            super().mouseReleaseEvent(event)
            if self.tool is Tool.SELECT:
                self._record_moves()
            return
        if self._draft is not None:
            self.scene_.removeItem(self._draft)
            self._draft = None
        point = self._clamped(self.mapToScene(event.position().toPoint()))
        start, self._start = self._start, None
        if QLineF(start, point).length() * self.zoom >= MIN_DRAG_PX:
            item = self._shape_between(start, point)
            if item is not None:
                self.add_shape(item)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_selected()
            event.accept()
            return
        super().keyPressEvent(event)

    def _record_moves(self) -> None:
        moves = [
            (item, old, item.pos())
            for item, old in self._press_positions.items()
            if item.pos() != old and item.scene() is self.scene_
        ]
        self._press_positions = {}
        if moves:
            self.undo_stack.push(MoveShapesCommand(moves))

    def _shape_between(self, start: QPointF, end: QPointF) -> QGraphicsItem | None:
        size, color = self.photo_size, self.color
        if self.tool is Tool.ARROW:
            return make_arrow(start, end, color, size)
        if self.tool is Tool.CIRCLE:
            return make_circle(start, QLineF(start, end).length(), color, size)
        if self.tool is Tool.RECTANGLE:
            return make_rectangle(QRectF(start, end), color, size)
        return None

    def _clamped(self, point: QPointF) -> QPointF:
        return QPointF(
            min(self.photo_size.width(), max(0.0, point.x())),
            min(self.photo_size.height(), max(0.0, point.y())),
        )
