"""Blob uploads in parallel: one connection (a fork of the sync's HTTP client) and one
:class:`~fieldcheck.sync.blobs.Uploader` per lane, each upload's outcome handed back as it
ends, and the progress of the whole phase summed from every lane's bytes.

Files are re-hashed (read whole when they fit in one chunk) in upload order on a thread of
their own, one file ahead of their uploads, so hashing overlaps the network instead of adding
to it (hashlib releases the GIL); each upload still waits for its own file's hash, and sends
the bytes that were hashed. The first failure of the link stops the uploads not started yet.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from types import TracebackType

from fieldcheck.photos.blobs import BlobStore
from fieldcheck.sync.blobs import ChunkSizer, IntegrityError, Prepared, Uploader, UploadTally
from fieldcheck.sync.blobs import prepare as prepare_blob
from fieldcheck.sync.errors import SyncError
from fieldcheck.sync.http import SyncHttp


@dataclass(frozen=True)
class UploadOutcome:
    """How one blob's upload ended: ``verified`` by the server, or refused locally
    (``integrity``: the file no longer matches its hash), or cut off (``failure``: the link
    failed); none of them when it was skipped after another upload's failure. ``tally`` is
    what it cost on the wire."""

    sha256: str
    tally: UploadTally
    verified: bool = False
    integrity: IntegrityError | None = None
    failure: SyncError | None = None


class BlobProgress:
    """The blob phase's progress from any upload thread: files done of ``files``, bytes sent
    of ``total`` (``done`` files and ``done_bytes`` were there before any upload)."""

    def __init__(
        self,
        files: int,
        total: int,
        *,
        done: int,
        done_bytes: int,
        report: Callable[[int, int, str], None],
    ) -> None:
        self.files, self.total = files, total
        self._done, self._done_bytes = done, done_bytes
        self._report = report  # (files done, bytes sent, current sha256)
        self._offsets: dict[str, int] = {}
        self._lock = threading.Lock()

    def on_bytes(self, sha256: str, offset: int, _size: int) -> None:
        """An uploader committed a chunk: ``offset`` bytes of ``sha256`` are on the server."""
        with self._lock:
            self._offsets[sha256] = offset
            sent = self._done_bytes + sum(self._offsets.values())
            done = self._done
        self._report(done, sent, sha256)

    def finished(self) -> None:
        with self._lock:
            self._done += 1


class UploadPool:
    """Uploads over ``lanes`` connections at once. An uploader's chunk size carries over
    from blob to blob, starting at ``chunk_size`` (the link's last known pace, else 512 KiB);
    :attr:`chunk_size` is the smallest any lane ended with. Use it as a context manager:
    leaving it stops the hashing thread and folds the forks' counts back into ``http``."""

    def __init__(
        self,
        http: SyncHttp,
        store: BlobStore,
        progress: BlobProgress,
        *,
        lanes: int,
        chunk_size: int,
    ) -> None:
        self.http, self.store, self.progress = http, store, progress
        self._forks = [http.fork() for _ in range(max(1, lanes))]
        self._uploaders = [
            Uploader(
                fork,
                store,
                sizer=ChunkSizer.starting_at(chunk_size),
                on_bytes=progress.on_bytes,
            )
            for fork in self._forks
        ]
        self._idle = list(self._uploaders)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._hasher = ThreadPoolExecutor(1, thread_name_prefix="fieldcheck-rehash")
        self._prepared: dict[str, Future[Prepared] | None] = {}
        self._todo: list[tuple[str, int]] = []

    def __enter__(self) -> UploadPool:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._hasher.shutdown(wait=True, cancel_futures=True)
        for fork in self._forks:
            self.http.absorb(fork)

    @property
    def chunk_size(self) -> int:
        return min(u.sizer.size for u in self._uploaders)

    def run(self, todo: list[tuple[str, int]]) -> Generator[UploadOutcome, None, None]:
        """Upload the blobs ``todo`` ((sha256, size), in this order), yielding each outcome
        as it ends."""
        self._todo = todo
        lanes = len(self._forks)
        with ThreadPoolExecutor(lanes, thread_name_prefix="fieldcheck-upload") as pool:
            jobs = [pool.submit(self._upload, i, sha, size) for i, (sha, size) in enumerate(todo)]
            for job in as_completed(jobs):
                yield job.result()

    def _prepare_ahead(self, index: int) -> None:
        """Start re-hashing this file and the next one's (under the lock)."""
        for ahead in (index, index + len(self._forks)):
            if ahead < len(self._todo) and self._todo[ahead][0] not in self._prepared:
                sha, size = self._todo[ahead]
                self._prepared[sha] = self._hasher.submit(prepare_blob, self.store, sha, size)

    def _upload(self, index: int, sha: str, size: int) -> UploadOutcome:
        """Upload one blob on a free connection."""
        tally = UploadTally()
        if self._stop.is_set():
            return UploadOutcome(sha, tally)
        with self._lock:
            uploader = self._idle.pop()
            self._prepare_ahead(index)
        try:
            uploader.upload(sha, size, tally, rehashed=self._prepared[sha])
        except IntegrityError as exc:
            return UploadOutcome(sha, tally, integrity=exc)
        except SyncError as exc:
            self._stop.set()
            return UploadOutcome(sha, tally, failure=exc)
        finally:
            with self._lock:
                self._idle.append(uploader)
                self._prepared[sha] = None  # free its bytes
        self.progress.finished()
        return UploadOutcome(sha, tally, verified=True)
