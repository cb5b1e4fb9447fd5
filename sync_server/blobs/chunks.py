"""One PATCH body, received without holding it in memory: streamed to a staged chunk file in
blocks of :data:`WRITE_BLOCK` (written off the event loop) while it is hashed piece by piece
against its ``Upload-Checksum``, under a per-user limit of chunks in flight."""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from sync_server.blobs.storage import BlobFiles, StagedChunk
from sync_server.errors import ApiError

CHECKSUMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "md5": hashlib.md5}
#: What a request holds in memory at most before it is written out.
WRITE_BLOCK = 256 * 1024
MAX_CHUNK_HEADER = "Fieldcheck-Max-Chunk-Size"
RETRY_AFTER_S = 5


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


class ChunkSlots:
    """Chunks in flight per user in this process (the event loop's, so no lock): beyond
    ``per_user`` a PATCH is refused with 429 before its body is read."""

    def __init__(self, per_user: int):
        self.per_user = per_user
        self._busy: dict[str, int] = {}

    @contextmanager
    def take(self, username: str) -> Iterator[None]:
        busy = self._busy.get(username, 0)
        if busy >= self.per_user:
            raise ApiError(
                429,
                "too_many_parallel_chunks",
                f"at most {self.per_user} chunks of one user are received at once; "
                "send this one when another is done",
                {"limit": self.per_user},
                headers={"Retry-After": str(RETRY_AFTER_S)},
            )
        self._busy[username] = busy + 1
        try:
            yield
        finally:
            left = self._busy[username] - 1
            if left:
                self._busy[username] = left
            else:
                del self._busy[username]


def too_large(limit: int) -> ApiError:
    return ApiError(
        413,
        "chunk_too_large",
        f"a chunk may be at most {limit} bytes",
        {"limit": limit},
        headers={MAX_CHUNK_HEADER: str(limit)},
    )


async def receive(
    request: Request,
    files: BlobFiles,
    sha256: str,
    owner: str,
    limit: int,
    check: ChunkCheck,
) -> StagedChunk:
    """The body of ``request`` in a staged chunk file, fed to ``check`` as it arrives;
    413 above ``limit`` bytes (by Content-Length up front, or while streaming), 507 when
    the disk cannot take it. The caller discards the chunk unless it is appended."""
    declared = request.headers.get("content-length")
    expected = int(declared) if declared is not None and declared.isdigit() else None
    if expected is not None and expected > limit:
        raise too_large(limit)
    files.check_space(limit if expected is None else expected)
    chunk = files.new_chunk(sha256, owner)
    try:
        pending = bytearray()
        received = 0
        async for piece in request.stream():
            received += len(piece)
            if received > limit:
                raise too_large(limit)
            check.update(piece)
            pending += piece
            if len(pending) >= WRITE_BLOCK:
                await run_in_threadpool(chunk.write, pending)
                pending = bytearray()
        if pending:
            await run_in_threadpool(chunk.write, pending)
    except BaseException:
        chunk.discard()
        raise
    return chunk
