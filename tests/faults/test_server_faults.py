"""SYNC-RESEARCH §7.2, server faults: F11, F12, F13, F16 and F17 against the real server
subprocess, armed with a named fault point (``FIELDCHECK_CRASH_AT`` kills it with SIGKILL at
the point, ``FIELDCHECK_FAIL_AT=server_disk_full`` makes a chunk write raise ENOSPC) and
restarted clean; each ends with the global invariants.

F15 (PostgreSQL commit reordering) lives in ``tests/server/test_multiprocess.py`` (it needs
the throwaway PostgreSQL cluster of ``tests/server/conftest.py``). F14 is in
``test_restore.py``. Not covered: F16's push side (a full disk while the push transaction
commits: SQLite's own "database or disk is full" cannot be injected at a named point without
a fault point inside the database driver), and F17's automatic restore of a stored blob from
a laptop (no such feature: the test restores the file by hand, as an admin would, after
``fieldcheck-server verify`` flagged it)."""

from __future__ import annotations

import os
import signal
import stat
from pathlib import Path

from sqlmodel import select

from fieldcheck.photos.blobs import BlobStore
from fieldcheck.sync.errors import SyncErrorKind
from sync_server.blobs.models import Blob, Upload
from sync_server.sync.models import AppliedOp, RecordVersion, ScopeHead
from sync_server.testing import run_cli
from tests.faults.conftest import ONCE, restart, wait_dead
from tests.faults.helpers import blob_state, finish_upload, outbox_states
from tests.faults.invariants import Snapshot, server_db, settle_and_check
from tests.faults.proxy import UPSTREAM, Toxic
from tests.sync.conftest import big_jpeg


def committed_offset(server, sha: str) -> int:  # type: ignore[no-untyped-def]
    """The committed offset of the (one) upload of ``sha``, read from the server's database
    (an upload is visible only to its creator over the API)."""
    with server_db(server) as sdb:
        return sdb.exec(select(Upload.committed_offset).where(Upload.sha256 == sha)).one()


def part_file(server, sha: str) -> Path:  # type: ignore[no-untyped-def]
    """The staged part file of the (one) upload of ``sha``."""
    (part,) = (server.data_dir / "incoming").glob(f"{sha}.*.part")
    return part


def crash_in_sync(server, laptop, point: str):  # type: ignore[no-untyped-def]
    """Arm ``point`` on a restarted server, sync, and see the server die there (SIGKILL)."""
    laptop.engine()  # signed in before the fault
    restart(server, crash_at=point)
    cut = laptop.sync(config=ONCE)
    assert cut.error is not None
    assert wait_dead(server) == -signal.SIGKILL
    return cut


def test_f11_killed_after_a_chunk_write_before_its_commit(clean_server, make_laptop, tmp_path):
    laptop = make_laptop("alice")
    photo = big_jpeg(tmp_path / "f11.jpg", seed=111)
    size = photo.stat().st_size
    [sha] = laptop.import_photos([photo], "CG-01")
    before = Snapshot.take([laptop])
    cut = crash_in_sync(clean_server, laptop, "server_chunk_written:2")
    assert cut.error.kind is SyncErrorKind.UNREACHABLE
    tail = part_file(clean_server, sha).stat().st_size
    restart(clean_server)
    committed = committed_offset(clean_server, sha)
    assert 0 < committed < tail  # the second chunk's bytes are on disk, not committed
    finish_upload(clean_server, laptop, sha, before, resent=size - committed)


def test_f12_killed_inside_a_push_transaction(clean_server, make_laptop):
    laptop = make_laptop("bob")
    inspection = laptop.start_inspection("CG-02")
    laptop.answer(inspection, "1.1", {"entrances": 6, "guard_post": "fail"})
    before = Snapshot.take([laptop])
    laptop.engine()
    with server_db(clean_server) as sdb:
        heads = {h.scope_id: h.max_seq for h in sdb.exec(select(ScopeHead)).all()}
    cut = crash_in_sync(clean_server, laptop, "server_push_uncommitted")
    assert cut.error.kind is SyncErrorKind.UNREACHABLE
    restart(clean_server)
    ops = set(outbox_states(laptop))
    with server_db(clean_server) as sdb:  # rolled back completely
        assert not [op for op in ops if sdb.get(AppliedOp, op)]
        assert {h.scope_id: h.max_seq for h in sdb.exec(select(ScopeHead)).all()} == heads
    again = laptop.sync(config=ONCE)
    assert again.error is None, again.error
    with server_db(clean_server) as sdb:
        for op in ops:
            found = sdb.exec(select(RecordVersion).where(RecordVersion.op_id == op)).all()
            assert len(found) <= 1  # coalesced rows share one op
    settle_and_check(clean_server, [laptop], before)


