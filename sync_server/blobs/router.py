"""``/v1/uploads`` (tus 1.0: core, creation, checksum, termination, expiration) and
``/v1/blobs``: the "which do you lack?" check and downloads with Range support.

The upload URL is ``/v1/uploads/{sha256}``: each user's own upload of that blob, shared by
their laptops and every server process, so a retry or another of their laptops resumes
instead of duplicating; to other users it does not exist. A chunk streams to disk as it
arrives, hashed against ``Upload-Checksum`` on the way; then one worker call, off the event
loop, appends it under the upload's row lock, fsyncs and commits the offset. A chunk that
is the whole blob is known to match its SHA-256 from that hash; a blob of several chunks is
re-read once at the end. Downloads are checked against the hash as they are served
(:mod:`sync_server.blobs.serving`).
"""

from __future__ import annotations

import base64
import email.utils
import functools
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from fieldcheck.protocol.blobs import (
    BLOB_STATUS_HEADER,
    BlobCheckRequest,
    BlobCheckResponse,
    BlobStatus,
)
from sync_server.auth.principal import Principal
from sync_server.blobs import access, chunks, service
from sync_server.blobs.access import BlobUnderRepairError
from sync_server.blobs.chunks import MAX_CHUNK_HEADER
from sync_server.blobs.media import served_headers
from sync_server.blobs.models import Blob
from sync_server.blobs.repair import quarantine_blob
from sync_server.blobs.service import UploadState
from sync_server.blobs.serving import VerifiedBlobResponse
from sync_server.blobs.storage import StagedChunk
from sync_server.blobs.thumbnails import SIZES, check_width
from sync_server.deps import AppContext, Context, CurrentPrincipal, ReadSession
from sync_server.errors import ApiError
from sync_server.openapi import (
    CHUNK_BODY,
    ERRORS,
    OFFSET_STREAM,
    TUS_REQUEST,
    TUS_RESUMABLE_HEADER,
    TUS_VERSION,
    UPLOAD_CHECKSUM_PATTERN,
    UPLOAD_STATE_HEADERS,
    Sha256Path,
)

TUS_EXTENSIONS = "creation,checksum,termination,expiration"
TUS_CHECKSUMS = "sha1,sha256,md5"
TUS_ERRORS = {**ERRORS, 410: ERRORS[404], 412: ERRORS[404], 415: ERRORS[404], 460: ERRORS[404]}


