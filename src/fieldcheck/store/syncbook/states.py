"""Every state the laptop's sync bookkeeping stores or shows, as string enums.

``StrEnum`` members are their values: the database keeps the same strings as before (no
migration), JSON and comparisons with plain strings work unchanged, and a misspelt state is a
name error instead of a silent mismatch. The server's own vocabulary (op statuses, a record's
conflict state, the ``Blob-Status`` header) lives in ``fieldcheck.protocol``.
"""

from __future__ import annotations

from enum import StrEnum


class OutboxState(StrEnum):
    """``outbox.state``: where one outbox entry stands. ``done`` only after the server
    confirmed the op."""

    PENDING = "pending"
    INFLIGHT = "inflight"
    DONE = "done"
    CONFLICT = "conflict"
    REJECTED = "rejected"
    DEFERRED = "deferred"
    #: a rejected entry sent again as a new op (kept in the log)
    SUPERSEDED = "superseded"
    #: a rejected entry the inspector gave up, with a reason (kept in the log)
    DISMISSED = "dismissed"


#: Entries not yet confirmed and still to be sent.
UNSENT_STATES = (OutboxState.PENDING, OutboxState.INFLIGHT, OutboxState.DEFERRED)


class BlobState(StrEnum):
    """``blob_sync.state``: how far one local photo blob got to the server."""

    #: never offered to the server (no ``blob_sync`` row means the same)
    LOCAL_ONLY = "local_only"
    UPLOADING = "uploading"
    #: the server confirmed its hash
    VERIFIED = "verified"
    #: the local file no longer matches its name: never uploaded
    INTEGRITY = "integrity"
    #: a pulled photo whose blob the server does not have to download
    MISSING = "missing"


#: Blobs a sync does not count as work to do (they wait for a person or for the server).
FLAGGED_BLOB_STATES = (BlobState.INTEGRITY, BlobState.MISSING)


class ConflictStatus(StrEnum):
    """``sync_conflict.state``: a hard conflict in the inspector's inbox (not the server's
    ``protocol.changes.ConflictState`` of a record)."""

    OPEN = "open"
    #: the inspector chose; the op that settles it waits to be confirmed
    RESOLVING = "resolving"
    RESOLVED = "resolved"


#: Conflicts the server has not settled yet: their record keeps its local edit on pull.
UNSETTLED_CONFLICTS = (ConflictStatus.OPEN, ConflictStatus.RESOLVING)


class ConflictChoice(StrEnum):
    """How the inspector settles a conflict."""

    MINE = "mine"
    THEIRS = "theirs"
    #: chosen values over the server's
    MERGED = "merged"


class RecordMark(StrEnum):
    """What a list shows for one record (``records.record_states``)."""

    #: never sent
    LOCAL = "local"
    #: the server confirmed every change
    SYNCED = "synced"
    #: changes wait to go up
    PENDING = "pending"
    REJECTED = "rejected"
    CONFLICT = "conflict"

    @property
    def urgency(self) -> int:
        """How pressing the mark is when a record has several entries (higher wins)."""
        return _URGENCY[self]


_URGENCY = {
    RecordMark.LOCAL: 0,
    RecordMark.SYNCED: 0,
    RecordMark.PENDING: 1,
    RecordMark.REJECTED: 2,
    RecordMark.CONFLICT: 3,
}


class RestoreNote(StrEnum):
    """``outbox_sync.result["dismissed"]["restore"]``: the server's version of a record whose
    rejected change was given up is still to be fetched (by the next sync), was put back, or
    could not be and the local copy stays."""

    PENDING = "pending"
    DONE = "done"
    KEPT = "kept"


class AttentionKind(StrEnum):
    """What an attention item is about."""

    CONFLICT = "conflict"
    REJECTED = "rejected"
