"""Reading photo images for display, on a worker thread: the screen preview from the derived
cache (already the right way up; made from the blob on first view, as a JPEG's is not made at
import), or the full-resolution original from the blob store, decoded read-only and turned by
its EXIF orientation. Workers return a QImage, never a QPixmap."""

from __future__ import annotations

from PIL import Image, ImageOps
from PySide6.QtGui import QImage

from fieldcheck.domain.errors import FieldcheckError
from fieldcheck.domain.photo import Photo
from fieldcheck.paths import DataPaths
from fieldcheck.photos.blobs import BlobStore
from fieldcheck.photos.cache import DerivedCache
from fieldcheck.photos.formats import register_openers
from fieldcheck.photos.importer import ensure_preview


def load_preview(paths: DataPaths, sha256: str) -> QImage:
    """The cached preview, made from the blob when the cache does not hold it yet (a null image
    when neither can give one)."""
    try:
        path = ensure_preview(sha256, BlobStore(paths.blobs), DerivedCache(paths.cache))
    except (FieldcheckError, OSError):
        return QImage()
    return QImage(str(path))


def load_original(paths: DataPaths, photo: Photo) -> QImage:
    """The original at full resolution, the right way up. The blob is only opened for reading;
    HEIF files come out of pillow-heif already turned."""
    register_openers()
    blob = BlobStore(paths.blobs).path_for(photo.sha256)
    with Image.open(blob) as opened:
        im = opened if photo.format.upper().startswith("HEI") else ImageOps.exif_transpose(opened)
        rgb = im.convert("RGB")
    data = rgb.tobytes()
    image = QImage(data, rgb.width, rgb.height, 3 * rgb.width, QImage.Format.Format_RGB888)
    return image.copy()  # own the pixels: ``data`` goes away with this frame


def load_best(paths: DataPaths, photo: Photo) -> QImage:
    """The preview, or the original when no preview can be made; a null image when neither
    can be read (the integrity pass reports missing blobs)."""
    image = load_preview(paths, photo.sha256)
    if not image.isNull():
        return image
    try:
        return load_original(paths, photo)
    except (OSError, ValueError):
        return QImage()
