"""Annotation shapes as graphics items, and back.

The scene of the photo viewer is the photo as displayed, one unit per pixel of the original
(after orientation). Stored shapes use coordinates relative to that size (0..1, see
``fieldcheck.domain.photo.SHAPE_FIELDS``): x by the width, y by the height; a circle's radius
``r`` and the text size are relative to the shorter side, so they keep their look on any photo.
Line widths scale with the photo too.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QLineF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsSimpleTextItem,
)

KIND_KEY = 0
COLOR_KEY = 1
TEXT_HEIGHT = 0.045
LINE_WIDTH = 0.006
DEFAULT_COLOR = "#e53935"


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def _pen(color: str, size: QSizeF) -> QPen:
    pen = QPen(QColor(color), max(2.0, LINE_WIDTH * min(size.width(), size.height())))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def arrow_path(line: QLineF, head: float) -> QPainterPath:
    """A line from p1 to p2 with an open head at p2."""
    path = QPainterPath(line.p1())
    path.lineTo(line.p2())
    if line.length() > 0:
        angle = math.atan2(line.dy(), line.dx())
        for turn in (math.radians(150), math.radians(-150)):
            path.moveTo(line.p2())
            path.lineTo(
                line.p2() + QPointF(math.cos(angle + turn) * head, math.sin(angle + turn) * head)
            )
    return path


class ArrowItem(QGraphicsPathItem):
    """An arrow whose line is kept in item coordinates (``pos`` moves it)."""

    def __init__(self, line: QLineF, pen: QPen):
        super().__init__()
        self.setPen(pen)
        self.set_line(line)

    def set_line(self, line: QLineF) -> None:
        self.line = QLineF(line)
        self.setPath(arrow_path(line, self.pen().widthF() * 4))


def _finish(item: QGraphicsItem, kind: str, color: str) -> QGraphicsItem:
    item.setData(KIND_KEY, kind)
    item.setData(COLOR_KEY, color)
    item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
    item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, True)
    item.setZValue(1)
    return item


def text_font(size: QSizeF) -> QFont:
    font = QFont()
    font.setBold(True)
    font.setPixelSize(max(8, round(TEXT_HEIGHT * min(size.width(), size.height()))))
    return font


def make_arrow(p1: QPointF, p2: QPointF, color: str, size: QSizeF) -> ArrowItem:
    item = ArrowItem(QLineF(p1, p2), _pen(color, size))
    _finish(item, "arrow", color)
    return item


def make_circle(center: QPointF, radius: float, color: str, size: QSizeF) -> QGraphicsItem:
    item = QGraphicsEllipseItem(
        QRectF(center.x() - radius, center.y() - radius, 2 * radius, 2 * radius)
    )
    item.setPen(_pen(color, size))
    return _finish(item, "circle", color)


def make_rectangle(rect: QRectF, color: str, size: QSizeF) -> QGraphicsItem:
    item = QGraphicsRectItem(rect.normalized())
    item.setPen(_pen(color, size))
    return _finish(item, "rectangle", color)


def make_text(at: QPointF, text: str, color: str, size: QSizeF) -> QGraphicsItem:
    item = QGraphicsSimpleTextItem(text)
    item.setFont(text_font(size))
    item.setBrush(QBrush(QColor(color)))
    outline = QPen(QColor("white" if QColor(color).lightness() < 140 else "black"))
    outline.setWidthF(max(1.0, text_font(size).pixelSize() / 24))
    item.setPen(outline)
    item.setPos(at)
    return _finish(item, "text", color)


def set_color(item: QGraphicsItem, color: str, size: QSizeF) -> None:
    item.setData(COLOR_KEY, color)
    if isinstance(item, QGraphicsSimpleTextItem):
        item.setBrush(QBrush(QColor(color)))
    elif isinstance(item, ArrowItem):
        item.setPen(_pen(color, size))
        item.set_line(item.line)
    elif isinstance(item, QGraphicsEllipseItem | QGraphicsRectItem):
        item.setPen(_pen(color, size))


def item_from_shape(shape: dict[str, Any], size: QSizeF) -> QGraphicsItem | None:
    """A graphics item for a stored shape; None for a kind this version does not draw."""
    w, h = size.width(), size.height()
    short = min(w, h)
    color = shape.get("color") or DEFAULT_COLOR
    kind = shape.get("kind")
    if kind == "arrow":
        return make_arrow(
            QPointF(shape["x1"] * w, shape["y1"] * h),
            QPointF(shape["x2"] * w, shape["y2"] * h),
            color,
            size,
        )
    if kind == "circle":
        center = QPointF(shape["cx"] * w, shape["cy"] * h)
        return make_circle(center, shape["r"] * short, color, size)
    if kind == "rectangle":
        rect = QRectF(shape["x"] * w, shape["y"] * h, shape["w"] * w, shape["h"] * h)
        return make_rectangle(rect, color, size)
    if kind == "text":
        return make_text(QPointF(shape["x"] * w, shape["y"] * h), shape["text"], color, size)
    return None


def shape_of(item: QGraphicsItem, size: QSizeF) -> dict[str, Any]:
    """The stored form of an item: relative coordinates, clamped to the photo."""
    w, h = size.width(), size.height()
    short = min(w, h)
    kind = item.data(KIND_KEY)
    shape: dict[str, Any] = {"kind": kind, "color": item.data(COLOR_KEY)}
    if isinstance(item, ArrowItem):
        p1, p2 = item.mapToScene(item.line.p1()), item.mapToScene(item.line.p2())
        shape.update(x1=p1.x() / w, y1=p1.y() / h, x2=p2.x() / w, y2=p2.y() / h)
    elif isinstance(item, QGraphicsEllipseItem):
        rect = item.mapRectToScene(item.rect())
        shape.update(cx=rect.center().x() / w, cy=rect.center().y() / h, r=rect.width() / 2 / short)
    elif isinstance(item, QGraphicsRectItem):
        rect = item.mapRectToScene(item.rect())
        x, y = _clamp(rect.x() / w), _clamp(rect.y() / h)
        shape.update(x=x, y=y, w=_clamp(rect.right() / w) - x, h=_clamp(rect.bottom() / h) - y)
    elif isinstance(item, QGraphicsSimpleTextItem):
        shape.update(x=item.scenePos().x() / w, y=item.scenePos().y() / h, text=item.text())
    return {
        key: _clamp(value) if isinstance(value, float) else value for key, value in shape.items()
    }


def is_annotation(item: QGraphicsItem) -> bool:
    return item.data(KIND_KEY) is not None
