"""SYNC-RESEARCH §7.2, network and transport: F1–F10, each through the real server and, where
the fault lives on the wire, the :class:`FaultProxy`; every scenario ends with the global
invariants (two clean rounds, then :func:`check_invariants`).

Where the proxy cannot aim a fault at one answer among several on the same connection (F3,
F8, F9: "lose the answer of the last PATCH / of a changes page / fail the push"), a requests
adapter loses that answer after the server has fully handled the request — the same
observable fault for the laptop (a connection error while reading the answer)."""

from __future__ import annotations

import hashlib
import random
import threading

from sqlmodel import select

from fieldcheck.store.sync_tables import OutboxSyncRow, SyncCursorRow
from fieldcheck.store.tables import AnswerRow, OutboxRow
from fieldcheck.sync.blobs import MAX_CHUNK, MIN_CHUNK
from fieldcheck.sync.errors import SyncErrorKind
from fieldcheck.sync.http import HttpConfig
from sync_server.sync.models import AppliedOp, RecordVersion
from sync_server.testing import PASSWORD, ApiClient, answer_op, inspection_op, photo_op
from tests.faults.conftest import ONCE
from tests.faults.helpers import blob_state, finish_upload, outbox_states, session_losing
from tests.faults.invariants import Snapshot, server_db, settle_and_check
from tests.faults.proxy import DOWNSTREAM, UPSTREAM, Toxic
from tests.sync.conftest import big_jpeg


def api_for(server, user: str, device: str) -> ApiClient:  # type: ignore[no-untyped-def]
    api = ApiClient(server.url)
    api.login(user, PASSWORD, device)
    return api


def test_f1_cut_mid_patch_resumes_from_the_committed_offset(
    clean_server, proxy, make_laptop, tmp_path
):
    laptop = make_laptop("alice")
    photo = big_jpeg(tmp_path / "f1.jpg", seed=101, size=(1400, 1000))
    size = photo.stat().st_size
    [sha] = laptop.import_photos([photo], "CG-01")
    before = Snapshot.take([laptop])
    cut_at = random.Random(1).randrange(600_000, size - 100_000)
    proxy.add(Toxic.limit_data(cut_at, UPSTREAM))
    cut = laptop.engine(proxy.url, config=ONCE).run()
    assert cut.error is not None
    assert cut.error.kind is SyncErrorKind.UNREACHABLE
    head = api_for(clean_server, "alice", "f1-check").request(
        "HEAD", f"/v1/uploads/{sha}", headers={"Tus-Resumable": "1.0.0"}
    )
    committed = int(head.headers["Upload-Offset"])
    assert 0 <= committed < size
    assert blob_state(laptop, sha) != "verified"
    proxy.heal()
    resumed = laptop.engine(proxy.url, config=ONCE).run()
    assert resumed.error is None, resumed.error
    assert resumed.bytes_sent == size - committed
    assert cut.bytes_sent - committed <= MAX_CHUNK  # lost in flight: at most one chunk
    assert blob_state(laptop, sha) == "verified"
    with server_db(clean_server) as sdb:
        from sync_server.blobs.models import Blob

        assert len(sdb.exec(select(Blob).where(Blob.sha256 == sha)).all()) == 1
    settle_and_check(clean_server, [laptop], before)


def test_f2_push_answer_lost_after_commit_is_replayed(clean_server, proxy, make_laptop):
    laptop = make_laptop("bob")
    inspection = laptop.start_inspection("CG-02")
    laptop.answer(inspection, "1.1", {"entrances": 2, "guard_post": "pass"})
    before = Snapshot.take([laptop])
    lost = laptop.sync(session=session_losing("POST", "/v1/sync/push"), config=ONCE)
    assert lost.error is not None
    assert lost.error.kind is SyncErrorKind.UNREACHABLE
    assert set(outbox_states(laptop).values()) == {"inflight"}  # indeterminate, not done
    with server_db(clean_server) as sdb:
        versions = len(sdb.exec(select(RecordVersion)).all())
    again = laptop.engine(proxy.url, config=ONCE).run()
    assert again.error is None, again.error
    with laptop.store.read() as db:
        for row in db.exec(select(OutboxRow)).all():
            result = db.get(OutboxSyncRow, row.op_id).result
            assert result["replayed"] is True
            assert result["status"] == "applied"
    with server_db(clean_server) as sdb:
        assert len(sdb.exec(select(RecordVersion)).all()) == versions  # no new revs
    settle_and_check(clean_server, [laptop], before)


