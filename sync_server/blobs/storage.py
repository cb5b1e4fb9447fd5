"""Blob files on the local filesystem, shared by every server process.

Verified blobs live at ``blobs/aa/bb/<sha256>``, read-only, written once by rename and never
removed: a file found damaged or gone is moved to ``quarantine/`` and a verified upload of
the same bytes takes its place. Uploads grow ``incoming/<sha256>.<uploader>.part``, one per
blob and uploader; only the part beyond the committed offset (a crash's tail) is ever
truncated. A PATCH body streams into a ``.chunk`` file of its own beside it and is moved
(offset 0) or copied into the part once verified, so no chunk is ever held in memory.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import os
import re
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from fieldcheck.faults import disk_full_point
from fieldcheck.photos.blobs import file_sha256
from sync_server.errors import DISK_FULL_MESSAGE, ApiError

_SHA256_NAME = re.compile(r"^[0-9a-f]{64}$")
_STAGED_NAME = re.compile(r"^([0-9a-f]{64})\.(?:[0-9a-f]{16}\.)?(?:[0-9a-f]{32}\.chunk|part)$")
COPY_BLOCK = 1024 * 1024


class DiskFullError(ApiError):
    def __init__(self) -> None:
        super().__init__(507, "disk_full", DISK_FULL_MESSAGE)


def _full(exc: OSError) -> bool:
    return exc.errno in (errno.ENOSPC, errno.EDQUOT)


def owner_tag(username: str) -> str:
    """The uploader's part of staged file names (usernames may hold any character)."""
    return hashlib.sha256(username.encode()).hexdigest()[:16]


class StagedChunk:
    """One PATCH body on its way to disk: ``incoming/<sha256>.<uploader>.<id>.chunk``,
    written piece by piece (call :meth:`write` off the event loop) and removed by
    :meth:`discard` unless :meth:`BlobFiles.append_chunk` took it."""

    def __init__(self, path: Path):
        self.path = path
        self.size = 0
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)

    def write(self, data: bytes | bytearray) -> None:
        view = memoryview(data)
        try:
            while view:
                written = os.write(self._fd, view)
                self.size += written
                view = view[written:]
        except OSError as exc:
            if _full(exc):
                raise DiskFullError() from exc
            raise

    @property
    def fd(self) -> int:
        return self._fd

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def discard(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)


