"""Thumbnails of photo blobs: a derived cache, never evidence.

They are made by the laptop's photo pipeline (``fieldcheck.photos``): the type is sniffed from
the bytes, the image opened with Pillow's limits on, a JPEG decoded at reduced DCT scale
(``draft``), and the photo turned by its EXIF orientation (HEIC by pillow-heif's). One decode
writes every offered size, each atomically (temp file, rename) under
``<data-dir>/cache/thumbnails/<width>/<aa>/<sha256>.jpg`` and never under ``blobs/``; the
folder may be deleted at any time and is rebuilt on demand.
"""

from __future__ import annotations

import errno
import os
import threading
import uuid
from pathlib import Path

from PIL import Image

from fieldcheck.photos.errors import PhotoRefusedError
from fieldcheck.photos.formats import sniff
from fieldcheck.photos.metadata import read_metadata
from fieldcheck.photos.render import PREVIEW_QUALITY, THUMBNAIL_QUALITY, fit, open_checked, render
from sync_server.blobs.storage import DiskFullError
from sync_server.errors import ApiError

#: The sizes offered: the longest side in pixels (never enlarged beyond the photo's own).
SIZES = (160, 320, 640, 1280)
#: Renders at once per server process; decoding is memory- and CPU-heavy.
RENDER_SLOTS = 2


class NotAPhotoError(ApiError):
    def __init__(self, refused: PhotoRefusedError):
        super().__init__(
            422,
            "not_a_photo",
            f"no thumbnail: this blob is not a photo the server can read ({refused.message})",
            {"reason": refused.code},
        )


def check_width(width: int) -> int:
    if width not in SIZES:
        raise ApiError(
            422,
            "bad_thumbnail_width",
            f"w must be one of {', '.join(map(str, SIZES))}",
            {"sizes": list(SIZES)},
        )
    return width


class Thumbnails:
    """The thumbnail cache of one data directory."""

    def __init__(self, root: Path, *, slots: int = RENDER_SLOTS):
        self.root = root
        self._slots = threading.BoundedSemaphore(slots)

    def path(self, sha256: str, width: int) -> Path:
        return self.root / str(width) / sha256[:2] / f"{sha256}.jpg"

    def get(self, sha256: str, width: int, source: Path) -> Path:
        """The cached thumbnail of the verified blob at ``source``, made on the first request.
        NotAPhotoError (422) when the pipeline refuses the blob; DiskFullError (507)."""
        path = self.path(sha256, width)
        if path.is_file():
            return path
        with self._slots:
            if not path.is_file():  # another request may have made it meanwhile
                self._make_all(sha256, source)
        return path

    def _make_all(self, sha256: str, source: Path) -> None:
        try:
            with open(source, "rb") as handle:
                kind = sniff(handle.read(64), name=sha256)
            with open_checked(source, kind, sha256) as im:
                orientation = read_metadata(im).orientation
                size = source.stat().st_size
                preview = render(im, kind, orientation, sha256, size, preview=True).preview
            assert preview is not None  # render(preview=True) always gives the preview
        except PhotoRefusedError as exc:
            raise NotAPhotoError(exc) from exc
        for width in SIZES:
            image = preview
            if max(preview.size) > width:
                image = preview.resize(
                    fit(preview.size, width), Image.Resampling.LANCZOS, reducing_gap=2.0
                )
            quality = THUMBNAIL_QUALITY if width < 640 else PREVIEW_QUALITY
            self._write(self.path(sha256, width), image, quality)

    @staticmethod
    def _write(path: Path, image: Image.Image, quality: int) -> None:
        temp = path.with_name(f".{uuid.uuid4().hex}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            image.save(temp, "JPEG", quality=quality)
            os.replace(temp, path)
        except OSError as exc:
            temp.unlink(missing_ok=True)
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise DiskFullError() from exc
            raise
