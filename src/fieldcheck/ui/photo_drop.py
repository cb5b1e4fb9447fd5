"""Dropping files and folders from the desktop onto a widget: an event filter that accepts drags
carrying local file URLs and hands the paths and the drop position to a callback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QWidget

from fieldcheck.domain.checklist import ChecklistItem


def local_paths(mime: QMimeData) -> list[Path]:
    """The local files and folders a drag carries (remote URLs are ignored)."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class PhotoDropFilter(QObject):
    """Install on ``widget`` (for an item view: on its viewport); ``on_drop(paths, position)``
    runs when files are dropped, the position in ``widget``'s coordinates."""

    def __init__(self, widget: QWidget, on_drop: Callable[[list[Path], QPoint], None]):
        super().__init__(widget)
        self._on_drop = on_drop
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, QDragEnterEvent | QDragMoveEvent)
            if local_paths(event.mimeData()):
                event.acceptProposedAction()
                return True
            return False
        if kind == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            paths = local_paths(event.mimeData())
            if not paths:
                return False
            event.acceptProposedAction()
            self._on_drop(paths, event.position().toPoint())
            return True
        return False


def checklist_item_at(host: QWidget, position: QPoint, category: str) -> tuple[str, str]:
    """(category, item code) of the checklist item widget under ``position`` in ``host``;
    ``category`` and no item when the drop missed every item."""
    widget = host.childAt(position)
    while widget is not None and widget is not host:
        item = getattr(widget, "item", None)
        if isinstance(item, ChecklistItem):
            return item.category.value, item.code
        widget = widget.parentWidget()
    return category, ""