class BlobFiles:
    def __init__(
        self,
        blob_dir: Path,
        incoming_dir: Path,
        *,
        min_free_bytes: int,
        fsync: bool,
        quarantine_dir: Path | None = None,
    ):
        self.blob_dir, self.incoming_dir = blob_dir, incoming_dir
        self.quarantine_dir = quarantine_dir or blob_dir.parent / "quarantine"
        self.min_free_bytes, self.fsync = min_free_bytes, fsync

    def ensure_dirs(self) -> None:
        self.blob_dir.mkdir(parents=True, exist_ok=True)
        self.incoming_dir.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        return self.blob_dir / sha256[:2] / sha256[2:4] / sha256

    def part(self, sha256: str, owner: str) -> Path:
        return self.incoming_dir / f"{sha256}.{owner_tag(owner)}.part"

    def check_space(self, needed: int) -> None:
        """Refuse (507) when writing ``needed`` bytes would leave less than the reserve."""
        if shutil.disk_usage(self.incoming_dir).free - needed < self.min_free_bytes:
            raise DiskFullError()

    def new_chunk(self, sha256: str, owner: str) -> StagedChunk:
        name = f"{sha256}.{owner_tag(owner)}.{uuid.uuid4().hex}.chunk"
        try:
            return StagedChunk(self.incoming_dir / name)
        except OSError as exc:
            if _full(exc):
                raise DiskFullError() from exc
            raise

    def append_chunk(
        self, sha256: str, owner: str, committed_offset: int, chunk: StagedChunk
    ) -> None:
        """Put a verified chunk durably at ``committed_offset`` of the part file (anything
        after that offset is a crash's tail and goes): at offset 0 the chunk file becomes
        the part, later chunks are copied in. The chunk file is gone afterwards."""
        path = self.part(sha256, owner)
        try:
            disk_full_point("server_disk_full")  # F16
            if self.fsync:
                os.fsync(chunk.fd)
            if committed_offset == 0:
                chunk.close()
                os.replace(chunk.path, path)
                return
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                os.ftruncate(fd, committed_offset)
                _copy(chunk.fd, fd, chunk.size, committed_offset)
                if self.fsync:
                    os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            if committed_offset:
                self._truncate(path, committed_offset)
            if _full(exc):
                raise DiskFullError() from exc
            raise
        finally:
            chunk.discard()

    @staticmethod
    def _truncate(path: Path, size: int) -> None:
        with contextlib.suppress(OSError):  # the next append truncates again
            os.truncate(path, size)

    def part_matches(self, sha256: str, owner: str) -> bool:
        return file_sha256(self.part(sha256, owner)) == sha256

    def part_prefix(self, sha256: str, owner: str, size: int) -> bytes:
        with open(self.part(sha256, owner), "rb") as handle:
            return handle.read(size)

    def publish(self, sha256: str, owner: str) -> Path | None:
        """Move a verified part file to its final, read-only place. A file already there
        that matches stays (the part goes); one that does not is moved to quarantine first
        (returned), never overwritten in place."""
        final = self.path(sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        part = self.part(sha256, owner)
        moved = None
        if final.exists():
            if file_sha256(final) == sha256:
                part.unlink(missing_ok=True)  # a crash left it published before the row
                return None
            moved = self.quarantine(sha256)
        os.chmod(part, 0o444)
        os.replace(part, final)
        if self.fsync:
            dir_fd = os.open(final.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        return moved

    def discard_part(self, sha256: str, owner: str) -> None:
        self.part(sha256, owner).unlink(missing_ok=True)

    def stored(self) -> Iterator[str]:
        """The SHA-256 names of the files at ``blobs/aa/bb/<sha256>`` (not their rows)."""
        for first in sorted(_subdirs(self.blob_dir)):
            for second in sorted(_subdirs(first)):
                with os.scandir(second) as entries:
                    names = sorted(e.name for e in entries if e.is_file(follow_symlinks=False))
                for name in names:
                    if _SHA256_NAME.match(name) and name[:4] == first.name + second.name:
                        yield name

    def matches(self, sha256: str) -> bool:
        """Whether the stored file hashes to its name (FileNotFoundError when it is gone)."""
        return file_sha256(self.path(sha256)) == sha256

    def quarantine(self, sha256: str) -> Path | None:
        """Move a stored file that does not match its name aside (never deleted); None when
        there is no file to move."""
        self.quarantine_dir.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = self.quarantine_dir / f"{sha256}.{stamp}"
        try:
            os.replace(self.path(sha256), target)
        except FileNotFoundError:
            return None
        return target

    def sweep_staging(self, live: set[Path], min_age_s: float) -> int:
        """Remove staged files no upload owns any more (parts of uploads that expired, were
        dropped or come from an older layout; chunks of requests that died) once they are
        ``min_age_s`` old, so a request in flight is never touched. Returns how many."""
        removed = 0
        cutoff = time.time() - min_age_s
        with os.scandir(self.incoming_dir) as entries:
            found = [Path(e.path) for e in entries if e.is_file(follow_symlinks=False)]
        for path in found:
            if not _STAGED_NAME.match(path.name) or path in live:
                continue
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
        return removed


def _copy(source: int, target: int, size: int, at: int) -> None:
    """Copy ``size`` bytes from the start of ``source`` to offset ``at`` of ``target``, in
    the kernel where it can (``copy_file_range``), else in blocks."""
    done = 0
    try:
        while done < size:
            copied = os.copy_file_range(source, target, size - done, done, at + done)
            if copied == 0:
                break
            done += copied
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
            raise
    while done < size:
        block = os.pread(source, min(COPY_BLOCK, size - done), done)
        if not block:
            raise OSError(errno.EIO, "the staged chunk is shorter than what was received")
        view = memoryview(block)
        while view:
            written = os.pwrite(target, view, at + done)
            done += written
            view = view[written:]


def _subdirs(path: Path) -> Iterator[Path]:
    if not path.is_dir():
        return
    with os.scandir(path) as entries:
        found = [Path(e.path) for e in entries if e.is_dir(follow_symlinks=False)]
    yield from (p for p in found if re.fullmatch(r"[0-9a-f]{2}", p.name))
