"""Checking the evidence archive against itself and the server's key, read-only: what
``fieldcheck-server verify`` and the background scrub run.

- The chain: every entry hashes to its stored hash from its predecessor's, with no gaps and
  none missing at the end.
- Checkpoints: each signature is valid with the server's key over its note, the note names
  the checkpoint's size and head, and the chain *recomputed from the genesis* gives that head
  at that size. A rewrite before the last checkpoint is caught even when every later hash was
  recomputed with :func:`sync_server.ledger.chain.entry_hash`: only the key can sign anew.
- Record versions: each one's data hashes to the payload of its own ledger entry, which names
  it; every version entry of the ledger has its version. Record heads equal their head
  version.
- Blobs: each blob row's ledger entry names it, and its bytes (read through the blob storage
  interface) hash to its name; every blob entry of the ledger has its row.

Each check returns the mismatches it found, each naming a table, a row and a ledger index.
``pace`` is called between small units of work, so a background caller can sleep there.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from sqlalchemy import and_
from sqlmodel import col, select

from sync_server.blobs.models import Blob
from sync_server.db import Database
from sync_server.ledger.chain import GENESIS, entry_hash, sha256_json
from sync_server.ledger.keys import verify as verify_signature
from sync_server.ledger.models import CheckpointRow, LedgerRow
from sync_server.state import LEDGER, current_value
from sync_server.sync.models import Record, RecordVersion

BATCH = 500
#: Ledger kinds that chain a record version.
VERSION_KINDS = ("version", "restored")
Pace = Callable[[], None]


def no_pause() -> None:
    """The pace of a verification nobody else is waiting for."""


class BlobStore(Protocol):
    """What the blob check needs of the blob storage: whether a blob's stored bytes hash to
    its name (FileNotFoundError when they are gone)."""

    def matches(self, sha256: str) -> bool: ...


@dataclass(frozen=True)
class Mismatch:
    """One thing that is not as recorded: ``table`` and ``id`` name the row, ``index`` the
    ledger entry involved (None when there is none), ``problem`` a stable code."""

    table: str
    id: str
    index: int | None
    problem: str
    message: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Section:
    """What one check looked at and what it found."""

    checked: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)


@dataclass
class Report:
    sections: dict[str, Section] = field(default_factory=dict)

    @property
    def mismatches(self) -> list[Mismatch]:
        return [m for s in self.sections.values() for m in s.mismatches]

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": {name: s.checked for name, s in self.sections.items()},
            "mismatches": [m.as_json() for m in self.mismatches],
        }


def verify_archive(
    db: Database, blobs: BlobStore, public_raw: bytes, pace: Pace = no_pause
) -> Report:
    """Every check, in order: the chain and its checkpoints, versions, heads, blobs."""
    return Report(
        {
            "ledger": check_ledger(db, public_raw, pace),
            "record_version": check_versions(db, pace),
            "record": check_heads(db, pace),
            "blob": check_blobs(db, blobs, pace),
        }
    )


def _pages(
    db: Database, query: Callable[[Any], Any], key: Callable[[Any], Any], start: Any
) -> Iterator[list[Any]]:
    """Rows of ``query(after)`` page by page (keyset pagination on ``key``), each page read
    in its own short transaction."""
    after = start
    while True:
        with db.reading() as session:
            rows = list(session.exec(query(after)).all())
        if not rows:
            return
        yield rows
        after = key(rows[-1])


def _with_entries(
    db: Database, model: type[RecordVersion] | type[Blob], key: str, start: Any
) -> Iterator[list[Any]]:
    """Pages of ``model``'s rows in ``key`` order, each with the ledger entry it names
    (None when that entry is gone)."""
    column = col(getattr(model, key))
    return _pages(
        db,
        lambda after: (
            select(model, LedgerRow)
            .join(LedgerRow, col(LedgerRow.idx) == col(model.ledger_idx), isouter=True)
            .where(column > after)
            .order_by(column)
            .limit(BATCH)
        ),
        lambda pair: getattr(pair[0], key),
        start,
    )


def check_ledger(db: Database, public_raw: bytes, pace: Pace = no_pause) -> Section:
    """The chain's hashes, and every checkpoint against the key and the recomputed chain."""
    found = Section()
    with db.reading() as session:
        checkpoints = list(session.exec(select(CheckpointRow).order_by(col(CheckpointRow.size))))
        counter = current_value(session, LEDGER)
    signed = {}
    for row in checkpoints:
        problem = _checkpoint_problem(row, public_raw)
        if problem:
            found.mismatches.append(Mismatch("checkpoint", str(row.size), row.size, *problem))
        else:
            signed[row.size] = row.head
    recomputed, stored_prev, expected, last_good = GENESIS, GENESIS, 1, 0
    for rows in _pages(
        db,
        lambda after: (
            select(LedgerRow)
            .where(col(LedgerRow.idx) > after)
            .order_by(col(LedgerRow.idx))
            .limit(BATCH)
        ),
        lambda row: row.idx,
        0,
    ):
        for row in rows:
            found.checked += 1
            if row.idx != expected:
                found.mismatches.append(
                    Mismatch(
                        "ledger",
                        str(expected),
                        expected,
                        "missing_entry",
                        f"entries {expected}–{row.idx - 1} are missing from the chain",
                    )
                )
            if row.prev_hash != stored_prev or entry_hash(row.prev_hash, row) != row.entry_hash:
                found.mismatches.append(
                    Mismatch(
                        "ledger",
                        str(row.idx),
                        row.idx,
                        "chain",
                        f"entry {row.idx} does not hash to its stored hash from its predecessor",
                    )
                )
            recomputed = entry_hash(recomputed, row)
            stored_prev, expected = row.entry_hash, row.idx + 1
            if row.idx in signed:
                if signed.pop(row.idx) == recomputed:
                    last_good = row.idx
                else:
                    found.mismatches.append(_rewritten(row.idx, last_good))
        pace()
    size = expected - 1
    for beyond in sorted(signed):
        found.mismatches.append(
            Mismatch(
                "checkpoint",
                str(beyond),
                beyond,
                "beyond_chain",
                f"a checkpoint signs {beyond} entries but the chain has {size}: "
                "entries were removed",
            )
        )
    if counter > size:
        found.mismatches.append(
            Mismatch(
                "ledger",
                str(size + 1),
                size + 1,
                "missing_entry",
                f"the ledger counter is at {counter} but the chain ends at {size}",
            )
        )
    return found


