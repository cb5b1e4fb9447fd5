"""A BagIt 1.0 (RFC 8493) bag written as a stream: payload files first, then ``bag-info.txt``,
the SHA-256 and SHA-512 manifests, the tag files, both tag manifests and, last, the Ed25519
signature over the tag manifests (``tag-signature-ed25519.txt``, the one file no manifest
lists, since it signs them).

Manifest lines are ``<hex digest>  <path>`` sorted by path, so ``sha256sum -c`` reads them as
they are. Everything written depends only on what is added, never on the clock.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from fieldcheck.export.bag_sink import BagSink
from fieldcheck.export.digests import Digests, bytes_digests
from fieldcheck.export.model import ArchiveSigner

BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
SIGNATURE_FILE = "tag-signature-ed25519.txt"
TAG_MANIFESTS = ("tagmanifest-sha256.txt", "tagmanifest-sha512.txt")
ALGORITHMS = ("sha256", "sha512")
SIGNATURE_HEADER = "fieldcheck tag-manifest signature v1"


class BagError(ValueError):
    """A path or field that cannot go into a bag."""


@dataclass(frozen=True)
class BagFile:
    path: str
    digests: Digests


def check_path(path: str) -> str:
    if (
        not path
        or path.startswith("/")
        or "\\" in path
        or any(part in ("", ".", "..") for part in path.split("/"))
        or any(ch in path for ch in "\r\n%")
    ):
        raise BagError(f"not a safe bag path: {path!r}")
    return path


def manifest_text(files: Iterable[BagFile], algorithm: str) -> bytes:
    lines = [f"{getattr(f.digests, algorithm)}  {f.path}\n" for f in files]
    return "".join(sorted(lines, key=lambda line: line.split("  ", 1)[1])).encode()


def bag_info_text(fields: Iterable[tuple[str, str]]) -> bytes:
    out = []
    for label, value in fields:
        if ":" in label or "\n" in label or not label.strip():
            raise BagError(f"bad bag-info label {label!r}")
        # RFC 8493 §2.2.2: long values may fold; ours are kept on one line, newlines folded.
        out.append(f"{label}: {' '.join(value.split())}\n")
    return "".join(out).encode()


def signed_message(tag_manifests: dict[str, bytes]) -> bytes:
    """What the signature covers: both tag manifests' bytes, SHA-256 first."""
    return b"".join(tag_manifests[name] for name in TAG_MANIFESTS)


def signature_text(public_key: bytes, signature: bytes) -> bytes:
    fingerprint = hashlib.sha256(public_key).hexdigest()
    return (
        f"{SIGNATURE_HEADER}\n"
        f"Signed: {' + '.join(TAG_MANIFESTS)}\n"
        f"Key-Fingerprint: {fingerprint}\n"
        f"Public-Key: {base64.b64encode(public_key).decode()}\n"
        f"Signature: {base64.b64encode(signature).decode()}\n"
    ).encode()


class BagWriter:
    """Add payload and tag files in a fixed order, then :meth:`finish`."""

    def __init__(self, sink: BagSink):
        self.sink = sink
        self.payload: list[BagFile] = []
        self.tags: list[BagFile] = []
        self._names: set[str] = set()
        self.sink.write_bytes("bagit.txt", BAGIT_TXT)
        self._tag("bagit.txt", BAGIT_TXT)

    def _claim(self, path: str) -> str:
        check_path(path)
        if path in self._names:
            raise BagError(f"{path} added twice")
        self._names.add(path)
        return path

    def _tag(self, path: str, data: bytes) -> None:
        self.tags.append(BagFile(path, bytes_digests(data)))

    def add_stream(self, path: str, source: BinaryIO, size_hint: int = 0) -> Digests:
        name = self._claim(f"data/{path}")
        digests = self.sink.write_stream(name, source, size_hint)
        self.payload.append(BagFile(name, digests))
        return digests

    def add_bytes(self, path: str, data: bytes) -> Digests:
        name = self._claim(f"data/{path}")
        digests = self.sink.write_bytes(name, data)
        self.payload.append(BagFile(name, digests))
        return digests

    def add_tag_file(self, path: str, data: bytes) -> None:
        """A tag file (outside ``data/``) listed in the tag manifests, e.g. the proof."""
        if path.startswith("data/") or path in (*TAG_MANIFESTS, SIGNATURE_FILE):
            raise BagError(f"{path} cannot be a tag file")
        self._claim(path)
        self.sink.write_bytes(path, data)
        self._tag(path, data)

    @property
    def payload_oxum(self) -> str:
        return f"{sum(f.digests.size for f in self.payload)}.{len(self.payload)}"

    def finish(self, info: Iterable[tuple[str, str]], signer: ArchiveSigner | None = None) -> None:
        """Write bag-info (with Payload-Oxum), the manifests, the tag manifests and the
        signature; the caller commits the sink."""
        info_bytes = bag_info_text([*info, ("Payload-Oxum", self.payload_oxum)])
        self.sink.write_bytes("bag-info.txt", info_bytes)
        self._tag("bag-info.txt", info_bytes)
        for algorithm in ALGORITHMS:
            name = f"manifest-{algorithm}.txt"
            text = manifest_text(self.payload, algorithm)
            self.sink.write_bytes(name, text)
            self._tag(name, text)
        written: dict[str, bytes] = {}
        for algorithm, name in zip(ALGORITHMS, TAG_MANIFESTS, strict=True):
            written[name] = manifest_text(self.tags, algorithm)
            self.sink.write_bytes(name, written[name])
        if signer is not None:
            signature = signer.sign(signed_message(written))
            self.sink.write_bytes(SIGNATURE_FILE, signature_text(signer.public_key, signature))
