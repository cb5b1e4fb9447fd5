"""The laptop's sync bookkeeping tables (revision 0004, SYNC-RESEARCH §6.9.1).

The outbox itself (``outbox``) keeps its rows and their ``state``; these tables add what the
sync engine learns from the server: the server revision of every record, per-op attempts and
results, blob upload state, per-scope pull cursors, sync settings and the witnessed ledger
checkpoint, and the conflicts waiting for the inspector.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field

from fieldcheck.protocol.changes import ConflictState
from fieldcheck.store.base import LaptopTable
from fieldcheck.store.syncbook.states import BlobState, ConflictStatus


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class SyncRecordRow(LaptopTable, table=True):
    """What the laptop knows of a record on the server.

    ``server_rev`` is the server revision the local copy is based on (the ``base_rev`` of the
    next push); ``clean`` is true when the local data equals the server's at that revision,
    so a pulled change at that revision is an echo of our own push; ``seen_rev`` is the
    newest head seen on pull while a local edit was waiting."""

    __tablename__ = "sync_record"
    entity: str = Field(primary_key=True)
    id: str = Field(primary_key=True)
    scope_id: str = ""
    server_rev: int = 0
    seen_rev: int = 0
    clean: bool = True
    conflict_state: str = ConflictState.NONE
    updated_at: dt.datetime = Field(default_factory=_now)


class OutboxSyncRow(LaptopTable, table=True):
    """The sync side of one outbox row: how often it was sent, what came back.

    ``sent_as`` names the op id the row went out under (its own, or the op it was coalesced
    into); ``sent_op`` freezes the exact op sent, so a retry after a lost response repeats
    it byte for byte with the same op id."""

    __tablename__ = "outbox_sync"
    op_id: str = Field(primary_key=True)
    sent_as: str | None = Field(default=None, index=True)
    sent_op: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    resolves: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    attempts: int = 0
    last_error: str = ""
    result: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    updated_at: dt.datetime = Field(default_factory=_now)


class BlobSyncRow(LaptopTable, table=True):
    """Upload state of one local blob (a ``BlobState``: never offered, uploading, verified
    by the server, failing its integrity check, or missing on the server)."""

    __tablename__ = "blob_sync"
    sha256: str = Field(primary_key=True)
    size: int = 0
    state: str = Field(default=BlobState.LOCAL_ONLY, index=True)
    last_offset: int = 0
    last_error: str = ""
    updated_at: dt.datetime = Field(default_factory=_now)


class SyncCursorRow(LaptopTable, table=True):
    """The last change number pulled and applied for one scope (sub-district)."""

    __tablename__ = "sync_cursor"
    scope_id: str = Field(primary_key=True)
    last_seq: int = 0


class SyncMetaRow(LaptopTable, table=True):
    """One row of sync settings and state: where, who, which device, what was seen."""

    __tablename__ = "sync_meta"
    id: int = Field(default=1, primary_key=True)
    server_url: str = ""
    username: str = ""
    device_id: str = ""
    server_epoch: str = ""
    clock_offset_s: float | None = None
    last_sync_at: dt.datetime | None = None
    last_attempt_at: dt.datetime | None = None
    last_error: str = ""
    history_alert: str = ""
    checkpoint: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    server_public_key: str = ""
    chunk_size: int = 0  # the upload chunk size the last sync ended with (0: not known)


class ConflictRow(LaptopTable, table=True):
    """A hard conflict waiting for the inspector: my version, theirs (the server head) and
    the record's history, as the server told it."""

    __tablename__ = "sync_conflict"
    id: int | None = Field(default=None, primary_key=True)
    entity: str = Field(index=True)
    record_id: str = Field(index=True)
    op_id: str
    mine: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    theirs: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    history: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    fields: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    head_rev: int = 0
    candidate_revs: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    state: str = Field(default=ConflictStatus.OPEN, index=True)
    created_at: dt.datetime = Field(default_factory=_now)
    resolved_at: dt.datetime | None = None


class ParkedChangeRow(LaptopTable, table=True):
    """A pulled change whose parent record has not arrived yet; applied when it does."""

    __tablename__ = "sync_parked"
    entity: str = Field(primary_key=True)
    id: str = Field(primary_key=True)
    rev: int
    scope_id: str
    conflict_state: str = ConflictState.NONE
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
