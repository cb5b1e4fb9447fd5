"""The derived image cache under ``cache/``: thumbnails and previews keyed by the photo's
SHA-256. Never evidence: written without fsync; ``importer.ensure_cached`` rebuilds them from
the blob when they are missing."""

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

    def has(self, sha256: str) -> bool:
        return self.thumbnail_path(sha256).is_file() and self.preview_path(sha256).is_file()

    def store(self, sha256: str, derivatives: Derivatives) -> None:
        """Write both images, each atomically (temp file, rename); on failure neither stays.
        DiskFullError on ENOSPC."""
        written: list[Path] = []
        for path, image, quality in (
            (self.thumbnail_path(sha256), derivatives.thumbnail, THUMBNAIL_QUALITY),
            (self.preview_path(sha256), derivatives.preview, PREVIEW_QUALITY),
        ):
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
