"""A colleague's photo whose download is cut off mid-file resumes where it stopped: the bytes
that arrived are kept in ``blobs/incoming/<sha256>.part``, the next sync asks the server only
for the rest (``Range``), and the whole file is checked against its hash before it enters the
blob store. The global invariants hold afterwards."""

from __future__ import annotations

from fieldcheck.paths import DataPaths
from fieldcheck.photos.blobs import BlobStore, file_sha256
from fieldcheck.sync.errors import SyncErrorKind
from tests.faults.conftest import ONCE
from tests.faults.invariants import Snapshot, settle_and_check
from tests.faults.proxy import DOWNSTREAM, Toxic
from tests.sync.conftest import big_jpeg


def test_a_cut_download_resumes_where_it_stopped(clean_server, make_laptop, proxy, tmp_path):
    alice, bob = make_laptop("alice"), make_laptop("bob")
    photo = big_jpeg(tmp_path / "big.jpg", seed=401, size=(2000, 1500))
    size = photo.stat().st_size
    assert size > 3_000_000
    [sha] = alice.import_photos([photo], "CG-02")
    assert alice.sync().error is None
    blobs = BlobStore(DataPaths(bob.root).blobs)
    before = Snapshot.take([alice, bob])

    # The first connection carries the pull and about half of the photo, then is cut.
    cut = proxy.add(Toxic.limit_data(size // 2, DOWNSTREAM))
    report = bob.sync(proxy.url, config=ONCE)
    assert report.error is not None
    assert report.error.kind is SyncErrorKind.UNREACHABLE
    assert "cut off" in report.error.message
    partial = blobs.partial(sha)
    kept = partial.stat().st_size
    assert 0 < kept < size
    assert not blobs.exists(sha)

    proxy.remove(cut)
    sent_before = proxy.bytes_down
    report = bob.sync(proxy.url, config=ONCE)
    assert report.error is None
    assert report.photos_downloaded == 1
    resumed = proxy.bytes_down - sent_before
    assert resumed < size - kept + 64_000  # the rest of the photo and small answers, no more
    assert blobs.exists(sha)
    assert file_sha256(blobs.path_for(sha)) == sha
    assert not partial.exists()
    settle_and_check(clean_server, [alice, bob], before)


def test_a_kept_partial_that_is_not_a_prefix_is_replaced(
    clean_server, make_laptop, proxy, tmp_path
):
    """Garbage in the partial file (a disk error, say) never reaches the store: the joined
    file fails its hash, is thrown away, and the photo is downloaded whole in the same sync."""
    alice, bob = make_laptop("carol"), make_laptop("dave")
    photo = big_jpeg(tmp_path / "other.jpg", seed=402, size=(800, 600))
    [sha] = alice.import_photos([photo], "CG-03")
    assert alice.sync().error is None
    blobs = BlobStore(DataPaths(bob.root).blobs)
    blobs.incoming.mkdir(parents=True, exist_ok=True)
    blobs.partial(sha).write_bytes(b"\0" * 1000)
    sent_before = proxy.bytes_down
    report = bob.sync(proxy.url, config=ONCE)
    assert report.error is None
    assert proxy.bytes_down - sent_before > photo.stat().st_size  # fetched whole, once more
    assert file_sha256(blobs.path_for(sha)) == sha
    assert not blobs.partial(sha).exists()
