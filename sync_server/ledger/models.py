"""Ledger tables: the append-only chain and the checkpoints signed over it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger
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