def test_f3_answer_of_the_last_chunk_lost(clean_server, make_laptop, tmp_path):
    laptop = make_laptop("carol")
    photo = big_jpeg(tmp_path / "f3.jpg", seed=103)
    [sha] = laptop.import_photos([photo], "CG-03")
    before = Snapshot.take([laptop])
    session = session_losing("PATCH", "/v1/uploads/", total=photo.stat().st_size)
    lost = laptop.sync(session=session, config=ONCE)
    assert lost.error is not None
    assert blob_state(laptop, sha) != "verified"  # the laptop never heard
    finish_upload(clean_server, laptop, sha, before, resent=0)  # the server holds it


def test_f4_the_same_push_twice_at_once_applies_once(clean_server, make_laptop):
    api = api_for(clean_server, "dave", "f4-device")
    insp = inspection_op("CG-04")
    ops = [insp, answer_op(insp["id"], "1.1", values={"entrances": 1, "guard_post": "pass"})]
    answers: list = [None, None]

    def send(i: int) -> None:
        answers[i] = api.push(ops).json()["results"]

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert all(r["status"] == "applied" for r in answers[0]), answers
    strip = [[{k: v for k, v in r.items() if k != "replayed"} for r in a] for a in answers]
    assert strip[0] == strip[1]
    assert sorted(r["replayed"] for r in answers[0] + answers[1]) == [False, False, True, True]
    with server_db(clean_server) as sdb:
        for op in ops:
            rows = sdb.exec(select(RecordVersion).where(RecordVersion.op_id == op["op_id"]))
            assert len(rows.all()) == 1
    settle_and_check(clean_server, [make_laptop("dave")])


def test_f5_an_op_id_reused_with_another_payload_is_rejected(clean_server, make_laptop):
    api = api_for(clean_server, "erin", "f5-device")
    insp = inspection_op("CG-05")
    first = api.push([insp]).json()["results"][0]
    assert first["status"] == "applied"
    changed = {**insp, "fields": {**insp["fields"], "inspector": "someone-else"}}
    second = api.push([changed]).json()["results"][0]
    assert second["status"] == "rejected"
    assert second["code"] == "idempotency_key_reused"
    with server_db(clean_server) as sdb:
        stored = sdb.get(AppliedOp, insp["op_id"])
        assert stored.result["status"] == "applied"  # the stored outcome is unchanged
    settle_and_check(clean_server, [make_laptop("erin")])


def test_f6_a_stalled_link_times_out_and_keeps_everything(clean_server, proxy, make_laptop):
    laptop = make_laptop("frank")
    inspection = laptop.start_inspection("CG-05")
    laptop.answer(inspection, "1.1", {"entrances": 3, "guard_post": "pass"})
    before = Snapshot.take([laptop])
    laptop.engine()  # signed in while the link was good
    proxy.add(Toxic.blackhole(DOWNSTREAM))
    short = HttpConfig(connect_timeout=1, read_timeout=1, attempts=2, backoff_base=0.01)
    import time

    started = time.monotonic()
    stalled = laptop.engine(proxy.url, config=short).run()
    assert time.monotonic() - started < 10
    assert stalled.error is not None
    assert stalled.error.kind is SyncErrorKind.UNREACHABLE
    assert set(outbox_states(laptop).values()) <= {"pending", "inflight"}
    proxy.heal()
    assert laptop.engine(proxy.url, config=ONCE).run().error is None
    settle_and_check(clean_server, [laptop], before)


