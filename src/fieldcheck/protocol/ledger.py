"""The evidence ledger as it is served: entries of the hash chain and the signing keys; how
an entry's hash is taken, and the checkpoint note (origin, size, head and the optional Merkle
root extension line) that the server signs. The server's chain and every verifier share these.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fieldcheck.protocol.base import WireResponse

GENESIS = "0" * 64
#: The fields of an entry its hash covers (besides ``prev_hash``), in the server's order.
ENTRY_FIELDS = (
    "idx",
    "kind",
    "entity",
    "record_id",
    "rev",
    "blob_sha256",
    "actor",
    "device_id",
    "op_id",
    "payload_sha256",
    "server_ts",
)
#: The extension line a checkpoint note may carry after its three fixed lines: the RFC 6962
#: root over the entry hashes 1..size (decision 0081).
MERKLE_EXTENSION = "fieldcheck-merkle-sha256"


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8: the bytes every hash of a JSON value is taken over."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256_json(value: Any) -> str:
    return hashlib.sha256(canonical_json(value)).hexdigest()


def entry_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    """``SHA-256(0x00 ‖ prev_hash ‖ canonical JSON of ENTRY_FIELDS)``; ``server_ts`` as the
    ISO 8601 text of the UTC time."""
    data = {name: fields[name] for name in ENTRY_FIELDS}
    return hashlib.sha256(b"\x00" + bytes.fromhex(prev_hash) + canonical_json(data)).hexdigest()


def checkpoint_note(origin: str, size: int, head_hex: str, merkle_root: bytes | None = None) -> str:
    """The signed text: origin, size and base64 head, one per line (C2SP tlog-checkpoint),
    then the Merkle root extension line when given."""
    note = f"{origin}\n{size}\n{base64.b64encode(bytes.fromhex(head_hex)).decode()}\n"
    if merkle_root is not None:
        note += f"{MERKLE_EXTENSION} {base64.b64encode(merkle_root).decode()}\n"
    return note


@dataclass(frozen=True)
class CheckpointNote:
    origin: str
    size: int
    head: str  # hex
    merkle_root: bytes | None


def parse_checkpoint_note(note: str) -> CheckpointNote:
    """Read a checkpoint note; raises ValueError when its fixed lines are malformed.
    Unknown extension lines are ignored, as C2SP asks."""
    lines = note.split("\n")
    if len(lines) < 4 or lines[-1] != "" or not lines[0]:
        raise ValueError("a checkpoint note has an origin, a size and a head, each on a line")
    try:
        size = int(lines[1])
        head = base64.b64decode(lines[2], validate=True).hex()
    except (ValueError, binascii.Error) as exc:
        raise ValueError("the checkpoint note's size or head is malformed") from exc
    root = None
    for line in lines[3:-1]:
        name, _, value = line.partition(" ")
        if name == MERKLE_EXTENSION:
            try:
                root = base64.b64decode(value, validate=True)
            except binascii.Error as exc:
                raise ValueError("the checkpoint's Merkle root is malformed") from exc
    if size < 0 or len(head) != 64 or (root is not None and len(root) != 32):
        raise ValueError("the checkpoint note's size, head or root is out of range")
    return CheckpointNote(lines[0], size, head, root)


class LedgerEntry(WireResponse):
    """``entry_hash = SHA-256(0x00 ‖ prev_hash ‖ canonical JSON of the other fields)``."""

    idx: int
    kind: str
    entity: str | None
    record_id: str | None
    rev: int | None
    blob_sha256: str | None
    actor: str
    device_id: str
    op_id: str | None
    payload_sha256: str
    server_ts: dt.datetime
    prev_hash: str
    entry_hash: str

    def hash_fields(self) -> dict[str, Any]:
        """The fields :func:`entry_hash` covers, as the server hashed them."""
        data = self.model_dump(mode="json", include=set(ENTRY_FIELDS))
        data["server_ts"] = self.server_ts.astimezone(dt.UTC).isoformat()
        return data

    def computed_hash(self) -> str:
        return entry_hash(self.prev_hash, self.hash_fields())


class LedgerPage(WireResponse):
    entries: list[LedgerEntry]
    size: int


class PublicKey(WireResponse):
    kid: str
    alg: str
    public_b64: str
    fingerprint: str


class KeysResponse(WireResponse):
    keys: list[PublicKey]
