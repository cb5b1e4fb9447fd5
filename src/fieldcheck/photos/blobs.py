"""The content-addressed blob store: original photo bytes under ``blobs/ab/cd/<sha256>``.

Bytes are streamed into a temp file under ``blobs/incoming/`` (the same file system) while
they are hashed, fsynced, and only then, once the caller has accepted them, made read-only and
renamed into place, and the folder fsynced. A blob that already exists is never rewritten.

A download from the server that was cut off keeps its bytes in ``incoming/<sha256>.part``,
so the next try asks only for the rest; the whole file is hashed before it enters the store.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import stat
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from fieldcheck.photos.errors import DiskFullError, PhotoRefusedError

CHUNK_BYTES = 1 << 20
INCOMING = "incoming"
PARTIAL_SUFFIX = ".part"
_SHA256 = re.compile(r"[0-9a-f]{64}")
_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_commit_lock = threading.Lock()


class ByteSource(Protocol):
    """What a download is read from: a file, or the raw stream of an HTTP response."""

    def read(self, size: int, /) -> bytes: ...


def is_disk_full(exc: OSError) -> bool:
    return exc.errno in _FULL_ERRNOS


def disk_full(exc: OSError) -> DiskFullError:
    return DiskFullError(
        f"the disk holding the data directory is full ({exc.strerror})",
        "disk_full",
        {"reason": str(exc.strerror)},
    )


def file_sha256(path: Path) -> str:
    """The lowercase hex SHA-256 of a file's bytes, read in blocks (the laptop and the server
    both verify blobs with it)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def fsync_dir(path: Path) -> None:
    """Make a rename or a new entry in ``path`` durable (a no-op where folders cannot be
    opened, as on Windows)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class StagedBlob:
    """Bytes copied and fsynced into a temp file, not yet in the store; ``data`` holds the
    same bytes when the caller asked to keep them (to decode without reading them again)."""

    temp: Path
    sha256: str
    size: int
    data: bytes | None = None


#: Space kept free for the database, so the records of blobs already stored can still be
#: committed when the disk fills up.
RESERVE_BYTES = 4 * (1 << 20)


@dataclass(frozen=True)
class BlobStore:
    root: Path
    reserve_bytes: int = RESERVE_BYTES

    def check_room(self, incoming: int) -> None:
        """DiskFullError unless ``incoming`` bytes (and their cache images) fit, leaving the
        reserve free."""
        folder = self.root if self.root.exists() else self.root.parent
        free = shutil.disk_usage(folder).free
        if free < 2 * incoming + self.reserve_bytes:
            raise DiskFullError(
                f"the disk holding the data directory is nearly full ({free // (1 << 20)} MiB "
                f"free, {self.reserve_bytes // (1 << 20)} MiB kept for the database)",
                "disk_full",
                {"free": free},
            )

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def holds(self, path: Path) -> bool:
        """True when ``path`` is a blob file of this store, in its place under its hash name
        (the import of a recovered photo reads its bytes from there)."""
        if _SHA256.fullmatch(path.name) is None:
            return False
        return path.resolve() == self.path_for(path.name).resolve()

    @property
    def incoming(self) -> Path:
        return self.root / INCOMING

    def stage(
        self,
        source: BinaryIO,
        *,
        first: bytes = b"",
        max_bytes: int,
        name: str,
        keep: bool = False,
    ) -> StagedBlob:
        """Copy ``first`` (bytes already read from it) and the rest of ``source`` into a temp
        file, hashing as it goes; the temp file is fsynced. With ``keep`` the bytes are also
        returned in ``data``: the file is read once. Too many bytes or a read error refuses
        the file; a full disk raises DiskFullError. On any failure the temp file is
        removed."""
        self.incoming.mkdir(parents=True, exist_ok=True)
        temp = self.incoming / f"{uuid.uuid4().hex}.tmp"
        digest = hashlib.sha256()
        size = 0
        kept: list[bytes] = []
        try:
            with open(temp, "xb") as out:
                chunk = first
                while True:
                    if not chunk:
                        try:
                            chunk = source.read(CHUNK_BYTES)
                        except OSError as exc:
                            raise PhotoRefusedError(
                                f"{name}: could not be read ({exc.strerror or exc})",
                                "photo_unreadable",
                                {"name": name, "reason": str(exc.strerror or exc)},
                            ) from exc
                        if not chunk:
                            break
                    size += len(chunk)
                    if size > max_bytes:
                        raise PhotoRefusedError(
                            f"{name}: larger than the {max_bytes // (1 << 20)} MiB limit",
                            "photo_too_large",
                            {"name": name, "limit": max_bytes},
                        )
                    digest.update(chunk)
                    out.write(chunk)
                    if keep:
                        kept.append(chunk)
                    chunk = b""
                out.flush()
                os.fsync(out.fileno())
        except OSError as exc:
            temp.unlink(missing_ok=True)
            if is_disk_full(exc):
                raise disk_full(exc) from exc
            raise
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        data = b"".join(kept) if keep else None  # one chunk: the same object, no copy
        return StagedBlob(temp=temp, sha256=digest.hexdigest(), size=size, data=data)

    def discard(self, staged: StagedBlob) -> None:
        staged.temp.unlink(missing_ok=True)

    def commit(self, staged: StagedBlob) -> bool:
        """Move the staged bytes into place, read-only and durable. Returns False (and drops
        the temp file) when the blob was already there: it is never rewritten."""
        final = self.path_for(staged.sha256)
        try:
            if final.exists():
                self.discard(staged)
                return False
            created = [p for p in (final.parent.parent, final.parent) if not p.exists()]
            final.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(staged.temp, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
            with _commit_lock:
                if final.exists():
                    self.discard(staged)
                    return False
                os.replace(staged.temp, final)
            fsync_dir(final.parent)
            for folder in created:
                fsync_dir(folder.parent)
            return True
        except OSError as exc:
            self.discard(staged)
            if is_disk_full(exc):
                raise disk_full(exc) from exc
            raise

    def iter_hashes(self) -> Iterator[str]:
        """The SHA-256 of every blob file present, in sorted order."""
        if not self.root.is_dir():
            return
        for first in sorted(p for p in self.root.iterdir() if len(p.name) == 2 and p.is_dir()):
            for second in sorted(p for p in first.iterdir() if p.is_dir()):
                for blob in sorted(second.iterdir()):
                    if _SHA256.fullmatch(blob.name) and blob.name[:4] == first.name + second.name:
                        yield blob.name

    def rehash(self, sha256: str) -> str:
        """The SHA-256 of the bytes stored under ``sha256`` as they are now."""
        return file_sha256(self.path_for(sha256))

    def partial(self, sha256: str) -> Path:
        """Where the first bytes of a cut-off download of ``sha256`` wait for the rest."""
        return self.incoming / f"{sha256}{PARTIAL_SUFFIX}"

    def append_partial(self, sha256: str, source: ByteSource, offset: int) -> int:
        """Write what ``source`` yields into the partial download of ``sha256`` from byte
        ``offset`` (dropping anything after it), fsynced; returns the partial's size. A read
        error keeps what arrived (fsynced) and propagates: the next try resumes there."""
        self.incoming.mkdir(parents=True, exist_ok=True)
        path = self.partial(sha256)
        try:
            with open(path, "r+b" if path.exists() else "xb") as out:
                out.truncate(offset)
                out.seek(offset)
                try:
                    while chunk := source.read(CHUNK_BYTES):
                        out.write(chunk)
                finally:
                    out.flush()
                    os.fsync(out.fileno())
                return out.tell()
        except OSError as exc:
            if is_disk_full(exc):
                raise disk_full(exc) from exc
            raise

    def finish_partial(self, sha256: str) -> StagedBlob:
        """The completed partial download as a staged blob, with the hash of its bytes (the
        caller compares it with ``sha256`` before committing)."""
        path = self.partial(sha256)
        return StagedBlob(temp=path, sha256=file_sha256(path), size=path.stat().st_size)

    def stale_temps(self) -> list[Path]:
        """Temp files left by an import that was killed before it finished."""
        if not self.incoming.is_dir():
            return []
        return sorted(self.incoming.glob("*.tmp"))
