"""Progress reports and the cancel flag the engine checks between steps and chunks."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from fieldcheck.sync.errors import SyncError, SyncErrorKind


class Phase(StrEnum):
    SIGN_IN = "sign_in"
    STATUS = "status"
    BLOBS = "blobs"
    PUSH = "push"
    PULL = "pull"
    DOWNLOAD = "download"
    CHECKPOINT = "checkpoint"
    DONE = "done"


@dataclass(frozen=True)
class Progress:
    """Where a sync stands: its phase, records done of total, bytes sent of total, and the
    photo (SHA-256) being uploaded or downloaded."""

    phase: Phase
    records_done: int = 0
    records_total: int = 0
    bytes_sent: int = 0
    bytes_total: int = 0
    current_photo: str | None = None


ProgressCallback = Callable[[Progress], None]


class CancelFlag:
    """Set from any thread; the engine raises ``SyncError(CANCELLED)`` at its next check."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise SyncError(SyncErrorKind.CANCELLED, "the sync was cancelled")

    def wait(self, seconds: float) -> None:
        """Sleep up to ``seconds``, waking (and raising) at once when cancelled."""
        if self._event.wait(seconds):
            self.check()
