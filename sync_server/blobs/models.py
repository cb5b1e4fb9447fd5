"""Blob tables: verified blobs (write-once) and uploads in progress."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger
from sqlmodel import Field

from sync_server.db_base import ServerTable
from sync_server.timeutil import utcnow


class Blob(ServerTable, table=True):
    """A blob whose bytes were verified against its SHA-256; never changed or removed."""

    __tablename__ = "blob"
    sha256: str = Field(primary_key=True, max_length=64)
    size: int = Field(sa_type=BigInteger)
    content_type: str = Field(default="application/octet-stream", max_length=100)
    uploaded_by: str = Field(max_length=64)
    verified_at: dt.datetime = Field(default_factory=utcnow)
    ledger_idx: int = Field(sa_type=BigInteger)


class Upload(ServerTable, table=True):
    """An upload in progress, keyed by the blob's SHA-256; ``committed_offset`` bytes of
    ``incoming/<sha256>.part`` are verified chunks, anything after them is a crash's tail."""

    __tablename__ = "upload"
    sha256: str = Field(primary_key=True, max_length=64)
    length: int = Field(sa_type=BigInteger)
    committed_offset: int = Field(default=0, sa_type=BigInteger)
    content_type: str = Field(default="application/octet-stream", max_length=100)
    created_by: str = Field(max_length=64)
    created_at: dt.datetime = Field(default_factory=utcnow)
    expires_at: dt.datetime
