"""Blob files on the local filesystem, shared by every server process.

Verified blobs live at ``blobs/aa/bb/<sha256>``, read-only, written once by rename and never
overwritten or removed. Uploads grow ``incoming/<sha256>.part``; only the part beyond the
committed offset (a crash's tail) is ever truncated.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

from fieldcheck.faults import disk_full_point
from fieldcheck.photos.blobs import file_sha256
from sync_server.errors import ApiError

_SHA256_NAME = re.compile(r"^[0-9a-f]{64}$")


class DiskFullError(ApiError):
    def __init__(self) -> None:
        super().__init__(
            507, "disk_full", "the server's disk is full; nothing was stored, retry later"
        )


class BlobFiles:
    def __init__(self, blob_dir: Path, incoming_dir: Path, *, min_free_bytes: int, fsync: bool):
        self.blob_dir, self.incoming_dir = blob_dir, incoming_dir
        self.min_free_bytes, self.fsync = min_free_bytes, fsync

    def ensure_dirs(self) -> None:
        self.blob_dir.mkdir(parents=True, exist_ok=True)
        self.incoming_dir.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        return self.blob_dir / sha256[:2] / sha256[2:4] / sha256

    def part(self, sha256: str) -> Path:
        return self.incoming_dir / f"{sha256}.part"

    def check_space(self, needed: int) -> None:
        """Refuse (507) when writing ``needed`` bytes would leave less than the reserve."""
        if shutil.disk_usage(self.incoming_dir).free - needed < self.min_free_bytes:
            raise DiskFullError()

    def append(self, sha256: str, committed_offset: int, data: bytes) -> None:
        """Cut the part file back to ``committed_offset`` and append ``data`` durably."""
        self.check_space(len(data))
        path = self.part(sha256)
        try:
            disk_full_point("server_disk_full")  # F16
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                os.ftruncate(fd, committed_offset)
                os.lseek(fd, committed_offset, os.SEEK_SET)
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                if self.fsync:
                    os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                self._truncate(path, committed_offset)
                raise DiskFullError() from exc
            raise

    @staticmethod
    def _truncate(path: Path, size: int) -> None:
        with contextlib.suppress(OSError):  # the next append truncates again
            os.truncate(path, size)

    def part_matches(self, sha256: str) -> bool:
        return file_sha256(self.part(sha256)) == sha256

    def publish(self, sha256: str) -> None:
        """Move a verified part file to its final, read-only place (never overwriting)."""
        final = self.path(sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        part = self.part(sha256)
        if final.exists() and file_sha256(final) == sha256:
            part.unlink(missing_ok=True)  # a crash left it published before the row
            return
        os.chmod(part, 0o444)
        os.replace(part, final)
        if self.fsync:
            dir_fd = os.open(final.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    def discard_part(self, sha256: str) -> None:
        self.part(sha256).unlink(missing_ok=True)

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

    def quarantine(self, sha256: str, quarantine_dir: Path) -> Path:
        """Move a stored file that does not match its name aside (never deleted)."""
        quarantine_dir.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = quarantine_dir / f"{sha256}.{stamp}"
        os.replace(self.path(sha256), target)
        return target


def _subdirs(path: Path) -> Iterator[Path]:
    if not path.is_dir():
        return
    with os.scandir(path) as entries:
        found = [Path(e.path) for e in entries if e.is_dir(follow_symlinks=False)]
    yield from (p for p in found if re.fullmatch(r"[0-9a-f]{2}", p.name))
