"""What one sync did: its outcome and its tallies, as the GUI, the CLI and the log read them."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

from fieldcheck.sync.errors import SyncError


class SyncOutcome(StrEnum):
    #: nothing to do: the status call showed the laptop and the server even
    NOOP = "noop"
    SYNCED = "synced"
    #: stopped by an error (``SyncReport.error``); nothing unconfirmed was marked synced
    FAILED = "failed"
    #: stopped because the server's history went backwards or changed
    HISTORY_CHANGED = "history_changed"


@dataclass
class SyncReport:
    """The outcome of one sync. ``conflicts`` and ``rejected`` count what waits for the
    inspector after this sync (``new_*`` what this sync added). ``reconciled`` is set when
    this sync re-sent the laptop's blobs and records to a restored server
    (``reconcile_reason`` says what gave the restore away; ``records_restored`` counts
    versions the server had lost)."""

    outcome: SyncOutcome = SyncOutcome.FAILED
    reconciled: bool = False
    reconcile_reason: str = ""
    records_restored: int = 0
    requests: int = 0
    records_pushed: int = 0
    records_pulled: int = 0
    photos_uploaded: int = 0
    photos_skipped: int = 0
    photos_downloaded: int = 0
    new_conflicts: int = 0
    new_rejected: int = 0
    conflicts: int = 0
    rejected: int = 0
    deferred: int = 0
    held: int = 0
    waiting: int = 0
    bytes_sent: int = 0
    bytes_resent: int = 0
    chunk_sizes: list[int] = field(default_factory=list)
    integrity_alerts: list[str] = field(default_factory=list)
    clock_offset_s: float | None = None
    error: SyncError | None = None
    #: The compounds whose records this sync changed on the laptop (pulled, or the server's
    #: version put back after a discarded change): the app reloads their views.
    compounds_pulled: set[str] = field(default_factory=set)

    @property
    def needs_attention(self) -> bool:
        return bool(self.conflicts or self.rejected or self.integrity_alerts)

    def as_dict(self) -> dict[str, Any]:
        skip = {"chunk_sizes", "error", "compounds_pulled"}
        data: dict[str, Any] = {
            f.name: getattr(self, f.name) for f in fields(self) if f.name not in skip
        }
        data["outcome"] = self.outcome.value
        data["integrity_alerts"] = list(self.integrity_alerts)
        data["error"] = (
            {"kind": self.error.kind.value, "code": self.error.code, "message": self.error.message}
            if self.error
            else None
        )
        return data

    def summary(self) -> str:
        """One line for the log: the outcome and what moved."""
        line = (
            f"{self.outcome.value}: {self.records_pushed} records pushed, "
            f"{self.records_pulled} pulled, {self.records_restored} restored; "
            f"{self.photos_uploaded} photos uploaded, {self.photos_skipped} already there, "
            f"{self.photos_downloaded} downloaded; {self.new_conflicts} new conflicts, "
            f"{self.new_rejected} new rejected, {self.deferred} deferred, {self.held} held, "
            f"{self.waiting} waiting; {self.conflicts} conflicts and {self.rejected} rejected "
            f"wait; {self.bytes_sent} bytes sent ({self.bytes_resent} again) in "
            f"{self.requests} requests"
        )
        if self.error is not None:
            line += f"; {self.error.kind.value}: {self.error.message}"
        return line
