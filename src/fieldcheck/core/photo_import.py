"""Importing photos: the pipeline (``fieldcheck.photos``) runs on a pool, the records
(``fieldcheck.store.photos``) are written on the calling thread, the single writer.

Each file is prepared by a worker (blob durable, cache made) and then recorded; records are
committed in small batches, each photo's row with its outbox entry, so thousands of files do
not cost thousands of fsyncs of the database. Outcomes are reported in input order, after
their batch committed. A full disk stops the import; what was committed stays.

The command line calls ``import_photos``; the app runs ``run_import`` as an op on its photo
pool, which also says what the import changed. ``on_outcome`` is called on the calling thread,
``cancelled`` is polled before each file.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError, Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from sqlalchemy.exc import OperationalError

from fieldcheck.core.changes import NOTHING, Changes, Done, in_compound
from fieldcheck.domain.photo import Photo, PhotoTarget
from fieldcheck.faults import crash_point
from fieldcheck.photos.blobs import BlobStore
from fieldcheck.photos.cache import DerivedCache
from fieldcheck.photos.errors import DiskFullError, PhotoRefusedError
from fieldcheck.photos.importer import MAX_PHOTO_BYTES, PreparedPhoto, prepare_photo
from fieldcheck.store.database import Store
from fieldcheck.store.photos import check_target, save_imported_photos

#: A worker a core and two more, so one photo's fsyncs overlap another's decoding.
DEFAULT_WORKERS = min(6, (os.cpu_count() or 2) + 2)
BATCH_PHOTOS = 64
BATCH_SECONDS = 0.5

log = logging.getLogger(__name__)


class ImportStatus(StrEnum):
    IMPORTED = "imported"
    DUPLICATE = "duplicate"
    REFUSED = "refused"


@dataclass(frozen=True)
class ImportOutcome:
    """What became of one input file. ``photo`` is the record (the existing one for a
    duplicate); ``code`` and ``reason`` say why a file was refused."""

    path: Path
    status: ImportStatus
    photo: Photo | None = None
    code: str = ""
    reason: str = ""


@dataclass
class ImportSummary:
    imported: int = 0
    duplicates: int = 0
    refused: int = 0
    #: Set when the import stopped early (``disk_full``, ``cancelled``), with the message.
    stopped_code: str = ""
    stopped_reason: str = ""
    outcomes: list[ImportOutcome] = field(default_factory=list)


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given; folders walked recursively in name order. A path that does not exist is
    passed on (and refused as missing)."""
    for path in paths:
        if path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    yield Path(folder) / name
        else:
            yield path


