"""Blob tables: verified blobs (write-once), who proved they hold each one, and uploads in
progress (one per blob and uploader)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger
from sqlmodel import Field

from sync_server.db_base import ServerTable
from sync_server.timeutil import utcnow


class Blob(ServerTable, table=True):
    """A blob whose bytes were verified against its SHA-256; never removed. When its file
    is found damaged or gone it is moved aside and ``quarantined_at`` set, until an upload
    of the same bytes restores it (SYNC-RESEARCH F17)."""

    __tablename__ = "blob"
    sha256: str = Field(primary_key=True, max_length=64)
    size: int = Field(sa_type=BigInteger)
    #: Sniffed from the bytes when the blob is published, never taken from the uploader.
    content_type: str = Field(default="application/octet-stream", max_length=100)
    uploaded_by: str = Field(max_length=64)
    verified_at: dt.datetime = Field(default_factory=utcnow)
    ledger_idx: int = Field(sa_type=BigInteger)
    quarantined_at: dt.datetime | None = None


class BlobHolder(ServerTable, table=True):
    """A user who sent a stored blob's bytes themselves (proof of possession) after its
    first uploader: they may read it and name it in records like its uploader."""

    __tablename__ = "blob_holder"
    sha256: str = Field(primary_key=True, max_length=64)
    username: str = Field(primary_key=True, max_length=64)
    proven_at: dt.datetime = Field(default_factory=utcnow)


class Upload(ServerTable, table=True):
    """An upload in progress of blob ``sha256`` by ``created_by``; ``committed_offset``
    bytes of its part file are verified chunks, anything after them is a crash's tail. Only
    its creator sees it."""

    __tablename__ = "upload"
    sha256: str = Field(primary_key=True, max_length=64)
    created_by: str = Field(primary_key=True, max_length=64)
    length: int = Field(sa_type=BigInteger)
    committed_offset: int = Field(default=0, sa_type=BigInteger)
    created_at: dt.datetime = Field(default_factory=utcnow)
    expires_at: dt.datetime
