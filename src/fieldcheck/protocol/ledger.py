"""The evidence ledger as it is served: entries of the hash chain and the signing keys."""

from __future__ import annotations

import datetime as dt

from fieldcheck.protocol.base import WireResponse


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