def _is_disk_full(exc: OperationalError) -> bool:
    orig = exc.orig
    return isinstance(orig, sqlite3.OperationalError) and (
        getattr(orig, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
        or "disk is full" in str(orig)
    )


class _Run:
    """The state of one import: the batch waiting to be committed and the tallies."""

    def __init__(
        self,
        store: Store,
        target: PhotoTarget,
        on_outcome: Callable[[ImportOutcome], None] | None,
        keep_outcomes: bool,
    ) -> None:
        self.store = store
        self.target = target
        self.on_outcome = on_outcome
        self.keep_outcomes = keep_outcomes
        self.summary = ImportSummary()
        self.pending: list[tuple[Path, PreparedPhoto | ImportOutcome]] = []
        self.pending_since = 0.0

    @property
    def stopped(self) -> bool:
        return bool(self.summary.stopped_code)

    def stop(self, code: str, reason: str) -> None:
        if not self.stopped:
            self.summary.stopped_code, self.summary.stopped_reason = code, reason

    def refused(self, path: Path, code: str, reason: str) -> ImportOutcome:
        return ImportOutcome(path, ImportStatus.REFUSED, code=code, reason=reason)

    def take(self, path: Path, future: Future[PreparedPhoto]) -> None:
        try:
            result: PreparedPhoto | ImportOutcome = future.result()
        except PhotoRefusedError as exc:
            result = self.refused(path, exc.code, exc.message)
        except DiskFullError as exc:
            self.stop(exc.code, exc.message)
            result = self.refused(path, exc.code, f"{path.name}: not imported, {exc.message}")
        except CancelledError:
            result = self.refused(
                path,
                "not_imported",
                f"{path.name}: not imported, the import stopped ({self.stop_reason})",
            )
        except Exception as exc:  # a bug or an I/O error on one file must not end the import
            log.warning("importing %s failed unexpectedly", path, exc_info=exc)
            result = self.refused(path, "import_failed", f"{path.name}: import failed ({exc})")
        if not self.pending:
            self.pending_since = time.monotonic()
        self.pending.append((path, result))

    @property
    def stop_reason(self) -> str:
        return self.summary.stopped_reason or "cancelled"

    def due(self) -> bool:
        return len(self.pending) >= BATCH_PHOTOS or (
            bool(self.pending) and time.monotonic() - self.pending_since >= BATCH_SECONDS
        )

    def flush(self) -> None:
        """Record the prepared photos of the batch in one transaction, then report it."""
        batch, self.pending = self.pending, []
        saved: dict[int, tuple[Photo, bool]] = {}
        prepared = [(i, p) for i, (_, p) in enumerate(batch) if isinstance(p, PreparedPhoto)]
        if prepared:
            try:
                with self.store.write() as session:
                    indexes = [index for index, _ in prepared]
                    results = save_imported_photos(session, [p for _, p in prepared], self.target)
                    saved = dict(zip(indexes, results, strict=True))
                    crash_point("photos_recorded")
            except OperationalError as exc:
                if not _is_disk_full(exc):
                    raise
                saved = {}
                self.stop("disk_full", "the disk holding the data directory is full")
        for index, (path, result) in enumerate(batch):
            if isinstance(result, ImportOutcome):
                outcome = result
            elif index in saved:
                photo, created = saved[index]
                status = ImportStatus.IMPORTED if created else ImportStatus.DUPLICATE
                outcome = ImportOutcome(path, status, photo=photo)
            else:
                outcome = self.refused(path, "disk_full", f"{path.name}: not saved, disk full")
            self.report(outcome)

    def report(self, outcome: ImportOutcome) -> None:
        if outcome.status is ImportStatus.IMPORTED:
            self.summary.imported += 1
        elif outcome.status is ImportStatus.DUPLICATE:
            self.summary.duplicates += 1
        else:
            self.summary.refused += 1
            log.info("photo refused: %s: %s (%s)", outcome.path, outcome.code, outcome.reason)
        if self.keep_outcomes:
            self.summary.outcomes.append(outcome)
        if self.on_outcome is not None:
            self.on_outcome(outcome)


def import_photos(
    store: Store,
    paths: Iterable[Path],
    target: PhotoTarget,
    *,
    executor: Executor | None = None,
    workers: int = DEFAULT_WORKERS,
    max_bytes: int = MAX_PHOTO_BYTES,
    on_outcome: Callable[[ImportOutcome], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    keep_outcomes: bool = True,
) -> ImportSummary:
    """Import files and folders into ``target``. Files are prepared on ``executor`` (a thread
    pool of ``workers`` by default); every outcome goes to ``on_outcome`` in input order.
    Raises NotFoundError/ValidationError before touching anything when the target is wrong."""
    with store.read() as session:
        check_target(session, target)
    blobs = BlobStore(store.paths.blobs)
    cache = DerivedCache(store.paths.cache)
    pool = executor or ThreadPoolExecutor(workers, thread_name_prefix="photo-import")
    run = _Run(store, target, on_outcome, keep_outcomes)
    in_flight = 2 * workers + 2
    window: deque[tuple[Path, Future[PreparedPhoto]]] = deque()
    try:
        for path in expand_paths(paths):
            if cancelled is not None and cancelled():
                run.stop("cancelled", "cancelled")
            if run.stopped:
                break
            window.append((path, pool.submit(prepare_photo, path, blobs, cache, max_bytes)))
            while window and (len(window) >= in_flight or window[0][1].done()):
                run.take(*window.popleft())
                if run.due():
                    run.flush()
        if run.stopped:
            for _, waiting in window:
                waiting.cancel()
        while window:
            run.take(*window.popleft())
        run.flush()
    finally:
        for _, waiting in window:
            waiting.cancel()
        if executor is None:
            pool.shutdown(wait=True, cancel_futures=True)
    done = run.summary
    log.info(
        "photo import into compound %s, phase %s: %d imported, %d duplicates, %d refused%s",
        target.compound_id,
        target.phase.value,
        done.imported,
        done.duplicates,
        done.refused,
        f"; stopped ({done.stopped_code}): {done.stopped_reason}" if done.stopped_code else "",
    )
    return done


def run_import(
    store: Store,
    paths: Iterable[Path],
    target: PhotoTarget,
    *,
    on_outcome: Callable[[ImportOutcome], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    keep_outcomes: bool = True,
) -> Done[ImportSummary]:
    """``import_photos`` for the app: the summary, and the target compound's photos changed
    when at least one photo was recorded."""
    summary = import_photos(
        store,
        paths,
        target,
        on_outcome=on_outcome,
        cancelled=cancelled,
        keep_outcomes=keep_outcomes,
    )
    return Done(summary, imported_changes(target, summary))


def imported_changes(target: PhotoTarget, summary: ImportSummary) -> Changes:
    """What an import into ``target`` changed: new photo records, or nothing."""
    return in_compound(target.compound_id, Changes(photos=True)) if summary.imported else NOTHING
