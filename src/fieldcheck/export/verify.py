"""Checking an archive package offline: a bag folder or its ZIP.

Every byte is read once: each payload file is streamed through SHA-256 and SHA-512 together;
the tag files, the catalogue and the record list (small) are read whole and hashed from
memory. The checks: BagIt completeness and fixity against both manifests (a file whose
digests both differ is *altered*; one whose SHA-256 alone differs means the SHA-256 manifest
line was changed, and the manifest is named), Payload-Oxum, the tag manifests, the Ed25519
signature over the tag manifests with the server's key (pinned with ``key`` when given), the
ledger proof against the signed checkpoint, each photo's blob entry and each record's entry
(*unproven* when missing), and each photo's bytes against the catalogue's SHA-256.
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from fieldcheck.export import proof as proofs
from fieldcheck.export.bag_writer import (
    ALGORITHMS,
    SIGNATURE_FILE,
    SIGNATURE_HEADER,
    TAG_MANIFESTS,
    signed_message,
)
from fieldcheck.export.digests import Digests, bytes_digests, stream_digests
from fieldcheck.export.package import CATALOGUE_CSV, KEY_FILE, PROOF_FILE, RECORDS_FILE
from fieldcheck.protocol.ledger import sha256_json

MISSING, EXTRA, ALTERED, UNPROVEN, UNSIGNED = "missing", "extra", "altered", "unproven", "unsigned"
#: Payload files read whole (they are small and their content is checked too).
_READ_WHOLE = (CATALOGUE_CSV, RECORDS_FILE)


class ArchiveUnreadableError(Exception):
    """Not a package this can read: no such file, not a ZIP, no ``bagit.txt``…"""


@dataclass(frozen=True)
class FileProblem:
    path: str
    kind: str  # missing | extra | altered | unproven | unsigned
    detail: str


@dataclass
class VerifyReport:
    files: int = 0
    bytes: int = 0
    problems: list[FileProblem] = field(default_factory=list)
    key_fingerprint: str = ""
    key_pinned: bool = False
    signed: bool = False
    checkpoint: str = ""
    entries_proven: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, path: str, kind: str, detail: str) -> None:
        self.problems.append(FileProblem(path, kind, detail))

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "files": self.files,
            "bytes": self.bytes,
            "key_fingerprint": self.key_fingerprint,
            "key_pinned": self.key_pinned,
            "signed": self.signed,
            "checkpoint": self.checkpoint,
            "entries_proven": self.entries_proven,
            "problems": [
                {"path": p.path, "kind": p.kind, "detail": p.detail}
                for p in sorted(self.problems, key=lambda p: (p.path, p.kind))
            ],
        }


class _Reader(Protocol):
    def names(self) -> list[str]: ...

    def open(self, name: str) -> Any: ...

    def size(self, name: str) -> int: ...

    def close(self) -> None: ...


class _FolderReader:
    def __init__(self, root: Path):
        self.root = root

    def names(self) -> list[str]:
        return sorted(
            p.relative_to(self.root).as_posix() for p in self.root.rglob("*") if p.is_file()
        )

    def open(self, name: str) -> BinaryIO:
        return (self.root / name).open("rb")

    def size(self, name: str) -> int:
        return (self.root / name).stat().st_size

    def close(self) -> None:
        pass


class _ZipReader:
    def __init__(self, path: Path):
        try:
            self.zip = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile) as exc:
            raise ArchiveUnreadableError(f"{path}: not a readable ZIP ({exc})") from exc
        tops = {n.split("/", 1)[0] for n in self.zip.namelist()}
        if len(tops) != 1:
            raise ArchiveUnreadableError(f"{path}: the ZIP does not hold one bag folder")
        self.prefix = f"{tops.pop()}/"

    def names(self) -> list[str]:
        return sorted(
            n.removeprefix(self.prefix)
            for n in self.zip.namelist()
            if not n.endswith("/") and n.startswith(self.prefix)
        )

    def open(self, name: str) -> Any:
        return self.zip.open(self.prefix + name)

    def size(self, name: str) -> int:
        return self.zip.getinfo(self.prefix + name).file_size

    def close(self) -> None:
        self.zip.close()


@contextmanager
def _reader(path: Path) -> Iterator[_Reader]:
    if path.is_dir():
        reader: _Reader = _FolderReader(path)
    elif path.is_file():
        reader = _ZipReader(path)
    else:
        raise ArchiveUnreadableError(f"{path}: no such file or folder")
    try:
        yield reader
    finally:
        reader.close()


def parse_manifest(text: bytes, name: str, report: VerifyReport) -> dict[str, str]:
    entries: dict[str, str] = {}
    try:
        lines = text.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        report.add(name, ALTERED, "not UTF-8 text")
        return entries
    for number, line in enumerate(lines, start=1):
        digest, _, path = line.partition(" ")
        path = path.strip()
        if not path or not all(c in "0123456789abcdef" for c in digest.lower()):
            report.add(name, ALTERED, f"line {number} is not '<digest> <path>'")
            continue
        entries[path.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")] = digest.lower()
    return entries


def _load_key(key: str | bytes | None) -> tuple[bytes | None, str | None]:
    """A pinned key: raw key bytes, or a fingerprint to compare with the package's key."""
    if key is None:
        return None, None
    if isinstance(key, bytes):
        return key, None
    text = key.strip().lower()
    if len(text) == 64 and all(c in "0123456789abcdef" for c in text):
        return None, text
    raise ValueError("a key is a 64-digit hex fingerprint or raw key bytes")


