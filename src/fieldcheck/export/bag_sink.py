"""Where a bag's files go: a folder, or one ZIP file written as a stream.

Both take files one at a time, in the order given, block by block, so nothing large is held.
The ZIP is deterministic: every entry has the same fixed time, Unix attributes and order;
photos (and anything already compressed) are stored, text is deflated; ZIP64 records are
written where sizes or offsets need them. A folder bag is written under ``<name>.partial``
and renamed into place when whole; a ZIP is written to ``<name>.partial`` the same way.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, BinaryIO, Protocol

from fieldcheck.export.digests import Digests, bytes_digests, stream_digests

PARTIAL_SUFFIX = ".partial"
#: Text files smaller than this are deflated in a ZIP; everything else is stored.
_DEFLATED_SUFFIXES = (".txt", ".csv", ".json", ".jsonl", ".geojson", ".pem")


class BagSink(Protocol):
    def write_stream(self, name: str, source: BinaryIO, size_hint: int = 0) -> Digests: ...

    def write_bytes(self, name: str, data: bytes) -> Digests: ...

    def commit(self) -> Path: ...

    def abort(self) -> None: ...


def zip_info(name: str, when: dt.date, *, large: bool = False) -> zipfile.ZipInfo:
    """A ZIP entry that depends on nothing but its name and the date given."""
    info = zipfile.ZipInfo(name, date_time=(max(when.year, 1980), when.month, when.day, 0, 0, 0))
    info.create_system = 3  # Unix, whatever the machine writing it
    info.external_attr = 0o100644 << 16
    deflate = name.endswith(_DEFLATED_SUFFIXES) and not large
    info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    return info


class DirectorySink:
    """Files under ``<target>.partial/``, renamed to ``target`` by :meth:`commit`."""

    def __init__(self, target: Path):
        if target.exists():
            raise FileExistsError(f"{target} already exists")
        self.target = target
        self.root = target.with_name(target.name + PARTIAL_SUFFIX)
        if self.root.exists():
            shutil.rmtree(self.root)
        self.root.mkdir(parents=True)

    def _path(self, name: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def write_stream(self, name: str, source: BinaryIO, size_hint: int = 0) -> Digests:
        with open(self._path(name), "wb") as out:
            return stream_digests(source, out.write)

    def write_bytes(self, name: str, data: bytes) -> Digests:
        self._path(name).write_bytes(data)
        return bytes_digests(data)

    def commit(self) -> Path:
        os.replace(self.root, self.target)
        return self.target

    def abort(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


class ZipSink:
    """One ZIP file: ``<target>.partial`` while written, ``target`` once committed. Every
    entry sits under ``<prefix>/`` (the bag's folder name), as BagIt tools expect."""

    def __init__(self, target: Path, prefix: str, when: dt.date):
        if target.exists():
            raise FileExistsError(f"{target} already exists")
        self.target = target
        self.partial = target.with_name(target.name + PARTIAL_SUFFIX)
        self.prefix = prefix
        self.when = when
        self.partial.parent.mkdir(parents=True, exist_ok=True)
        self._zip = zipfile.ZipFile(self.partial, "w", allowZip64=True)

    def _open(self, name: str, size_hint: int) -> tuple[IO[bytes], Callable[[bytes], object]]:
        large = size_hint >= (1 << 31) - 1
        info = zip_info(f"{self.prefix}/{name}", self.when, large=large)
        handle = self._zip.open(info, "w", force_zip64=large)
        return handle, handle.write

    def write_stream(self, name: str, source: BinaryIO, size_hint: int = 0) -> Digests:
        handle, write = self._open(name, size_hint)
        with handle:
            return stream_digests(source, write)

    def write_bytes(self, name: str, data: bytes) -> Digests:
        handle, write = self._open(name, len(data))
        with handle:
            write(data)
        return bytes_digests(data)

    def commit(self) -> Path:
        self._zip.close()
        os.replace(self.partial, self.target)
        return self.target

    def abort(self) -> None:
        self._zip.close()
        self.partial.unlink(missing_ok=True)
