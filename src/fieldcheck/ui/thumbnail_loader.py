"""Thumbnails for the gallery, loaded lazily off the GUI thread from the derived cache (rebuilt
from the blob when the cache lost it) and kept in a bounded in-memory LRU.

``pixmap(sha256)`` never touches the disk: it answers from memory or queues a load and returns
None. Loads run on the op runner's photo pool a few at a time, newest request first, so the
tiles the user is looking at now come before those scrolled past. Workers only decode a QImage
(safe off the GUI thread); the QPixmap is made on the GUI thread when the image arrives.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QImage, QImageReader, QPainter, QPixmap

from fieldcheck.domain.errors import FieldcheckError
from fieldcheck.photos.blobs import BlobStore
from fieldcheck.photos.cache import DerivedCache
from fieldcheck.photos.importer import ensure_thumbnail
from fieldcheck.ui.ops import OpRunner
from fieldcheck.ui.signal_emit import emit

CACHE_PIXMAPS = 800
IN_FLIGHT = 2


def read_thumbnail(path: Path, size: QSize) -> QImage:
    """Decode one cached thumbnail, scaled to fit ``size`` and centred on a transparent tile of
    exactly ``size`` (so portrait and landscape tiles line up); null when it is missing."""
    image = QImageReader(str(path)).read()
    if image.isNull():
        return image
    scaled = image.scaled(
        size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    tile = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    tile.fill(Qt.GlobalColor.transparent)
    painter = QPainter(tile)
    painter.drawImage(
        (size.width() - scaled.width()) // 2, (size.height() - scaled.height()) // 2, scaled
    )
    painter.end()
    return tile


def load_thumbnail(blobs: BlobStore, cache: DerivedCache, sha256: str, size: QSize) -> QImage:
    """The thumbnail tile of a stored photo; null when neither cache nor blob can give one."""
    try:
        path = ensure_thumbnail(sha256, blobs, cache)
    except (FieldcheckError, OSError):
        return QImage()
    return read_thumbnail(path, size)


class ThumbnailLoader(QObject):
    """``loaded`` carries the SHA-256 whose thumbnail is now in memory (or known missing)."""

    loaded = Signal(str)

    def __init__(
        self,
        ops: OpRunner,
        blobs: BlobStore,
        cache: DerivedCache,
        size: QSize,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._ops = ops
        self._blobs = blobs
        self._cache = cache
        self._size = QSize(size)
        self._pixmaps: OrderedDict[str, QPixmap] = OrderedDict()
        self._missing: set[str] = set()
        self._wanted: list[str] = []
        self._queued: set[str] = set()
        self._loading: set[str] = set()
        self.requests = 0

    def pixmap(self, sha256: str) -> QPixmap | None:
        """The thumbnail from memory, or None after queueing it (GUI thread, no I/O)."""
        found = self._pixmaps.get(sha256)
        if found is not None:
            self._pixmaps.move_to_end(sha256)
            return found
        if sha256 not in self._missing:
            self.request(sha256)
        return None

    def is_missing(self, sha256: str) -> bool:
        return sha256 in self._missing

    def request(self, sha256: str) -> None:
        """Queue a load (newest first); a load already running is not queued again."""
        if sha256 in self._loading:
            return
        if sha256 in self._queued:
            self._wanted.remove(sha256)
        else:
            self._queued.add(sha256)
            self.requests += 1
        self._wanted.append(sha256)
        self._start_more()

    def drop_queued(self) -> None:
        """Forget the loads not started yet (the gallery shows other photos now)."""
        self._wanted.clear()
        self._queued.clear()

    def _start_more(self) -> None:
        while len(self._loading) < IN_FLIGHT and self._wanted:
            sha256 = self._wanted.pop()
            self._queued.discard(sha256)
            self._loading.add(sha256)
            self._ops.task(
                partial(load_thumbnail, self._blobs, self._cache, sha256, QSize(self._size))
            ).on_success(partial(self._arrived, sha256)).on_failure(
                partial(self._unreadable, sha256)
            ).run()

    def _unreadable(self, sha256: str, _error: FieldcheckError) -> None:
        self._arrived(sha256, QImage())

    def _arrived(self, sha256: str, image: QImage) -> None:
        self._loading.discard(sha256)
        if image.isNull():
            self._missing.add(sha256)
        else:
            self._pixmaps[sha256] = QPixmap.fromImage(image)
            while len(self._pixmaps) > CACHE_PIXMAPS:
                self._pixmaps.popitem(last=False)
        emit(self.loaded, sha256)
        self._start_more()
