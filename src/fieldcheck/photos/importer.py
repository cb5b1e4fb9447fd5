"""One file through the pipeline, SQL-free: read it once into a staged blob (hashing as it
goes), sniff, decode with limits, read EXIF, render the thumbnail, and only then commit the
blob. A refused file leaves nothing behind: no blob, no temp file, no cache images.

A JPEG is checked by a decode at the smallest DCT scale that gives the thumbnail (1/8 for
12 MP; every scan is still entropy-decoded) and its preview is not made at import: the viewer
asks for it (``ensure_preview``) on first need, off the GUI thread. Other formats are decoded
whole, which gives the preview too for the cost of a ``reduce``, so theirs is written at import.

A file of up to ``IN_MEMORY_BYTES`` (every camera JPEG and HEIC) is kept in memory as it is
read, hashed and staged, and decoded from those bytes: it is read once. A larger one (a big
TIFF or PNG, up to the 200 MiB cap) is decoded from its staged copy instead, so a worker never
holds more than that many bytes of a file. A JPEG that decoded is also checked for the damage
the decoder lets through (``jpeg_structure``).

A file read from the blob store itself (a recovered photo, whose record was lost) must still
match the hash it is stored under, and is recorded as ``recovered-<first 12 hex>.<ext>``: its
original name was lost with the record, and the bare hash says nothing to a reader.

``ensure_thumbnail`` and ``ensure_preview`` make a cache image of a stored photo from its blob
when the cache does not hold it (not made yet, or the cache was deleted)."""

from __future__ import annotations

import mmap
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from fieldcheck.faults import crash_point
from fieldcheck.photos.blobs import CHUNK_BYTES, BlobStore, StagedBlob
from fieldcheck.photos.cache import DerivedCache
from fieldcheck.photos.errors import PhotoRefusedError
from fieldcheck.photos.formats import ImageKind, sniff
from fieldcheck.photos.jpeg_structure import structure_problem
from fieldcheck.photos.metadata import PhotoMetadata, read_metadata
from fieldcheck.photos.render import damaged, open_checked, render

MAX_PHOTO_BYTES = 200 * (1 << 20)
#: Files up to this size are decoded from the bytes read for the hash (a worker holds one).
IN_MEMORY_BYTES = 32 * (1 << 20)

#: File name extensions by the detected format (``ImageKind.name``), for recovered photos.
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "TIFF": "tif", "HEIC": "heic", "HEIF": "heif"}


@dataclass(frozen=True)
class PreparedPhoto:
    """A file accepted as a photo, its blob durable in the store; the record is not saved yet."""

    source: Path
    original_name: str
    sha256: str
    size_bytes: int
    kind: ImageKind
    metadata: PhotoMetadata
    width: int
    height: int
    blob_created: bool


def _refused(name: str, code: str, what: str, exc: OSError | None = None) -> PhotoRefusedError:
    reason = f" ({exc.strerror})" if exc is not None and exc.strerror else ""
    return PhotoRefusedError(f"{name}: {what}{reason}", code, {"name": name})


def recovered_name(sha256: str, kind: ImageKind) -> str:
    """The name a photo taken back from the blob store is recorded under."""
    return f"recovered-{sha256[:12]}.{EXTENSIONS.get(kind.name, kind.name.lower())}"


