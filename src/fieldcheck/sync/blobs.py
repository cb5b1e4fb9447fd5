"""The blob phase (SYNC-RESEARCH §6.5): ask the server which photo blobs it lacks, re-hash
each local file before sending it, and upload it with tus 1.0 (``POST /v1/uploads``, then
``PATCH`` chunks with ``Upload-Offset`` and a SHA-256 ``Upload-Checksum``).

Chunks adapt between 64 KiB and 16 MiB (start 512 KiB, doubled after 3 clean chunks, halved
on any failure; above 4 MiB only while a chunk takes under 2 s, and never above the
``Fieldcheck-Max-Chunk-Size`` the server advertises). A file that fits in one chunk is read
once: the hash of those bytes is both the re-hash before upload and the chunk's checksum.

After a cut, a timeout or a server error the upload asks ``HEAD`` for the
committed offset and goes on from there: the server is the truth, so at most the chunk in
flight is sent twice. A blob counts as verified only when the server says
``Blob-Status: verified``. Downloads (``GET /v1/blobs/{sha256}``) are checked against the
hash before they enter the local blob store.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests
import urllib3

from fieldcheck.photos.blobs import BlobStore
from fieldcheck.protocol.blobs import (
    BLOB_STATUS_HEADER,
    BlobCheckRequest,
    BlobCheckResponse,
    BlobRef,
    BlobStatus,
    PartialBlob,
)
from fieldcheck.sync.errors import SyncError, SyncErrorKind
from fieldcheck.sync.http import SyncHttp, error_from

log = logging.getLogger(__name__)

TUS = {"Tus-Resumable": "1.0.0"}
KiB, MiB = 1024, 1024 * 1024
MIN_CHUNK, START_CHUNK, MAX_CHUNK = 64 * KiB, 512 * KiB, 16 * MiB
#: Chunks grow beyond this only on a good link (a chunk sent in under ``FAST_CHUNK_S``).
STEADY_CHUNK, FAST_CHUNK_S = 4 * MiB, 2.0
MAX_CHUNK_HEADER = "Fieldcheck-Max-Chunk-Size"
CHECK_BATCH = 1000


class IntegrityError(Exception):
    """The local file no longer hashes to its name: it must not be uploaded."""


@dataclass
class ChunkSizer:
    """Adaptive chunk size: ×2 after ``grow_after`` successes in a row, ÷2 on a failure."""

    size: int = START_CHUNK
    minimum: int = MIN_CHUNK
    maximum: int = MAX_CHUNK
    grow_after: int = 3
    _streak: int = 0

    @classmethod
    def starting_at(cls, size: int) -> ChunkSizer:
        """A sizer that starts at ``size`` (a previous sync's), within the limits."""
        return cls(size=min(MAX_CHUNK, max(MIN_CHUNK, size)) if size else START_CHUNK)

    def size_after_success(self, seconds: float = 0.0) -> int:
        """The size the next chunk gets if this one goes through in ``seconds``."""
        if self._streak + 1 < self.grow_after:
            return self.size
        if self.size >= STEADY_CHUNK and seconds >= FAST_CHUNK_S:
            return self.size  # big chunks only while each one is quick
        return min(self.maximum, self.size * 2)

    def success(self, seconds: float = 0.0) -> None:
        grown = self.size_after_success(seconds)
        self._streak = 0 if self._streak + 1 >= self.grow_after else self._streak + 1
        self.size = grown

    def limit_to(self, maximum: int) -> None:
        """The server takes chunks of at most ``maximum`` bytes."""
        self.maximum = max(MIN_CHUNK, min(MAX_CHUNK, maximum))
        self.size = min(self.size, self.maximum)

    def failure(self) -> None:
        self.size, self._streak = max(self.minimum, self.size // 2), 0


@dataclass
class UploadTally:
    """What one blob's upload cost: bytes put on the wire, and of those, sent again."""

    sent: int = 0
    resent: int = 0
    chunks: int = 0
    retries: int = 0
    sizes: list[int] = field(default_factory=list)


def check(http: SyncHttp, blobs: list[tuple[str, int]]) -> BlobCheckResponse:
    """Which of ``blobs`` (sha256, size) the server has, has in part, or lacks."""
    present: list[str] = []
    partial: list[PartialBlob] = []
    missing: list[str] = []
    for start in range(0, len(blobs), CHECK_BATCH):
        body = BlobCheckRequest(
            objects=[BlobRef(sha256=s, size=n) for s, n in blobs[start : start + CHECK_BATCH]]
        )
        answer = http.call(
            "POST",
            "/v1/blobs/check",
            BlobCheckResponse,
            idempotent=True,
            json=body.model_dump(mode="json"),
        )
        present += answer.present
        partial += answer.partial
        missing += answer.missing
    return BlobCheckResponse(present=present, partial=partial, missing=missing)


@dataclass(frozen=True)
class Prepared:
    """A file re-hashed before its upload: its SHA-256 and, when it fits in one chunk, the
    very bytes that were hashed (so they are read once and sent as hashed)."""

    sha256: str
    data: bytes | None = None


def prepare(store: BlobStore, sha256: str, size: int, whole_up_to: int = MAX_CHUNK) -> Prepared:
    """Re-hash a local blob before it goes up, keeping its bytes if ``size`` ≤ ``whole_up_to``."""
    if size > whole_up_to:
        return Prepared(store.rehash(sha256))
    with open(store.path_for(sha256), "rb") as handle:
        data = handle.read(size + 1)  # one byte more shows a file that grew
    return Prepared(hashlib.sha256(data).hexdigest(), data)


class _ChunkReader:
    """Chunks of one file with their ``Upload-Checksum`` headers; the next one can be read
    and hashed on a helper thread while the current one is on the wire. With the file's
    ``prepared`` bytes, chunks come from memory, and the whole file needs no second hash."""

    def __init__(self, path: Path, size: int, prepared: Prepared | None = None) -> None:
        self.path, self.size = path, size
        self.prepared = prepared if prepared is not None and prepared.data is not None else None
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="fieldcheck-chunk")
        self._next: tuple[int, int, Future[tuple[bytes, dict[str, str]]]] | None = None
        self._fd = -1

    def __enter__(self) -> _ChunkReader:
        if self.prepared is None:
            self._fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        if self._fd >= 0:
            os.close(self._fd)

    def _read(self, offset: int, length: int) -> tuple[bytes, dict[str, str]]:
        if self.prepared is None:
            chunk = os.pread(self._fd, length, offset)
            return chunk, _patch_headers(offset, chunk)
        data = self.prepared.data or b""
        if offset == 0 and length == self.size == len(data):  # the whole file: hashed already
            return data, _patch_headers(offset, data, bytes.fromhex(self.prepared.sha256))
        chunk = data[offset : offset + length]
        return chunk, _patch_headers(offset, chunk)

    def take(self, offset: int, length: int) -> tuple[bytes, dict[str, str]]:
        """The chunk at ``offset`` (the prefetched one when it is that chunk)."""
        length = min(length, self.size - offset)
        ahead, self._next = self._next, None
        if ahead is not None and ahead[:2] == (offset, length):
            chunk, headers = ahead[2].result()
        else:
            chunk, headers = self._read(offset, length)
        if len(chunk) != length or not chunk:
            raise IntegrityError(f"{self.path} is shorter than the {self.size} bytes recorded")
        return chunk, headers

    def prefetch(self, offset: int, length: int) -> None:
        length = min(length, self.size - offset)
        if length > 0:
            self._next = (offset, length, self._pool.submit(self._read, offset, length))


class Uploader:
    """Uploads blobs of one local store through ``http``; ``on_bytes(sha, offset, size)``
    reports progress after every committed chunk."""

    def __init__(
        self,
        http: SyncHttp,
        store: BlobStore,
        *,
        sizer: ChunkSizer | None = None,
        on_bytes: Callable[[str, int, int], None] | None = None,
    ) -> None:
        self.http = http
        self.store = store
        self.sizer = sizer or ChunkSizer()
        self.on_bytes = on_bytes or (lambda _sha, _done, _size: None)

    def upload(
        self,
        sha256: str,
        size: int,
        tally: UploadTally,
        rehashed: Future[Prepared] | None = None,
    ) -> None:
        """Upload the blob until the server verifies it; IntegrityError when the local file
        no longer matches ``sha256``; SyncError when the link stays down. ``rehashed`` is
        the file prepared just before (on another thread, overlapping the previous
        upload); without it the file is prepared here first."""
        path = self.store.path_for(sha256)
        try:
            prepared = (
                rehashed.result() if rehashed is not None else prepare(self.store, sha256, size)
            )
        except OSError as exc:
            raise IntegrityError(f"{path} cannot be read ({exc.strerror or exc})") from exc
        if prepared.sha256 != sha256:
            raise IntegrityError(f"{path} no longer matches its SHA-256 {sha256}")
        offset, verified = self._create(sha256, size)
        failures = 0
        sent_high = offset
        with _ChunkReader(path, size, prepared) as reader:
            while not verified:
                self.http.cancel.check()
                chunk, headers = reader.take(offset, self.sizer.size)
                # Read and checksum the chunk likely to come next while this one travels.
                reader.prefetch(offset + len(chunk), self.sizer.size_after_success())
                if offset < sent_high:
                    tally.resent += min(len(chunk), sent_high - offset)
                started = time.monotonic()
                try:
                    response = self.http.send(
                        "PATCH", f"/v1/uploads/{sha256}", data=chunk, headers=headers
                    )
                except SyncError:
                    log.warning(
                        "a chunk of %s at %d was cut off; asking the server where to go on",
                        sha256,
                        offset,
                        exc_info=True,
                    )
                    tally.sent += len(chunk)
                    sent_high = max(sent_high, offset + len(chunk))
                    failures = self._after_failure(failures, tally)
                    offset, verified = self._resume(sha256, size)
                    continue
                tally.sent += len(chunk)
                tally.chunks += 1
                tally.sizes.append(len(chunk))
                sent_high = max(sent_high, offset + len(chunk))
                status = response.status_code
                if status == 204:
                    offset = int(response.headers.get("Upload-Offset", offset + len(chunk)))
                    verified = response.headers.get(BLOB_STATUS_HEADER) == BlobStatus.VERIFIED
                    self.sizer.success(time.monotonic() - started)
                    failures = 0
                    self.on_bytes(sha256, offset, size)
                elif status == 409 and "Upload-Offset" in response.headers:
                    offset, verified = _offset(response, size, older_servers=True)
                elif status in (404, 410):
                    offset, verified = self._create(sha256, size)
                elif status == 413:  # the server takes smaller chunks: stay below this one
                    limit = response.headers.get(MAX_CHUNK_HEADER, "")
                    self.sizer.limit_to(int(limit) if limit.isdigit() else self.sizer.size // 2)
                    failures = self._after_failure(failures, tally)
                elif status == 422:
                    if self.store.rehash(sha256) != sha256:
                        raise IntegrityError(f"{path} changed while it was being uploaded")
                    failures = self._after_failure(failures, tally)
                    offset, verified = self._create(sha256, size)
                elif status == 460 or status >= 500 or status == 429:
                    failures = self._after_failure(failures, tally)
                    offset, verified = self._resume(sha256, size)
                else:
                    raise error_from(response)

    def _after_failure(self, failures: int, tally: UploadTally) -> int:
        failures += 1
        tally.retries += 1
        self.sizer.failure()
        if failures >= self.http.config.attempts:
            raise SyncError(
                SyncErrorKind.UNREACHABLE,
                f"the upload failed {failures} times in a row; it resumes at the next sync",
            )
        self.http.backoff(failures)
        return failures

    def _create(self, sha256: str, size: int) -> tuple[int, bool]:
        """tus creation (or rejoining the upload of this blob): the committed offset."""
        response = self.http.request(
            "POST",
            "/v1/uploads",
            idempotent=True,  # keyed by the blob's hash: repeating it rejoins the same upload
            headers={
                **TUS,
                "Upload-Length": str(size),
                "Upload-Metadata": "sha256 " + base64.b64encode(sha256.encode()).decode(),
            },
        )
        if response.status_code not in (200, 201):
            raise error_from(response)
        limit = response.headers.get(MAX_CHUNK_HEADER, "")
        if limit.isdigit():
            self.sizer.limit_to(int(limit))
        return _offset(response, size)

    def _resume(self, sha256: str, size: int) -> tuple[int, bool]:
        """The committed offset after a failure: HEAD, or POST when the upload is gone."""
        response = self.http.request("HEAD", f"/v1/uploads/{sha256}", idempotent=True, headers=TUS)
        if response.status_code in (404, 410):
            return self._create(sha256, size)
        if response.status_code != 200:
            raise error_from(response)
        return _offset(response, size)


def _offset(
    response: requests.Response, size: int, older_servers: bool = False
) -> tuple[int, bool]:
    """(committed offset, verified). A 409 at the full length of an older server, which
    does not say ``Blob-Status``, means stored (``older_servers``)."""
    try:
        offset = int(response.headers["Upload-Offset"])
    except (KeyError, ValueError) as exc:
        raise SyncError(
            SyncErrorKind.PROTOCOL,
            "the upload answer has no Upload-Offset; is this a fieldcheck server?",
            status=response.status_code,
        ) from exc
    said = response.headers.get(BLOB_STATUS_HEADER) == BlobStatus.VERIFIED
    return offset, (said or older_servers) and offset >= size


def _patch_headers(offset: int, chunk: bytes, sha256: bytes | None = None) -> dict[str, str]:
    digest = base64.b64encode(sha256 or hashlib.sha256(chunk).digest()).decode()
    return {
        **TUS,
        "Upload-Offset": str(offset),
        "Content-Type": "application/offset+octet-stream",
        "Upload-Checksum": f"sha256 {digest}",
    }


def download(http: SyncHttp, store: BlobStore, sha256: str) -> bool:
    """Fetch a blob the laptop lacks into the blob store, verified against its hash.
    Returns False when the server has no such blob. A download cut off keeps its bytes and
    the next call asks (``Range``) only for the rest; if the joined file then fails its hash,
    it is fetched once more whole."""
    partial = store.partial(sha256)
    if store.exists(sha256):
        partial.unlink(missing_ok=True)
        return True
    have = partial.stat().st_size if partial.is_file() else 0
    headers = {"Range": f"bytes={have}-"} if have else {}
    response = http.request(
        "GET", f"/v1/blobs/{sha256}", idempotent=True, stream=True, headers=headers
    )
    try:
        if response.status_code == 404:
            return False
        if response.status_code == 416:  # the kept bytes are not a prefix of this blob
            partial.unlink(missing_ok=True)
            return download(http, store, sha256)
        if response.status_code not in (200, 206):
            raise error_from(response)
        start = _resumed_at(response, have) if response.status_code == 206 else 0
        try:
            store.append_partial(sha256, response.raw, start)
        except (urllib3.exceptions.HTTPError, requests.RequestException, ConnectionError) as exc:
            got = partial.stat().st_size if partial.is_file() else 0
            raise SyncError(
                SyncErrorKind.UNREACHABLE,
                f"the download of photo {sha256[:12]}… was cut off after {got} bytes; "
                "the next sync goes on from there",
            ) from exc
    finally:
        response.close()
    staged = store.finish_partial(sha256)
    if staged.sha256 != sha256:
        store.discard(staged)
        if start:  # the kept bytes were not this blob's: once more, from the first byte
            return download(http, store, sha256)
        raise SyncError(
            SyncErrorKind.PROTOCOL,
            f"the downloaded blob {sha256[:12]}… does not match its hash; it was not kept",
        )
    store.commit(staged)
    return True


def _resumed_at(response: requests.Response, have: int) -> int:
    """Where a 206 answer's bytes start; a protocol error unless it is where we asked."""
    content_range = response.headers.get("Content-Range", "")
    unit, _, span = content_range.partition(" ")
    first = span.partition("-")[0]
    if unit != "bytes" or not first.isdigit() or int(first) != have:
        raise SyncError(
            SyncErrorKind.PROTOCOL,
            f"the server resumed a download at {content_range!r}, not at byte {have}",
        )
    return have
