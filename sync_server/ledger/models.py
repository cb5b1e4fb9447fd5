"""Ledger tables: the append-only chain, the checkpoints signed over it, and the state of
the background scrub that re-checks them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Column
from sqlmodel import Field

from sync_server.db_base import ServerTable
from sync_server.timeutil import utcnow


class LedgerRow(ServerTable, table=True):
    __tablename__ = "ledger"
    idx: int = Field(
        primary_key=True, sa_type=BigInteger, sa_column_kwargs={"autoincrement": False}
    )
    kind: str = Field(max_length=16)
    entity: str | None = Field(default=None, max_length=32)
    record_id: str | None = Field(default=None, max_length=64)
    rev: int | None = None
    blob_sha256: str | None = Field(default=None, max_length=64)
    actor: str = Field(max_length=64)
    device_id: str = Field(max_length=64)
    op_id: str | None = Field(default=None, max_length=64)
    payload_sha256: str = Field(max_length=64)
    server_ts: dt.datetime = Field(default_factory=utcnow)
    prev_hash: str = Field(max_length=64)
    entry_hash: str = Field(max_length=64)


class CheckpointRow(ServerTable, table=True):
    __tablename__ = "checkpoint"
    size: int = Field(
        primary_key=True, sa_type=BigInteger, sa_column_kwargs={"autoincrement": False}
    )
    head: str = Field(max_length=64)
    note: str
    signature: str
    key_id: str = Field(max_length=64)
    created_at: dt.datetime = Field(default_factory=utcnow)


class ScrubState(ServerTable, table=True):
    """The background scrub's lease and its last result (one row, ``name = "scrub"``): the
    process holding an unexpired lease scrubs; the others wait for the next due pass."""

    __tablename__ = "scrub_state"
    name: str = Field(primary_key=True, max_length=32)
    owner: str | None = Field(default=None, max_length=64)
    lease_until: dt.datetime | None = None
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    ok: bool | None = None
    mismatches: int = 0
    checked: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    found: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