def verify_archive(path: Path, key: str | bytes | None = None) -> VerifyReport:
    """Check the package at ``path``; ``key`` pins the server key (raw Ed25519 public key
    bytes or its SHA-256 fingerprint). Raises ArchiveUnreadableError when it is no package."""
    pinned_raw, pinned_fingerprint = _load_key(key)
    report = VerifyReport()
    with _reader(path) as reader:
        names = reader.names()
        present = set(names)
        if "bagit.txt" not in present:
            raise ArchiveUnreadableError(f"{path}: no bagit.txt, so not a BagIt bag")
        tag_bytes: dict[str, bytes] = {}
        for name in names:
            if not name.startswith("data/"):
                with reader.open(name) as handle:
                    tag_bytes[name] = handle.read()
        report.files += len(tag_bytes)
        report.bytes += sum(len(b) for b in tag_bytes.values())
        if not tag_bytes["bagit.txt"].startswith(b"BagIt-Version: 1.0\n"):
            raise ArchiveUnreadableError(f"{path}: bagit.txt does not declare BagIt 1.0")
        _check_tags(tag_bytes, present, report)
        public_key = _check_signature(tag_bytes, pinned_raw, pinned_fingerprint, report)
        payload, whole = _check_payload(reader, names, tag_bytes, report)
        _check_oxum(tag_bytes.get("bag-info.txt", b""), payload, report)
        _check_catalogues(whole, payload, report)
        _check_proof(tag_bytes, public_key, whole, payload, report)
    return report


def _check_tags(tag_bytes: dict[str, bytes], present: set[str], report: VerifyReport) -> None:
    listed: dict[str, dict[str, str]] = {}
    for algorithm, name in zip(ALGORITHMS, TAG_MANIFESTS, strict=True):
        if name not in tag_bytes:
            report.add(name, MISSING, "the tag manifest is missing")
            listed[algorithm] = {}
        else:
            listed[algorithm] = parse_manifest(tag_bytes[name], name, report)
    for required in ("bag-info.txt", *(f"manifest-{a}.txt" for a in ALGORITHMS)):
        if required not in present:
            report.add(required, MISSING, "a required tag file is missing")
    covered = set(listed["sha256"]) | set(listed["sha512"])
    for name in sorted(covered):
        data = tag_bytes.get(name)
        if data is None:
            report.add(name, MISSING, "listed in the tag manifests but not in the package")
            continue
        _compare(name, bytes_digests(data), listed, "tagmanifest", report)
    for name in sorted(tag_bytes):
        if name not in covered and name not in (*TAG_MANIFESTS, SIGNATURE_FILE):
            report.add(name, EXTRA, "a tag file no tag manifest lists")


