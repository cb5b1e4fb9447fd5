"""The background scrub: the checks of ``fieldcheck-server verify`` run inside ``serve``, one
pass per interval (a day by default), slowly enough that requests are not starved.

Several server processes may share the database; only one scrubs at a time. A pass starts
by taking a lease on the ``scrub_state`` row with one conditional UPDATE (the row is free and
the last pass finished at least an interval ago), which either one process wins or none on
SQLite and PostgreSQL alike. The lease is renewed while the pass runs, so a process that
dies mid-pass frees it after ``LEASE`` and another takes over. The last result (when, ok,
how many mismatches and the first of them) stays in the row for ``/v1/health``.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import uuid
from dataclasses import dataclass

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import col

from sync_server.blobs.repair import quarantine_blob
from sync_server.blobs.storage import BlobFiles
from sync_server.db import Database
from sync_server.ledger.keys import Signer
from sync_server.ledger.models import ScrubState
from sync_server.ledger.verify import Report, verify_archive
from sync_server.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)
ROW = "scrub"
#: How long a lease holds without renewal; renewed about every ``LEASE / 10``.
LEASE = dt.timedelta(minutes=10)
#: The share of one core a pass may use: it sleeps four times as long as it worked.
DUTY = 0.2
#: How long a started server waits before it first tries to scrub (or the interval, if less).
START_DELAY_S = 600.0
#: Mismatches kept in the row (the count is always whole).
KEEP_FOUND = 50


class StoppedError(Exception):
    """The server is stopping: the pass is abandoned (the next one starts over)."""


@dataclass(frozen=True)
class ScrubStatus:
    """The last finished pass, and whether one is running now."""

    finished_at: dt.datetime | None
    ok: bool | None
    mismatches: int
    running_since: dt.datetime | None


def ensure_row(db: Database) -> None:
    with db.writing() as session:
        if session.get(ScrubState, ROW) is None:
            session.add(ScrubState(name=ROW))
            try:
                session.commit()
            except IntegrityError:
                session.rollback()  # another process made it first


def claim(db: Database, owner: str, interval: dt.timedelta) -> bool:
    """Take the lease when the row is free and a pass is due; True when ``owner`` won it."""
    now = utcnow()
    row = ScrubState.__table__.c  # type: ignore[attr-defined]
    with db.writing() as session:
        done = session.execute(
            update(ScrubState)
            .where(
                col(ScrubState.name) == ROW,
                or_(row.lease_until.is_(None), row.lease_until < now),
                or_(row.finished_at.is_(None), row.finished_at <= now - interval),
            )
            .values(owner=owner, lease_until=now + LEASE, started_at=now)
        )
        session.commit()
    return bool(done.rowcount == 1)  # type: ignore[attr-defined]


def renew(db: Database, owner: str) -> bool:
    """Extend ``owner``'s lease; False when it was lost (another process took it over)."""
    with db.writing() as session:
        done = session.execute(
            update(ScrubState)
            .where(col(ScrubState.name) == ROW, col(ScrubState.owner) == owner)
            .values(lease_until=utcnow() + LEASE)
        )
        session.commit()
    return bool(done.rowcount == 1)  # type: ignore[attr-defined]


def finish(db: Database, owner: str, report: Report | None) -> None:
    """Free the lease; with a report, record it as the last result."""
    values: dict[str, object] = {"owner": None, "lease_until": None}
    if report is not None:
        found = report.as_json()
        values |= {
            "finished_at": utcnow(),
            "ok": report.ok,
            "mismatches": len(report.mismatches),
            "checked": found["checked"],
            "found": found["mismatches"][:KEEP_FOUND],
        }
    with db.writing() as session:
        session.execute(
            update(ScrubState)
            .where(col(ScrubState.name) == ROW, col(ScrubState.owner) == owner)
            .values(**values)
        )
        session.commit()