def require_tus(
    tus_resumable: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> None:
    """tus: every request but OPTIONS names the protocol version: 400 without it, 412 for
    a version this server does not speak."""
    if tus_resumable != TUS_VERSION:
        raise ApiError(
            400 if tus_resumable is None else 412,
            "tus_version",
            f"send Tus-Resumable: {TUS_VERSION}",
            headers={"Tus-Version": TUS_VERSION, "Tus-Resumable": TUS_VERSION},
        )


router = APIRouter(tags=["blobs"])
tus = APIRouter(tags=["uploads"], dependencies=[Depends(require_tus)])


def _headers(
    state: UploadState, *, location: str | None = None, max_chunk: int | None = None
) -> dict[str, str]:
    headers = {
        "Tus-Resumable": TUS_VERSION,
        "Upload-Offset": str(state.offset),
        "Upload-Length": str(state.length),
        "Cache-Control": "no-store",
    }
    if state.expires_at is not None:
        headers["Upload-Expires"] = email.utils.format_datetime(state.expires_at, usegmt=True)
    if state.verified:
        headers[BLOB_STATUS_HEADER] = BlobStatus.VERIFIED.value
    if location:
        headers["Location"] = location
    if max_chunk:
        headers[MAX_CHUNK_HEADER] = str(max_chunk)
    return headers


@router.options("/v1/uploads", status_code=204)
def discover(context: Context) -> Response:
    """tus discovery: version, extensions, checksum algorithms and the size limit."""
    return Response(
        status_code=204,
        headers={
            "Tus-Version": TUS_VERSION,
            "Tus-Resumable": TUS_VERSION,
            "Tus-Extension": TUS_EXTENSIONS,
            "Tus-Checksum-Algorithm": TUS_CHECKSUMS,
            "Tus-Max-Size": str(context.settings.max_blob_bytes),
            MAX_CHUNK_HEADER: str(context.settings.max_chunk_bytes),
        },
    )


@tus.post(
    "/v1/uploads",
    status_code=201,
    responses={
        **TUS_ERRORS,
        201: {
            "description": "created (or a blob you may read: complete)",
            "headers": {
                **UPLOAD_STATE_HEADERS,
                "Location": {"description": "the upload's URL", "schema": {"type": "string"}},
            },
        },
    },
    openapi_extra=TUS_REQUEST,
)
def create_upload(
    request: Request,
    principal: CurrentPrincipal,
    context: Context,
    upload_length: Annotated[
        int, Header(ge=0, le=2**53, description="the blob's length (deferred is not supported)")
    ],
    upload_metadata: Annotated[
        str | None,
        Header(
            max_length=4096,
            description="tus metadata, ``key base64value`` pairs; ``sha256`` (the blob's hash, "
            "64 lowercase hex digits) is required, anything else is ignored",
        ),
    ] = None,
) -> Response:
    """tus creation: ``Upload-Length`` and ``Upload-Metadata`` with the blob's ``sha256``
    (other metadata, such as a claimed file type, is ignored: the type comes from the
    bytes). Answers 201 with ``Location``; a blob you may read answers at its full length;
    429 ``too_many_uploads`` or 507 ``upload_quota_exceeded`` beyond your limits."""
    meta = service.parse_metadata(upload_metadata)
    sha = service.valid_sha(meta.get("sha256", ""))
    with context.db.writing() as session:
        state = service.create(
            session, principal, context.settings, sha256=sha, length=upload_length
        )
        session.commit()
    location = str(request.url_for("upload_offset", sha256=sha).path)
    headers = _headers(state, location=location, max_chunk=context.settings.max_chunk_bytes)
    return Response(status_code=201, headers=headers)


@tus.head(
    "/v1/uploads/{sha256:sha256}",
    responses={
        **TUS_ERRORS,
        200: {"description": "the resume point", "headers": UPLOAD_STATE_HEADERS},
    },
    openapi_extra=TUS_REQUEST,
)
def upload_offset(
    sha256: Sha256Path, principal: CurrentPrincipal, session: ReadSession, context: Context
) -> Response:
    """The resume point of your upload: ``Upload-Offset`` of the committed bytes."""
    state = service.state(session, principal, sha256)
    headers = _headers(state, max_chunk=context.settings.max_chunk_bytes)
    return Response(status_code=200, headers=headers)


@tus.patch(
    "/v1/uploads/{sha256:sha256}",
    status_code=204,
    responses={
        **TUS_ERRORS,
        204: {"description": "the chunk is committed", "headers": UPLOAD_STATE_HEADERS},
    },
    openapi_extra={**TUS_REQUEST, **CHUNK_BODY},
)
async def upload_chunk(
    sha256: Sha256Path,
    request: Request,
    principal: CurrentPrincipal,
    context: Context,
    upload_offset: Annotated[int, Header(ge=0, le=2**53)],
    upload_checksum: Annotated[
        str | None,
        Header(
            max_length=200,
            description="``<sha1|sha256|md5> <base64 digest>`` of this chunk",
            json_schema_extra={"pattern": UPLOAD_CHECKSUM_PATTERN},
        ),
    ] = None,
) -> Response:
    """Append one chunk at ``Upload-Offset``: 409 at the wrong offset, 460 when it does not
    match ``Upload-Checksum``, 413 above the chunk limit, 415 ``not_a_photo`` when the
    finished upload is no photo, 429 beyond your chunks in flight, 507 when the disk is
    full. The body goes to disk as it arrives."""
    content_type = request.headers.get("content-type", "")
    if content_type.split(";")[0].strip().lower() != OFFSET_STREAM:
        raise ApiError(415, "unsupported_media_type", f"PATCH needs Content-Type: {OFFSET_STREAM}")
    check = chunks.ChunkCheck(upload_checksum)
    await run_in_threadpool(_precheck, context, principal, sha256, upload_offset)
    files, limit = context.blob_files, context.settings.max_chunk_bytes
    with context.chunk_slots.take(principal.username):
        chunk = await chunks.receive(request, files, sha256, principal.username, limit, check)
        try:
            digest = check.verify()  # 460 before anything is appended
            state = await run_in_threadpool(
                _write, context, principal, sha256, upload_offset, chunk, digest
            )
        finally:
            chunk.discard()  # nothing left once appended
    return Response(status_code=204, headers=_headers(state))


def _precheck(context: AppContext, principal: Principal, sha: str, offset: int) -> None:
    """Refuse a chunk that cannot go in before its body is read."""
    with context.db.reading() as session:
        service.writable(session, principal, sha, offset, lock=False)


def _write(
    context: AppContext,
    principal: Principal,
    sha: str,
    offset: int,
    chunk: StagedChunk,
    digest: str | None,
) -> UploadState:
    """The chunk's write transaction, off the event loop: lock, append, fsync, commit."""
    with context.db.writing() as session:
        try:
            state = service.write_chunk(
                session,
                context.blob_files,
                context.signer,
                principal,
                sha256=sha,
                offset=offset,
                chunk=chunk,
                settings=context.settings,
                digest=digest,
            )
        except service.UploadDroppedError:
            session.commit()
            raise
        session.commit()
    return state


@tus.delete(
    "/v1/uploads/{sha256:sha256}",
    status_code=204,
    responses={**TUS_ERRORS, 204: {"description": "ended", "headers": TUS_RESUMABLE_HEADER}},
    openapi_extra=TUS_REQUEST,
)
def terminate_upload(sha256: Sha256Path, principal: CurrentPrincipal, context: Context) -> Response:
    """tus termination: abandon your incomplete upload. Stored blobs answer 403."""
    with context.db.writing() as session:
        service.terminate(session, context.blob_files, principal, sha256)
        session.commit()
    return Response(status_code=204, headers={"Tus-Resumable": TUS_VERSION})


@router.post("/v1/blobs/check", response_model=BlobCheckResponse, responses=ERRORS)
def check_blobs(
    body: BlobCheckRequest, principal: CurrentPrincipal, session: ReadSession
) -> BlobCheckResponse:
    """Which of these blobs you may read and the server has whole (``present``), you have
    partly uploaded (``partial``, with the resume offset) or should send (``missing``: not
    stored, stored where you may not read it, or under repair)."""
    return access.check(session, principal, body.objects)


@router.get(
    "/v1/blobs/{sha256:sha256}",
    response_class=FileResponse,
    responses={**ERRORS, 200: {"content": {"image/*": {}, "application/octet-stream": {}}}},
)
def download(
    sha256: Sha256Path, request: Request, principal: CurrentPrincipal, context: Context
) -> Response:
    """The original bytes, with Range support; ``Repr-Digest`` carries the SHA-256. Readable
    by admins, who sent its bytes and users whose sub-districts hold a photo of it (else
    404). 409 ``blob_under_repair`` while its damaged file waits for a laptop to send it
    again; a transfer found damaged on the way is cut off, never completed."""
    blob = _readable(context, principal, sha256)
    path = context.blob_files.path(blob.sha256)
    if request.headers.get("range"):
        _verify(context, blob.sha256)  # part of a file cannot be checked as it goes
    try:
        stat = path.stat()
    except FileNotFoundError:
        _verify(context, blob.sha256)
        raise
    media_type, safety = served_headers(blob.sha256, blob.content_type)
    digest = base64.b64encode(bytes.fromhex(blob.sha256)).decode()
    headers = {
        "ETag": f'"sha256:{blob.sha256}"',
        "Repr-Digest": f"sha-256=:{digest}:",
        "Cache-Control": "private, max-age=31536000, immutable",
        **safety,
    }
    if request.headers.get("range"):
        return FileResponse(path, media_type=media_type, headers=headers, stat_result=stat)
    return VerifiedBlobResponse(
        path,
        stat,
        sha256=blob.sha256,
        media_type=media_type,
        headers=headers,
        on_mismatch=functools.partial(
            run_in_threadpool, _quarantine, context, blob.sha256, "a download"
        ),
    )


@router.get(
    "/v1/blobs/{sha256:sha256}/thumbnail",
    response_class=FileResponse,
    responses={**ERRORS, 200: {"content": {"image/jpeg": {}}}},
)
def thumbnail(
    sha256: Sha256Path,
    principal: CurrentPrincipal,
    context: Context,
    w: Annotated[
        int,
        Query(
            description=f"longest side in pixels, one of {', '.join(map(str, SIZES))}",
            json_schema_extra={"enum": list(SIZES)},
        ),
    ] = 320,
) -> FileResponse:
    """A JPEG preview of a photo blob, turned the right way up, its longest side at most
    ``w``: a derived cache, not evidence, made only from bytes that match their hash. 422
    ``not_a_photo`` when the blob is no photo the server can read; who may read the blob
    may read its thumbnail."""
    width = check_width(w)
    blob = _readable(context, principal, sha256)
    if not context.thumbnails.path(blob.sha256, width).is_file():
        _verify(context, blob.sha256)
    path = context.thumbnails.get(blob.sha256, width, context.blob_files.path(blob.sha256))
    return FileResponse(
        path,
        media_type="image/jpeg",
        headers={
            "ETag": f'"thumbnail-{width}:{blob.sha256}"',
            "Cache-Control": "private, max-age=86400",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _readable(context: AppContext, principal: Principal, sha256: str) -> Blob:
    """The blob if ``principal`` may read it, checked in a session closed before any file is
    read or rendered (no database connection waits on the disk)."""
    with context.db.reading() as session:
        return access.readable_blob(session, principal, sha256)


def _verify(context: AppContext, sha256: str) -> None:
    """Hash the stored file whole; if it is damaged or gone, quarantine it and answer 409."""
    try:
        intact = context.blob_files.matches(sha256)
    except FileNotFoundError:
        intact = False
    if not intact:
        _quarantine(context, sha256, "a range request or thumbnail")
        raise BlobUnderRepairError()


def _quarantine(context: AppContext, sha256: str, found_by: str) -> bool:
    return quarantine_blob(context.db, context.blob_files, context.signer, sha256, reason=found_by)