def _compare(
    name: str,
    digests: Digests,
    listed: dict[str, dict[str, str]],
    manifest_stem: str,
    report: VerifyReport,
) -> None:
    wrong = [
        a for a in ALGORITHMS if listed[a].get(name, getattr(digests, a)) != getattr(digests, a)
    ]
    unlisted = [a for a in ALGORITHMS if name not in listed[a]]
    for algorithm in unlisted:
        report.add(f"{manifest_stem}-{algorithm}.txt", ALTERED, f"{name} is not listed")
    if len(wrong) == 2 or (wrong and unlisted):
        report.add(name, ALTERED, "its bytes do not match the manifests")
    elif wrong:
        report.add(
            f"{manifest_stem}-{wrong[0]}.txt",
            ALTERED,
            f"its {wrong[0].upper()} line for {name} is wrong (the file matches the other)",
        )


def _check_signature(
    tag_bytes: dict[str, bytes],
    pinned_raw: bytes | None,
    pinned_fingerprint: str | None,
    report: VerifyReport,
) -> bytes | None:
    text = tag_bytes.get(SIGNATURE_FILE)
    package_key: bytes | None = None
    if KEY_FILE in tag_bytes:
        try:
            package_key = proofs.public_key_from_pem(tag_bytes[KEY_FILE])
        except ValueError:
            report.add(KEY_FILE, ALTERED, "not an Ed25519 public key")
    key = pinned_raw or package_key
    if pinned_raw is not None and package_key is not None and package_key != pinned_raw:
        report.add(KEY_FILE, UNSIGNED, "the package's key is not the key given")
    if key is not None:
        report.key_fingerprint = proofs.fingerprint(key)
        report.key_pinned = pinned_raw is not None or pinned_fingerprint is not None
        if pinned_fingerprint is not None and report.key_fingerprint != pinned_fingerprint:
            report.add(KEY_FILE, UNSIGNED, "the package's key does not have the fingerprint given")
    if text is None:
        report.add(SIGNATURE_FILE, MISSING, "the package is not signed")
        return key
    fields = _signature_fields(text)
    if fields is None:
        report.add(SIGNATURE_FILE, ALTERED, "the signature file cannot be read")
        return key
    signature, signer_key = fields
    if key is None:
        key = signer_key
        report.key_fingerprint = proofs.fingerprint(key)
    elif signer_key != key:
        report.add(SIGNATURE_FILE, UNSIGNED, "signed with another key than the server's")
        return key
    if not all(name in tag_bytes for name in TAG_MANIFESTS):
        return key
    if proofs.ed25519_verify(key, signed_message(tag_bytes), signature):
        report.signed = True
    else:
        report.add(
            SIGNATURE_FILE,
            ALTERED,
            "the signature does not verify over the tag manifests: they or it were changed",
        )
    return key


def _signature_fields(text: bytes) -> tuple[bytes, bytes] | None:
    try:
        lines = text.decode("utf-8").splitlines()
        if lines[0] != SIGNATURE_HEADER:
            return None
        values = dict(line.split(": ", 1) for line in lines[1:])
        signature = base64.b64decode(values["Signature"], validate=True)
        key = base64.b64decode(values["Public-Key"], validate=True)
        if proofs.fingerprint(key) != values["Key-Fingerprint"] or len(key) != 32:
            return None
        return signature, key
    except (UnicodeDecodeError, IndexError, ValueError, KeyError, binascii.Error):
        return None


def _check_payload(
    reader: _Reader,
    names: list[str],
    tag_bytes: dict[str, bytes],
    report: VerifyReport,
) -> tuple[dict[str, Digests], dict[str, bytes]]:
    listed = {
        a: parse_manifest(tag_bytes.get(f"manifest-{a}.txt", b""), f"manifest-{a}.txt", report)
        for a in ALGORITHMS
    }
    in_manifests = set(listed["sha256"]) | set(listed["sha512"])
    payload: dict[str, Digests] = {}
    whole: dict[str, bytes] = {}
    for name in names:
        if not name.startswith("data/"):
            continue
        if name not in in_manifests:
            report.add(name, EXTRA, "in the package but in no manifest")
        try:
            with reader.open(name) as handle:
                if name.endswith(_READ_WHOLE):
                    whole[name] = handle.read()
                    digests = bytes_digests(whole[name])
                else:
                    digests = stream_digests(handle)
        except zipfile.BadZipFile as exc:
            report.add(name, ALTERED, f"its bytes do not match the ZIP's checksum ({exc})")
            payload[name] = Digests(reader.size(name), "", "")
            continue
        payload[name] = digests
        report.files += 1
        report.bytes += digests.size
        if name in in_manifests:
            _compare(name, digests, listed, "manifest", report)
    for name in sorted(in_manifests - set(payload)):
        if name not in set(names):
            report.add(name, MISSING, "listed in the manifests but not in the package")
    return payload, whole


