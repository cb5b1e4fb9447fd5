"""What the status bar shows between syncs: the server and user of the last sign-in, whether a
token is stored for them, what waits to go up (records, photos), what needs the inspector
(conflicts, rejected changes, changed photo files, a changed server history) and when the
last sync finished."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from fieldcheck.core.sync_run import token_store
from fieldcheck.paths import DataPaths
from fieldcheck.store.syncbook.attention import PendingCounts, pending_counts
from fieldcheck.store.syncbook.meta import peek_meta
from fieldcheck.store.syncbook.outbox import pending_count

__all__ = ["PendingCounts", "SyncSnapshot", "last_account", "pending_count", "read_snapshot"]


@dataclass(frozen=True)
class SyncSnapshot:
    """What the status bar shows between syncs."""

    server_url: str = ""
    username: str = ""
    signed_in: bool = False
    records: int = 0
    photos: int = 0
    conflicts: int = 0
    rejected: int = 0
    integrity: int = 0
    last_sync_at: dt.datetime | None = None
    history_alert: str = ""

    @property
    def attention(self) -> int:
        return self.conflicts + self.rejected + self.integrity + bool(self.history_alert)


def last_account(session: Session) -> tuple[str, str]:
    """The server address and user name of the last sign-in ("" when never signed in)."""
    settings = peek_meta(session)
    return (settings.server_url, settings.username) if settings else ("", "")


def read_snapshot(session: Session, paths: DataPaths) -> SyncSnapshot:
    """The status bar's counts and settings; ``signed_in`` when a token is stored for the
    last server and user (in ``paths``' data folder or the OS keyring)."""
    settings = peek_meta(session)
    counts = pending_counts(session)
    url, user = last_account(session)
    return SyncSnapshot(
        server_url=url,
        username=user,
        signed_in=bool(url and user and token_store(paths).load(url, user)),
        records=counts.records,
        photos=counts.photos,
        conflicts=counts.conflicts,
        rejected=counts.rejected,
        integrity=counts.integrity,
        last_sync_at=settings.last_sync_at if settings else None,
        history_alert=settings.history_alert if settings else "",
    )
