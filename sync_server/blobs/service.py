"""Blob services: what a client lacks, creating uploads, committing checksummed chunks and
publishing a blob once its bytes match its SHA-256. Nothing here commits: the route commits
once (also after a digest mismatch, which drops the upload)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from fieldcheck.faults import crash_point
from fieldcheck.protocol.auth import Role
from fieldcheck.protocol.blobs import (
    BLOB_STATUS_HEADER,
    BlobCheckResponse,
    BlobRef,
    BlobStatus,
    PartialBlob,
)
from fieldcheck.protocol.records import BLOB_FIELD
from sync_server.auth.principal import Principal
from sync_server.blobs.models import Blob, Upload
from sync_server.blobs.storage import BlobFiles
from sync_server.errors import ApiError
from sync_server.ledger import chain
from sync_server.ledger.keys import Signer
from sync_server.settings import Settings
from sync_server.state import lock_counter
from sync_server.sync.models import Record
from sync_server.timeutil import as_utc, utcnow

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
CHECKSUMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "md5": hashlib.md5}


class DigestMismatchError(ApiError):
    """The whole upload does not hash to its sha256; the upload was dropped in the session,
    which the caller must commit before answering."""

    def __init__(self) -> None:
        super().__init__(
            422,
            "digest_mismatch",
            "the uploaded bytes do not hash to the sha256 "
            "they were announced with; the upload was discarded, start again",
        )


@dataclass(frozen=True)
class UploadState:
    """What HEAD, POST and PATCH report: the committed offset, length, expiry, completeness."""

    sha256: str
    offset: int
    length: int
    expires_at: dt.datetime | None
    verified: bool


def check(session: Session, objects: list[BlobRef]) -> BlobCheckResponse:
    shas = sorted({o.sha256 for o in objects})
    present = set(session.exec(select(Blob.sha256).where(col(Blob.sha256).in_(shas))).all())
    uploads = {
        u.sha256: u
        for u in session.exec(select(Upload).where(col(Upload.sha256).in_(shas))).all()
        if as_utc(u.expires_at) > utcnow()
    }
    partial = [
        PartialBlob(sha256=s, offset=uploads[s].committed_offset)
        for s in shas
        if s not in present and s in uploads
    ]
    missing = [s for s in shas if s not in present and s not in uploads]
    return BlobCheckResponse(present=sorted(present), partial=partial, missing=missing)


def readable_blob(session: Session, principal: Principal, sha256: str) -> Blob:
    """The verified blob, if ``principal`` may read it: admins, its uploader, and users whose
    sub-districts hold a record (a photo) naming it. Anyone else gets the same 404 as for an
    unknown blob, so a hash does not reveal what other sub-districts hold."""
    blob = session.get(Blob, valid_sha(sha256))
    if blob is None or not _may_read(session, principal, blob):
        raise ApiError(404, "unknown_blob", "no verified blob with this sha256 that you may read")
    return blob


def _may_read(session: Session, principal: Principal, blob: Blob) -> bool:
    if principal.is_admin or blob.uploaded_by == principal.username:
        return True
    naming = or_(
        *(
            and_(
                col(Record.entity) == entity.value,
                col(Record.data)[name].as_string() == blob.sha256,
            )
            for entity, name in BLOB_FIELD.items()
        )
    )
    query = select(Record.scope_id).where(naming)
    if not principal.all_scopes:
        query = query.where(col(Record.scope_id).in_(principal.scope_ids))
    return session.exec(query.limit(1)).first() is not None


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


def create(
    session: Session,
    principal: Principal,
    settings: Settings,
    *,
    sha256: str,
    length: int,
    content_type: str,
) -> UploadState:
    """Start (or rejoin) the upload of ``sha256``; a stored blob answers as complete."""
    require_uploader(principal)
    if length > settings.max_blob_bytes:
        raise ApiError(
            413,
            "blob_too_large",
            f"Upload-Length {length} exceeds the limit {settings.max_blob_bytes}",
        )
    blob = session.get(Blob, sha256)
    if blob is not None:
        return _blob_state(blob)
    upload = session.exec(select(Upload).where(Upload.sha256 == sha256).with_for_update()).first()
    expires = utcnow() + dt.timedelta(hours=settings.upload_expiry_hours)
    if upload is not None and as_utc(upload.expires_at) > utcnow():
        if upload.length != length:
            raise ApiError(
                409,
                "length_mismatch",
                f"an upload of this blob with length {upload.length} is in progress",
            )
        upload.expires_at = expires
    else:
        upload = upload or Upload(
            sha256=sha256, length=length, created_by=principal.username, expires_at=expires
        )
        upload.length, upload.committed_offset, upload.expires_at = length, 0, expires
        upload.content_type = content_type[:100] or "application/octet-stream"
    session.add(upload)
    return _state(upload)


def state(session: Session, sha256: str) -> UploadState:
    """The resume point; 404 when unknown, 410 when expired."""
    blob = session.get(Blob, sha256)
    if blob is not None:
        return _blob_state(blob)
    upload = session.get(Upload, sha256)
    if upload is None:
        raise ApiError(404, "unknown_upload", "no upload of this blob; create one with POST")
    if as_utc(upload.expires_at) <= utcnow():
        raise ApiError(410, "upload_expired", "this upload expired; create it again with POST")
    return _state(upload)


class ChunkCheck:
    """``Upload-Checksum: <algo> <base64>`` of one PATCH, hashed piece by piece while the
    body arrives (so the hash overlaps the transfer). 400 for an unknown algorithm or bad
    base64 (before the body is read), 460 from :meth:`verify` on a mismatch."""

    def __init__(self, header: str | None) -> None:
        self.algorithm, self.expected, self._hash = "", b"", None
        if not header:
            return
        algo, _, value = header.strip().partition(" ")
        self.algorithm = algo.lower()
        if self.algorithm not in CHECKSUMS:
            raise ApiError(
                400, "unsupported_checksum", f"checksum algorithm {algo!r} is not supported"
            )
        try:
            self.expected = base64.b64decode(value.strip(), validate=True)
        except binascii.Error:
            raise ApiError(400, "bad_checksum_header", "Upload-Checksum is not base64") from None
        self._hash = CHECKSUMS[self.algorithm]()

    def update(self, piece: bytes) -> None:
        if self._hash is not None:
            self._hash.update(piece)

    def verify(self) -> str | None:
        """Raise 460 unless the bytes fed match; returns their SHA-256 (hex) when that is
        the algorithm (so a chunk that is the whole blob needs no second hash)."""
        if self._hash is None:
            return None
        if self._hash.digest() != self.expected:
            raise ApiError(
                460,
                "checksum_mismatch",
                "the chunk does not match its Upload-Checksum; nothing was stored, send it again",
            )
        return self._hash.hexdigest() if self.algorithm == "sha256" else None


def write_chunk(
    session: Session,
    files: BlobFiles,
    signer: Signer,
    principal: Principal,
    *,
    sha256: str,
    offset: int,
    data: bytes | bytearray,
    settings: Settings,
    digest: str | None = None,
) -> UploadState:
    """Append one verified chunk at ``offset`` under the upload's lock (the caller commits);
    the last chunk publishes the blob only if the whole file hashes to ``sha256``.
    ``digest`` is the chunk's SHA-256 when already computed: a chunk that is the whole file
    is then known to hash to it without reading the part file back."""
    require_uploader(principal)
    upload = session.exec(select(Upload).where(Upload.sha256 == sha256).with_for_update()).first()
    if upload is None:
        blob = session.get(Blob, sha256)
        if blob is not None:
            raise _offset_conflict(
                blob.size, "this blob is already stored and verified", verified=True
            )
        raise ApiError(404, "unknown_upload", "no upload of this blob; create one with POST")
    if as_utc(upload.expires_at) <= utcnow():
        raise ApiError(410, "upload_expired", "this upload expired; create it again with POST")
    if offset != upload.committed_offset:
        raise _offset_conflict(
            upload.committed_offset,
            f"Upload-Offset {offset} is not the upload's offset {upload.committed_offset}",
        )
    if offset + len(data) > upload.length:
        raise ApiError(400, "beyond_length", "the chunk runs past Upload-Length")
    files.append(sha256, upload.committed_offset, data)
    crash_point("server_chunk_written")  # F11: bytes on disk, offset not committed
    upload.committed_offset += len(data)
    upload.expires_at = utcnow() + dt.timedelta(hours=settings.upload_expiry_hours)
    session.add(upload)
    if upload.committed_offset < upload.length:
        return _state(upload)
    whole = offset == 0 and len(data) == upload.length
    return _finish(session, files, signer, principal, upload, whole and digest == sha256)


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
    written, the whole file, were hashed on receipt and matched)."""
    if not hashed and not files.part_matches(upload.sha256):
        files.discard_part(upload.sha256)
        session.delete(upload)
        raise DigestMismatchError()
    lock_counter(session)
    files.publish(upload.sha256)
    crash_point("server_blob_renamed")  # F13: file in blobs/, no row yet
    blob = record_blob(session, principal, upload.sha256, upload.length, upload.content_type)
    session.delete(upload)
    chain.sign_checkpoint(session, signer)
    return _blob_state(blob)


def terminate(session: Session, files: BlobFiles, principal: Principal, sha256: str) -> None:
    """Abandon an incomplete upload (tus termination); stored blobs are never deletable."""
    if session.get(Blob, sha256) is not None:
        raise ApiError(403, "blob_immutable", "a stored blob is never deleted")
    upload = session.exec(select(Upload).where(Upload.sha256 == sha256).with_for_update()).first()
    if upload is None:
        raise ApiError(404, "unknown_upload", "no upload of this blob")
    if upload.created_by != principal.username and not principal.is_admin:
        raise ApiError(403, "forbidden", "only who started an upload (or an admin) may end it")
    files.discard_part(sha256)
    session.delete(upload)


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
    """Drop expired uploads and their part files (tus expiration); returns how many. Blobs
    are never touched."""
    expired = session.exec(select(Upload).where(col(Upload.expires_at) <= utcnow())).all()
    for upload in expired:
        files.discard_part(upload.sha256)
        session.delete(upload)
    return len(expired)
