"""The one row of sync settings and what the laptop witnessed of the server (``sync_meta``):
where and as whom it syncs, its device id, the server's epoch, signed checkpoint and key, the
clock offset, the last attempt and its error, and whether a reconcile is due (decision 0041).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from fieldcheck.store.sync_tables import SyncMetaRow
from fieldcheck.store.tables import utcnow

#: ``sync_meta.server_epoch`` while a reconcile is due (decision 0041): the witness is
#: forgotten, and the next sync re-sends every blob and record the server lacks.
RECONCILE_EPOCH = "reconcile-pending"


def peek_meta(session: Session) -> SyncMetaRow | None:
    """The sync settings row if there is one (for reading without writing)."""
    return session.get(SyncMetaRow, 1)


def meta(session: Session) -> SyncMetaRow:
    """The sync settings row, made (with a fresh device id) on first use: call it in a
    write transaction."""
    row = session.get(SyncMetaRow, 1)
    if row is None:
        row = SyncMetaRow(id=1, device_id=f"laptop-{uuid.uuid4()}")
        session.add(row)
        session.flush()
    return row


def device_id(session: Session) -> str:
    """This laptop's device id (made on first use: call it in a write transaction)."""
    return meta(session).device_id


def remember_sign_in(session: Session, server_url: str, username: str) -> None:
    row = meta(session)
    row.server_url, row.username = server_url, username
    session.add(row)


@dataclass(frozen=True)
class Witnessed:
    """What the laptop saw of the server last: its epoch (blank while a reconcile is due),
    its signed checkpoint (as JSON) and its public key."""

    epoch: str
    checkpoint: dict[str, Any] | None
    public_key_b64: str


def witnessed(session: Session) -> Witnessed:
    row = meta(session)
    epoch = "" if row.server_epoch == RECONCILE_EPOCH else row.server_epoch
    return Witnessed(epoch, row.checkpoint or None, row.server_public_key)


def note_status(session: Session, clock_offset_s: float | None, history_alert: str) -> None:
    """What the status call measured: the clock offset, and the history problem if any."""
    row = meta(session)
    row.clock_offset_s = clock_offset_s
    row.history_alert = history_alert
    session.add(row)


def trust_key(session: Session, public_key_b64: str) -> None:
    """Remember the server's public key (trusted on first use)."""
    row = meta(session)
    row.server_public_key = public_key_b64
    session.add(row)


def remember_server(
    session: Session, server_url: str, epoch: str, checkpoint: dict[str, Any] | None
) -> None:
    """The server's epoch and its latest checkpoint (kept when None), after a sync."""
    row = meta(session)
    row.server_epoch = epoch
    if checkpoint is not None:
        row.checkpoint = checkpoint
    row.server_url = server_url
    session.add(row)


def remember_chunk_size(session: Session, size: int) -> None:
    """The upload chunk size the last sync ended with (the next one starts there)."""
    row = meta(session)
    row.chunk_size = size
    session.add(row)


def chunk_size(session: Session) -> int:
    """The upload chunk size the last sync ended with (0: not known)."""
    row = peek_meta(session)
    return row.chunk_size if row is not None else 0


def note_attempt(session: Session, error: str = "") -> None:
    """A sync ended now: with ``error`` (its kind and message), or without one (synced)."""
    row = meta(session)
    row.last_attempt_at = utcnow()
    if not error:
        row.last_sync_at = utcnow()
    row.last_error = error
    session.add(row)


def reconcile_due(session: Session) -> bool:
    row = peek_meta(session)
    return row is not None and row.server_epoch == RECONCILE_EPOCH


def start_reconcile(session: Session, *, forget_key: bool = False) -> None:
    """Mark a reconcile as due (it survives a crash until a sync completes it)."""
    row = meta(session)
    row.server_epoch, row.checkpoint = RECONCILE_EPOCH, None
    if forget_key:
        row.server_public_key = ""
    row.history_alert = ""
    session.add(row)


def accept_server_history(session: Session) -> None:
    """After the bureau confirms a server restore or rewrite: forget the witnessed epoch,
    checkpoint and key; the next sync reconciles (every local blob and record the server
    lacks goes up again, then everything is pulled from the start). Local records and
    unsent changes stay as they are."""
    start_reconcile(session, forget_key=True)