def _check_oxum(info: bytes, payload: dict[str, Digests], report: VerifyReport) -> None:
    for line in info.decode("utf-8", "replace").splitlines():
        if line.startswith("Payload-Oxum:"):
            expected = line.split(":", 1)[1].strip()
            actual = f"{sum(d.size for d in payload.values())}.{len(payload)}"
            if expected != actual:
                report.add("bag-info.txt", ALTERED, f"Payload-Oxum {expected}, found {actual}")
            return
    report.add("bag-info.txt", ALTERED, "no Payload-Oxum")


def _catalogue_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def _check_catalogues(
    whole: dict[str, bytes], payload: dict[str, Digests], report: VerifyReport
) -> None:
    for name, data in whole.items():
        if not name.endswith(CATALOGUE_CSV):
            continue
        folder = name.rsplit("/", 1)[0]
        try:
            rows = _catalogue_rows(data)
        except (UnicodeDecodeError, csv.Error):
            report.add(name, ALTERED, "the catalogue cannot be read")
            continue
        for row in rows:
            photo = f"{folder}/{row.get('文件 File', '')}"
            digests = payload.get(photo)
            if digests is None:
                report.add(photo, MISSING, f"in the catalogue ({name}) but not in the package")
            elif digests.sha256 != row.get("SHA-256"):
                report.add(photo, ALTERED, "its bytes do not hash to the catalogue's SHA-256")


def _check_proof(
    tag_bytes: dict[str, bytes],
    public_key: bytes | None,
    whole: dict[str, bytes],
    payload: dict[str, Digests],
    report: VerifyReport,
) -> None:
    if PROOF_FILE not in tag_bytes:
        report.add(PROOF_FILE, MISSING, "the package carries no ledger proof")
        return
    if public_key is None:
        report.add(KEY_FILE, MISSING, "no server key to check the ledger proof with")
        return
    try:
        data = json.loads(tag_bytes[PROOF_FILE])
    except (UnicodeDecodeError, json.JSONDecodeError):
        report.add(PROOF_FILE, ALTERED, "the proof is not JSON")
        return
    check = proofs.check_proof(data, public_key)
    for problem in check.problems:
        report.add(PROOF_FILE, UNPROVEN, problem)
    if check.checkpoint is not None:
        report.checkpoint = f"{check.checkpoint.origin} {check.checkpoint.size}"
    report.entries_proven = len(check.proven)
    blobs = {e.blob_sha256 for e in check.proven.values() if e.kind == "blob"}
    records = {
        (e.entity, e.record_id, e.rev): e.payload_sha256
        for e in check.proven.values()
        if e.entity is not None
    }
    for name, data_bytes in whole.items():
        folder = name.rsplit("/", 1)[0]
        if name.endswith(CATALOGUE_CSV):
            try:
                rows = _catalogue_rows(data_bytes)
            except (UnicodeDecodeError, csv.Error):
                continue
            for row in rows:
                if row.get("SHA-256") not in blobs:
                    photo = f"{folder}/{row.get('文件 File', '')}"
                    report.add(photo, UNPROVEN, "no proven ledger entry holds its blob")
        elif name.endswith(RECORDS_FILE):
            _check_records(name, data_bytes, records, report)


def _check_records(
    name: str,
    data: bytes,
    records: dict[tuple[str, str | None, int | None], str],
    report: VerifyReport,
) -> None:
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
        try:
            record = json.loads(line)
            key = (record["entity"], record["record_id"], record["rev"])
            digest = sha256_json(record["data"])
        except (json.JSONDecodeError, KeyError, TypeError):
            report.add(name, ALTERED, f"line {number} is not a record")
            continue
        if records.get(key) != digest:
            report.add(
                name,
                UNPROVEN,
                f"line {number} ({key[0]} {key[1]} rev {key[2]}) has no proven ledger entry "
                "with its content",
            )
