"""The GUI side of syncing (SYNC-RESEARCH §6.9.3): sign-in, "Sync now", a timer while signed
in, network changes, exponential backoff after a failure, and cancel.

The sign-in and the sync run (``core.sync_run``, no Qt) run on this controller's own single
worker thread with their own database connections; progress and the typed report come back by
queued signals, and what a sync changed is broadcast to the views. Only frozen values
(``Progress``, ``SyncReport``, ``SyncSnapshot``) cross threads. The password is handed to the
worker once for the sign-in and never kept. A result that belongs to an older sign-in
(``_generation``) is dropped.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from fieldcheck.core.changes import Done
from fieldcheck.core.sync_run import run_sync
from fieldcheck.core.sync_run import sign_in as sign_in_with_password
from fieldcheck.core.sync_run import sign_out as forget_sign_in
from fieldcheck.core.sync_status import SyncSnapshot, read_snapshot
from fieldcheck.sync.errors import SyncError, SyncErrorKind
from fieldcheck.sync.http import HttpConfig
from fieldcheck.sync.progress import CancelFlag, Phase, Progress
from fieldcheck.sync.report import SyncReport
from fieldcheck.ui.context import AppContext
from fieldcheck.ui.signal_emit import emit

#: Sync every 5 minutes while signed in; after failures wait up to 15 minutes.
INTERVAL_MS = 5 * 60_000
BACKOFF_BASE_MS = 30_000
BACKOFF_CAP_MS = 15 * 60_000
#: After the network comes back, wait a moment for it to settle.
NETWORK_DELAY_MS = 3_000
#: Byte progress is forwarded at most this often (the phase changes always are).
PROGRESS_EVERY_S = 0.1
#: Failures that say "this server is not there for us now" (the window shows Offline).
OFFLINE_KINDS = frozenset(
    {SyncErrorKind.UNREACHABLE, SyncErrorKind.NOT_JSON, SyncErrorKind.CANCELLED}
)
#: Failures after which the timer stops until the inspector acts.
STOPPING_KINDS = frozenset({SyncErrorKind.AUTH, SyncErrorKind.HISTORY})


@dataclass(frozen=True)
class _Finished:
    generation: int
    kind: str  # "sign_in" or "sync"
    run: Done[SyncReport] | None = None
    error: SyncError | None = None


class SyncController(QObject):
    """Runs sign-ins and syncs one at a time off the GUI thread.

    Signals: ``snapshot_loaded(SyncSnapshot)``, ``sync_started()``, ``progress_made(Progress)``,
    ``sync_finished(SyncReport)``, ``signed_in()``, ``sign_in_failed(SyncError)``,
    ``signed_out()``, ``online_changed(bool)``.
    """

    snapshot_loaded = Signal(object)
    sync_started = Signal()
    progress_made = Signal(object)
    sync_finished = Signal(object)
    signed_in = Signal()
    sign_in_failed = Signal(object)
    signed_out = Signal()
    online_changed = Signal(bool)
    _worker_done = Signal(object)
    _worker_progress = Signal(object, int)

    def __init__(
        self,
        context: AppContext,
        parent: QObject | None = None,
        *,
        http_config: HttpConfig | None = None,
        interval_ms: int = INTERVAL_MS,
    ):
        super().__init__(parent)
        self.context = context
        self.http_config = http_config
        self.interval_ms = interval_ms
        self.snapshot = SyncSnapshot()
        self.online = False
        self._jobs = 0  # sign-ins and syncs submitted and not yet delivered
        self.failures = 0
        self.network_watched = False
        self.last_error: SyncError | None = None
        self._generation = 0
        self._cancel = CancelFlag()
        self._closed = False
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fieldcheck-sync")
        self._worker_done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)
        self._worker_progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.sync_now)
        self._watch_network()

    @property
    def running(self) -> bool:
        """A sign-in or a sync is under way (or queued behind a cancelled one)."""
        return self._jobs > 0

    # -- what the window asks ------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the counts, the last sync and whether a token is stored."""
        paths = self.context.paths
        self.context.ops.read(lambda s: read_snapshot(s, paths)).on_success(
            self._show_snapshot
        ).run()

    def sign_in(self, server_url: str, username: str, password: str) -> None:
        """Get a token with ``password`` (used once, never stored); ``signed_in`` or
        ``sign_in_failed`` tells how it went, and a sync follows a successful sign-in."""
        if self.running:
            self._cancel.cancel()
        self._generation += 1
        server_url = server_url.strip().rstrip("/")
        username = username.strip()
        store, config = self.context.store, self.http_config

        def job(_cancel: CancelFlag, _progress: Callable[[Progress], None]) -> None:
            sign_in_with_password(store, server_url, username, password, config=config)

        self._submit("sign_in", job)

    def sign_out(self) -> None:
        """Forget the token (local data stays as it is) and stop syncing."""
        self._generation += 1
        self._cancel.cancel()
        self.timer.stop()
        snapshot = self.snapshot
        if snapshot.server_url and snapshot.username:
            forget_sign_in(self.context.paths, snapshot.server_url, snapshot.username)
        self._set_online(False)
        emit(self.signed_out)
        self.refresh()

    def sync_now(self) -> None:
        """Start a sync unless one runs or nobody is signed in."""
        if self.running or self._closed or not self.snapshot.signed_in:
            return
        self.timer.stop()
        url, user = self.snapshot.server_url, self.snapshot.username
        store, config = self.context.store, self.http_config

        def job(cancel: CancelFlag, progress: Callable[[Progress], None]) -> Done[SyncReport]:
            return run_sync(store, url, user, config=config, cancel=cancel, on_progress=progress)

        self._submit("sync", job)
        emit(self.sync_started)

    def cancel(self) -> None:
        self._cancel.cancel()

    def shutdown(self) -> None:
        """Cancel a running sync and wait for the worker (the engine stops at its next
        check); nothing is delivered afterwards."""
        self._closed = True
        self.timer.stop()
        self._cancel.cancel()
        self._worker.shutdown(wait=True, cancel_futures=True)

    # -- the worker ----------------------------------------------------------------------------
    def _submit(self, kind: str, job: Callable[..., Any]) -> None:
        self._jobs += 1
        self._cancel = cancel = CancelFlag()
        generation = self._generation
        last_at, last_phase = 0.0, ""

        def progress(step: Progress) -> None:
            nonlocal last_at, last_phase
            now = time.monotonic()
            if step.phase == last_phase and now - last_at < PROGRESS_EVERY_S:
                return
            last_at, last_phase = now, step.phase
            emit(self._worker_progress, step, generation)

        def run() -> None:
            try:
                result = job(cancel, progress)
            except SyncError as error:
                emit(self._worker_done, _Finished(generation, kind, error=error))
                return
            except Exception as error:  # a bug: the crash dialog shows it
                self.context.ops.failed_unhandled.emit(error)
                failed = SyncError(SyncErrorKind.PROTOCOL, str(error), code="unexpected")
                emit(self._worker_done, _Finished(generation, kind, error=failed))
                return
            emit(self._worker_done, _Finished(generation, kind, run=result))

        self._worker.submit(run)

    @Slot(object, int)
    def _on_progress(self, step: Progress, generation: int) -> None:
        if generation == self._generation and not self._closed and step.phase != Phase.SIGN_IN:
            emit(self.progress_made, step)

    @Slot(object)
    def _on_done(self, done: _Finished) -> None:
        self._jobs -= 1
        if self._closed or done.generation != self._generation:
            self.refresh()
            return
        if done.kind == "sign_in":
            self._signed_in_done(done.error)
        else:
            self._sync_done(done.run, done.error)
        self.refresh()

    def _signed_in_done(self, error: SyncError | None) -> None:
        if error is not None:
            self.last_error = error
            self._set_online(error.kind not in OFFLINE_KINDS)
            emit(self.sign_in_failed, error)
            return
        self.failures = 0
        self.last_error = None
        self._set_online(True)
        emit(self.signed_in)
        paths = self.context.paths
        self.context.ops.read(lambda s: read_snapshot(s, paths)).on_success(
            self._sync_after_sign_in
        ).run()

    def _sync_after_sign_in(self, snapshot: SyncSnapshot) -> None:
        self._show_snapshot(snapshot)
        self.sync_now()

    def _sync_done(self, run: Done[SyncReport] | None, crash: SyncError | None) -> None:
        if run is None:  # the engine itself failed (a bug, already reported)
            self.last_error = crash
            self._schedule_retry()
            return
        report = run.value
        error = report.error
        cancelled = error is not None and error.kind is SyncErrorKind.CANCELLED
        self.last_error = None if cancelled else error
        if error is None:
            self.failures = 0
            self._set_online(True)
            self.timer.start(self.interval_ms)
        else:
            self._set_online(error.kind not in OFFLINE_KINDS)
            if error.kind in STOPPING_KINDS:
                self.timer.stop()
            elif error.kind is not SyncErrorKind.CANCELLED:
                self._schedule_retry()
            else:
                self.timer.start(self.interval_ms)
        self.context.ops.broadcast(run.changes)
        emit(self.sync_finished, report)

    def _schedule_retry(self) -> None:
        """Exponential backoff with full jitter, at least the base delay."""
        self.failures += 1
        ceiling = min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (self.failures - 1))
        self.timer.start(int(random.uniform(BACKOFF_BASE_MS, max(BACKOFF_BASE_MS, ceiling))))

    def _show_snapshot(self, snapshot: SyncSnapshot) -> None:
        if self._closed:
            return
        was_signed_in = self.snapshot.signed_in
        self.snapshot = snapshot
        if snapshot.signed_in and not was_signed_in and not self.timer.isActive():
            self.timer.start(NETWORK_DELAY_MS)  # signed in from an earlier session
        emit(self.snapshot_loaded, snapshot)

    def _set_online(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            emit(self.online_changed, online)

    # -- network changes -----------------------------------------------------------------------
    def _watch_network(self) -> None:
        """Sync soon when the network comes back (QNetworkInformation); without a backend
        the timer alone drives background syncs."""
        try:
            from PySide6.QtNetwork import QNetworkInformation
        except ImportError:
            return
        feature = QNetworkInformation.Feature.Reachability
        if QNetworkInformation.instance() is None and not QNetworkInformation.loadBackendByFeatures(
            feature
        ):
            return
        info = QNetworkInformation.instance()
        if info is None or not info.supports(feature):
            return
        self.network_watched = True
        info.reachabilityChanged.connect(self._on_reachability)

    @Slot(object)
    def _on_reachability(self, reachability: Any) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        if reachability == QNetworkInformation.Reachability.Disconnected:
            self._set_online(False)
        elif self.snapshot.signed_in and not self.running and not self._closed:
            self.timer.start(NETWORK_DELAY_MS)