def _checkpoint_problem(row: CheckpointRow, public_raw: bytes) -> tuple[str, str] | None:
    if not verify_signature(public_raw, row.note.encode(), row.signature):
        return "signature", f"checkpoint {row.size}: the signature is not valid with the key"
    lines = row.note.split("\n")
    try:
        size, head = int(lines[1]), base64.b64decode(lines[2], validate=True).hex()
    except (IndexError, ValueError):
        return "note", f"checkpoint {row.size}: the signed note cannot be read"
    if (size, head) != (row.size, row.head):
        return "note", f"checkpoint {row.size}: its size or head differs from the signed note"
    return None


def _rewritten(size: int, last_good: int) -> Mismatch:
    return Mismatch(
        "checkpoint",
        str(size),
        size,
        "head_differs",
        f"the chain recomputed up to entry {size} does not give the head signed there: "
        f"an entry after {last_good} and up to {size} was rewritten",
    )


def check_versions(db: Database, pace: Pace = no_pause) -> Section:
    """Each version's data against its own ledger entry; each version entry has a version."""
    found = Section()
    for rows in _with_entries(db, RecordVersion, "ledger_idx", -1):
        for version, entry in rows:
            found.checked += 1
            if problem := _version_problem(version, entry):
                name = f"{version.entity}/{version.record_id}/{version.rev}"
                at = version.ledger_idx
                found.mismatches.append(Mismatch("record_version", name, at, *problem))
        pace()
    found.mismatches += _orphan_entries(db, VERSION_KINDS, "record_version", pace)
    return found


def _version_problem(version: RecordVersion, entry: LedgerRow | None) -> tuple[str, str] | None:
    if entry is None:
        return "ledger_missing", f"its ledger entry {version.ledger_idx} is missing"
    named = (entry.kind in VERSION_KINDS, entry.entity, entry.record_id, entry.rev)
    if named != (True, version.entity, version.record_id, version.rev):
        return "ledger_reference", f"ledger entry {entry.idx} names another record or revision"
    if sha256_json(version.data) != entry.payload_sha256:
        return "payload_hash", f"its data does not hash to ledger entry {entry.idx}'s payload"
    return None


def _orphan_entries(db: Database, kinds: tuple[str, ...], table: str, pace: Pace) -> list[Mismatch]:
    """Ledger entries of ``kinds`` whose row in ``table`` is gone."""
    target = RecordVersion if table == "record_version" else Blob
    link = col(target.ledger_idx) == col(LedgerRow.idx)
    found = []
    for rows in _pages(
        db,
        lambda after: (
            select(LedgerRow.idx)
            .join(target, link, isouter=True)
            .where(col(LedgerRow.kind).in_(kinds), col(LedgerRow.idx) > after)
            .where(col(target.ledger_idx).is_(None))
            .order_by(col(LedgerRow.idx))
            .limit(BATCH)
        ),
        lambda idx: idx,
        0,
    ):
        found += [
            Mismatch(table, str(idx), idx, "row_missing", f"ledger entry {idx} has no {table} row")
            for idx in rows
        ]
        pace()
    return found


