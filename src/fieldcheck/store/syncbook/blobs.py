"""Upload state of the laptop's photo blobs (``blob_sync``): what the server has confirmed,
what is on its way, and what waits for a person (a local file that no longer matches its
hash, a pulled photo whose blob the server lacks)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from fieldcheck.store.sync_tables import BlobSyncRow
from fieldcheck.store.syncbook.states import FLAGGED_BLOB_STATES, BlobState
from fieldcheck.store.tables import PhotoRow, utcnow


def mark(session: Session, shas: Iterable[str], state: BlobState, *, error: str = "") -> None:
    """Put the blobs ``shas`` in ``state`` (with the error that put them there, if any)."""
    for sha in shas:
        row = session.get(BlobSyncRow, sha) or BlobSyncRow(sha256=sha)
        row.state, row.last_error, row.updated_at = state, error, utcnow()
        session.add(row)


def recorded_blobs(session: Session) -> list[tuple[str, int]]:
    """(sha256, size) of the blob of every photo record on the laptop (once per record)."""
    return [(sha, size) for sha, size in session.exec(select(PhotoRow.sha256, PhotoRow.size_bytes))]


def unverified_blobs(session: Session) -> list[tuple[str, int]]:
    """(sha256, size) of every photo blob the server has not confirmed yet, oldest import
    first."""
    rows = session.exec(
        select(PhotoRow.sha256, func.max(PhotoRow.size_bytes))
        .outerjoin(BlobSyncRow, col(BlobSyncRow.sha256) == col(PhotoRow.sha256))
        .where(col(BlobSyncRow.state).is_(None) | (BlobSyncRow.state != BlobState.VERIFIED))
        .group_by(col(PhotoRow.sha256))
        .order_by(func.min(PhotoRow.imported_at))
    ).all()
    return [(sha, int(size)) for sha, size in rows]


def flagged_blobs(session: Session) -> set[str]:
    """Blobs that wait for a person or for the server (integrity alerts, missing blobs)."""
    return set(
        session.exec(
            select(BlobSyncRow.sha256).where(col(BlobSyncRow.state).in_(FLAGGED_BLOB_STATES))
        ).all()
    )


def is_verified(session: Session, sha256: str) -> bool:
    blob = session.get(BlobSyncRow, sha256)
    return blob is not None and blob.state == BlobState.VERIFIED


def photo_states(session: Session, sha256s: list[str]) -> dict[str, BlobState]:
    """Per photo blob: ``verified`` on the server, ``uploading``, ``integrity`` (the local
    file no longer matches), ``missing`` (not on the server to download) or ``local_only``."""
    rows = session.exec(select(BlobSyncRow).where(col(BlobSyncRow.sha256).in_(sha256s))).all()
    found = {r.sha256: BlobState(r.state) for r in rows}
    return {sha: found.get(sha, BlobState.LOCAL_ONLY) for sha in sha256s}


@dataclass(frozen=True)
class IntegrityAlert:
    """A local photo file that no longer matches its hash, and what the upload found."""

    sha256: str
    error: str


def integrity_alerts(session: Session) -> list[IntegrityAlert]:
    rows = session.exec(select(BlobSyncRow).where(BlobSyncRow.state == BlobState.INTEGRITY))
    return [IntegrityAlert(row.sha256, row.last_error) for row in rows]


def integrity_count(session: Session) -> int:
    return session.exec(
        select(func.count(col(BlobSyncRow.sha256))).where(BlobSyncRow.state == BlobState.INTEGRITY)
    ).one()
