"""The cost and resilience of a sync on the wire: a no-op sync is one small request; a cut
in the middle of a photo upload resumes at the offset the server committed; a local photo
that no longer matches its hash is never uploaded; pushes lost on the way back are replayed."""

from __future__ import annotations

import os
import stat

import requests
import requests.adapters
from sqlmodel import select

from fieldcheck.photos.blobs import BlobStore
from fieldcheck.store.sync_tables import BlobSyncRow, OutboxSyncRow
from fieldcheck.store.tables import OutboxRow
from fieldcheck.sync.blobs import MAX_CHUNK
from fieldcheck.sync.errors import SyncErrorKind
from fieldcheck.sync.http import HttpConfig
from fieldcheck.sync.progress import CancelFlag, Phase
from sync_server.testing import PASSWORD, ApiClient
from tests.faults.proxy import UPSTREAM, FaultProxy, Toxic
from tests.sync.conftest import big_jpeg


def test_noop_sync_is_one_small_request(server, make_laptop):
    laptop = make_laptop("carol")
    inspection = laptop.start_inspection("CG-03")
    laptop.answer(inspection, "1.1", {"entrances": 1, "guard_post": "pass"})
    first = laptop.sync()
    assert first.outcome == "synced", first.error
    with FaultProxy(upstream_port=server.process.port) as proxy:
        again = laptop.sync(proxy.url)
        assert again.outcome == "noop", again.error
        assert again.requests == 1
        assert proxy.connections == 1
        assert proxy.bytes_up + proxy.bytes_down < 2048, (proxy.bytes_up, proxy.bytes_down)


def test_cut_mid_upload_resumes_at_the_committed_offset(server, make_laptop, tmp_path):
    laptop = make_laptop("dave")
    photo = big_jpeg(tmp_path / "big.jpg", seed=5, size=(2000, 1500))
    size = photo.stat().st_size
    assert size > 3 * 1024 * 1024
    [sha] = laptop.import_photos([photo], "CG-04")
    seen: list = []
    with FaultProxy(upstream_port=server.process.port) as proxy:
        proxy.add(Toxic.limit_data(2_000_000, UPSTREAM))  # the link dies after ~2 MB
        once = HttpConfig(attempts=1, backoff_base=0.01)
        cut = laptop.engine(proxy.url, config=once, on_progress=seen.append).run()
        assert cut.error is not None
        assert cut.error.kind is SyncErrorKind.UNREACHABLE
        api = ApiClient(server.url)
        api.login("dave", PASSWORD, "dev-dave-check")
        head = api.request("HEAD", f"/v1/uploads/{sha}", headers={"Tus-Resumable": "1.0.0"})
        committed = int(head.headers["Upload-Offset"])
        assert 0 < committed < size
        with laptop.store.read() as session:
            assert session.get(BlobSyncRow, sha).state == "uploading"
            photo_ops = session.exec(select(OutboxRow).where(OutboxRow.entity == "photo")).all()
            assert {r.state for r in photo_ops} == {"pending"}  # nothing confirmed, nothing lost

        proxy.heal()
        before = proxy.bytes_up
        resumed = laptop.sync(proxy.url)
        assert resumed.error is None, resumed.error
        assert resumed.photos_uploaded == 1
        assert resumed.bytes_sent == size - committed  # not one byte before the offset again
        assert proxy.bytes_up - before < size - committed + 64 * 1024  # plus headers and JSON
    in_flight = cut.bytes_sent - committed
    assert in_flight + resumed.bytes_sent - (size - committed) <= MAX_CHUNK  # ≤ one chunk
    assert any(p.phase is Phase.BLOBS and p.current_photo == sha for p in seen)
    with laptop.store.read() as session:
        assert session.get(BlobSyncRow, sha).state == "verified"
        assert {r.state for r in session.exec(select(OutboxRow)).all()} == {"done"}


def test_a_changed_local_photo_raises_an_integrity_alert_and_stays_pending(
    server, make_laptop, tmp_path
):
    laptop = make_laptop("erin")
    photo = big_jpeg(tmp_path / "small.jpg", seed=9, size=(300, 200))
    [sha] = laptop.import_photos([photo], "CG-05")
    path = BlobStore(laptop.store.paths.blobs).path_for(sha)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    with open(path, "r+b") as handle:  # bit rot, or an edit in another program
        handle.seek(100)
        handle.write(b"\x00\x01\x02")
    report = laptop.sync()
    assert report.error is None
    assert report.integrity_alerts
    assert report.photos_uploaded == 0
    assert report.needs_attention
    with laptop.store.read() as session:
        assert session.get(BlobSyncRow, sha).state == "integrity"
        [photo_op] = session.exec(select(OutboxRow).where(OutboxRow.entity == "photo")).all()
        assert photo_op.state == "pending"
    done = laptop.cli("sync", "--server", server.url, "--user", "erin")
    assert done.returncode == 1
    assert "integrity alert" in done.stderr


class LoseAnswers(requests.adapters.HTTPAdapter):
    """Delivers requests but loses the answer of the first ``count`` pushes (F2: the
    server committed, the laptop never heard)."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count

    def send(self, request, **kwargs):  # type: ignore[no-untyped-def, override]
        response = super().send(request, **kwargs)
        if request.path_url.startswith("/v1/sync/push") and self.count > 0:
            self.count -= 1
            raise requests.ConnectionError("connection reset while reading the answer")
        return response


def test_a_lost_push_answer_is_retried_with_the_same_op_ids(make_laptop):
    laptop = make_laptop("frank")
    inspection = laptop.start_inspection("CG-02")
    laptop.answer(inspection, "1.1", {"entrances": 4, "guard_post": "pass"})
    session = requests.Session()
    session.mount("http://", LoseAnswers(1))
    lost = laptop.sync(session=session, config=HttpConfig(attempts=1))
    assert lost.error is not None
    assert lost.error.kind is SyncErrorKind.UNREACHABLE
    with laptop.store.read() as db:
        rows = db.exec(select(OutboxRow)).all()
        assert {r.state for r in rows} == {"inflight"}  # sent, not confirmed
        frozen = {r.op_id: db.get(OutboxSyncRow, r.op_id).sent_op for r in rows}
    laptop.answer(inspection, "1.1", {"entrances": 5, "guard_post": "pass"})  # waits its turn
    again = laptop.sync()
    assert again.error is None, again.error
    with laptop.store.read() as db:
        for op_id, sent in frozen.items():
            if sent is None:
                continue  # coalesced into another row's op
            result = db.get(OutboxSyncRow, op_id).result
            assert result["replayed"] is True  # the server had committed it: stored result
            assert result["status"] == "applied"
        assert {r.state for r in db.exec(select(OutboxRow)).all()} == {"done"}
    assert again.records_pushed == 3  # two replays, then the edit that waited


def test_cancel_stops_before_anything_is_sent(server, make_laptop):
    laptop = make_laptop("alice", "laptop-cancel")
    inspection = laptop.start_inspection("CG-01")
    laptop.answer(inspection, "1.1", {"entrances": 1, "guard_post": "pass"})
    flag = CancelFlag()
    engine = laptop.engine(cancel=flag)
    flag.cancel()
    report = engine.run()
    assert report.error is not None
    assert report.error.kind is SyncErrorKind.CANCELLED
    assert report.requests == 0
    assert {r.state for r in laptop.outbox()} == {"pending"}