def status(db: Database) -> ScrubStatus:
    with db.reading() as session:
        row = session.get(ScrubState, ROW)
    if row is None:
        return ScrubStatus(None, None, 0, None)
    running = row.owner is not None and row.lease_until and as_utc(row.lease_until) > utcnow()
    return ScrubStatus(
        finished_at=as_utc(row.finished_at) if row.finished_at else None,
        ok=row.ok,
        mismatches=row.mismatches,
        running_since=as_utc(row.started_at) if running and row.started_at else None,
    )


class Pacer:
    """Called between units of work: sleeps so the pass uses about ``duty`` of a core,
    renews the lease now and then, and raises :class:`StoppedError` when the server stops."""

    def __init__(self, db: Database, owner: str, stop: threading.Event, duty: float = DUTY):
        self.db, self.owner, self.stop, self.duty = db, owner, stop, duty
        self.since = time.monotonic()
        self.renewed = self.since

    def __call__(self) -> None:
        worked = time.monotonic() - self.since
        if self.stop.wait(worked * (1 / self.duty - 1)):
            raise StoppedError()
        now = time.monotonic()
        if now - self.renewed > LEASE.total_seconds() / 10:
            if not renew(self.db, self.owner):
                raise StoppedError()  # the lease was lost: someone else scrubs now
            self.renewed = now
        self.since = time.monotonic()


#: What the scrub finds wrong with a blob's bytes (as opposed to its ledger entry).
DAMAGED_BLOB = frozenset({"blob_hash", "blob_missing"})


class Scrubber:
    """The scrub thread of one server process."""

    def __init__(self, db: Database, files: BlobFiles, signer: Signer, interval_s: int):
        self.db, self.files, self.signer = db, files, signer
        self.interval = dt.timedelta(seconds=interval_s)
        self.owner = f"{uuid.uuid4().hex[:16]}"
        self.stop_event = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        if self.interval.total_seconds() <= 0:
            return  # turned off
        self.thread = threading.Thread(target=self._run, name="fieldcheck-scrub", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stop_event.set()
        if self.thread is not None:
            self.thread.join(timeout=30)

    def _run(self) -> None:
        poll = max(1.0, min(self.interval.total_seconds() / 2, 300.0))
        # Not at once: a server (re)started for a benchmark or a burst of restarts does not
        # scrub before it has served a while.
        if self.stop_event.wait(min(self.interval.total_seconds(), START_DELAY_S)):
            return
        try:
            ensure_row(self.db)
        except SQLAlchemyError:
            log.exception("scrub: cannot prepare its state row; not scrubbing")
            return
        while not self.stop_event.is_set():
            try:
                if claim(self.db, self.owner, self.interval):
                    self.run_pass()
            except SQLAlchemyError:
                log.exception("scrub: the database failed; trying again later")
            self.stop_event.wait(poll)

    def run_pass(self) -> Report | None:
        """One whole pass under a lease already taken; records and returns its report."""
        log.info("scrub: pass started")
        report = None
        try:
            report = verify_archive(
                self.db,
                self.files,
                self.signer.public_raw,
                Pacer(self.db, self.owner, self.stop_event),
            )
        except StoppedError:
            log.info("scrub: pass abandoned (stopping, or the lease was lost)")
        finally:
            finish(self.db, self.owner, report)
        if report is not None and not report.ok:
            log.error("scrub: %d mismatch(es) in the archive", len(report.mismatches))
            for mismatch in report.mismatches[:KEEP_FOUND]:
                log.error("scrub: %s %s: %s", mismatch.table, mismatch.id, mismatch.message)
        elif report is not None:
            log.info("scrub: archive intact")
        if report is not None:
            self.quarantine_damaged(report)
        return report

    def quarantine_damaged(self, report: Report) -> None:
        """Move aside the blobs whose bytes the pass found damaged or gone: they are no
        longer served, and the next sync of a laptop that holds them sends them again."""
        for mismatch in report.mismatches:
            if mismatch.table == "blob" and mismatch.problem in DAMAGED_BLOB:
                quarantine_blob(self.db, self.files, self.signer, mismatch.id, reason="scrub")
