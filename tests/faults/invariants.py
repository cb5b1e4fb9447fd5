"""The global invariants of SYNC-RESEARCH §7.1, checked after every fault scenario.

:func:`settle_and_check` heals nothing itself (the scenario removes its toxics and restarts
the server without fault points), runs two clean sync rounds on every laptop straight to the
server, then checks:

1. every op the server acknowledged to a laptop is in ``applied_op`` and, unless rejected, in
   ``record_version`` exactly once; no op id has two versions anywhere (I1, I2);
2. every laptop's non-pending records equal the server head (rev and data) for its scopes,
   and its cursors equal the server's scope heads (convergence);
3. every photo record's blob is stored and verified on the server (HTTP ``GET``), its bytes
   hash to its name, and the laptop's copy hashes to the same name;
4. no laptop lost an op or a blob it held before the scenario (I1): each op is confirmed,
   or kept as a conflict or rejection; each blob file is still there;
5. the ledger chain verifies (read-only on the server's database) and every checkpoint a
   laptop stored is a prefix of it: its head is the chain's hash at its size (I6);
6. a record has one head version; hard conflicts are exactly the candidate versions whose
   changed fields overlap a concurrent version's, and a merged concurrent version overlaps
   nothing (I4).

The server is asked through its HTTP API where the API can tell (blobs, the signed
checkpoint) and through its SQLite file, opened read-only, where it cannot (op ids, versions,
the whole chain).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import create_engine
from sqlmodel import Session, col, select

from fieldcheck.photos.blobs import BlobStore
from fieldcheck.protocol.ops import Entity
from fieldcheck.protocol.records import BLOB_FIELD
from fieldcheck.store.sync_tables import (
    BlobSyncRow,
    OutboxSyncRow,
    ParkedChangeRow,
    SyncCursorRow,
    SyncMetaRow,
    SyncRecordRow,
)
from fieldcheck.store.syncbook.entities import ENTITY_TABLES
from fieldcheck.store.syncbook.states import UNSENT_STATES
from fieldcheck.store.tables import OutboxRow, PhotoRow
from sync_server.blobs.models import Blob
from sync_server.ledger.chain import verify_chain
from sync_server.ledger.models import LedgerRow
from sync_server.sync.models import AppliedOp, Record, RecordVersion, ScopeHead
from sync_server.testing import PASSWORD, SCOPES, ApiClient

#: Sub-districts the test inspectors work in (``tests.sync.conftest.INSPECTORS``).
LAPTOP_SCOPES = {SCOPES["CG"]}
KEPT_STATES = {"done", "conflict", "rejected"}


@dataclass
class Snapshot:
    """What each laptop held before the faults: its op ids and its blob names."""

    ops: dict[str, set[str]] = field(default_factory=dict)
    blobs: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def take(cls, laptops: Sequence) -> Snapshot:  # type: ignore[type-arg]
        snap = cls()
        for laptop in laptops:
            with laptop.store.read() as db:
                snap.ops[str(laptop.root)] = set(db.exec(select(OutboxRow.op_id)).all())
                snap.blobs[str(laptop.root)] = set(db.exec(select(PhotoRow.sha256)).all())
        return snap


@contextmanager
def server_db(server) -> Iterator[Session]:  # type: ignore[no-untyped-def]
    path = server.data_dir / "server.sqlite3"
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        with Session(engine) as session:
            yield session
    finally:
        engine.dispose()


def clean_rounds(laptops: Sequence, rounds: int = 2) -> None:  # type: ignore[type-arg]
    for _ in range(rounds):
        for laptop in laptops:
            report = laptop.sync()
            assert report.error is None, (laptop.user, report.error)


def settle_and_check(server, laptops: Sequence, before: Snapshot | None = None, **checks) -> None:  # type: ignore[no-untyped-def, type-arg]
    """Two clean sync rounds, then every invariant (``checks`` as :func:`check_invariants`)."""
    clean_rounds(laptops)
    check_invariants(server, laptops, before, **checks)


def check_invariants(
    server,  # type: ignore[no-untyped-def]
    laptops: Sequence,  # type: ignore[type-arg]
    before: Snapshot | None = None,
    *,
    expect_hard: set[tuple[str, str]] | None = None,
    restored: bool = False,
) -> None:
    """``expect_hard`` names the records (entity, id) that must be in hard conflict, when
    the scenario knows them; ``restored`` (F14) skips the op-id accounting: a restored
    server lost the ops it had acknowledged after its backup, and the laptop gives them
    back as new versions."""
    api = ApiClient(server.url)
    api.login("carol", PASSWORD, "dev-invariants")
    with server_db(server) as sdb:
        _no_duplicate_versions(sdb)
        _one_head_and_honest_conflicts(sdb, expect_hard)
        ok, size, bad = verify_chain(sdb)
        assert ok, f"ledger chain broken at entry {bad}"
        assert size == api.request("GET", "/v1/ledger/checkpoint").json()["size"]
        hashes = {r.idx: r.entry_hash for r in sdb.exec(select(LedgerRow)).all()}
        heads = {s.scope_id: s.max_seq for s in sdb.exec(select(ScopeHead)).all()}
        records = {
            (r.entity, r.id): r
            for r in sdb.exec(select(Record).where(col(Record.scope_id).in_(LAPTOP_SCOPES))).all()
        }
        blobs = {b.sha256 for b in sdb.exec(select(Blob)).all()}
        for laptop in laptops:
            with laptop.store.read() as ldb:
                if not restored:
                    _acknowledged_once(sdb, ldb, laptop.user)
                _converged(ldb, records, heads, laptop.user)
                _checkpoint_is_prefix(ldb, hashes, laptop.user)
                _nothing_lost(ldb, laptop, before)
                _blobs_match(ldb, laptop, blobs)
    for (entity, _id), record in records.items():
        if entity == "photo":
            sha = record.data[BLOB_FIELD[Entity.PHOTO]]
            got = api.request("GET", f"/v1/blobs/{sha}")
            assert got.status_code == 200, (sha, got.status_code)
            assert hashlib.sha256(got.content).hexdigest() == sha


def _no_duplicate_versions(sdb: Session) -> None:
    versions = sdb.exec(select(RecordVersion)).all()
    op_ids = [v.op_id for v in versions]
    assert len(op_ids) == len(set(op_ids)), "an op produced two versions"
    applied = set(sdb.exec(select(AppliedOp.op_id)).all())
    assert set(op_ids) <= applied, "a version without its idempotency row"


def _one_head_and_honest_conflicts(sdb: Session, expect_hard: set | None) -> None:  # type: ignore[type-arg]
    by_record: dict[tuple[str, str], list[RecordVersion]] = {}
    for v in sdb.exec(select(RecordVersion).order_by(col(RecordVersion.rev))).all():
        by_record.setdefault((v.entity, v.record_id), []).append(v)
    hard: set[tuple[str, str]] = set()
    for record in sdb.exec(select(Record)).all():
        key = (record.entity, record.id)
        versions = by_record[key]
        heads = [v for v in versions if v.rev == record.head_rev]
        assert len(heads) == 1, key
        assert not heads[0].is_candidate, key
        assert record.data == heads[0].data, key
        applied = [v for v in versions if not v.is_candidate]
        for v in versions:
            if v.base_rev == 0 and v is versions[0]:
                continue
            concurrent = [a for a in applied if v.base_rev < a.rev < v.rev]
            overlap = {f for a in concurrent for f in a.changed} & set(v.changed)
            if v.is_candidate:
                assert overlap, f"{key} rev {v.rev}: a hard conflict without overlapping edits"
            elif not _resolves(v, versions):
                assert not overlap, f"{key} rev {v.rev}: overlapping edits merged silently"
        open_candidates = [v for v in versions if v.is_candidate and v.rev > record.head_rev]
        if record.conflict_state == "hard":
            hard.add(key)
            assert open_candidates, key
    if expect_hard is not None:
        assert hard == expect_hard, (hard, expect_hard)


def _resolves(version: RecordVersion, versions: list[RecordVersion]) -> bool:
    """A version written on top of a candidate it had seen settles the conflict."""
    return any(c.is_candidate and c.rev <= version.base_rev for c in versions)


def _acknowledged_once(sdb: Session, ldb: Session, user: str) -> None:
    rows = ldb.exec(select(OutboxRow).where(col(OutboxRow.state).in_(KEPT_STATES))).all()
    for row in rows:
        sync = ldb.get(OutboxSyncRow, row.op_id)
        assert sync is not None, (user, row.op_id, row.state)
        assert sync.sent_as, (user, row.op_id, row.state)
        assert sdb.get(AppliedOp, sync.sent_as) is not None, (user, sync.sent_as, "not on server")
        status = (sync.result or {}).get("status")
        if sync.sent_as == row.op_id and status in {"applied", "merged", "conflict"}:
            count = len(
                sdb.exec(select(RecordVersion).where(RecordVersion.op_id == row.op_id)).all()
            )
            assert count == 1, (user, row.op_id, status, count)


def _converged(ldb: Session, records: dict, heads: dict[str, int], user: str) -> None:  # type: ignore[type-arg]
    cursors = {c.scope_id: c.last_seq for c in ldb.exec(select(SyncCursorRow)).all()}
    for scope in LAPTOP_SCOPES:
        assert cursors.get(scope, 0) == heads.get(scope, 0), (user, scope, cursors, heads)
    waiting = {
        (r.entity, r.entity_id)
        for r in ldb.exec(
            select(OutboxRow).where(
                col(OutboxRow.state).in_((*UNSENT_STATES, "conflict", "rejected"))
            )
        ).all()
    }
    rejected = ldb.exec(select(OutboxRow).where(OutboxRow.state == "rejected")).first()
    for (entity, record_id), record in records.items():
        if (entity, record_id) in waiting or record.conflict_state != "none":
            continue  # a local change, conflict or rejection is kept, not overwritten
        table = ENTITY_TABLES[entity]
        local = ldb.get(table, record_id)
        if local is None and rejected:  # parked behind a kept, rejected local record
            assert ldb.get(ParkedChangeRow, (entity, record_id)) is not None, (user, record_id)
            continue
        assert local is not None, (user, entity, record_id, "missing on the laptop")
        mirror = ldb.get(SyncRecordRow, (entity, record_id))
        assert mirror is not None, (user, entity, record_id)
        assert mirror.server_rev == record.head_rev, (user, entity, record_id)
        expected = table.model_validate({**record.data, "id": record_id, "rev": record.head_rev})
        for name in record.data:
            if name in table.model_fields and getattr(expected, name) is not None:
                got, want = getattr(local, name), getattr(expected, name)
                assert got == want, (user, entity, record_id, name, got, want)


def _checkpoint_is_prefix(ldb: Session, hashes: dict[int, str], user: str) -> None:
    meta = ldb.get(SyncMetaRow, 1)
    if meta is None or not meta.checkpoint:
        return
    size, head = meta.checkpoint["size"], meta.checkpoint["head"]
    assert size <= len(hashes), (user, size, len(hashes))
    assert base64.b64decode(head).hex() == hashes[size], (user, "checkpoint not a prefix")


def _nothing_lost(ldb: Session, laptop, before: Snapshot | None) -> None:  # type: ignore[no-untyped-def]
    states = {r.op_id: r.state for r in ldb.exec(select(OutboxRow)).all()}
    unsent = [op for op, state in states.items() if state in ("pending", "inflight")]
    assert not unsent, (laptop.user, "ops still unsent after two clean rounds", unsent)
    if before is None:
        return
    held = before.ops.get(str(laptop.root), set())
    assert held <= set(states), (laptop.user, "ops lost", held - set(states))
    store = BlobStore(laptop.store.paths.blobs)
    for sha in before.blobs.get(str(laptop.root), set()):
        assert store.exists(sha), (laptop.user, "blob lost", sha)


def _blobs_match(ldb: Session, laptop, blobs: set[str]) -> None:  # type: ignore[no-untyped-def]
    store = BlobStore(laptop.store.paths.blobs)
    flagged = set(
        ldb.exec(
            select(BlobSyncRow.sha256).where(col(BlobSyncRow.state).in_(["integrity", "missing"]))
        ).all()
    )
    for sha in set(ldb.exec(select(PhotoRow.sha256)).all()) - flagged:
        assert store.exists(sha), (laptop.user, sha, "blob file gone")
        assert store.rehash(sha) == sha, (laptop.user, sha, "blob file changed")
        assert sha in blobs, (laptop.user, sha, "photo's blob not on the server")
