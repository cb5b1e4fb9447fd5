"""Bad input through the real importer: each file is refused with a reason naming the problem
(or imported and flagged), and a refused file leaves nothing behind."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import struct
import zlib

import pytest
from PIL import Image

from fieldcheck.core.photo_import import ImportStatus, import_photos
from fieldcheck.photos.blobs import BlobStore

pytestmark = pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` × ``height`` pixels, with one tiny data chunk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def import_one(store, target, path):
    summary = import_photos(store, [path], target)
    assert len(summary.outcomes) == 1
    return summary.outcomes[0]


def assert_left_nothing(store):
    blobs = BlobStore(store.paths.blobs)
    assert list(blobs.iter_hashes()) == []
    assert blobs.stale_temps() == []
    assert not list(store.paths.cache.rglob("*.jpg")) if store.paths.cache.exists() else True


@pytest.mark.parametrize(
    ("name", "content", "code", "words"),
    [
        ("empty.jpg", b"", "photo_empty", "empty"),
        ("notes.jpg", "现场记录: 3号楼\nnot a photo\n".encode(), "photo_not_image", "text file"),
        ("hopper.jpg", b"GIF89a" + b"\x00" * 40, "photo_unsupported", "GIF"),
        # 100 MP: over Pillow's limit but under twice it, where Pillow only warns
        ("bomb.png", png_header_only(10_000, 10_000), "photo_bomb", "pixel"),
        ("bigger_bomb.png", png_header_only(20_000, 20_000), "photo_bomb", "pixels"),
    ],
)
def test_refused_with_a_reason_and_nothing_left(
    store_and_target, tmp_path, name, content, code, words, put
):
    store, target = store_and_target
    outcome = import_one(store, target, put(tmp_path / "in" / name, content))
    assert outcome.status is ImportStatus.REFUSED
    assert outcome.code == code
    assert name in outcome.reason
    assert words in outcome.reason
    assert_left_nothing(store)


def test_truncated_jpeg_is_refused_as_damaged(store_and_target, tmp_path, jpeg, put):
    store, target = store_and_target
    whole = jpeg((640, 480), quality=95)
    outcome = import_one(store, target, put(tmp_path / "cut.jpg", whole[: len(whole) // 2]))
    assert outcome.status is ImportStatus.REFUSED
    assert outcome.code == "photo_damaged"
    assert "damaged" in outcome.reason
    assert "JPEG" in outcome.reason
    assert_left_nothing(store)


def test_heic_named_jpg_is_imported_as_heic(store_and_target, corpus, tmp_path):
    store, target = store_and_target
    fake = tmp_path / "IMG_0001.jpg"
    shutil.copyfile(corpus / "pillow_heif/tests/images/heif_other/pug.heic", fake)
    outcome = import_one(store, target, fake)
    assert outcome.status is ImportStatus.IMPORTED
    assert (outcome.photo.format, outcome.photo.mime) == ("HEIC", "image/heic")
    assert outcome.photo.original_name == "IMG_0001.jpg"
    assert outcome.photo.location is not None


def test_decompression_bomb_from_the_corpus(store_and_target, corpus):
    store, target = store_and_target
    outcome = import_one(store, target, corpus / "pillow_heif/tests/images/heif_special/200MP.heic")
    assert outcome.code == "photo_bomb"
    assert_left_nothing(store)


def test_photo_dated_in_the_future_is_imported_and_flagged(store_and_target, tmp_path, jpeg, put):
    store, target = store_and_target
    later = dt.datetime.now() + dt.timedelta(days=30)
    path = put(tmp_path / "future.jpg", jpeg(taken=later, offset="+08:00"))
    outcome = import_one(store, target, path)
    assert outcome.status is ImportStatus.IMPORTED
    assert outcome.photo.future_dated
    assert outcome.photo.captured_at.utcoffset() == dt.timedelta(hours=8)
    assert outcome.photo.captured_at.replace(tzinfo=None) == later.replace(microsecond=0)
    now = put(tmp_path / "now.jpg", jpeg(taken=dt.datetime.now(), color=(1, 2, 3)))
    assert not import_one(store, target, now).photo.future_dated


def test_exif_facts_of_a_generated_photo(store_and_target, tmp_path, jpeg, put):
    store, target = store_and_target
    taken = dt.datetime(2026, 4, 2, 9, 15, 30)
    data = jpeg(
        (300, 200), taken=taken, offset="+08:00", gps=(39.9042, 116.4074), orientation=6,
        make="HUAWEI", model="Mate 60",
    )  # fmt: skip
    photo = import_one(store, target, put(tmp_path / "IMG.jpg", data)).photo
    assert photo.captured_at == taken.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert photo.location.lat == pytest.approx(39.9042, abs=1e-4)
    assert photo.location.lon == pytest.approx(116.4074, abs=1e-4)
    assert (photo.orientation, photo.width, photo.height) == (6, 200, 300)
    assert (photo.make, photo.model, photo.inspector) == ("HUAWEI", "Mate 60", "王工")


def test_a_file_that_disappears_mid_import_is_refused_and_the_rest_continue(
    store_and_target, tmp_path, jpeg, put
):
    store, target = store_and_target
    files = [put(tmp_path / f"IMG_{i:04}.jpg", jpeg(color=(i * 9, 0, 0))) for i in range(30)]
    gone = files[-3]

    def selected():  # the user's selection; the card is pulled halfway through
        for index, path in enumerate(files):
            if index == 10:
                gone.unlink()
            yield path

    summary = import_photos(store, selected(), target)
    by_name = {o.path.name: o for o in summary.outcomes}
    assert by_name[gone.name].status is ImportStatus.REFUSED
    assert by_name[gone.name].code == "photo_missing"
    assert "disappeared" in by_name[gone.name].reason
    assert summary.imported == 29


def test_folder_with_ten_thousand_small_files(shm_store_and_target, tmp_path):
    """Distinct tiny PNGs; the data dir lives on tmpfs where possible, so fsync cost does not
    dominate the suite (the subject is many files, not disk speed)."""
    store, target = shm_store_and_target
    folder = tmp_path / "many"
    for i in range(10_000):
        nested = folder / f"{i // 1000:02}"
        nested.mkdir(parents=True, exist_ok=True)
        out = io.BytesIO()
        Image.new("RGB", (4, 4), (i % 256, i // 256, 99)).save(out, "PNG")
        (nested / f"{i:05}.png").write_bytes(out.getvalue())
    seen = []
    summary = import_photos(store, [folder], target, on_outcome=seen.append, keep_outcomes=False)
    assert (summary.imported, summary.refused, summary.duplicates) == (10_000, 0, 0)
    assert [o.path.name for o in seen] == sorted(o.path.name for o in seen)  # input order
    assert len(list(BlobStore(store.paths.blobs).iter_hashes())) == 10_000
