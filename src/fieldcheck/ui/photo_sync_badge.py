"""The sync mark on each gallery thumbnail: a small round badge in the picture's top-right
corner, drawn from ``PhotoRole.SYNC_STATE`` by the gallery's item delegate — a tick on green
(on the server), an arrow on grey (waiting to upload), "!" on red (needs attention), a dashed
grey ring round a dot (not synced yet). Shapes, not font glyphs, so they look the same in
every font; the state in words is in the tooltip."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from fieldcheck.core.sync_marks import PhotoMark
from fieldcheck.ui.colors import DONE_TEXT, MUTED_TEXT, OVERDUE_TEXT
from fieldcheck.ui.photo_gallery_model import PhotoRole

BADGE = 20
INSET = 4
#: The badge's fill per state (white with a grey ring when never synced).
FILLS = {
    PhotoMark.ON_SERVER: DONE_TEXT,
    PhotoMark.WAITING: MUTED_TEXT,
    PhotoMark.ATTENTION: OVERDUE_TEXT,
    PhotoMark.NEVER_SYNCED: QColor("#ffffff"),
}


def picture_rect(decoration: QRect, picture: QSize) -> QRect:
    """Where a picture of ``picture``'s proportions sits on its thumbnail tile: scaled to fit
    and centred, as ``thumbnail_loader.read_thumbnail`` draws it (the whole tile if unknown)."""
    if picture.isEmpty():
        return QRect(decoration)
    size = picture.scaled(decoration.size(), Qt.AspectRatioMode.KeepAspectRatio)
    rect = QRect(decoration.topLeft(), size)
    rect.moveCenter(decoration.center())
    return rect


def badge_rect(picture: QRect) -> QRect:
    """Where the badge goes on a picture shown in ``picture``."""
    return QRect(picture.right() - BADGE - INSET + 1, picture.top() + INSET, BADGE, BADGE)


def glyph(state: PhotoMark, radius: float) -> QPainterPath:
    """The state's sign, centred on (0, 0), as lines to stroke."""
    path = QPainterPath()
    r = radius
    if state == PhotoMark.ON_SERVER:
        path.moveTo(-0.45 * r, 0.0)
        path.lineTo(-0.1 * r, 0.35 * r)
        path.lineTo(0.5 * r, -0.35 * r)
    elif state == PhotoMark.WAITING:
        path.moveTo(0.0, 0.5 * r)
        path.lineTo(0.0, -0.45 * r)
        path.moveTo(-0.4 * r, -0.05 * r)
        path.lineTo(0.0, -0.45 * r)
        path.lineTo(0.4 * r, -0.05 * r)
    elif state == PhotoMark.ATTENTION:
        path.moveTo(0.0, -0.5 * r)
        path.lineTo(0.0, 0.1 * r)
        path.moveTo(0.0, 0.45 * r)
        path.lineTo(0.0, 0.46 * r)
    else:
        path.moveTo(0.0, 0.0)
        path.lineTo(0.0, 0.01 * r)
    return path


def paint_badge(painter: QPainter, rect: QRect, state: PhotoMark) -> None:
    """The round badge of ``state`` inside ``rect``."""
    radius = rect.width() / 2
    never = state == PhotoMark.NEVER_SYNCED
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.translate(QRectF(rect).center())
    ring = QPen(MUTED_TEXT if never else QColor("#ffffff"), 1.5)
    if never:
        ring.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(ring)
    painter.setBrush(FILLS[state])
    painter.drawEllipse(QPointF(0, 0), radius - 1, radius - 1)
    pen = QPen(MUTED_TEXT if never else QColor("#ffffff"), radius * (0.4 if never else 0.25))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(glyph(state, radius))
    painter.restore()


class PhotoSyncDelegate(QStyledItemDelegate):
    """Paints the item as usual, then its sync badge over the thumbnail."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().paint(painter, option, index)
        state = index.data(PhotoRole.SYNC_STATE)
        if state not in FILLS:
            return
        paint_badge(painter, self.badge_rect(option, index), state)

    def badge_rect(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QRect:
        """The badge's place in the view for the item at ``index`` painted with ``option``."""
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        style = item.widget.style() if item.widget is not None else QApplication.style()
        decoration = style.subElementRect(
            QStyle.SubElement.SE_ItemViewItemDecoration, item, item.widget
        )
        photo = index.data(PhotoRole.PHOTO)
        shown = QSize(photo.width, photo.height) if photo is not None else QSize()
        return badge_rect(picture_rect(decoration, shown))
