"""Uploads: creating them within each user's limits, committing verified chunks, and
publishing a blob once its bytes match its SHA-256 and are a photo. Nothing here commits:
the route commits once (also after an upload is dropped, which it must record).

An upload belongs to who created it (``/v1/uploads/{sha256}`` names the caller's own);
anyone else gets the answers for an unknown upload. A blob the caller may read is answered
as stored and complete; to anyone else it is a blob the server lacks, whose bytes they send
to prove they hold it (see :mod:`sync_server.blobs.access`).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from dataclasses import dataclass

from sqlmodel import Session, col, delete, func, select

from fieldcheck.faults import crash_point
from fieldcheck.photos.formats import PREFIX_BYTES
from fieldcheck.protocol.auth import Role
from fieldcheck.protocol.blobs import (
    BLOB_STATUS_HEADER,
    BlobStatus,
)
from sync_server.auth.principal import Principal
from sync_server.blobs import media, repair
from sync_server.blobs.access import readable
from sync_server.blobs.chunks import RETRY_AFTER_S
from sync_server.blobs.models import Blob, BlobHolder, Upload
from sync_server.blobs.storage import BlobFiles, StagedChunk
from sync_server.errors import ApiError
from sync_server.ledger import chain
from sync_server.ledger.keys import Signer
from sync_server.settings import Settings
from sync_server.state import lock_counter
from sync_server.timeutil import as_utc, utcnow

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
#: Staged files no upload owns are removed once this old (a request still writing one
#: keeps touching it).
STALE_STAGING_S = 3600


class UploadDroppedError(ApiError):
    """The finished upload was refused and dropped in the session with its staged bytes;
    the caller commits before answering."""


class DigestMismatchError(UploadDroppedError):
    def __init__(self) -> None:
        super().__init__(
            422,
            "digest_mismatch",
            "the uploaded bytes do not hash to the sha256 "
            "they were announced with; the upload was discarded, start again",
        )


class NotAPhotoError(UploadDroppedError):
    def __init__(self, refused: media.NotAPhotoUploadError):
        super().__init__(refused.status, refused.code, refused.message, refused.details)


@dataclass(frozen=True)
class UploadState:
    """What HEAD, POST and PATCH report: the committed offset, length, expiry, completeness."""

    sha256: str
    offset: int
    length: int
    expires_at: dt.datetime | None
    verified: bool


def unknown_upload() -> ApiError:
    return ApiError(404, "unknown_upload", "no upload of this blob; create one with POST")


def require_uploader(principal: Principal) -> None:
    if principal.role is Role.REVIEWER:
        raise ApiError(403, "forbidden_role", "reviewers do not upload evidence")


def parse_metadata(header: str | None) -> dict[str, str]:
    """tus ``Upload-Metadata``: comma-separated ``key base64value`` pairs."""
    found: dict[str, str] = {}
    for pair in (header or "").split(","):
        if not pair.strip():
            continue
        key, _, value = pair.strip().partition(" ")
        try:
            text = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise ApiError(
                400, "bad_metadata", f"Upload-Metadata value of {key!r} is not base64 UTF-8"
            ) from None
        if "\x00" in text:
            raise ApiError(400, "bad_metadata", f"Upload-Metadata value of {key!r} holds a NUL")
        found[key] = text
    return found


def valid_sha(value: str) -> str:
    if not SHA256_RE.match(value):
        raise ApiError(400, "bad_sha256", "the sha256 must be 64 lowercase hex digits")
    return value


def _state(upload: Upload) -> UploadState:
    return UploadState(
        upload.sha256,
        upload.committed_offset,
        upload.length,
        as_utc(upload.expires_at),
        verified=False,
    )


def _blob_state(blob: Blob) -> UploadState:
    return UploadState(blob.sha256, blob.size, blob.size, None, verified=True)


def _whole_readable(session: Session, principal: Principal, sha256: str) -> Blob | None:
    """The stored blob if ``principal`` may read it and it is not under repair."""
    blob = readable(session, principal, [sha256]).get(sha256)
    return blob if blob is not None and blob.quarantined_at is None else None


def _own(session: Session, principal: Principal, sha256: str, *, lock: bool) -> Upload | None:
    query = select(Upload).where(Upload.sha256 == sha256, Upload.created_by == principal.username)
    return session.exec(query.with_for_update() if lock else query).first()


def _expires(settings: Settings) -> dt.datetime:
    return utcnow() + dt.timedelta(hours=settings.upload_expiry_hours)


def create(
    session: Session, principal: Principal, settings: Settings, *, sha256: str, length: int
) -> UploadState:
    """Start (or rejoin) the caller's upload of ``sha256``; a blob they may read answers as
    complete. A new upload must fit the caller's limits of open uploads (429) and of bytes
    they reserve (507)."""
    require_uploader(principal)
    if length > settings.max_blob_bytes:
        raise ApiError(
            413,
            "blob_too_large",
            f"Upload-Length {length} exceeds the limit {settings.max_blob_bytes}",
        )
    blob = _whole_readable(session, principal, sha256)
    if blob is not None:
        return _blob_state(blob)
    upload = _own(session, principal, sha256, lock=True)
    if upload is not None and as_utc(upload.expires_at) > utcnow():
        if upload.length != length:
            raise ApiError(
                409,
                "length_mismatch",
                f"your upload of this blob with length {upload.length} is in progress",
            )
    else:
        _check_room(session, principal, settings, sha256, length)
        upload = upload or Upload(
            sha256=sha256,
            created_by=principal.username,
            length=length,
            expires_at=_expires(settings),
        )
        upload.length, upload.committed_offset = length, 0
    upload.expires_at = _expires(settings)
    session.add(upload)
    return _state(upload)


def _check_room(
    session: Session, principal: Principal, settings: Settings, sha256: str, length: int
) -> None:
    """The caller's other open uploads leave room for one more of ``length`` bytes."""
    count, reserved = session.exec(
        select(func.count(), func.coalesce(func.sum(Upload.length), 0)).where(
            Upload.created_by == principal.username,
            Upload.sha256 != sha256,
            col(Upload.expires_at) > utcnow(),
        )
    ).one()
    if count >= settings.max_open_uploads:
        raise ApiError(
            429,
            "too_many_uploads",
            f"you have {count} uploads open, the most one user may have; finish or end one first",
            {"limit": settings.max_open_uploads},
            headers={"Retry-After": str(RETRY_AFTER_S)},
        )
    if int(reserved) + length > settings.max_reserved_upload_bytes:
        raise ApiError(
            507,
            "upload_quota_exceeded",
            f"your open uploads reserve {int(reserved)} bytes; this one would pass the limit "
            f"of {settings.max_reserved_upload_bytes} per user. Finish or end one first",
            {"limit": settings.max_reserved_upload_bytes, "reserved": int(reserved)},
        )


