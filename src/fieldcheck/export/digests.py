"""SHA-256 and SHA-512 of one stream in one pass: the SHA-512 runs on a helper thread
(hashlib lets go of the GIL on large blocks) while the caller hashes SHA-256 and writes, so
a block is read once and both digests cost about the time of the slower one."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import BinaryIO

BLOCK_BYTES = 4 << 20
_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sha512")


@dataclass(frozen=True)
class Digests:
    size: int
    sha256: str
    sha512: str


def stream_digests(
    source: BinaryIO, sink: Callable[[bytes], object] | None = None, block: int = BLOCK_BYTES
) -> Digests:
    """Read ``source`` to its end in blocks, hand each block to ``sink`` (when given), and
    return its size and both digests."""
    sha256, sha512 = hashlib.sha256(), hashlib.sha512()
    size = 0
    pending: Future[None] | None = None
    while chunk := source.read(block):
        if pending is not None:
            pending.result()
        pending = _pool.submit(sha512.update, chunk)
        sha256.update(chunk)
        if sink is not None:
            sink(chunk)
        size += len(chunk)
    if pending is not None:
        pending.result()
    return Digests(size, sha256.hexdigest(), sha512.hexdigest())


def bytes_digests(data: bytes) -> Digests:
    return Digests(len(data), hashlib.sha256(data).hexdigest(), hashlib.sha512(data).hexdigest())