def prepare_photo(
    source: Path, blobs: BlobStore, cache: DerivedCache, max_bytes: int = MAX_PHOTO_BYTES
) -> PreparedPhoto:
    """Take ``source`` into the blob store, or raise PhotoRefusedError (or DiskFullError)."""
    name = source.name
    recovered = blobs.holds(source)
    try:
        if not stat.S_ISREG(os.stat(source).st_mode):  # a FIFO or device would block open()
            raise _refused(name, "photo_not_a_file", "not a regular file")
        handle = open(source, "rb")  # noqa: SIM115 (closed below, before the decode)
    except FileNotFoundError as exc:
        raise _refused(name, "photo_missing", "the file disappeared before it was read") from exc
    except IsADirectoryError as exc:
        raise _refused(name, "photo_not_a_file", "a folder, not a file") from exc
    except OSError as exc:
        raise _refused(name, "photo_unreadable", "the file cannot be read", exc) from exc
    with handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise _refused(name, "photo_not_a_file", "not a regular file")
        if info.st_size > max_bytes:
            raise PhotoRefusedError(
                f"{name}: larger than the {max_bytes // (1 << 20)} MiB limit",
                "photo_too_large",
                {"name": name, "limit": max_bytes},
            )
        # a file that fits in memory is read whole, in one call: no second read, no copy
        keep = info.st_size <= IN_MEMORY_BYTES
        first_read = max(info.st_size, CHUNK_BYTES) if keep else CHUNK_BYTES
        try:
            first = handle.read(first_read)
        except OSError as exc:
            raise _refused(name, "photo_unreadable", "the file cannot be read", exc) from exc
        kind = sniff(first[:CHUNK_BYTES], name=name)
        blobs.check_room(info.st_size)
        staged = blobs.stage(handle, first=first, max_bytes=max_bytes, name=name, keep=keep)
    try:
        if recovered and staged.sha256 != name:
            raise PhotoRefusedError(
                f"{name}: damaged, the stored bytes no longer match their SHA-256",
                "photo_damaged",
                {"name": name, "reason": "hash mismatch"},
            )
        decode_from = staged.data if staged.data is not None else staged.temp
        with open_checked(decode_from, kind, name) as im:
            metadata = read_metadata(im, name)
            derivatives = render(im, kind, metadata.orientation, name, staged.size)
        if kind.is_jpeg:
            _check_structure(staged, kind, name)
        cache.store(staged.sha256, derivatives)
        created = blobs.commit(staged)
    except BaseException:
        blobs.discard(staged)
        raise
    crash_point("blob_committed")
    return PreparedPhoto(
        source=source,
        original_name=recovered_name(staged.sha256, kind) if recovered else name,
        sha256=staged.sha256,
        size_bytes=staged.size,
        kind=kind,
        metadata=metadata,
        width=derivatives.width,
        height=derivatives.height,
        blob_created=created,
    )


def _check_structure(staged: StagedBlob, kind: ImageKind, name: str) -> None:
    """Refuse a JPEG that decoded but whose markers show it cut off or missing scans."""
    if staged.data is not None:
        problem = structure_problem(staged.data)
    else:
        with open(staged.temp, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
            problem = structure_problem(m)
    if problem is not None:
        raise damaged(name, kind, ValueError(problem))


def _make_cached(sha256: str, blobs: BlobStore, cache: DerivedCache, *, preview: bool) -> None:
    path = blobs.path_for(sha256)
    with open(path, "rb") as handle:
        kind = sniff(handle.read(64), name=sha256)
    with open_checked(path, kind, sha256) as im:
        orientation = read_metadata(im).orientation
        size = path.stat().st_size
        derivatives = render(im, kind, orientation, sha256, size, preview=preview)
    cache.store(sha256, derivatives)


def ensure_thumbnail(sha256: str, blobs: BlobStore, cache: DerivedCache) -> Path:
    """The thumbnail path of a stored photo, made from its blob when the cache does not hold
    it (the same image the import made). PhotoRefusedError if the blob cannot be read."""
    path = cache.thumbnail_path(sha256)
    if not path.is_file():
        _make_cached(sha256, blobs, cache, preview=False)
    return path


def ensure_preview(sha256: str, blobs: BlobStore, cache: DerivedCache) -> Path:
    """The preview path of a stored photo, made from its blob on first need (a JPEG's is not
    made at import) or when the cache lost it. PhotoRefusedError if the blob cannot be read."""
    path = cache.preview_path(sha256)
    if not path.is_file():
        _make_cached(sha256, blobs, cache, preview=True)
    return path


def ensure_cached(sha256: str, blobs: BlobStore, cache: DerivedCache) -> tuple[Path, Path]:
    """The thumbnail and preview paths of a stored photo, each made when missing."""
    return ensure_thumbnail(sha256, blobs, cache), ensure_preview(sha256, blobs, cache)