def test_f7_a_very_slow_link_still_completes(clean_server, proxy, make_laptop, tmp_path):
    laptop = make_laptop("alice")
    photo = big_jpeg(tmp_path / "f7.jpg", seed=107, size=(420, 300))  # ~300 KB
    [sha] = laptop.import_photos([photo], "CG-01")
    before = Snapshot.take([laptop])
    # Scaled from 8 KB/s and 1.5 s to keep the suite short; the shape is the same.
    proxy.add(Toxic.bandwidth(64, UPSTREAM))
    proxy.add(Toxic.latency(150, 50, DOWNSTREAM))
    proxy.add(Toxic.slicer(700, 300, 200, UPSTREAM))
    slow = HttpConfig(connect_timeout=5, read_timeout=15, attempts=3, backoff_base=0.01)
    report = laptop.engine(proxy.url, config=slow).run()
    assert report.error is None, report.error
    assert report.photos_uploaded == 1
    assert all(size >= MIN_CHUNK for size in report.chunk_sizes)
    assert blob_state(laptop, sha) == "verified"
    settle_and_check(clean_server, [laptop], before)


def test_f8_a_reset_during_a_pull_page_applies_nothing(clean_server, make_laptop):
    writer, reader = make_laptop("bob"), make_laptop("carol")
    inspection = writer.start_inspection("CG-02")
    writer.answer(inspection, "1.1", {"entrances": 4, "guard_post": "fail"})
    assert writer.sync().error is None
    before = Snapshot.take([writer, reader])

    def local(laptop):  # type: ignore[no-untyped-def]
        with laptop.store.read() as db:
            cursors = {c.scope_id: c.last_seq for c in db.exec(select(SyncCursorRow)).all()}
            return cursors, sorted(a.id for a in db.exec(select(AnswerRow)).all())

    start = local(reader)
    cut = reader.sync(session=session_losing("GET", "/v1/sync/changes"), config=ONCE)
    assert cut.error is not None
    assert local(reader) == start  # page not applied, cursor unchanged
    assert reader.sync(config=ONCE).error is None
    first = local(reader)
    assert first != start
    settle_and_check(clean_server, [writer, reader], before)
    assert local(reader)[1] == first[1]


def test_f9_a_verified_blob_whose_photo_push_failed(clean_server, make_laptop, tmp_path):
    laptop = make_laptop("dave")
    [sha] = laptop.import_photos([big_jpeg(tmp_path / "f9.jpg", seed=109)], "CG-04")
    before = Snapshot.take([laptop])
    failed = laptop.sync(session=session_losing("POST", "/v1/sync/push", 1), config=ONCE)
    assert failed.error is not None
    assert blob_state(laptop, sha) == "verified"
    # A photo op whose blob the server lacks is deferred, never rejected.
    api = api_for(clean_server, "dave", "f9-device")
    lacking = hashlib.sha256(b"f9 never uploaded").hexdigest()
    result = api.push([photo_op(lacking, "CG-04")]).json()["results"][0]
    assert result["status"] == "deferred", result
    again = laptop.sync(config=ONCE)
    assert again.error is None
    assert again.bytes_sent == 0
    assert set(outbox_states(laptop, "photo").values()) == {"done"}
    settle_and_check(clean_server, [laptop], before)


def test_f10_overlapping_patches_commit_one_chunk(clean_server, make_laptop, tmp_path):
    data = big_jpeg(tmp_path / "f10.jpg", seed=110, size=(900, 700)).read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    api = api_for(clean_server, "erin", "f10-device")
    assert api.create_upload(sha, len(data)).status_code in (200, 201)
    half = len(data) // 2
    codes: list[int] = []

    def patch() -> None:
        codes.append(api.patch_chunk(f"/v1/uploads/{sha}", 0, data[:half]).status_code)

    threads = [threading.Thread(target=patch) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(codes) == [204, 409], codes
    last = api.patch_chunk(f"/v1/uploads/{sha}", half, data[half:])
    assert last.status_code == 204, last.text
    got = api.request("GET", f"/v1/blobs/{sha}")
    assert hashlib.sha256(got.content).hexdigest() == sha
    settle_and_check(clean_server, [make_laptop("erin")])
