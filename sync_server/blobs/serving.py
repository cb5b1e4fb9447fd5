"""Downloads that never deliver bytes under a hash they do not match.

A whole-file download is hashed while it streams and its last piece is held back until the
hash is known: on a mismatch the blob is quarantined and the response aborted, so the client
sees a cut-off transfer (shorter than its ``Content-Length``), never a complete wrong body.
A range request cannot be checked that way (it sends part of the file), so the route hashes
the whole file before it hands the range to Starlette's ``FileResponse``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path

import anyio
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

PIECE = 64 * 1024


class BlobDamagedError(RuntimeError):
    """The bytes streamed for a blob did not hash to its name; the response was cut off."""


class VerifiedBlobResponse(Response):
    """The whole file at ``path`` (``stat`` taken by the caller), checked against
    ``sha256`` as it goes; ``on_mismatch`` (quarantining the blob) is awaited before the
    transfer is aborted."""

    def __init__(
        self,
        path: Path,
        stat: os.stat_result,
        *,
        sha256: str,
        media_type: str,
        headers: Mapping[str, str],
        on_mismatch: Callable[[], Awaitable[object]],
    ) -> None:
        self.path, self.sha256, self.on_mismatch = path, sha256, on_mismatch
        self.status_code = 200
        self.media_type = media_type
        self.background = None
        self.init_headers(
            {**headers, "Content-Length": str(stat.st_size), "Accept-Ranges": "bytes"}
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        digest = hashlib.sha256()
        held = b""
        async with await anyio.open_file(self.path, "rb") as file:
            while piece := await file.read(PIECE):
                digest.update(piece)
                if held:
                    await send({"type": "http.response.body", "body": held, "more_body": True})
                held = piece
        if digest.hexdigest() != self.sha256:
            await self.on_mismatch()
            raise BlobDamagedError(f"blob {self.sha256} does not hash to its name: cut off")
        await send({"type": "http.response.body", "body": held, "more_body": False})
