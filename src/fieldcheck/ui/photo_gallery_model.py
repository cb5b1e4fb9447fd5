"""The gallery's list model: one row per photo (frozen ``Photo`` records set from an op), named
roles, thumbnails from the ``ThumbnailLoader`` and each photo's sync state (set from an op too;
``sync_marks.photo_sync_state``). ``data()`` reads only the rows, the states and the in-memory
thumbnail cache: never the database, never the disk."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QPixmap

from fieldcheck.core.sync_marks import PhotoMark
from fieldcheck.domain.photo import Photo
from fieldcheck.ui.photo_texts import PHASE_COLORS, format_moment, phase_label
from fieldcheck.ui.signal_emit import emit
from fieldcheck.ui.sync_texts import photo_state_text
from fieldcheck.ui.thumbnail_loader import ThumbnailLoader

AnyIndex = QModelIndex | QPersistentModelIndex


class PhotoRole(IntEnum):
    PHOTO = Qt.ItemDataRole.UserRole + 1
    PHOTO_ID = Qt.ItemDataRole.UserRole + 2
    SHA256 = Qt.ItemDataRole.UserRole + 3
    PHASE = Qt.ItemDataRole.UserRole + 4
    CAPTURED_AT = Qt.ItemDataRole.UserRole + 5
    SYNC_STATE = Qt.ItemDataRole.UserRole + 6  # sync_marks.photo_sync_state; "" until loaded


class PhotoGalleryModel(QAbstractListModel):
    def __init__(
        self, thumbnails: ThumbnailLoader, thumb_size: QSize, parent: QObject | None = None
    ):
        super().__init__(parent)
        self.rows: list[Photo] = []
        self._rows_of: dict[str, list[int]] = {}
        self._ids: set[str] = set()
        self.sync_states: dict[str, PhotoMark] = {}
        self._thumbnails = thumbnails
        self._placeholder = QPixmap(thumb_size)
        self._placeholder.fill(QColor("#e4e4e4"))
        thumbnails.loaded.connect(self._thumbnail_loaded)

    def set_rows(self, photos: list[Photo]) -> None:
        self._thumbnails.drop_queued()
        self.beginResetModel()
        self.rows = list(photos)
        self._ids = {photo.id for photo in self.rows}
        self._rows_of = {}
        for row, photo in enumerate(self.rows):
            self._rows_of.setdefault(photo.sha256, []).append(row)
        self.endResetModel()

    def add_rows(self, photos: list[Photo]) -> None:
        """Append photos that just arrived (an import); the next reload puts them in order."""
        fresh = [photo for photo in photos if photo.id not in self._ids]
        if not fresh:
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        for offset, photo in enumerate(fresh):
            self.rows.append(photo)
            self._ids.add(photo.id)
            self._rows_of.setdefault(photo.sha256, []).append(first + offset)
        self.endInsertRows()

    def set_sync_states(self, states: dict[str, PhotoMark]) -> None:
        """Photo id -> sync state, for the rows shown (loaded by an op)."""
        self.sync_states = dict(states)
        if self.rows:
            emit(
                self.dataChanged,
                self.index(0),
                self.index(len(self.rows) - 1),
                [PhotoRole.SYNC_STATE, Qt.ItemDataRole.ToolTipRole],
            )

    def photo(self, row: int) -> Photo:
        return self.rows[row]

    def row_of(self, photo_id: str) -> int:
        return next((i for i, p in enumerate(self.rows) if p.id == photo_id), -1)

    def retranslate(self) -> None:
        if self.rows:
            self.dataChanged.emit(self.index(0), self.index(len(self.rows) - 1))

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        photo = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            moment = format_moment(photo.captured_at) or self.tr("time unknown")
            return f"{phase_label(photo.phase)}\n{moment}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._thumbnails.pixmap(photo.sha256) or self._placeholder
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(photo)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor(PHASE_COLORS[photo.phase])
        if role == PhotoRole.PHOTO:
            return photo
        if role == PhotoRole.PHOTO_ID:
            return photo.id
        if role == PhotoRole.SHA256:
            return photo.sha256
        if role == PhotoRole.PHASE:
            return photo.phase.value
        if role == PhotoRole.CAPTURED_AT:
            return photo.captured_at
        if role == PhotoRole.SYNC_STATE:
            return self.sync_states.get(photo.id, "")
        return None

    def tooltip(self, photo: Photo) -> str:
        lines = [
            photo.original_name,
            self.tr("Phase: {phase}").format(phase=phase_label(photo.phase)),
            self.tr("Taken: {time}").format(
                time=format_moment(photo.captured_at, with_offset=True) or self.tr("unknown")
            ),
        ]
        if photo.location is not None:
            lines.append(
                self.tr("GPS: {lat:.6f}, {lon:.6f}").format(
                    lat=photo.location.lat, lon=photo.location.lon
                )
            )
        device = " ".join(part for part in (photo.make, photo.model) if part)
        if device:
            lines.append(self.tr("Camera: {device}").format(device=device))
        lines.append(f"{photo.width} × {photo.height}")
        if photo.future_dated:
            lines.append(self.tr("Warning: dated in the future"))
        state = self.sync_states.get(photo.id)
        if state:
            lines.append(self.tr("Sync: {state}").format(state=photo_state_text(state)))
        return "\n".join(lines)

    def _thumbnail_loaded(self, sha256: str) -> None:
        for row in self._rows_of.get(sha256, ()):
            index = self.index(row)
            emit(self.dataChanged, index, index, [Qt.ItemDataRole.DecorationRole])
