"""The pipeline on its own (no store): a 12-megapixel JPEG is decoded at reduced DCT scale,
the cache images are oriented, and the blob store never rewrites what it holds."""

from __future__ import annotations

import hashlib

from PIL import Image

from fieldcheck.photos.blobs import BlobStore
from fieldcheck.photos.cache import DerivedCache
from fieldcheck.photos.importer import ensure_cached, prepare_photo


def test_twelve_megapixels_are_decoded_at_half_scale(tmp_path, jpeg, put):
    source = put(tmp_path / "IMG_0001.jpg", jpeg((4000, 3000), orientation=6, quality=80))
    blobs, cache = BlobStore(tmp_path / "blobs"), DerivedCache(tmp_path / "cache")
    prepared = prepare_photo(source, blobs, cache)
    assert (prepared.width, prepared.height) == (3000, 4000)  # as displayed
    with Image.open(cache.preview_path(prepared.sha256)) as preview:
        # the 1/2 DCT scale straight from draft(), turned; a full decode would be resized to 1600
        assert preview.size == (1500, 2000)
        assert preview.getpixel((1499, 0))[0] > 240  # the white corner marker is now top right
    with Image.open(cache.thumbnail_path(prepared.sha256)) as thumb:
        assert thumb.size == (192, 256)
    assert prepared.blob_created
    assert hashlib.sha256(blobs.path_for(prepared.sha256).read_bytes()).hexdigest() == (
        prepared.sha256
    )
    again = prepare_photo(source, blobs, cache)
    assert not again.blob_created  # deduplicated, never rewritten
    assert blobs.stale_temps() == []


def test_a_deleted_cache_is_rebuilt_from_the_blob(tmp_path, jpeg, put):
    source = put(tmp_path / "IMG_0002.jpg", jpeg((640, 480), orientation=8))
    blobs, cache = BlobStore(tmp_path / "blobs"), DerivedCache(tmp_path / "cache")
    sha = prepare_photo(source, blobs, cache).sha256
    before = cache.thumbnail_path(sha).read_bytes()
    for path in (cache.thumbnail_path(sha), cache.preview_path(sha)):
        path.unlink()
    thumbnail, preview = ensure_cached(sha, blobs, cache)
    assert thumbnail.read_bytes() == before
    with Image.open(preview) as im:
        assert im.size == (480, 640)


def test_a_large_png_is_decoded_once_and_averaged_down_to_the_preview(tmp_path):
    """Formats without a reduced-scale decode are decoded once; the preview is that image
    averaged down by a whole factor (here 2), the thumbnail made from the preview."""
    im = Image.new("RGB", (3400, 2000), (30, 90, 150))
    im.paste((255, 255, 255), (0, 0, 850, 500))
    source = tmp_path / "scan.png"
    im.save(source)
    blobs, cache = BlobStore(tmp_path / "blobs"), DerivedCache(tmp_path / "cache")
    prepared = prepare_photo(source, blobs, cache)
    assert (prepared.width, prepared.height) == (3400, 2000)
    with Image.open(cache.preview_path(prepared.sha256)) as preview:
        assert preview.size == (1700, 1000)
        assert preview.getpixel((10, 10)) == (255, 255, 255)
        assert preview.getpixel((1600, 900))[2] > 140
    with Image.open(cache.thumbnail_path(prepared.sha256)) as thumb:
        assert thumb.size == (256, 151)
