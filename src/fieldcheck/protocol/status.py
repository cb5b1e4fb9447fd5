"""The no-op check: one small request that tells a laptop whether anything is to do."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from fieldcheck.protocol.base import WireResponse


class LedgerSeen(StrEnum):
    """The server's answer to a client's ``Ledger-Seen`` header (``SyncStatus.ledger_seen``;
    kept a plain string on the wire so a newer server's answer does not break a laptop)."""

    #: the server's ledger holds the checkpoint the client saw.
    OK = "ok"
    #: it holds an entry at that size with another hash: its history was rewritten.
    MISMATCH = "mismatch"
    #: it holds fewer entries than the client saw: restored from an older backup.
    AHEAD = "ahead"
    #: the header is not ``<size>:<head base64>``.
    MALFORMED = "malformed"


class ScopeStatus(WireResponse):
    code: str
    name: str
    max_seq: int


class Checkpoint(WireResponse):
    """A signed statement of the ledger: ``size`` entries ending in ``head`` (base64).

    ``note`` is the signed text (origin, size and head on three lines, as a C2SP
    tlog-checkpoint); ``signature`` is the base64 Ed25519 signature over it by ``key_id``.
    """

    origin: str
    size: int
    head: str
    note: str
    signature: str
    key_id: str
    created_at: dt.datetime


class SyncStatus(WireResponse):
    """``scopes`` maps each readable scope id to its highest change number. ``ledger_seen``
    answers the client's ``Ledger-Seen`` header (a :class:`LedgerSeen` value) or is absent."""

    server_epoch: str
    server_time: dt.datetime
    scopes: dict[str, ScopeStatus]
    checkpoint: Checkpoint | None
    ledger_seen: str | None = None
    token_expires_at: dt.datetime
