"""The laptop as a witness of the server's ledger (SYNC-RESEARCH §6.8, I6).

Each sync stores the server's signed checkpoint (C2SP-style note: origin, size, base64 head)
after checking its Ed25519 signature with the server's public key (trusted on first use),
and that it extends the last one seen: same epoch, size not smaller, and the server still
recognising our last checkpoint (``ledger_seen`` is ``LedgerSeen.OK``). Anything else means
the server's history changed — restored from an older backup or rewritten — and the sync
stops with everything kept on the laptop.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from fieldcheck.protocol.status import Checkpoint, LedgerSeen, SyncStatus


@dataclass(frozen=True)
class Witness:
    """What the laptop saw last: the server's epoch, its checkpoint and its public key."""

    epoch: str
    checkpoint: Checkpoint | None
    public_key_b64: str


def ledger_seen_header(checkpoint: Checkpoint | None) -> dict[str, str]:
    if checkpoint is None:
        return {}
    return {"Ledger-Seen": f"{checkpoint.size}:{checkpoint.head}"}


def key_id(public_key_b64: str) -> str:
    return hashlib.sha256(base64.b64decode(public_key_b64)).hexdigest()[:16]


def signature_problem(checkpoint: Checkpoint, public_key_b64: str) -> str | None:
    """None when the checkpoint is signed by the key and its note says what it claims."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if checkpoint.key_id != key_id(public_key_b64):
        return (
            f"the checkpoint is signed with key {checkpoint.key_id}, not the server key this "
            f"laptop trusts ({key_id(public_key_b64)})"
        )
    lines = checkpoint.note.split("\n")
    if len(lines) < 3 or lines[1] != str(checkpoint.size) or lines[2] != checkpoint.head:
        return "the checkpoint's signed note does not match its size and head"
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64)).verify(
            base64.b64decode(checkpoint.signature), checkpoint.note.encode()
        )
    except (InvalidSignature, ValueError):
        return "the checkpoint's signature does not verify with the server's key"
    return None


def history_problem(seen: Witness, status: SyncStatus) -> str | None:
    """None when the server's history extends what this laptop saw, else what is wrong."""
    if seen.epoch and status.server_epoch != seen.epoch:
        return (
            "the server's history changed (its epoch is new): it may have been restored from "
            "an older backup; nothing on this laptop was changed or deleted"
        )
    last, new = seen.checkpoint, status.checkpoint
    if last is None:
        return None
    if new is None or new.size < last.size:
        return (
            f"the server's ledger went backwards (it had {last.size} entries, now "
            f"{new.size if new else 0}): restored from an older backup? nothing on this laptop "
            "was changed or deleted"
        )
    if status.ledger_seen in (LedgerSeen.MISMATCH, LedgerSeen.AHEAD):
        return (
            f"the server no longer holds the ledger this laptop saw ({status.ledger_seen}): "
            "its history was rewritten or restored; nothing on this laptop was changed"
        )
    if new.size == last.size and new.head != last.head:
        return "the server's ledger head changed at the same size: its history was rewritten"
    return None


def regressed(seen: Witness, status: SyncStatus) -> bool:
    """True when the server holds less than this laptop saw, in the same epoch (a restore
    from an older backup): its ledger is shorter, or it says our checkpoint is ahead of it.
    The laptop then holds what the server lost, and reconciles without asking (decision
    0041); a rewrite (same size, other head), a new epoch or a foreign key does not."""
    last, new = seen.checkpoint, status.checkpoint
    if last is None or (seen.epoch and status.server_epoch != seen.epoch):
        return False
    return new is None or new.size < last.size or status.ledger_seen == LedgerSeen.AHEAD
