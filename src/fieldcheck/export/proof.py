"""The package's proof: ledger entries, how each is included in a signed checkpoint, and the
server's public key; building it (for the server) and checking it (offline).

``proof/ledger-proof.json``::

    {"format": "fieldcheck-ledger-proof/1",
     "checkpoint": {origin, size, head, note, signature, key_id, created_at},
     "entries": [ledger entries of everything in the package, by idx],
     "method": "merkle" | "chain",
     "inclusion": {"<idx>": [base64 hashes of the RFC 6962 audit path, bottom up]},
     "chain": [every entry from the first included one to the checkpoint's size]}

``merkle`` needs a checkpoint whose note carries the ``fieldcheck-merkle-sha256`` line (the
root over the entry hashes 1..size, leaf *i* = entry *i+1*'s hash); ``chain`` works with
today's notes and proves entries by walking the hash chain up to the signed head.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import ValidationError

from fieldcheck.export.model import LedgerProof
from fieldcheck.protocol.ledger import LedgerEntry, parse_checkpoint_note
from fieldcheck.protocol.merkle import MerkleTree, verify_inclusion
from fieldcheck.protocol.status import Checkpoint

PROOF_FORMAT = "fieldcheck-ledger-proof/1"


def fingerprint(public_key: bytes) -> str:
    """SHA-256 of the raw Ed25519 public key, hex (as ``/v1/keys`` serves it)."""
    return hashlib.sha256(public_key).hexdigest()


def public_key_pem(public_key: bytes) -> bytes:
    return Ed25519PublicKey.from_public_bytes(public_key).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def public_key_from_pem(data: bytes) -> bytes:
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def ed25519_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def build_ledger_proof(
    entries: Sequence[LedgerEntry],
    checkpoint: Checkpoint,
    *,
    entry_hashes: Sequence[str] = (),
    chain: Sequence[LedgerEntry] = (),
) -> LedgerProof:
    """The proof of ``entries`` in ``checkpoint``, for the server to put in a package.

    With a Merkle root in the checkpoint, give ``entry_hashes``: the hex ``entry_hash`` of
    every entry 1..size in order; each entry gets its audit path. Without one, give
    ``chain``: every entry from the first of ``entries`` up to the checkpoint's size."""
    note = parse_checkpoint_note(checkpoint.note)
    wanted = sorted({e.idx: e for e in entries}.values(), key=lambda e: e.idx)
    if any(not 1 <= e.idx <= note.size for e in wanted):
        raise ValueError("an entry lies beyond the checkpoint")
    if note.merkle_root is not None and entry_hashes:
        tree = MerkleTree([bytes.fromhex(h) for h in entry_hashes[: note.size]])
        if tree.size != note.size or tree.root() != note.merkle_root:
            raise ValueError("the entry hashes do not give the checkpoint's Merkle root")
        paths = {e.idx: tuple(tree.inclusion_proof(e.idx - 1)) for e in wanted}
        return LedgerProof(checkpoint, tuple(wanted), paths=paths)
    tail = tuple(sorted(chain, key=lambda e: e.idx))
    if wanted and (not tail or tail[0].idx > wanted[0].idx or tail[-1].idx != note.size):
        raise ValueError("the chain must run from the first entry to the checkpoint's size")
    return LedgerProof(checkpoint, tuple(wanted), chain=tail)


def proof_json(proof: LedgerProof) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": PROOF_FORMAT,
        "checkpoint": proof.checkpoint.model_dump(mode="json"),
        "entries": [e.model_dump(mode="json") for e in proof.entries],
        "method": "merkle" if proof.paths else "chain",
    }
    if proof.paths:
        data["inclusion"] = {
            str(idx): [base64.b64encode(h).decode() for h in path]
            for idx, path in sorted(proof.paths.items())
        }
    else:
        data["chain"] = [e.model_dump(mode="json") for e in proof.chain]
    return data


