"""Record sync tables (SYNC-RESEARCH §6.2): record heads, their append-only versions, the
commit-ordered change log per scope, scope heads for the O(1) status, and the op ids already
applied (idempotency, kept forever)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index
from sqlmodel import Field

from sync_server.db_base import ServerTable
from sync_server.timeutil import utcnow


class Record(ServerTable, table=True):
    """The head of one record; ``last_rev`` also counts conflict candidates."""

    __tablename__ = "record"
    entity: str = Field(primary_key=True, max_length=32)
    id: str = Field(primary_key=True, max_length=64)
    scope_id: str = Field(index=True, max_length=64)
    head_rev: int
    last_rev: int
    data: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    conflict_state: str = Field(default="none", max_length=8)
    created_by: str = Field(max_length=64)
    updated_seq: int = Field(sa_type=BigInteger)


class RecordVersion(ServerTable, table=True):
    """One accepted version of a record, never updated; candidates are hard-conflict edits
    kept beside the head until someone resolves them."""

    __tablename__ = "record_version"
    entity: str = Field(primary_key=True, max_length=32)
    record_id: str = Field(primary_key=True, max_length=64)
    rev: int = Field(primary_key=True)
    base_rev: int
    data: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    changed: list[str] = Field(sa_column=Column(JSON, nullable=False))
    is_candidate: bool = False
    author: str = Field(max_length=64)
    device_id: str = Field(max_length=64)
    op_id: str = Field(max_length=64)
    seq: int = Field(sa_type=BigInteger)
    ledger_idx: int = Field(sa_type=BigInteger)
    server_ts: dt.datetime = Field(default_factory=utcnow)


class ChangeLog(ServerTable, table=True):
    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_scope_seq", "scope_id", "seq"),)
    seq: int = Field(
        primary_key=True, sa_type=BigInteger, sa_column_kwargs={"autoincrement": False}
    )
    scope_id: str = Field(max_length=64)
    entity: str = Field(max_length=32)
    record_id: str = Field(max_length=64)
    rev: int


class ScopeHead(ServerTable, table=True):
    __tablename__ = "scope_head"
    scope_id: str = Field(primary_key=True, max_length=64)
    max_seq: int = Field(default=0, sa_type=BigInteger)


class AppliedOp(ServerTable, table=True):
    """An op id seen and its stored result, committed with the op's effect."""

    __tablename__ = "applied_op"
    op_id: str = Field(primary_key=True, max_length=64)
    user_id: int
    device_id: str = Field(max_length=64)
    payload_sha256: str = Field(max_length=64)
    result: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: dt.datetime = Field(default_factory=utcnow)