def state(session: Session, principal: Principal, sha256: str) -> UploadState:
    """The resume point of the caller's upload, or a blob they may read as complete; 404
    when neither (the same for another user's upload), 410 when expired."""
    upload = _own(session, principal, sha256, lock=False)
    if upload is None:
        blob = _whole_readable(session, principal, sha256)
        if blob is not None:
            return _blob_state(blob)
        raise unknown_upload()
    if as_utc(upload.expires_at) <= utcnow():
        raise ApiError(410, "upload_expired", "this upload expired; create it again with POST")
    return _state(upload)


def write_chunk(
    session: Session,
    files: BlobFiles,
    signer: Signer,
    principal: Principal,
    *,
    sha256: str,
    offset: int,
    chunk: StagedChunk,
    settings: Settings,
    digest: str | None = None,
) -> UploadState:
    """Append one verified, staged chunk at ``offset`` under the upload's lock (the caller
    commits); the last chunk publishes the blob only if the whole file hashes to ``sha256``
    and is a photo. ``digest`` is the chunk's SHA-256 when already computed: a chunk that
    is the whole file is then known to hash to it without reading the part file back."""
    upload = writable(session, principal, sha256, offset, lock=True)
    if offset + chunk.size > upload.length:
        raise ApiError(400, "beyond_length", "the chunk runs past Upload-Length")
    files.append_chunk(sha256, principal.username, upload.committed_offset, chunk)
    crash_point("server_chunk_written")  # F11: bytes on disk, offset not committed
    upload.committed_offset += chunk.size
    upload.expires_at = _expires(settings)
    session.add(upload)
    if upload.committed_offset < upload.length:
        return _state(upload)
    whole = offset == 0 and chunk.size == upload.length
    return _finish(session, files, signer, principal, upload, whole and digest == sha256)


def writable(
    session: Session, principal: Principal, sha256: str, offset: int, *, lock: bool
) -> Upload:
    """The caller's upload of ``sha256`` if a chunk at ``offset`` may go in (the upload row
    locked when ``lock``): else 404 (no upload of theirs), 409 at another offset or for a
    blob they may read (stored), 410 when expired. Asked once before a body is read, and
    again under the lock when it is appended."""
    require_uploader(principal)
    upload = _own(session, principal, sha256, lock=lock)
    if upload is None:
        blob = _whole_readable(session, principal, sha256)
        if blob is not None:
            raise _offset_conflict(
                blob.size, "this blob is already stored and verified", verified=True
            )
        raise unknown_upload()
    if as_utc(upload.expires_at) <= utcnow():
        raise ApiError(410, "upload_expired", "this upload expired; create it again with POST")
    if offset != upload.committed_offset:
        raise _offset_conflict(
            upload.committed_offset,
            f"Upload-Offset {offset} is not the upload's offset {upload.committed_offset}",
        )
    return upload


