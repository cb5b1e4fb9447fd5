"""Every file of the shared corpus goes through the real importer into a real store: each is
imported with the right orientation, time and GPS (checked against catalog.csv where it states
them), or refused with a reason that names the problem; none leaves a partial record."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from fieldcheck.core.photo_import import ImportStatus, import_photos
from fieldcheck.photos.blobs import BlobStore
from fieldcheck.photos.cache import DerivedCache
from fieldcheck.photos.importer import ensure_cached
from fieldcheck.store.integrity import run_integrity_pass
from fieldcheck.store.photos import list_photos
from fieldcheck.store.syncbook import outbox

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "TIFF", "HEIF"}
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


@pytest.fixture(scope="module")
def imported(corpus_module, tmp_path_factory, demo_store_at):
    """The whole corpus imported once into a fresh store (the test functions only read)."""
    from fieldcheck.domain import demo
    from fieldcheck.domain.photo import Phase, PhotoTarget

    store = demo_store_at(tmp_path_factory.mktemp("corpus") / "data")
    compound_id = demo.demo_compounds(2026)[0].id
    summary = import_photos(store, [corpus_module], PhotoTarget(compound_id, Phase.BEFORE))
    outcomes = {o.path.relative_to(corpus_module).as_posix(): o for o in summary.outcomes}
    yield store, summary, outcomes, compound_id
    store.close()


@pytest.fixture(scope="module")
def corpus_module():
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    return CORPUS


@pytest.fixture(scope="module")
def catalog(corpus_module):
    with open(corpus_module / "catalog.csv", encoding="utf-8") as f:
        return {f"{row['source']}/{row['path']}": row for row in csv.DictReader(f)}


def test_every_file_has_an_outcome_and_nothing_crashed(imported, corpus_module):
    _, summary, outcomes, _ = imported
    files = [p for p in corpus_module.rglob("*") if p.is_file()]
    assert len(outcomes) == len(files)
    assert summary.stopped_code == ""
    assert summary.imported + summary.duplicates + summary.refused == len(files)
    for rel, outcome in outcomes.items():
        if outcome.status is ImportStatus.REFUSED:
            assert outcome.code.startswith("photo_"), (rel, outcome.code)
            assert outcome.path.name in outcome.reason, rel
            assert len(outcome.reason) > len(outcome.path.name) + 10, rel
        else:
            assert outcome.photo is not None


def test_outcomes_agree_with_the_catalog(imported, catalog):
    _, _, outcomes, _ = imported
    for rel, row in catalog.items():
        outcome = outcomes[rel]
        accepted = row["pil_format"] in ACCEPTED_FORMATS and row["status"].startswith("ok")
        if not accepted:
            assert outcome.status is ImportStatus.REFUSED, (rel, row["status"])
            continue
        assert outcome.status is not ImportStatus.REFUSED, (rel, outcome.reason)
        photo = outcome.photo
        if row["datetime_original"]:
            taken = dt.datetime.strptime(row["datetime_original"], "%Y:%m:%d %H:%M:%S")
            assert photo.captured_at.replace(tzinfo=None, microsecond=0) == taken, rel
        if row["has_gps"] == "1":
            assert photo.location is not None, rel
            assert photo.location.lat == pytest.approx(float(row["gps_lat"]), abs=1e-5), rel
            assert photo.location.lon == pytest.approx(float(row["gps_lon"]), abs=1e-5), rel
            assert photo.location_source.value == "exif"
        else:
            assert photo.location is None, rel
        expected_orientation = row["heif_original_orientation"] or row["orientation"]
        if expected_orientation and expected_orientation != "0":
            assert photo.orientation == int(expected_orientation), rel
        width, height = int(row["width"]), int(row["height"])
        if row["pil_format"] != "HEIF" and photo.orientation >= 5:
            width, height = height, width  # shown turned a quarter
        assert (photo.width, photo.height) == (width, height), rel
        assert (photo.make, photo.model) == (row["make"], row["model"]), rel


def test_a_heic_is_not_turned_twice(imported):
    _, _, outcomes, _ = imported
    arrow = outcomes["pillow_heif/tests/images/heif_other/arrow.heic"].photo
    assert arrow.orientation == 6  # what the camera recorded
    assert (arrow.width, arrow.height) == (3024, 4032)  # pillow-heif already turned the pixels


@pytest.mark.parametrize("kind", ["Landscape", "Portrait"])
def test_orientation_examples_all_come_out_the_right_way_up(imported, corpus_module, kind):
    store, _, outcomes, _ = imported
    blobs, cache = BlobStore(store.paths.blobs), DerivedCache(store.paths.cache)
    photos = {n: outcomes[f"exif-orientation-examples/{kind}_{n}.jpg"].photo for n in range(0, 9)}
    reference = photos[1]
    assert (reference.width > reference.height) == (kind == "Landscape")
    with Image.open(cache.thumbnail_path(reference.sha256)) as im:
        upright = im.convert("L")
    for n, photo in photos.items():
        assert (photo.width, photo.height) == (reference.width, reference.height), n
        for path in ensure_cached(photo.sha256, blobs, cache):  # the preview on first need
            with Image.open(path) as im:
                shown = im.convert("L").resize(upright.size)
            difference = ImageStat.Stat(ImageChops.difference(shown, upright)).mean[0]
            assert difference < 12, (kind, n, path.parent.parent.name, difference)


def test_no_partial_records_blobs_or_cache(imported):
    store, summary, _outcomes, compound_id = imported
    blobs = BlobStore(store.paths.blobs)
    cache = DerivedCache(store.paths.cache)
    with store.read() as session:
        photos = list_photos(session, compound_id)
        pending = [e for e in outbox.pending(session) if e.entity == "photo"]
    assert len(photos) == summary.imported
    assert {e.entity_id for e in pending} == {p.id for p in photos}
    hashes = {p.sha256 for p in photos}
    assert set(blobs.iter_hashes()) == hashes  # refused files left no blob
    assert blobs.stale_temps() == []
    thumbs = {p.stem for p in (store.paths.cache / "thumbs").rglob("*.jpg")}
    assert thumbs == hashes  # nor cache images
    assert {p.stem for p in (store.paths.cache / "previews").rglob("*.jpg")} <= hashes
    for photo in photos:
        assert hashlib.sha256(blobs.path_for(photo.sha256).read_bytes()).hexdigest() == (
            photo.sha256
        )
        assert not blobs.path_for(photo.sha256).stat().st_mode & 0o222  # read-only
        assert cache.thumbnail_path(photo.sha256).is_file()  # the preview: on first view
    report = run_integrity_pass(store)
    assert report.recovered == ()
    assert report.ok
