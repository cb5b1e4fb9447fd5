"""One sync, start to end (SYNC-RESEARCH §6.9.3):

status (one request; when nothing waits and every scope cursor equals the server's
``max_seq`` the sync stops there) → blob phase → push phase → pull phase (and downloads of
pulled photos' blobs) → the server's signed checkpoint, checked and stored.

The engine runs on the caller's thread (the GUI runs it on a worker), reports progress by
callback, stops at the next check when its :class:`CancelFlag` is set, and returns a
:class:`SyncReport`; it never raises for an expected failure. Nothing is marked synced
unless the server confirmed it.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from typing import Any

import requests

from fieldcheck.domain.ids import new_id
from fieldcheck.faults import crash_point
from fieldcheck.photos.blobs import BlobStore
from fieldcheck.protocol.auth import LoginRequest, TokenResponse
from fieldcheck.protocol.changes import ChangesPage, RecordHistory
from fieldcheck.protocol.ledger import KeysResponse
from fieldcheck.protocol.ops import (
    MAX_OPS_PER_PUSH,
    Op,
    OpResult,
    OpStatus,
    PushRequest,
    PushResponse,
)
from fieldcheck.protocol.status import Checkpoint, SyncStatus
from fieldcheck.store.database import Store
from fieldcheck.store.syncbook import blobs as blob_book
from fieldcheck.store.syncbook import conflicts, cursors, meta, outbox_sync
from fieldcheck.store.syncbook.attention import pending_counts
from fieldcheck.store.syncbook.restores import pending_restores, restore_noted
from fieldcheck.store.syncbook.states import BlobState, RestoreNote
from fieldcheck.sync import blobs as blob_phase
from fieldcheck.sync import checkpoint as witness
from fieldcheck.sync import pull as pull_phase
from fieldcheck.sync import push as push_phase
from fieldcheck.sync.errors import SyncError, SyncErrorKind
from fieldcheck.sync.http import HttpConfig, SyncHttp, error_from, parse, timed
from fieldcheck.sync.progress import CancelFlag, Phase, Progress, ProgressCallback
from fieldcheck.sync.report import SyncOutcome, SyncReport
from fieldcheck.sync.uploads import BlobProgress, UploadOutcome, UploadPool

log = logging.getLogger(__name__)

#: Changes per pull page: the largest page the server gives (``sync_server.sync.reads.MAX_PAGE``).
PAGE_SIZE = 1000
MAX_PUSH_ROUNDS = 1000
#: How often verified uploads are written down during the blob phase (seconds).
VERIFIED_FLUSH_S = 2.0


def _changes(http: SyncHttp, scope_id: str, since: int) -> ChangesPage:
    """One page of the scope's changes after ``since``."""
    return http.call(
        "GET",
        "/v1/sync/changes",
        ChangesPage,
        idempotent=True,
        params={"scope": scope_id, "since": since, "limit": PAGE_SIZE},
    )


@dataclass(frozen=True)
class BlobWork:
    """The blobs the server has not confirmed: ``local`` ones ((sha256, size) of files on
    this laptop) to offer, ``remote`` ones (pulled photos whose file has not arrived) to
    download."""

    local: tuple[tuple[str, int], ...]
    remote: tuple[str, ...]

    @property
    def total(self) -> int:
        return sum(size for _, size in self.local)


class VerifiedBatch:
    """Blobs the server verified during the upload, written down by ``write`` every
    ``VERIFIED_FLUSH_S`` seconds and at the end rather than one transaction each."""

    def __init__(self, write: Callable[[set[str]], None]) -> None:
        self._write = write
        self._shas: set[str] = set()
        self._flushed = time.monotonic()

    def add(self, sha256: str) -> None:
        self._shas.add(sha256)

    def flush_if_due(self) -> None:
        if time.monotonic() - self._flushed > VERIFIED_FLUSH_S:
            self.flush()

    def flush(self) -> None:
        self._write(self._shas)
        self._shas, self._flushed = set(), time.monotonic()