@dataclass
class ProofCheck:
    """What the proof establishes: entries proven in the signed checkpoint, and problems."""

    proven: dict[int, LedgerEntry] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    checkpoint: Checkpoint | None = None


def check_proof(data: Mapping[str, Any], public_key: bytes) -> ProofCheck:
    """Check a parsed ``ledger-proof.json`` with the server's key: the checkpoint's signature,
    each entry's hash, and each entry's inclusion (Merkle path or chain to the head)."""
    result = ProofCheck()
    if data.get("format") != PROOF_FORMAT:
        result.problems.append(f"unknown proof format {data.get('format')!r}")
        return result
    try:
        checkpoint = Checkpoint.model_validate(data["checkpoint"])
        entries = [LedgerEntry.model_validate(e) for e in data.get("entries", [])]
        chain = [LedgerEntry.model_validate(e) for e in data.get("chain", [])]
        note = parse_checkpoint_note(checkpoint.note)
        signature = base64.b64decode(checkpoint.signature, validate=True)
    except (KeyError, TypeError, ValueError, ValidationError, binascii.Error) as exc:
        result.problems.append(f"the proof cannot be read: {str(exc).splitlines()[0]}")
        return result
    result.checkpoint = checkpoint
    if not ed25519_verify(public_key, checkpoint.note.encode(), signature):
        result.problems.append("the checkpoint's signature does not verify with the key")
        return result
    if note.size != checkpoint.size or note.head != base64.b64decode(checkpoint.head).hex():
        result.problems.append("the checkpoint's fields differ from its signed note")
        return result
    good = {}
    for entry in entries:
        if entry.computed_hash() != entry.entry_hash:
            result.problems.append(f"ledger entry {entry.idx} does not hash to its entry_hash")
        else:
            good[entry.idx] = entry
    if data.get("method") == "merkle":
        _check_merkle(data.get("inclusion", {}), good, note.size, note.merkle_root, result)
    else:
        _check_chain(chain, good, note.size, note.head, result)
    return result


def _check_merkle(
    inclusion: Any,
    good: dict[int, LedgerEntry],
    size: int,
    root: bytes | None,
    result: ProofCheck,
) -> None:
    if root is None:
        result.problems.append("the checkpoint carries no Merkle root for the inclusion paths")
        return
    for idx, entry in good.items():
        try:
            path = [base64.b64decode(h, validate=True) for h in inclusion[str(idx)]]
        except (KeyError, TypeError, binascii.Error):
            result.problems.append(f"ledger entry {idx} has no readable inclusion path")
            continue
        if verify_inclusion(bytes.fromhex(entry.entry_hash), idx - 1, size, path, root):
            result.proven[idx] = entry
        else:
            result.problems.append(f"ledger entry {idx} is not included in the checkpoint")


def _check_chain(
    chain: list[LedgerEntry],
    good: dict[int, LedgerEntry],
    size: int,
    head: str,
    result: ProofCheck,
) -> None:
    if not good:
        return
    links: dict[int, str] = {}
    previous: LedgerEntry | None = None
    for entry in sorted(chain, key=lambda e: e.idx):
        if entry.computed_hash() != entry.entry_hash:
            result.problems.append(f"chain entry {entry.idx} does not hash to its entry_hash")
            return
        if previous is not None and (
            entry.idx != previous.idx + 1 or entry.prev_hash != previous.entry_hash
        ):
            result.problems.append(f"the chain breaks before entry {entry.idx}")
            return
        links[entry.idx] = entry.entry_hash
        previous = entry
    if previous is None or previous.idx != size or previous.entry_hash != head:
        result.problems.append("the chain does not end at the checkpoint's signed head")
        return
    for idx, entry in good.items():
        if links.get(idx) == entry.entry_hash:
            result.proven[idx] = entry
        else:
            result.problems.append(f"ledger entry {idx} is not on the chain to the checkpoint")
