"""Recovered photos: the start-up integrity pass (blobs without a record, records without a
blob, files whose bytes no longer match their hash, the database's quick check), which of the
recovered photos are still without a record after an attach, and why a stored photo cannot be
read. Attaching them is an ordinary import (``photo_import.run_import``). Nothing is deleted."""

from __future__ import annotations

from sqlmodel import Session

from fieldcheck.domain.errors import FieldcheckError
from fieldcheck.paths import DataPaths
from fieldcheck.photos.blobs import BlobStore
from fieldcheck.photos.cache import DerivedCache
from fieldcheck.photos.importer import ensure_thumbnail
from fieldcheck.store.integrity import (
    IntegrityReport,
    RecoveredPhoto,
    run_integrity_pass,
    unrecorded,
    without_recovered,
)

__all__ = [
    "IntegrityReport",
    "RecoveredPhoto",
    "check_integrity",
    "still_recovered",
    "why_unreadable",
    "without_recovered",
]

#: The integrity pass over the store's blobs and database (on the photo pool: it reads files).
check_integrity = run_integrity_pass


def still_recovered(session: Session, hashes: list[str]) -> set[str]:
    """Those of ``hashes`` that no photo record points at yet."""
    return unrecorded(session, hashes)


def why_unreadable(paths: DataPaths, sha256: str) -> tuple[str, str]:
    """Why a stored photo gives no thumbnail: the refusal's code and message (empty when it
    reads now). Reads the file: run it on the photo pool."""
    try:
        ensure_thumbnail(sha256, BlobStore(paths.blobs), DerivedCache(paths.cache))
    except FieldcheckError as exc:
        return exc.code, exc.message
    except OSError as exc:
        return "photo_unreadable", f"{sha256}: {exc.strerror or exc}"
    return "", ""