class SyncEngine:
    """Syncs one laptop store with one server; make a new engine (or call :meth:`run`
    again) for every sync."""

    def __init__(
        self,
        store: Store,
        server_url: str,
        *,
        token: str | None = None,
        config: HttpConfig | None = None,
        cancel: CancelFlag | None = None,
        on_progress: ProgressCallback | None = None,
        session: requests.Session | None = None,
        parallel_uploads: int = 1,
    ) -> None:
        self.store = store
        self.parallel_uploads = parallel_uploads
        self.server_url = server_url.rstrip("/")
        self.cancel = cancel or CancelFlag()
        self.on_progress: Callable[[Progress], None] = on_progress or (lambda _p: None)
        with store.write() as db:
            self.device_id = meta.device_id(db)
        self.http = SyncHttp(
            self.server_url,
            self.device_id,
            token=token,
            config=config,
            cancel=self.cancel,
            session=session,
        )
        self.blob_store = BlobStore(store.paths.blobs)
        #: server time minus laptop time, measured by the status call; sent with every push
        self.clock_offset_s: float | None = None

    def close(self) -> None:
        self.http.close()

    # -- sign-in ------------------------------------------------------------------------------
    def sign_in(self, username: str, password: str) -> TokenResponse:
        """Log in for this device; the token is used from now on (the caller stores it)."""
        self.on_progress(Progress(Phase.SIGN_IN))
        if not username or not password:
            raise SyncError(SyncErrorKind.AUTH, "give a user name and a password", code="empty")
        body = LoginRequest(
            username=username[:64],
            password=password[:256],
            device_id=self.device_id,
            device_label=socket.gethostname()[:128],
        )
        answer = self.http.call(
            "POST", "/v1/auth/login", TokenResponse, idempotent=False, json=body.model_dump()
        )
        self.http.set_token(answer.token)
        with self.store.write() as db:
            meta.remember_sign_in(db, self.server_url, answer.user.username)
        log.info("signed in to %s as %s", self.server_url, answer.user.username)
        return answer

    # -- one sync -----------------------------------------------------------------------------
    def run(self) -> SyncReport:
        """Run one full sync; failures end up in ``report.error``, never raised."""
        report = SyncReport()
        started = self.http.requests_made
        log.info("sync with %s started", self.server_url)
        try:
            self._run(report)
        except SyncError as exc:
            report.outcome = (
                SyncOutcome.HISTORY_CHANGED
                if exc.kind is SyncErrorKind.HISTORY
                else SyncOutcome.FAILED
            )
            report.error = exc
            log.warning("sync with %s stopped (%s)", self.server_url, exc.kind.value, exc_info=exc)
        finally:
            report.requests = self.http.requests_made - started
            self._finish(report)
        log.info("sync with %s ended: %s", self.server_url, report.summary())
        return report

    def _run(self, report: SyncReport) -> None:
        status = self._status(report)
        with self.store.read() as db:
            reconciling = meta.reconcile_due(db)
            before = cursors.cursors(db)
        lost = [s for s, st in status.scopes.items() if before.get(s, 0) > st.max_seq]
        if lost and not reconciling:
            report.reconcile_reason = (
                f"the server has fewer changes for {', '.join(sorted(lost))} than this laptop "
                "already pulled: restored from an older backup?"
            )
            with self.store.write() as db:
                meta.start_reconcile(db)
            reconciling = True
        if reconciling:
            self._reconcile(report)
        with self.store.read() as db:
            pushable = push_phase.pushable_count(db)
            flagged = blob_book.flagged_blobs(db)
            unverified = [b for b in blob_book.unverified_blobs(db) if b[0] not in flagged]
            pulled = cursors.cursors(db)
            restores = pending_restores(db)
        behind = [s for s, st in status.scopes.items() if pulled.get(s, 0) != st.max_seq]
        if not (pushable or unverified or behind or reconciling or restores):
            self._remember(status, status.checkpoint)
            report.outcome = SyncOutcome.NOOP
            return
        uploaded = self._blobs(report)
        if reconciling:
            self._reconcile_records(report)
            with self.store.write() as db:
                cursors.reset_cursors(db)
            pulled = {}
        pushed = self._push(report)
        self._restore(report, restores)
        self._pull(report, status, pulled, everything=pushed > 0 or reconciling)
        latest = status.checkpoint
        if pushed or uploaded or reconciling:
            latest = self._latest_checkpoint(status.checkpoint)
        self._remember(status, latest)
        report.outcome = SyncOutcome.SYNCED

    # -- status and the witnessed checkpoint --------------------------------------------------
    def _witness(self) -> witness.Witness:
        with self.store.read() as db:
            seen = meta.witnessed(db)
        checkpoint = Checkpoint.model_validate(seen.checkpoint) if seen.checkpoint else None
        return witness.Witness(seen.epoch, checkpoint, seen.public_key_b64)

    def _status(self, report: SyncReport) -> SyncStatus:
        self.on_progress(Progress(Phase.STATUS))
        seen = self._witness()
        status, before, after = timed(
            lambda: self.http.call(
                "GET",
                "/v1/sync/status",
                SyncStatus,
                idempotent=True,
                headers=witness.ledger_seen_header(seen.checkpoint),
            )
        )
        # server time minus the local time halfway through the request (NTP's estimate)
        report.clock_offset_s = status.server_time.timestamp() - (before + after) / 2
        self.clock_offset_s = report.clock_offset_s
        problem = witness.history_problem(seen, status)
        signature = None
        if status.checkpoint is not None:
            key = seen.public_key_b64 or self._first_key()
            signature = witness.signature_problem(status.checkpoint, key)
        # A restore from an older backup, signed by the key this laptop trusts: the laptop
        # holds what the server lost, so it reconciles on its own (decision 0041).
        restored = problem is not None and signature is None and witness.regressed(seen, status)
        problem = None if restored else problem or signature
        with self.store.write() as db:
            meta.note_status(db, report.clock_offset_s, problem or "")
            if restored:
                report.reconcile_reason = witness.history_problem(seen, status) or ""
                meta.start_reconcile(db)
        if restored:
            log.warning("the server was restored from an older backup: %s", report.reconcile_reason)
        if problem:
            raise SyncError(SyncErrorKind.HISTORY, problem)
        return status

    def _first_key(self) -> str:
        """The server's public key, trusted on first use and remembered."""
        keys = self.http.call("GET", "/v1/keys", KeysResponse, idempotent=True)
        if not keys.keys:
            raise SyncError(SyncErrorKind.PROTOCOL, "the server publishes no signing key")
        key = keys.keys[0].public_b64
        with self.store.write() as db:
            meta.trust_key(db, key)
        log.info("trusting the signing key %s of %s", witness.key_id(key), self.server_url)
        return key

    def _latest_checkpoint(self, before: Checkpoint | None) -> Checkpoint | None:
        self.on_progress(Progress(Phase.CHECKPOINT))
        response = self.http.request("GET", "/v1/ledger/checkpoint", idempotent=True)
        if response.status_code == 404:
            return before
        if response.status_code != 200:
            raise error_from(response)
        latest = parse(response, Checkpoint)
        key = self._witness().public_key_b64
        problem = witness.signature_problem(latest, key) if key else None
        if problem is None and before is not None and latest.size < before.size:
            problem = "the server's ledger went backwards during the sync"
        if problem:
            raise SyncError(SyncErrorKind.HISTORY, problem)
        return latest

    def _remember(self, status: SyncStatus, checkpoint: Checkpoint | None) -> None:
        seen = checkpoint.model_dump(mode="json") if checkpoint is not None else None
        with self.store.write() as db:
            meta.remember_server(db, self.server_url, status.server_epoch, seen)

    # -- reconcile (SYNC-RESEARCH §6.8, decision 0041) ----------------------------------------
    def _reconcile(self, report: SyncReport) -> None:
        """Before the usual phases: ask the server about ALL local blobs, so the blob phase
        uploads every one it lacks; plan ops sent before the restore afresh."""
        report.reconciled = True
        report.reconcile_reason = report.reconcile_reason or "its new history was accepted"
        with self.store.write() as db:
            outbox_sync.unfreeze_inflight(db)
            shas = blob_book.recorded_blobs(db)
        local = {
            sha: size for sha, size in shas if self.blob_store.path_for(sha).is_file()
        }  # fmt: skip
        if not local:
            return
        answer = blob_phase.check(self.http, sorted(local.items()))
        lacking = set(answer.missing) | {p.sha256 for p in answer.partial}
        self._mark_blobs(lacking, BlobState.UPLOADING)
        self._mark_blobs(set(answer.present), BlobState.VERIFIED)

    def _reconcile_records(self, report: SyncReport) -> None:
        """Re-push every record the server once confirmed, as ``reconcile`` ops; deferred
        ones (a parent or blob not there yet) go again while others make progress."""
        with self.store.read() as db:
            ops = push_phase.reconcile_ops(db)
        while ops:
            self.cancel.check()
            self.on_progress(Progress(Phase.PUSH, 0, len(ops)))
            deferred: list[Op] = []
            progressed = False
            for start in range(0, len(ops), MAX_OPS_PER_PUSH):
                batch = ops[start : start + MAX_OPS_PER_PUSH]
                results = self._send_ops(batch)
                with self.store.write() as db:
                    applied = outbox_sync.apply_reconcile_results(db, batch, results)
                self._fetch_conflicts(applied.conflicts)
                report.records_restored += applied.pushed
                report.new_conflicts += len(applied.conflicts)
                report.new_rejected += applied.rejected
                deferred += [
                    o for o, r in zip(batch, results, strict=True) if r.status is OpStatus.DEFERRED
                ]
                progressed = progressed or len(deferred) < start + len(batch)
            if not progressed:
                report.deferred += len(deferred)
                break
            ops = [o.model_copy(update={"op_id": new_id()}) for o in deferred]

    # -- blobs ------------------------------------------------------------------------------
    def _blobs(self, report: SyncReport) -> int:
        """Download pulled photos' missing blobs, then upload the local ones the server
        lacks; the number of blobs the server holds now that it did not before the check."""
        work = self._blob_work()
        self._download(report, list(work.remote))
        if not work.local:
            return 0
        self.on_progress(Progress(Phase.BLOBS, 0, len(work.local), 0, work.total))
        present = self._already_there(report, work.local)
        todo = [(sha, size) for sha, size in work.local if sha not in present]
        progress = BlobProgress(
            len(work.local),
            work.total,
            done=len(present),
            done_bytes=sum(size for sha, size in work.local if sha in present),
            report=lambda done, sent, sha: self.on_progress(
                Progress(Phase.BLOBS, done, len(work.local), sent, work.total, current_photo=sha)
            ),
        )
        uploaded = self._upload(report, todo, progress)
        report.photos_uploaded += uploaded
        return uploaded + len(present)

    def _blob_work(self) -> BlobWork:
        with self.store.read() as db:
            wanted = blob_book.unverified_blobs(db)
        local, remote = [], []
        for sha, size in wanted:
            path = self.blob_store.path_for(sha)
            if path.is_file():
                local.append((sha, path.stat().st_size or size))
            else:
                remote.append(sha)  # a pulled photo whose blob has not arrived yet
        return BlobWork(tuple(local), tuple(remote))

    def _already_there(self, report: SyncReport, local: tuple[tuple[str, int], ...]) -> set[str]:
        """Ask the server which blobs it has already; those are verified without an upload."""
        answer = blob_phase.check(self.http, list(local))
        present = set(answer.present)
        if present:
            self._mark_blobs(present, BlobState.VERIFIED)
            report.photos_skipped += len(present)
        return present

    def _upload(
        self, report: SyncReport, todo: list[tuple[str, int]], progress: BlobProgress
    ) -> int:
        """Upload ``todo`` on ``parallel_uploads`` connections; the number of blobs sent.
        Verified blobs are written down in batches: one verified but not yet marked is found
        "present" by the next sync's check, so a crash in between loses nothing."""
        with self.store.read() as db:
            remembered = meta.chunk_size(db)
        pool = UploadPool(
            self.http,
            self.blob_store,
            progress,
            lanes=self.parallel_uploads,
            chunk_size=remembered,
        )
        verified = VerifiedBatch(lambda shas: self._mark_blobs(shas, BlobState.VERIFIED))
        uploaded = 0
        failure: SyncError | None = None
        with pool:
            try:
                with closing(pool.run(todo)) as outcomes:  # uploads end before the finally
                    for outcome in outcomes:
                        uploaded += self._tally_upload(report, outcome, verified)
                        failure = failure or outcome.failure
                        verified.flush_if_due()
            finally:
                verified.flush()
                with self.store.write() as db:
                    meta.remember_chunk_size(db, pool.chunk_size)
        if failure is not None:
            raise failure
        return uploaded

    def _tally_upload(
        self, report: SyncReport, outcome: UploadOutcome, verified: VerifiedBatch
    ) -> int:
        """Count one upload's outcome and note its blob's state; 1 when it was sent."""
        report.bytes_sent += outcome.tally.sent
        report.bytes_resent += outcome.tally.resent
        report.chunk_sizes += outcome.tally.sizes
        if outcome.integrity is not None:
            alert = str(outcome.integrity)
            log.warning("integrity alert: %s; the photo was not uploaded", alert)
            report.integrity_alerts.append(alert)
            self._mark_blobs({outcome.sha256}, BlobState.INTEGRITY, error=alert)
        elif outcome.failure is not None:
            self._mark_blobs({outcome.sha256}, BlobState.UPLOADING)
        elif outcome.verified:
            verified.add(outcome.sha256)
            if outcome.tally.sent:
                return 1
            report.photos_skipped += 1  # another laptop finished it since the check
        return 0

    def _mark_blobs(self, shas: set[str], state: BlobState, *, error: str = "") -> None:
        if not shas:
            return
        with self.store.write() as db:
            blob_book.mark(db, shas, state, error=error)

    # -- push ---------------------------------------------------------------------------------
    def _push(self, report: SyncReport) -> int:
        pushed = 0
        for _round in range(MAX_PUSH_ROUNDS):
            self.cancel.check()
            with self.store.write() as db:
                plan = push_phase.plan_ops(db)
                if plan.ops:
                    outbox_sync.mark_sent(db, plan.ops)
            report.held, report.waiting = plan.held, plan.waiting
            if not plan.ops:
                break
            self.on_progress(Progress(Phase.PUSH, pushed, pushed + len(plan.ops)))
            results = self._send_ops([p.op for p in plan.ops])
            crash_point("push_answered")  # F19: the server answered, nothing stored yet
            with self.store.write() as db:
                applied = outbox_sync.apply_results(db, plan.ops, results)
            self._fetch_conflicts(applied.conflicts)
            pushed += applied.pushed
            report.records_pushed += applied.pushed
            report.new_conflicts += len(applied.conflicts)
            report.new_rejected += applied.rejected
            report.deferred = applied.deferred
            if applied.pushed + len(applied.conflicts) + applied.rejected == 0:
                break  # only deferred ops left: they go again next sync
        return pushed

    def _send_ops(self, ops: list[Op]) -> list[OpResult]:
        """POST one batch; the results, in the order of ``ops``."""
        body = PushRequest(device_id=self.device_id, ops=ops, clock_offset_s=self.clock_offset_s)
        # The same op ids make a repeat harmless: the server replays stored results.
        answer = self.http.call(
            "POST",
            "/v1/sync/push",
            PushResponse,
            idempotent=True,
            json=body.model_dump(mode="json"),
        )
        if [r.op_id for r in answer.results] != [o.op_id for o in ops]:
            raise SyncError(
                SyncErrorKind.PROTOCOL,
                "the server's push results do not match the ops sent; they stay in flight "
                "and are sent again next time",
            )
        return answer.results

    def _fetch_conflicts(self, found: tuple[tuple[OpResult, Op], ...]) -> None:
        """Put new hard conflicts in the inbox with the server's head and history."""
        for result, op in found:
            log.info("conflict on %s %s (op %s)", op.entity.value, op.id, op.op_id)
            theirs, history = self._history(op.entity.value, op.id)
            with self.store.write() as db:
                conflicts.open_conflict(db, op, result, theirs, history)

    def _history(self, entity: str, record_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The server head's data and all versions of a record, for the conflict view."""
        history = self.http.call(
            "GET", f"/v1/records/{entity}/{record_id}/versions", RecordHistory, idempotent=True
        )
        versions = [v.model_dump(mode="json") for v in history.versions]
        head = next((v.data for v in history.versions if v.is_head), {})
        return dict(head), versions

    def _restore(self, report: SyncReport, restores: list[tuple[str, str, str]]) -> None:
        """Put the server's version back on records whose rejected change was given up."""
        for op_id, entity, record_id in restores:
            self.cancel.check()
            try:
                history = self.http.call(
                    "GET",
                    f"/v1/records/{entity}/{record_id}/versions",
                    RecordHistory,
                    idempotent=True,
                )
            except SyncError as error:
                if error.status not in (403, 404):
                    raise
                log.warning(
                    "%s %s is out of reach on the server (%s); the local copy stays",
                    entity,
                    record_id,
                    error.status,
                    exc_info=error,
                )
                with self.store.write() as db:  # out of reach now: the local copy stays
                    restore_noted(db, op_id, RestoreNote.KEPT)
                continue
            head = next((v for v in history.versions if v.is_head), None)
            with self.store.write() as db:
                if head is None:
                    restore_noted(db, op_id, RestoreNote.KEPT)
                elif pull_phase.restore_server_version(
                    db, op_id, entity, record_id, head.rev, dict(head.data)
                ):
                    record = [(entity, record_id, dict(head.data))]
                    report.compounds_pulled |= pull_phase.compounds_of(db, record)

    # -- pull ---------------------------------------------------------------------------------
    def _pull(
        self, report: SyncReport, status: SyncStatus, cursors: dict[str, int], everything: bool
    ) -> None:
        """Page through each scope that moved. The next page is fetched on a helper thread
        (its own connection) while the current one is applied, so the server's work and the
        laptop's overlap; each page is still applied with its cursor in one transaction, in
        order, and a cancel or failure stops before the next page is applied."""
        needed: list[str] = []
        fetcher = self.http.fork()
        ahead = ThreadPoolExecutor(1, thread_name_prefix="fieldcheck-pull")
        try:
            for scope_id, scope in status.scopes.items():
                cursor = cursors.get(scope_id, 0)
                if cursor > scope.max_seq:
                    raise SyncError(
                        SyncErrorKind.HISTORY,
                        f"the server has fewer changes for {scope.name} than this laptop "
                        "already pulled: restored from an older backup? nothing local was "
                        "changed",
                    )
                if cursor == scope.max_seq and not everything:
                    continue
                self.cancel.check()
                self.on_progress(Progress(Phase.PULL, report.records_pulled, 0))
                page = _changes(fetcher, scope_id, cursor)
                while True:
                    following = (
                        ahead.submit(_changes, fetcher, scope_id, page.last_seq)
                        if page.has_more
                        else None
                    )
                    self.cancel.check()
                    with self.store.write() as db:
                        applied = pull_phase.apply_page(db, scope_id, page.changes, page.last_seq)
                    report.records_pulled += applied.applied
                    report.compounds_pulled |= applied.compounds
                    needed += applied.blobs_needed
                    if following is None:
                        break
                    self.on_progress(Progress(Phase.PULL, report.records_pulled, 0))
                    page = following.result()
        finally:
            ahead.shutdown(wait=True, cancel_futures=True)  # the fetcher is free again
            self.http.absorb(fetcher)
        self._download(report, needed)

    def _download(self, report: SyncReport, shas: list[str]) -> None:
        for index, sha in enumerate(dict.fromkeys(shas)):
            self.cancel.check()
            self.on_progress(Progress(Phase.DOWNLOAD, index, len(shas), current_photo=sha))
            if blob_phase.download(self.http, self.blob_store, sha):
                self._mark_blobs({sha}, BlobState.VERIFIED)
                report.photos_downloaded += 1
            else:
                log.warning("the server has no blob %s for a pulled photo", sha)
                self._mark_blobs({sha}, BlobState.MISSING, error="the server has no such blob")

    def fetch_blob(self, sha256: str) -> bool:
        """Download one blob by hash into the local store (verified); False if unknown."""
        found = blob_phase.download(self.http, self.blob_store, sha256)
        if found:
            self._mark_blobs({sha256}, BlobState.VERIFIED)
        return found

    # -- the end -----------------------------------------------------------------------------
    def _finish(self, report: SyncReport) -> None:
        error = f"{report.error.kind.value}: {report.error.message}" if report.error else ""
        try:
            with self.store.write() as db:
                meta.note_attempt(db, error)
                counts = pending_counts(db)
        except Exception:  # the report must still come back
            log.exception("the end of the sync with %s could not be written down", self.server_url)
            return
        report.conflicts, report.rejected = counts.conflicts, counts.rejected
        self.on_progress(Progress(Phase.DONE))
