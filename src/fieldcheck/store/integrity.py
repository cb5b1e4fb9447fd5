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
        return not self.missing_blobs and not self.mismatched and self.quick_check == ("ok",)


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
    return IntegrityReport(
        recovered=tuple(recovered),
        missing_blobs=tuple(sorted(recorded - present_set)),
        rehashed=len(sample),
        mismatched=tuple(mismatched),
        quick_check=checks,
        stale_temp_files=len(blobs.stale_temps()),
        seconds=time.monotonic() - started,
    )


def unrecorded(session: Session, hashes: Iterable[str]) -> set[str]:
    """Those of ``hashes`` that no photo record points at (still recovered photos)."""
    return set(hashes) - recorded_hashes(session)


def without_recovered(report: IntegrityReport, hashes: Iterable[str]) -> IntegrityReport:
    """The report without the recovered photos of ``hashes`` (recorded since)."""
    gone = set(hashes)
    return replace(report, recovered=tuple(r for r in report.recovered if r.sha256 not in gone))
