"""Appending to the hash chain and checking it.

``entry_hash = SHA-256(0x00 ‖ prev_hash ‖ JCS-style canonical JSON of the entry)``; the
first entry's ``prev_hash`` is 64 zeros. Appends happen inside the transaction that makes
the change, after :func:`sync_server.state.lock_counter`, so the chain stays linear.
"""

from __future__ import annotations

import base64
from typing import Any

from sqlmodel import Session, col, select

from fieldcheck.protocol import ledger as wire
from fieldcheck.protocol.ledger import GENESIS, canonical_json, sha256_json
from fieldcheck.protocol.status import Checkpoint, LedgerSeen
from sync_server.ledger.keys import Signer
from sync_server.ledger.models import CheckpointRow, LedgerRow
from sync_server.state import LEDGER, current_value, next_value
from sync_server.timeutil import as_utc, utcnow

__all__ = ["GENESIS", "canonical_json", "sha256_json"]
_HEAD_KEY = "fieldcheck_ledger_head"


def _entry_fields(row: LedgerRow) -> dict[str, Any]:
    return {
        "idx": row.idx,
        "kind": row.kind,
        "entity": row.entity,
        "record_id": row.record_id,
        "rev": row.rev,
        "blob_sha256": row.blob_sha256,
        "actor": row.actor,
        "device_id": row.device_id,
        "op_id": row.op_id,
        "payload_sha256": row.payload_sha256,
        "server_ts": as_utc(row.server_ts).isoformat(),
    }


def entry_hash(prev_hash: str, row: LedgerRow) -> str:
    return wire.entry_hash(prev_hash, _entry_fields(row))


def append(session: Session, **fields: Any) -> LedgerRow:
    """Add the next entry (``kind``, ``actor``, ``device_id``, ``payload_sha256`` and the
    references) to the chain in the session's transaction; the counter lock must be held.

    The head appended last in this same transaction is remembered, so a batch of appends
    needs no flush or query to find its predecessor."""
    idx = next_value(session, LEDGER)
    transaction = session.get_transaction()
    cached = session.info.get(_HEAD_KEY)
    if cached and cached[0] is transaction and cached[1] == idx - 1:
        prev_hash = cached[2]
    else:
        previous = session.get(LedgerRow, idx - 1) if idx > 1 else None
        prev_hash = previous.entry_hash if previous else GENESIS
    row = LedgerRow(idx=idx, prev_hash=prev_hash, entry_hash="", server_ts=utcnow(), **fields)
    row.entry_hash = entry_hash(row.prev_hash, row)
    session.add(row)
    session.info[_HEAD_KEY] = (transaction, idx, row.entry_hash)
    return row


def checkpoint_note(origin: str, size: int, head_hex: str) -> str:
    """The signed text: origin, size and base64 head, one per line (C2SP tlog-checkpoint)."""
    return wire.checkpoint_note(origin, size, head_hex)


def sign_checkpoint(session: Session, signer: Signer) -> CheckpointRow | None:
    """Sign the chain as it stands in this transaction (call just before commit)."""
    session.flush()
    size = current_value(session, LEDGER)
    if size == 0:
        return None
    existing = session.get(CheckpointRow, size)
    if existing is not None:
        return existing
    head = session.get(LedgerRow, size)
    assert head is not None, "the ledger counter ran ahead of the ledger"
    note = checkpoint_note(signer.origin, size, head.entry_hash)
    row = CheckpointRow(
        size=size,
        head=head.entry_hash,
        note=note,
        signature=signer.sign(note.encode()),
        key_id=signer.key_id,
    )
    session.add(row)
    return row


def latest_checkpoint(session: Session) -> CheckpointRow | None:
    return session.exec(select(CheckpointRow).order_by(col(CheckpointRow.size).desc())).first()


def public_checkpoint(row: CheckpointRow, origin: str) -> Checkpoint:
    """A stored checkpoint as it is served."""
    return Checkpoint(
        origin=origin,
        size=row.size,
        head=row.note.splitlines()[2],
        note=row.note,
        signature=row.signature,
        key_id=row.key_id,
        created_at=as_utc(row.created_at),
    )


def verify_chain(session: Session, batch: int = 5000) -> tuple[bool, int, int | None]:
    """Walk the whole chain: (intact, entries checked, first bad index or None)."""
    prev, count, after = GENESIS, 0, 0
    while True:
        rows = session.exec(
            select(LedgerRow).where(LedgerRow.idx > after).order_by(col(LedgerRow.idx)).limit(batch)
        ).all()
        if not rows:
            return True, count, None
        for row in rows:
            if (
                row.idx != count + 1
                or row.prev_hash != prev
                or entry_hash(prev, row) != row.entry_hash
            ):
                return False, count, row.idx
            prev, count = row.entry_hash, count + 1
        after = rows[-1].idx


def ledger_seen(session: Session, header: str | None) -> str | None:
    """Check a client's ``Ledger-Seen: <size>:<head base64>`` against the chain."""
    if not header:
        return None
    try:
        size_text, head_b64 = header.split(":", 1)
        size, head = int(size_text), base64.b64decode(head_b64, validate=True).hex()
    except ValueError:
        return LedgerSeen.MALFORMED
    if size < 1:
        return LedgerSeen.MALFORMED
    row = session.get(LedgerRow, size)
    if row is None:
        return LedgerSeen.AHEAD
    return LedgerSeen.OK if row.entry_hash == head else LedgerSeen.MISMATCH
