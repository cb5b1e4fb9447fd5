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

import datetime as dt
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, fields
from typing import Any

import requests
from sqlmodel import col, select

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
from fieldcheck.store.sync_state import (
    RECONCILE_EPOCH,
    RESTORE_KEPT,
    meta,
    pending_counts,
    pending_restores,
    reset_cursors,
    restore_noted,
    start_reconcile,
    unverified_blobs,
)
from fieldcheck.store.sync_tables import BlobSyncRow
from fieldcheck.store.tables import PhotoRow
from fieldcheck.sync import blobs as blob_phase
from fieldcheck.sync import checkpoint as witness
from fieldcheck.sync import pull as pull_phase
from fieldcheck.sync import push as push_phase
from fieldcheck.sync.errors import SyncError, SyncErrorKind
from fieldcheck.sync.http import HttpConfig, SyncHttp, error_from, parse, timed
from fieldcheck.sync.progress import CancelFlag, Phase, Progress, ProgressCallback

#: Changes per pull page: the largest page the server gives (``sync_server.sync.reads.MAX_PAGE``).
PAGE_SIZE = 1000
MAX_PUSH_ROUNDS = 1000
#: How often verified uploads are written down during the blob phase (seconds).
VERIFIED_FLUSH_S = 2.0


@dataclass
class SyncReport:
    """The outcome of one sync. ``outcome`` is ``noop``, ``synced``, ``failed`` or
    ``history_changed``; ``conflicts`` and ``rejected`` count what waits for the inspector
    after this sync (``new_*`` what this sync added). ``reconciled`` is set when this sync
    re-sent the laptop's blobs and records to a restored server (``reconcile_reason`` says
    what gave the restore away; ``records_restored`` counts versions the server had lost)."""

    outcome: str = "failed"
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
        data["integrity_alerts"] = list(self.integrity_alerts)
        data["error"] = (
            {"kind": self.error.kind.value, "code": self.error.code, "message": self.error.message}
            if self.error
            else None
        )
        return data


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _changes(http: SyncHttp, scope_id: str, since: int) -> ChangesPage:
    """One page of the scope's changes after ``since``."""
    return http.call(
        "GET",
        "/v1/sync/changes",
        ChangesPage,
        idempotent=True,
        params={"scope": scope_id, "since": since, "limit": PAGE_SIZE},
    )


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
            self.device_id = meta(db).device_id
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
            row = meta(db)
            row.server_url, row.username = self.server_url, answer.user.username
            db.add(row)
        return answer

    # -- one sync -----------------------------------------------------------------------------
    def run(self) -> SyncReport:
        """Run one full sync; failures end up in ``report.error``, never raised."""
        report = SyncReport()
        started = self.http.requests_made
        try:
            self._run(report)
        except SyncError as exc:
            report.outcome = "history_changed" if exc.kind is SyncErrorKind.HISTORY else "failed"
            report.error = exc
        finally:
            report.requests = self.http.requests_made - started
            self._finish(report)
        return report

    def _run(self, report: SyncReport) -> None:
        status = self._status(report)
        with self.store.read() as db:
            reconciling = meta(db).server_epoch == RECONCILE_EPOCH
            before = pull_phase.cursors(db)
        lost = [s for s, st in status.scopes.items() if before.get(s, 0) > st.max_seq]
        if lost and not reconciling:
            report.reconcile_reason = (
                f"the server has fewer changes for {', '.join(sorted(lost))} than this laptop "
                "already pulled: restored from an older backup?"
            )
            with self.store.write() as db:
                start_reconcile(db)
            reconciling = True
        if reconciling:
            self._reconcile(report)
        with self.store.read() as db:
            pushable = push_phase.pushable_count(db)
            flagged = set(
                db.exec(
                    select(BlobSyncRow.sha256).where(
                        col(BlobSyncRow.state).in_(["integrity", "missing"])
                    )
                ).all()
            )
            unverified = [b for b in unverified_blobs(db) if b[0] not in flagged]
            cursors = pull_phase.cursors(db)
            restores = pending_restores(db)
        behind = [s for s, st in status.scopes.items() if cursors.get(s, 0) != st.max_seq]
        if not (pushable or unverified or behind or reconciling or restores):
            self._remember(status, status.checkpoint)
            report.outcome = "noop"
            return
        uploaded = self._blobs(report)
        if reconciling:
            self._reconcile_records(report)
            with self.store.write() as db:
                reset_cursors(db)
            cursors = {}
        pushed = self._push(report)
        self._restore(report, restores)
        self._pull(report, status, cursors, everything=pushed > 0 or reconciling)
        latest = status.checkpoint
        if pushed or uploaded or reconciling:
            latest = self._latest_checkpoint(status.checkpoint)
        self._remember(status, latest)
        report.outcome = "synced"

    # -- status and the witnessed checkpoint --------------------------------------------------
    def _witness(self) -> witness.Witness:
        with self.store.read() as db:
            row = meta(db)
            seen = Checkpoint.model_validate(row.checkpoint) if row.checkpoint else None
            epoch = "" if row.server_epoch == RECONCILE_EPOCH else row.server_epoch
            return witness.Witness(epoch, seen, row.server_public_key)

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
            row = meta(db)
            row.clock_offset_s = report.clock_offset_s
            row.history_alert = problem or ""
            db.add(row)
            if restored:
                report.reconcile_reason = witness.history_problem(seen, status) or ""
                start_reconcile(db)
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
            row = meta(db)
            row.server_public_key = key
            db.add(row)
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
        with self.store.write() as db:
            row = meta(db)
            row.server_epoch = status.server_epoch
            if checkpoint is not None:
                row.checkpoint = checkpoint.model_dump(mode="json")
            row.server_url = self.server_url
            db.add(row)

    # -- reconcile (SYNC-RESEARCH §6.8, decision 0041) ----------------------------------------
    def _reconcile(self, report: SyncReport) -> None:
        """Before the usual phases: ask the server about ALL local blobs, so the blob phase
        uploads every one it lacks; plan ops sent before the restore afresh."""
        report.reconciled = True
        report.reconcile_reason = report.reconcile_reason or "its new history was accepted"
        with self.store.write() as db:
            push_phase.unfreeze_inflight(db)
            shas = db.exec(select(PhotoRow.sha256, PhotoRow.size_bytes)).all()
        local = {
            sha: size for sha, size in shas if self.blob_store.path_for(sha).is_file()
        }  # fmt: skip
        if not local:
            return
        answer = blob_phase.check(self.http, sorted(local.items()))
        lacking = set(answer.missing) | {p.sha256 for p in answer.partial}
        self._set_blobs(lacking, "uploading")
        self._set_blobs(set(answer.present), "verified")

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
                    applied = push_phase.apply_reconcile_results(db, batch, results)
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

    # -- blobs --------------------------------------------------------------------------------
    def _blobs(self, report: SyncReport) -> int:
        with self.store.read() as db:
            wanted = unverified_blobs(db)
        local, remote = [], []
        for sha, size in wanted:
            path = self.blob_store.path_for(sha)
            if path.is_file():
                local.append((sha, path.stat().st_size or size))
            else:
                remote.append(sha)  # a pulled photo whose blob has not arrived yet
        self._download(report, remote)
        if not local:
            return 0
        total = sum(size for _, size in local)
        self.on_progress(Progress(Phase.BLOBS, 0, len(local), 0, total))
        answer = blob_phase.check(self.http, local)
        present = set(answer.present)
        if present:
            self._set_blobs(present, "verified")
            report.photos_skipped += len(present)
        todo = [(sha, size) for sha, size in local if sha not in present]
        base = sum(size for sha, size in local if sha in present)
        offsets: dict[str, int] = {}
        finished = [0]
        lock = threading.Lock()

        def on_bytes(sha: str, offset: int, _size: int) -> None:
            with lock:
                offsets[sha] = offset
                sent = base + sum(offsets.values())
                done = len(present) + finished[0]
            self.on_progress(
                Progress(Phase.BLOBS, done, len(local), sent, total, current_photo=sha)
            )

        uploaded = 0
        verified: set[str] = set()
        flushed = time.monotonic()
        failure: SyncError | None = None
        forks = [self.http.fork() for _ in range(max(1, self.parallel_uploads))]
        # One uploader per connection: its chunk size carries over from blob to blob.
        with self.store.read() as db:
            remembered = meta(db).chunk_size  # the link's last known pace, else 512 KiB
        idle = [
            blob_phase.Uploader(
                f, self.blob_store, sizer=blob_phase.ChunkSizer.starting_at(remembered),
                on_bytes=on_bytes,
            )
            for f in forks
        ]  # fmt: skip
        uploaders = list(idle)
        stop = threading.Event()

        def upload(index: int, sha: str, size: int) -> tuple[str, blob_phase.UploadTally, object]:
            """Upload one blob on a free connection: (sha, tally, True when verified, else
            the IntegrityError or SyncError, or None when skipped after a failure)."""
            tally = blob_phase.UploadTally()
            if stop.is_set():
                return sha, tally, None
            with lock:
                uploader = idle.pop()
                for ahead in (index, index + len(forks)):  # this file and the next one's
                    if ahead < len(todo) and todo[ahead][0] not in prepared:
                        next_sha, next_size = todo[ahead]
                        prepared[next_sha] = hasher.submit(
                            blob_phase.prepare, self.blob_store, next_sha, next_size
                        )
            try:
                uploader.upload(sha, size, tally, rehashed=prepared[sha])
            except (blob_phase.IntegrityError, SyncError) as exc:
                if isinstance(exc, SyncError):
                    stop.set()
                return sha, tally, exc
            finally:
                with lock:
                    idle.append(uploader)
                    prepared[sha] = None  # type: ignore[assignment]  # free its bytes
            with lock:
                finished[0] += 1
            return sha, tally, True

        # Files are re-hashed (read whole when they fit in one chunk) in upload order on a
        # thread of their own, one file ahead of their uploads, so hashing overlaps the
        # network instead of adding to it (hashlib releases the GIL); each upload still
        # waits for its own file's hash, and sends the bytes that were hashed.
        hasher = ThreadPoolExecutor(1, thread_name_prefix="fieldcheck-rehash")
        prepared: dict[str, Future[blob_phase.Prepared] | None] = {}
        try:
            with ThreadPoolExecutor(len(forks), thread_name_prefix="fieldcheck-upload") as pool:
                jobs = [pool.submit(upload, i, sha, size) for i, (sha, size) in enumerate(todo)]
                for job in as_completed(jobs):
                    sha, tally, outcome = job.result()
                    report.bytes_sent += tally.sent
                    report.bytes_resent += tally.resent
                    report.chunk_sizes += tally.sizes
                    if isinstance(outcome, blob_phase.IntegrityError):
                        report.integrity_alerts.append(str(outcome))
                        self._set_blobs({sha}, "integrity", error=str(outcome))
                    elif isinstance(outcome, SyncError):
                        failure = failure or outcome
                        self._set_blobs({sha}, "uploading")
                    elif outcome is True:
                        verified.add(sha)
                        if tally.sent:
                            uploaded += 1
                        else:  # another laptop finished it since the check: nothing sent
                            report.photos_skipped += 1
                    if time.monotonic() - flushed > VERIFIED_FLUSH_S:
                        self._set_blobs(verified, "verified")
                        verified, flushed = set(), time.monotonic()
        finally:
            hasher.shutdown(wait=True, cancel_futures=True)
            # Written in batches: a verified blob not yet marked is found "present" by the
            # next sync's check, so a crash in between loses nothing.
            self._set_blobs(verified, "verified")
            self._remember_chunk_size(min(u.sizer.size for u in uploaders))
            for fork in forks:
                self.http.absorb(fork)
        if failure is not None:
            raise failure
        report.photos_uploaded += uploaded
        return uploaded + len(present)

    def _remember_chunk_size(self, size: int) -> None:
        with self.store.write() as db:
            row = meta(db)
            row.chunk_size = size
            db.add(row)

    def _set_blobs(
        self, shas: set[str], state: str, *, size: int = 0, offset: int = 0, error: str = ""
    ) -> None:
        if not shas:
            return
        with self.store.write() as db:
            for sha in shas:
                row = db.get(BlobSyncRow, sha) or BlobSyncRow(sha256=sha)
                row.state, row.last_error, row.updated_at = state, error, _now()
                row.size = size or row.size
                row.last_offset = offset or row.last_offset
                db.add(row)

    # -- push ---------------------------------------------------------------------------------
    def _push(self, report: SyncReport) -> int:
        pushed = 0
        for _round in range(MAX_PUSH_ROUNDS):
            self.cancel.check()
            with self.store.write() as db:
                plan = push_phase.plan_ops(db)
                if plan.ops:
                    push_phase.mark_sent(db, plan.ops)
            report.held, report.waiting = plan.held, plan.waiting
            if not plan.ops:
                break
            self.on_progress(Progress(Phase.PUSH, pushed, pushed + len(plan.ops)))
            results = self._send_ops([p.op for p in plan.ops])
            crash_point("push_answered")  # F19: the server answered, nothing stored yet
            with self.store.write() as db:
                applied = push_phase.apply_results(db, plan.ops, results)
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

    def _fetch_conflicts(self, conflicts: list[tuple[OpResult, Op]]) -> None:
        """Put new hard conflicts in the inbox with the server's head and history."""
        for result, op in conflicts:
            history = self._history(op.entity.value, op.id)
            with self.store.write() as db:
                push_phase.store_conflict(db, op, result, history[0], history[1])

    def _history(self, entity: str, record_id: str) -> tuple[dict[str, Any], list[dict]]:
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
                with self.store.write() as db:  # out of reach now: the local copy stays
                    restore_noted(db, op_id, RESTORE_KEPT)
                continue
            head = next((v for v in history.versions if v.is_head), None)
            with self.store.write() as db:
                if head is None:
                    restore_noted(db, op_id, RESTORE_KEPT)
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
                self._set_blobs({sha}, "verified")
                report.photos_downloaded += 1
            else:
                self._set_blobs({sha}, "missing", error="the server has no such blob")

    def fetch_blob(self, sha256: str) -> bool:
        """Download one blob by hash into the local store (verified); False if unknown."""
        found = blob_phase.download(self.http, self.blob_store, sha256)
        if found:
            self._set_blobs({sha256}, "verified")
        return found

    # -- bookkeeping --------------------------------------------------------------------------
    def _finish(self, report: SyncReport) -> None:
        try:
            with self.store.write() as db:
                row = meta(db)
                row.last_attempt_at = _now()
                if report.error is None:
                    row.last_sync_at = _now()
                    row.last_error = ""
                else:
                    row.last_error = f"{report.error.kind.value}: {report.error.message}"
                db.add(row)
                counts = pending_counts(db)
        except Exception:  # the report must still come back
            return
        report.conflicts, report.rejected = counts.conflicts, counts.rejected
        self.on_progress(Progress(Phase.DONE))