def _offset_conflict(current: int, message: str, *, verified: bool = False) -> ApiError:
    headers = {"Upload-Offset": str(current)}
    if verified:  # a retry after a lost answer: the client need not infer it from the offset
        headers[BLOB_STATUS_HEADER] = BlobStatus.VERIFIED.value
    return ApiError(409, "offset_mismatch", message, {"upload_offset": current}, headers=headers)


def _finish(
    session: Session,
    files: BlobFiles,
    signer: Signer,
    principal: Principal,
    upload: Upload,
    hashed: bool = False,
) -> UploadState:
    """Publish the complete part file if it hashes to its name (``hashed``: the bytes just
    written, the whole file, were hashed on receipt and matched) and is a photo. A blob
    already stored is kept as it is, or restored from these bytes if its file is damaged,
    gone or under repair; either way the uploader has shown they hold it."""
    sha256, owner = upload.sha256, upload.created_by
    if not hashed and not files.part_matches(sha256, owner):
        _drop(session, files, upload)
        raise DigestMismatchError()
    try:
        content_type = media.photo_type(files.part_prefix(sha256, owner, PREFIX_BYTES), sha256)
    except media.NotAPhotoUploadError as exc:
        _drop(session, files, upload)
        raise NotAPhotoError(exc) from exc
    lock_counter(session)
    blob = session.get(Blob, sha256)
    if blob is None:
        files.publish(sha256, owner)
        crash_point("server_blob_renamed")  # F13: file in blobs/, no row yet
        blob = record_blob(session, principal, sha256, upload.length, content_type)
    elif blob.quarantined_at is not None or not _intact(files, sha256):
        set_aside = files.publish(sha256, owner)
        repair.mark_restored(session, principal, blob, set_aside)
    else:
        files.discard_part(sha256, owner)
    if blob.uploaded_by != principal.username and (
        session.get(BlobHolder, (sha256, principal.username)) is None
    ):
        session.add(BlobHolder(sha256=sha256, username=principal.username))
    session.delete(upload)
    chain.sign_checkpoint(session, signer)
    return _blob_state(blob)


def _intact(files: BlobFiles, sha256: str) -> bool:
    try:
        return files.matches(sha256)
    except FileNotFoundError:
        return False


def _drop(session: Session, files: BlobFiles, upload: Upload) -> None:
    files.discard_part(upload.sha256, upload.created_by)
    session.delete(upload)


def terminate(session: Session, files: BlobFiles, principal: Principal, sha256: str) -> None:
    """Abandon the caller's incomplete upload (tus termination); stored blobs they may read
    answer 403 (never deletable), anything else 404."""
    upload = _own(session, principal, sha256, lock=True)
    if upload is None:
        if readable(session, principal, [sha256]):
            raise ApiError(403, "blob_immutable", "a stored blob is never deleted")
        raise unknown_upload()
    _drop(session, files, upload)


def record_blob(
    session: Session, principal: Principal, sha256: str, size: int, content_type: str
) -> Blob:
    """Register a published, verified blob and chain it in the ledger (counter lock held)."""
    entry = chain.append(
        session,
        kind="blob",
        blob_sha256=sha256,
        actor=principal.username,
        device_id=principal.device_id,
        payload_sha256=sha256,
    )
    blob = Blob(
        sha256=sha256,
        size=size,
        content_type=content_type,
        uploaded_by=principal.username,
        ledger_idx=entry.idx,
    )
    session.add(blob)
    return blob


def sweep_expired(session: Session, files: BlobFiles) -> int:
    """Drop expired uploads and their part files (tus expiration), and staged files no
    upload owns any more; returns how many uploads went. Blobs are never touched."""
    now = utcnow()
    expired = session.exec(
        select(Upload.sha256, Upload.created_by).where(col(Upload.expires_at) <= now)
    ).all()
    # One statement, so a sweep in another process at the same moment deletes nothing twice.
    session.exec(delete(Upload).where(col(Upload.expires_at) <= now))
    for sha256, owner in expired:
        files.discard_part(sha256, owner)
    live = session.exec(select(Upload.sha256, Upload.created_by)).all()
    files.sweep_staging({files.part(s, owner) for s, owner in live}, STALE_STAGING_S)
    return len(expired)
