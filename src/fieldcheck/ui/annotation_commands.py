"""The undoable edits of an annotation overlay (QUndoCommand): add, delete, move and recolour
shapes on the viewer's scene. Items stay alive while the undo stack holds them."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPointF, QSizeF
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

from fieldcheck.ui.annotation_items import COLOR_KEY, set_color


class _ShapesPresenceCommand(QUndoCommand):
    """Puts ``items`` on the scene (``adds``) or takes them off; undo does the opposite."""

    def __init__(self, text: str, scene: QGraphicsScene, items: list[QGraphicsItem], adds: bool):
        super().__init__(text)
        self._scene = scene
        self._items = items
        self._adds = adds

    def _show(self, present: bool) -> None:
        for item in self._items:
            if present and item.scene() is None:
                self._scene.addItem(item)
            elif not present and item.scene() is self._scene:
                self._scene.removeItem(item)

    def redo(self) -> None:
        self._show(self._adds)

    def undo(self) -> None:
        self._show(not self._adds)


class AddShapesCommand(_ShapesPresenceCommand):
    def __init__(self, scene: QGraphicsScene, items: list[QGraphicsItem]):
        text = QCoreApplication.translate("AnnotationCommands", "Add shape")
        super().__init__(text, scene, items, adds=True)


class DeleteShapesCommand(_ShapesPresenceCommand):
    def __init__(self, scene: QGraphicsScene, items: list[QGraphicsItem]):
        text = QCoreApplication.translate("AnnotationCommands", "Delete shapes")
        super().__init__(text, scene, items, adds=False)


class MoveShapesCommand(QUndoCommand):
    """Pushed after the user dragged the items: the first ``redo`` has nothing left to do."""

    def __init__(self, moves: list[tuple[QGraphicsItem, QPointF, QPointF]], *, done: bool = True):
        super().__init__(QCoreApplication.translate("AnnotationCommands", "Move shapes"))
        self._moves = moves
        self._skip = done

    def redo(self) -> None:
        if self._skip:
            self._skip = False
            return
        for item, _old, new in self._moves:
            item.setPos(new)

    def undo(self) -> None:
        for item, old, _new in self._moves:
            item.setPos(old)


class RecolorShapesCommand(QUndoCommand):
    def __init__(self, items: list[QGraphicsItem], color: str, size: QSizeF):
        super().__init__(QCoreApplication.translate("AnnotationCommands", "Change colour"))
        self._before = [(item, str(item.data(COLOR_KEY))) for item in items]
        self._color = color
        self._size = QSizeF(size)

    def redo(self) -> None:
        for item, _old in self._before:
            set_color(item, self._color, self._size)

    def undo(self) -> None:
        for item, old in self._before:
            set_color(item, old, self._size)