def test_f2_killed_after_a_push_commits_before_its_answer(clean_server, make_laptop):
    """F2 with a real crash: the push committed, the process died before answering."""
    laptop = make_laptop("carol")
    inspection = laptop.start_inspection("CG-03")
    laptop.answer(inspection, "1.1", {"entrances": 1, "guard_post": "fail"})
    before = Snapshot.take([laptop])
    crash_in_sync(clean_server, laptop, "server_push_committed")
    assert set(outbox_states(laptop).values()) == {"inflight"}
    restart(clean_server)
    with server_db(clean_server) as sdb:
        versions = len(sdb.exec(select(RecordVersion)).all())
    again = laptop.sync(config=ONCE)
    assert again.error is None, again.error
    with server_db(clean_server) as sdb:
        assert len(sdb.exec(select(RecordVersion)).all()) == versions
    settle_and_check(clean_server, [laptop], before)


def test_f13_killed_after_the_rename_before_the_blob_row(clean_server, make_laptop, tmp_path):
    laptop = make_laptop("dave")
    [sha] = laptop.import_photos([big_jpeg(tmp_path / "f13.jpg", seed=113)], "CG-04")
    before = Snapshot.take([laptop])
    crash_in_sync(clean_server, laptop, "server_blob_renamed")
    published = clean_server.data_dir / "blobs" / sha[:2] / sha[2:4] / sha
    assert published.is_file()
    with server_db(clean_server) as sdb:
        assert sdb.get(Blob, sha) is None  # a file without its row
    restart(clean_server)  # the start-up scan re-hashes it and inserts the row
    with server_db(clean_server) as sdb:
        assert sdb.get(Blob, sha) is not None
    finish_upload(clean_server, laptop, sha, before, resent=0)


def test_f16_disk_full_during_an_upload(clean_server, make_laptop, tmp_path):
    laptop = make_laptop("erin")
    photo = big_jpeg(tmp_path / "f16.jpg", seed=116)
    [sha] = laptop.import_photos([photo], "CG-05")
    before = Snapshot.take([laptop])
    laptop.engine()
    restart(clean_server, fail_at="server_disk_full")
    full = laptop.sync(config=ONCE)
    assert full.error is not None
    assert blob_state(laptop, sha) != "verified"
    assert set(outbox_states(laptop, "photo").values()) == {"pending"}
    with server_db(clean_server) as sdb:
        assert sdb.get(Blob, sha) is None
    restart(clean_server)  # space freed
    finish_upload(clean_server, laptop, sha, before, resent=photo.stat().st_size)


def test_f17_a_flipped_bit_in_a_part_file_and_in_a_stored_blob(
    clean_server, proxy, make_laptop, tmp_path
):
    laptop = make_laptop("frank")
    photo = big_jpeg(tmp_path / "f17.jpg", seed=117)
    size = photo.stat().st_size
    [sha] = laptop.import_photos([photo], "CG-05")
    before = Snapshot.take([laptop])
    laptop.engine()
    proxy.add(Toxic.limit_data(900_000, UPSTREAM))
    assert laptop.engine(proxy.url, config=ONCE).run().error is not None
    proxy.heal()
    part = part_file(clean_server, sha)
    assert committed_offset(clean_server, sha) > 100
    with open(part, "r+b") as handle:  # a flipped bit in the committed bytes
        handle.seek(50)
        byte = handle.read(1)
        handle.seek(50)
        handle.write(bytes([byte[0] ^ 0x01]))
    again = laptop.engine(proxy.url).run()  # 422 at the end, then from 0
    assert again.error is None, again.error
    assert again.bytes_sent >= size
    assert blob_state(laptop, sha) == "verified"

    stored = clean_server.data_dir / "blobs" / sha[:2] / sha[2:4] / sha
    os.chmod(stored, stat.S_IRUSR | stat.S_IWUSR)
    original = stored.read_bytes()
    stored.write_bytes(original[:10] + bytes([original[10] ^ 0x01]) + original[11:])
    done = run_cli(["verify"], clean_server.env)
    assert done.returncode != 0
    assert f"MISMATCH {sha}" in done.stdout
    # restored from the laptop's copy, which it keeps
    stored.write_bytes(BlobStore(laptop.store.paths.blobs).path_for(sha).read_bytes())
    assert run_cli(["verify"], clean_server.env).returncode == 0
    settle_and_check(clean_server, [laptop], before)
