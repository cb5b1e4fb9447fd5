"""The before/after compare view of one viewpoint: the baseline photo beside a later photo of
the same spot, and the two laid over each other with an opacity slider. Images are the cached
previews, read on the photo pool; a late image for a pair no longer shown is dropped."""

from __future__ import annotations

import html
from functools import partial

from PySide6.QtCore import QCoreApplication, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSlider,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fieldcheck.domain.photo import BeforeAfterPair, Photo
from fieldcheck.ui.context import AppContext
from fieldcheck.ui.i18n import RetranslateOnLanguageChange
from fieldcheck.ui.ops import Generation
from fieldcheck.ui.photo_images import load_best
from fieldcheck.ui.photo_texts import PHASE_COLORS, format_moment, phase_label

BACKGROUND = QColor("#3a3a3a")


def fitted(image: QImage, area: QRectF) -> QRectF:
    """Where ``image`` goes in ``area``, as large as fits, centred, aspect kept."""
    if image.isNull() or area.isEmpty():
        return QRectF()
    scale = min(area.width() / image.width(), area.height() / image.height())
    width, height = image.width() * scale, image.height() * scale
    return QRectF(
        area.x() + (area.width() - width) / 2,
        area.y() + (area.height() - height) / 2,
        width,
        height,
    )


class ImagePane(QWidget):
    """Paints one or two images fitted into the widget; the second over the first with
    ``opacity`` (a single image when ``top`` is null)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.bottom = QImage()
        self.top = QImage()
        self.opacity = 1.0
        self.setMinimumSize(QSize(240, 180))

    def set_images(self, bottom: QImage, top: QImage | None = None) -> None:
        self.bottom = bottom
        self.top = top if top is not None else QImage()
        self.update()

    def set_opacity(self, opacity: float) -> None:
        self.opacity = opacity
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), BACKGROUND)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        area = QRectF(self.rect())
        if not self.bottom.isNull():
            painter.drawImage(fitted(self.bottom, area), self.bottom)
        if not self.top.isNull():
            painter.setOpacity(self.opacity)
            painter.drawImage(fitted(self.top, area), self.top)
        painter.end()


class CompareDialog(RetranslateOnLanguageChange, QDialog):
    """``pairs`` all share the baseline; the combo picks the later photo."""

    def __init__(
        self,
        context: AppContext,
        pairs: list[BeforeAfterPair],
        index: int = 0,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._context = context
        self.pairs = pairs
        self._generation = Generation()
        self.images: dict[str, QImage] = {}
        self.after_combo = QComboBox()
        self.after_label = QLabel()
        self.before_pane, self.after_pane = ImagePane(), ImagePane()
        self.before_caption, self.after_caption = QLabel(), QLabel()
        for caption in (self.before_caption, self.after_caption):
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        side = QWidget()
        grid = QGridLayout(side)
        grid.addWidget(self.before_caption, 0, 0)
        grid.addWidget(self.after_caption, 0, 1)
        grid.addWidget(self.before_pane, 1, 0)
        grid.addWidget(self.after_pane, 1, 1)
        grid.setRowStretch(1, 1)
        self.overlay_pane = ImagePane()
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 100)
        self.slider.setValue(50)
        self.slider.valueChanged.connect(lambda v: self.overlay_pane.set_opacity(v / 100))
        self.overlay_pane.set_opacity(0.5)
        self.before_end, self.after_end = QLabel(), QLabel()
        overlay = QWidget()
        overlay_layout = QVBoxLayout(overlay)
        overlay_layout.addWidget(self.overlay_pane, 1)
        slider_row = QHBoxLayout()
        slider_row.addWidget(self.before_end)
        slider_row.addWidget(self.slider, 1)
        slider_row.addWidget(self.after_end)
        overlay_layout.addLayout(slider_row)
        self.tabs = QTabWidget()
        self.side_tab, self.overlay_tab = side, overlay
        self.tabs.addTab(side, "")
        self.tabs.addTab(overlay, "")
        top = QHBoxLayout()
        top.addWidget(self.after_label)
        top.addWidget(self.after_combo, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        for pair in pairs:
            self.after_combo.addItem("", pair.after.id)
        self.after_combo.currentIndexChanged.connect(lambda _i: self._show_pair())
        self.after_combo.setCurrentIndex(max(0, min(index, len(pairs) - 1)))
        self.retranslate_ui()
        self.resize(1200, 760)
        self._show_pair()

    @property
    def pair(self) -> BeforeAfterPair | None:
        index = self.after_combo.currentIndex()
        return self.pairs[index] if 0 <= index < len(self.pairs) else None

    def show_overlay(self) -> None:
        self.tabs.setCurrentWidget(self.overlay_tab)

    def show_side_by_side(self) -> None:
        self.tabs.setCurrentWidget(self.side_tab)

    def images_loaded(self) -> bool:
        pair = self.pair
        return pair is not None and {pair.before.id, pair.after.id} <= set(self.images)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Compare before and after"))
        self.after_label.setText(self.tr("Later photo:"))
        self.tabs.setTabText(0, self.tr("Side by side"))
        self.tabs.setTabText(1, self.tr("Overlay"))
        self.before_end.setText(self.tr("Before"))
        self.after_end.setText(self.tr("Later"))
        for row, shown in enumerate(self.pairs):
            self.after_combo.setItemText(row, self._plain_caption(shown.after))
        pair = self.pair
        if pair is not None:
            self.before_caption.setText(self._caption(pair.before))
            self.after_caption.setText(self._caption(pair.after))

    def _plain_caption(self, photo: Photo) -> str:
        moment = format_moment(photo.captured_at) or self.tr("time unknown")
        return f"{phase_label(photo.phase)} · {moment} · {photo.original_name}"

    def _caption(self, photo: Photo) -> str:
        """The plain caption with the phase in its colour (rich text, for the labels)."""
        moment = format_moment(photo.captured_at) or self.tr("time unknown")
        color = PHASE_COLORS[photo.phase]
        return (
            f"<span style='color:{color}; font-weight:bold'>{phase_label(photo.phase)}</span>"
            f" · {html.escape(moment)} · {html.escape(photo.original_name)}"
        )

    def _show_pair(self) -> None:
        pair = self.pair
        if pair is None:
            return
        self._generation.advance()
        self.retranslate_ui()
        self._paint()
        paths = self._context.paths
        for photo in (pair.before, pair.after):
            if photo.id in self.images:
                continue
            self._context.ops.task(partial(load_best, paths, photo)).guarded_by(
                self._generation
            ).on_success(partial(self._arrived, photo.id)).run()

    def _arrived(self, photo_id: str, image: QImage) -> None:
        self.images[photo_id] = image
        self._paint()

    def _paint(self) -> None:
        pair = self.pair
        if pair is None:
            return
        before = self.images.get(pair.before.id, QImage())
        after = self.images.get(pair.after.id, QImage())
        self.before_pane.set_images(before)
        self.after_pane.set_images(after)
        self.overlay_pane.set_images(before, after)


def open_compare_dialog(
    context: AppContext,
    pairs: list[BeforeAfterPair],
    index: int,
    parent: QWidget,
    error_label: QLabel,
) -> CompareDialog | None:
    """Show the compare view of ``pairs`` (non-blocking); without a pair, say so instead."""
    if not pairs:
        error_label.setText(
            QCoreApplication.translate("CompareDialog", "There is no later photo of this spot yet.")
        )
        return None
    dialog = CompareDialog(context, pairs, index, parent)
    dialog.show()
    return dialog
