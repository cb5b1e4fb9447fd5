"""The pipeline on its own (no store): a 12-megapixel JPEG is decoded at reduced DCT scale
(at import the thumbnail's, the preview's when it is first needed), the cache images are
oriented, and the blob store never rewrites what it holds."""

from __future__ import annotations

import hashlib

from PIL import Image

from fieldcheck.photos.blobs import BlobStore
from fieldcheck.photos.cache import DerivedCache
from fieldcheck.photos.formats import sniff
from fieldcheck.photos.importer import ensure_cached, ensure_preview, prepare_photo
from fieldcheck.photos.render import open_checked, render


def test_twelve_megapixels_are_decoded_at_half_scale(tmp_path, jpeg, put):
    """At import the thumbnail only; the preview from a 1/2-scale decode when first needed."""
    source = put(tmp_path / "IMG_0001.jpg", jpeg((4000, 3000), orientation=6, quality=80))
    blobs, cache = BlobStore(tmp_path / "blobs"), DerivedCache(tmp_path / "cache")
    prepared = prepare_photo(source, blobs, cache)
    assert (prepared.width, prepared.height) == (3000, 4000)  # as displayed
    assert not cache.preview_path(prepared.sha256).exists()  # not made at import
    with Image.open(ensure_preview(prepared.sha256, blobs, cache)) as preview:
        # the 1/2 DCT scale straight from draft(), turned; a full decode would be resized to 1600
        assert preview.size == (1500, 2000)
        assert preview.getpixel((1499, 0))[0] > 240  # the white corner marker is now top right
    with Image.open(cache.thumbnail_path(prepared.sha256)) as thumb:
        assert thumb.size == (192, 256)
        assert thumb.getpixel((191, 0))[0] > 240
    assert prepared.blob_created
    assert hashlib.sha256(blobs.path_for(prepared.sha256).read_bytes()).hexdigest() == (
        prepared.sha256
    )
    again = prepare_photo(source, blobs, cache)
    assert not again.blob_created  # deduplicated, never rewritten
    assert blobs.stale_temps() == []


def test_the_import_decodes_a_jpeg_at_the_thumbnails_scale(tmp_path, jpeg):
    """1/8 of 4000×3000 is 500×375, the smallest DCT scale that still covers 256×192: that
    decode gives the thumbnail and no preview; asked for the preview, it decodes at 1/2."""
    data = jpeg((4000, 3000), quality=80)
    kind = sniff(data[:64], name="IMG.jpg")
    with open_checked(data, kind, "IMG.jpg") as im:
        made = render(im, kind, 1, "IMG.jpg", len(data))
        assert im.size == (500, 375)
    assert made.preview is None
    assert made.thumbnail is not None
    assert made.thumbnail.size == (256, 192)
    assert (made.width, made.height) == (4000, 3000)
    with open_checked(data, kind, "IMG.jpg") as im:
        made = render(im, kind, 1, "IMG.jpg", len(data), preview=True)
        assert im.size == (2000, 1500)
    assert made.thumbnail is None
    assert made.preview is not None
    assert made.preview.size == (2000, 1500)


def test_a_deleted_cache_is_rebuilt_from_the_blob(tmp_path, jpeg, put):
    source = put(tmp_path / "IMG_0002.jpg", jpeg((640, 480), orientation=8))
    blobs, cache = BlobStore(tmp_path / "blobs"), DerivedCache(tmp_path / "cache")
    sha = prepare_photo(source, blobs, cache).sha256
    before = cache.thumbnail_path(sha).read_bytes()
    ensure_cached(sha, blobs, cache)  # viewed once: the preview is made
    for path in (cache.thumbnail_path(sha), cache.preview_path(sha)):
        path.unlink()
    thumbnail, preview = ensure_cached(sha, blobs, cache)
    assert thumbnail.read_bytes() == before  # the same thumbnail the import made
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
