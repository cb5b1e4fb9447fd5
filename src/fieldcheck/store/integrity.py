"""The start-up integrity pass (no Qt; the UI runs it on a background thread).

- Blob files no photo record points at (a crash between the blob's rename and the record's
  commit) are listed as recovered photos. They are never deleted.
- Records whose blob is missing are listed.
- A rotating sample of blobs is re-hashed; where the last pass stopped is kept in a small state
  file, so every blob is checked in turn over successive start-ups.
- ``PRAGMA quick_check`` runs on the database.

Once recovered photos are recorded (attached to a compound through the import), the orphan
check runs again for just those hashes and they leave the report.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session

from fieldcheck.photos.blobs import BlobStore
from fieldcheck.store.database import Store
from fieldcheck.store.photos import recorded_hashes

SAMPLE_BLOBS = 64
SAMPLE_BYTES = 256 * (1 << 20)
#: At most this many hashes of each kind are named in the log (the count is always there).
LOGGED_HASHES = 20

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecoveredPhoto:
    sha256: str
    path: Path
    size_bytes: int
    modified_at: float


@dataclass(frozen=True)
class IntegrityReport:
    recovered: tuple[RecoveredPhoto, ...]
    missing_blobs: tuple[str, ...]
    rehashed: int
    mismatched: tuple[str, ...]
    quick_check: tuple[str, ...]
    stale_temp_files: int
    seconds: float

    @property
    def ok(self) -> bool:
        """Nothing to show the user (recovered photos are shown, but are not damage)."""
        return not self.missing_blobs and not self.mismatched and not self.database_problems

    @property
    def database_problems(self) -> tuple[str, ...]:
        """What ``PRAGMA quick_check`` found wrong (it says ``ok`` alone when nothing)."""
        return tuple(line for line in self.quick_check if line != "ok")


def _read_cursor(state: Path) -> str:
    try:
        value = json.loads(state.read_text(encoding="utf-8")).get("rehash_after", "")
    except (OSError, ValueError, AttributeError):
        return ""
    return value if isinstance(value, str) else ""


def _write_cursor(state: Path, cursor: str) -> None:
    temp = state.with_name(state.name + ".tmp")
    temp.write_text(json.dumps({"rehash_after": cursor}), encoding="utf-8")
    os.replace(temp, state)


def _rotating_sample(hashes: list[str], after: str, blobs: BlobStore, limit: int) -> list[str]:
    """Blobs following ``after`` in hash order, wrapping round, up to the sample limits."""
    start = next((i for i, h in enumerate(hashes) if h > after), 0)
    chosen: list[str] = []
    total = 0
    for offset in range(len(hashes)):
        sha = hashes[(start + offset) % len(hashes)]
        chosen.append(sha)
        with contextlib.suppress(OSError):
            total += blobs.path_for(sha).stat().st_size
        if len(chosen) >= limit or total >= SAMPLE_BYTES:
            break
    return chosen


def run_integrity_pass(
    store: Store, *, sample_blobs: int = SAMPLE_BLOBS, state: Path | None = None
) -> IntegrityReport:
    started = time.monotonic()
    blobs = BlobStore(store.paths.blobs)
    state = state or store.paths.integrity_state
    with store.read() as session:
        recorded = recorded_hashes(session)
        checks = tuple(
            str(row[0]) for row in session.connection().execute(text("PRAGMA quick_check"))
        )
    present = list(blobs.iter_hashes())
    present_set = set(present)
    recovered = []
    for sha in present:
        if sha in recorded:
            continue
        info = blobs.path_for(sha).stat()
        recovered.append(RecoveredPhoto(sha, blobs.path_for(sha), info.st_size, info.st_mtime))
    mismatched = []
    sample = _rotating_sample(present, _read_cursor(state), blobs, sample_blobs)
    for sha in sample:
        try:
            if blobs.rehash(sha) != sha:
                mismatched.append(sha)
        except OSError:
            mismatched.append(sha)
    if sample:
        _write_cursor(state, sample[-1])
    report = IntegrityReport(
        recovered=tuple(recovered),
        missing_blobs=tuple(sorted(recorded - present_set)),
        rehashed=len(sample),
        mismatched=tuple(mismatched),
        quick_check=checks,
        stale_temp_files=len(blobs.stale_temps()),
        seconds=time.monotonic() - started,
    )
    log_report(report, len(present))
    return report


def _named(hashes: Iterable[str]) -> str:
    listed = list(hashes)
    more = len(listed) - LOGGED_HASHES
    return ", ".join(listed[:LOGGED_HASHES]) + (f" and {more} more" if more > 0 else "")


def log_report(report: IntegrityReport, blob_count: int) -> None:
    """One INFO line for the pass, and a WARNING for each kind of alert it raised."""
    log.info(
        "integrity pass: %d blobs, %d re-hashed, %d recovered photos, %d missing blobs, "
        "%d hash mismatches, quick_check %s, %d stale temp files, %.2f s",
        blob_count,
        report.rehashed,
        len(report.recovered),
        len(report.missing_blobs),
        len(report.mismatched),
        "; ".join(report.quick_check),
        report.stale_temp_files,
        report.seconds,
    )
    if report.recovered:
        log.warning(
            "blob files no photo record points at (listed as recovered photos): %s",
            _named(r.sha256 for r in report.recovered),
        )
    if report.missing_blobs:
        log.warning("photo records whose blob file is missing: %s", _named(report.missing_blobs))
    if report.mismatched:
        log.warning(
            "blob files that no longer hash to their name (or cannot be read): %s",
            _named(report.mismatched),
        )
    if report.quick_check != ("ok",):
        log.warning("PRAGMA quick_check found problems: %s", "; ".join(report.quick_check))


def unrecorded(session: Session, hashes: Iterable[str]) -> set[str]:
    """Those of ``hashes`` that no photo record points at (still recovered photos)."""
    return set(hashes) - recorded_hashes(session)


def without_recovered(report: IntegrityReport, hashes: Iterable[str]) -> IntegrityReport:
    """The report without the recovered photos of ``hashes`` (recorded since)."""
    gone = set(hashes)
    return replace(report, recovered=tuple(r for r in report.recovered if r.sha256 not in gone))
