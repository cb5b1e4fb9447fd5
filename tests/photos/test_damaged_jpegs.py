"""Damaged JPEGs against the reduced-scale import: every file a full Pillow decode refuses is
refused by the import too (it decodes at reduced DCT scale, which still entropy-decodes every
scan), and the damage a full decode lets through without an error (a tail that was never
written, lost progressive scans) is refused from the markers. Baseline and progressive."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image

from fieldcheck.photos import importer
from fieldcheck.photos.blobs import BlobStore
from fieldcheck.photos.cache import DerivedCache
from fieldcheck.photos.errors import PhotoRefusedError
from fieldcheck.photos.importer import ensure_preview, prepare_photo
from fieldcheck.photos.jpeg_structure import CUT_OFF, INCOMPLETE, structure_problem


def noisy_jpeg(progressive: bool) -> bytes:
    """A photo-like JPEG (noise, so the scans are dense), 3200×2400 so the import decodes it
    at 1/8 scale (the thumbnail's) and the first view at 1/2 (the preview's)."""
    im = Image.effect_noise((500, 375), 60).convert("RGB").resize((3200, 2400))
    grain = Image.effect_noise((3200, 2400), 20).convert("RGB")
    out = io.BytesIO()
    Image.blend(im, grain, 0.3).save(out, "JPEG", quality=85, progressive=progressive)
    return out.getvalue()


def dense_jpeg() -> bytes:
    """Pixel noise at quality 95: so many bits a pixel that the zeros of an unwritten tail
    are enough for libjpeg to decode every remaining block from them without running out."""
    out = io.BytesIO()
    Image.effect_noise((3200, 2400), 80).convert("RGB").save(out, "JPEG", quality=95)
    return out.getvalue()


@pytest.fixture(scope="module")
def photos() -> dict[str, bytes]:
    return {"baseline": noisy_jpeg(False), "progressive": noisy_jpeg(True), "dense": dense_jpeg()}


def scan_starts(data: bytes) -> list[int]:
    """Where each SOS segment starts (an FF DA pair can only be a marker in a valid file)."""
    return [i for i in range(len(data) - 1) if data[i] == 0xFF and data[i + 1] == 0xDA]


def damaged_versions(whole: bytes) -> dict[str, bytes]:
    rng = random.Random(17)
    size = len(whole)
    flipped = bytearray(whole)
    for _ in range(20):
        at = rng.randrange(size // 4, size - 10)
        flipped[at] ^= 1 << rng.randrange(8)
    noise = bytearray(whole)
    noise[size // 2 : size // 2 + 4096] = rng.randbytes(4096)
    return {
        "cut at 10%": whole[: size // 10],
        "cut at 50%": whole[: size // 2],
        "cut at 99.9%": whole[: size * 999 // 1000],
        "no end marker": whole[:-2],
        "tail of 0xFF": whole[: size * 7 // 10] + b"\xff" * (size - size * 7 // 10),
        "tail never written": whole[: size * 7 // 10] + bytes(size - size * 7 // 10),
        "20 flipped bits": bytes(flipped),
        "4 KiB of noise": bytes(noise),
    }


def full_decode_error(data: bytes) -> str | None:
    try:
        with Image.open(io.BytesIO(data)) as im:
            im.load()
    except Exception as exc:
        return str(exc)
    return None


def prepare(tmp_path, name: str, data: bytes):
    source = tmp_path / "in" / name
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_bytes(data)
    blobs, cache = BlobStore(tmp_path / "blobs"), DerivedCache(tmp_path / "cache")
    return blobs, cache, lambda: prepare_photo(source, blobs, cache)


def assert_left_nothing(blobs: BlobStore, cache: DerivedCache) -> None:
    assert list(blobs.iter_hashes()) == []
    assert blobs.stale_temps() == []
    assert not list(cache.root.rglob("*.jpg")) if cache.root.exists() else True


@pytest.mark.parametrize("encoding", ["baseline", "progressive"])
def test_whatever_a_full_decode_refuses_the_import_refuses(photos, tmp_path, encoding):
    refused_by_full_decode = 0
    for label, data in damaged_versions(photos[encoding]).items():
        folder = tmp_path / label.replace(" ", "_").replace("%", "")
        blobs, cache, run = prepare(folder, "IMG_0001.jpg", data)
        error = full_decode_error(data)
        if error is None:
            continue
        refused_by_full_decode += 1
        with pytest.raises(PhotoRefusedError) as refused:
            run()
        assert refused.value.code == "photo_damaged", label
        assert "damaged" in refused.value.message, label
        assert "JPEG" in refused.value.message, label
        assert_left_nothing(blobs, cache)
    assert refused_by_full_decode >= 5  # the cuts, at least


@pytest.mark.parametrize("encoding", ["baseline", "progressive", "dense"])
def test_a_tail_that_was_never_written_is_refused(photos, tmp_path, encoding):
    """The end of a file whose bytes were allocated but never written (a card pulled out while
    the camera saved) is zeros. libjpeg reads zeros as valid codes: when there are enough of
    them for the blocks still missing (a dense photo), the file decodes without an error at any
    scale, the missing rows as noise; the missing end-of-image marker gives it away."""
    whole = photos[encoding]
    cut = len(whole) * 7 // 10
    data = whole[:cut] + bytes(len(whole) - cut)
    if encoding == "dense":
        assert full_decode_error(data) is None  # what Pillow alone would accept
    blobs, cache, run = prepare(tmp_path, "IMG_0002.jpg", data)
    with pytest.raises(PhotoRefusedError) as refused:
        run()
    assert refused.value.code == "photo_damaged"
    assert "JPEG" in refused.value.message
    if encoding == "dense":
        assert CUT_OFF in refused.value.message
    assert_left_nothing(blobs, cache)


@pytest.mark.parametrize("lost", ["third scan", "last scan", "every scan after the second"])
def test_a_progressive_jpeg_that_lost_scans_is_refused(photos, tmp_path, lost):
    """A progressive JPEG with scans missing decodes without an error, blurred or with wrong
    colours; the scans left do not send every coefficient down to its last bit."""
    whole = photos["progressive"]
    starts = scan_starts(whole)
    assert len(starts) >= 6
    data = {
        "third scan": whole[: starts[2]] + whole[starts[3] :],
        "last scan": whole[: starts[-1]] + b"\xff\xd9",
        "every scan after the second": whole[: starts[2]] + b"\xff\xd9",
    }[lost]
    assert full_decode_error(data) is None
    blobs, cache, run = prepare(tmp_path, "IMG_0003.jpg", data)
    with pytest.raises(PhotoRefusedError) as refused:
        run()
    assert refused.value.code == "photo_damaged"
    assert INCOMPLETE in refused.value.message
    assert_left_nothing(blobs, cache)


@pytest.mark.parametrize("encoding", ["baseline", "progressive"])
def test_whole_photos_pass_and_trailing_data_is_allowed(photos, tmp_path, encoding):
    """Bytes after the end marker (the second image of an MPO, a phone's trailer) are not
    damage; a whole photo is imported with its thumbnail, its preview made on first view."""
    data = photos[encoding] + b"SEFT trailer of a phone"
    assert structure_problem(photos[encoding]) is None
    assert structure_problem(data) is None
    blobs, cache, run = prepare(tmp_path, "IMG_0004.jpg", data)
    prepared = run()
    assert (prepared.width, prepared.height) == (3200, 2400)
    assert cache.thumbnail_path(prepared.sha256).is_file()
    assert not cache.preview_path(prepared.sha256).exists()  # made on first view
    with Image.open(ensure_preview(prepared.sha256, blobs, cache)) as preview:
        assert preview.size == (1600, 1200)  # decoded at 1/2 DCT scale, never in full
    assert blobs.exists(prepared.sha256)


def test_a_file_too_big_to_hold_is_decoded_and_checked_from_its_staged_copy(
    photos, tmp_path, monkeypatch
):
    """Above ``IN_MEMORY_BYTES`` the bytes are not kept: the decode reads the staged copy and
    the marker check maps it. Same outcomes."""
    monkeypatch.setattr(importer, "IN_MEMORY_BYTES", 1 << 16)
    whole = photos["dense"]
    blobs, cache, run = prepare(tmp_path / "whole", "IMG_0005.jpg", whole)
    assert run().size_bytes == len(whole)
    cut = len(whole) * 7 // 10
    blobs, cache, run = prepare(
        tmp_path / "zeros", "IMG_0006.jpg", whole[:cut] + bytes(len(whole) - cut)
    )
    with pytest.raises(PhotoRefusedError, match="cut off"):
        run()
    assert_left_nothing(blobs, cache)