def check_heads(db: Database, pace: Pace = no_pause) -> Section:
    """Each record's head data against its head version (the head is a copy for reads)."""
    found = Section()
    head = and_(
        col(RecordVersion.entity) == col(Record.entity),
        col(RecordVersion.record_id) == col(Record.id),
        col(RecordVersion.rev) == col(Record.head_rev),
    )
    for rows in _pages(
        db,
        lambda after: (
            select(Record, RecordVersion)
            .join(RecordVersion, head, isouter=True)
            .where(
                (col(Record.entity) > after[0])
                | ((col(Record.entity) == after[0]) & (col(Record.id) > after[1]))
            )
            .order_by(col(Record.entity), col(Record.id))
            .limit(BATCH)
        ),
        lambda pair: (pair[0].entity, pair[0].id),
        ("", ""),
    ):
        for record, version in rows:
            found.checked += 1
            name = f"{record.entity}/{record.id}"
            if version is None:
                found.mismatches.append(
                    Mismatch("record", name, None, "head_missing", "its head version is missing")
                )
            elif sha256_json(record.data) != sha256_json(version.data):
                found.mismatches.append(
                    Mismatch(
                        "record",
                        name,
                        version.ledger_idx,
                        "head_differs",
                        f"its data differs from its head version (revision {version.rev})",
                    )
                )
        pace()
    return found


def check_blobs(db: Database, blobs: BlobStore, pace: Pace = no_pause) -> Section:
    """Each blob row's ledger entry and stored bytes; each blob entry of the ledger has its
    row. Returns the mismatches (a caller may quarantine or heal them; this changes
    nothing)."""
    found = Section()
    for rows in _with_entries(db, Blob, "sha256", ""):
        for blob, entry in rows:
            found.checked += 1
            if problem := _blob_problem(blob, entry, blobs):
                found.mismatches.append(Mismatch("blob", blob.sha256, blob.ledger_idx, *problem))
            pace()
    found.mismatches += _orphan_entries(db, ("blob",), "blob", pace)
    return found


def _blob_problem(blob: Blob, entry: LedgerRow | None, blobs: BlobStore) -> tuple[str, str] | None:
    if entry is None:
        return "ledger_missing", f"its ledger entry {blob.ledger_idx} is missing"
    if (entry.kind, entry.blob_sha256, entry.payload_sha256) != ("blob", blob.sha256, blob.sha256):
        return "ledger_reference", f"ledger entry {entry.idx} names another blob"
    if blob.quarantined_at is not None:
        return "blob_quarantined", "its bytes were damaged; it waits for a laptop to send them"
    try:
        if not blobs.matches(blob.sha256):
            return "blob_hash", "the stored bytes do not hash to the blob's name"
    except FileNotFoundError:
        return "blob_missing", "the stored bytes are gone"
    return None


def mismatch_lines(report: Report) -> Iterator[str]:
    """One line per mismatch, for people."""
    for m in report.mismatches:
        where = f", ledger entry {m.index}" if m.index is not None else ""
        yield f"MISMATCH {m.id} ({m.table}{where}): {m.problem}: {m.message}"


def summary_lines(report: Report, unrecorded: int) -> Iterator[str]:
    """What was checked and the verdict per part, for people."""
    s = report.sections
    bad = {name: len(section.mismatches) for name, section in s.items()}
    blob_problems = [m.problem for m in s["blob"].mismatches]
    yield (
        f"blobs: {s['blob'].checked} checked, {blob_problems.count('blob_hash')} mismatched, "
        f"{blob_problems.count('blob_missing')} missing, {unrecorded} without a row"
    )
    yield (
        f"records: {s['record_version'].checked} versions checked, "
        f"{bad['record_version']} mismatched; {s['record'].checked} heads checked, "
        f"{bad['record']} mismatched"
    )
    verdict = "chain intact" if not bad["ledger"] else f"{bad['ledger']} MISMATCH(ES)"
    yield f"ledger: {s['ledger'].checked} entries, {verdict}"
    yield (
        "archive intact"
        if report.ok
        else f"{len(report.mismatches)} MISMATCH(ES): the archive differs from its ledger"
    )
