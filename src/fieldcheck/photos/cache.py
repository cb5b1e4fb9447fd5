"""The derived image cache under ``cache/``: thumbnails and previews keyed by the photo's
SHA-256. Never evidence: written without fsync. An import writes the thumbnail (and, for formats
other than JPEG, the preview); ``importer.ensure_thumbnail`` and ``importer.ensure_preview``
make a missing one from the blob on first need."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from fieldcheck.photos.blobs import disk_full, is_disk_full
from fieldcheck.photos.render import PREVIEW_QUALITY, THUMBNAIL_QUALITY, Derivatives


@dataclass(frozen=True)
class DerivedCache:
    root: Path

    def thumbnail_path(self, sha256: str) -> Path:
        return self.root / "thumbs" / sha256[:2] / f"{sha256}.jpg"

    def preview_path(self, sha256: str) -> Path:
        return self.root / "previews" / sha256[:2] / f"{sha256}.jpg"

    def store(self, sha256: str, derivatives: Derivatives) -> None:
        """Write the images given that the cache does not hold yet, each atomically (temp file,
        rename); on failure none of them stays. DiskFullError on ENOSPC."""
        written: list[Path] = []
        for path, image, quality in (
            (self.thumbnail_path(sha256), derivatives.thumbnail, THUMBNAIL_QUALITY),
            (self.preview_path(sha256), derivatives.preview, PREVIEW_QUALITY),
        ):
            if image is None or path.is_file():
                continue
            temp = path.with_name(f".{uuid.uuid4().hex}.tmp")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                # straight to the file: Pillow encodes to a file without the GIL, but holds
                # it while encoding into a BytesIO
                image.save(temp, "JPEG", quality=quality)
                os.replace(temp, path)
                written.append(path)
            except OSError as exc:
                for leftover in (temp, *written):
                    leftover.unlink(missing_ok=True)
                if is_disk_full(exc):
                    raise disk_full(exc) from exc
                raise
