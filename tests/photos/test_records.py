"""Photo records: dedupe, the annotation round trip (original untouched, versions kept),
viewpoint pairing, and the start-up integrity pass."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import stat

import pytest

from fieldcheck.core.photo_import import ImportStatus, import_photos
from fieldcheck.domain.errors import NotFoundError, ValidationError
from fieldcheck.domain.photo import Phase
from fieldcheck.photos.blobs import BlobStore
from fieldcheck.store import photos as records
from fieldcheck.store.integrity import run_integrity_pass
from fieldcheck.store.syncbook import outbox


def one(store, target, path):
    (outcome,) = import_photos(store, [path], target).outcomes
    return outcome


def test_same_bytes_twice_is_a_duplicate_and_other_phases_share_the_blob(
    store, target, tmp_path, jpeg, put
):
    first = put(tmp_path / "a.jpg", jpeg())
    copy = put(tmp_path / "copy of a.jpg", first.read_bytes())
    original = one(store, target, first)
    again = one(store, target, copy)
    assert original.status is ImportStatus.IMPORTED
    assert again.status is ImportStatus.DUPLICATE
    assert again.photo.id == original.photo.id
    later = one(store, dataclasses.replace(target, phase=Phase.AFTER), copy)
    assert later.status is ImportStatus.IMPORTED
    assert later.photo.id != original.photo.id
    assert list(BlobStore(store.paths.blobs).iter_hashes()) == [original.photo.sha256]
    with store.read() as session:
        assert len(records.list_photos(session, target.compound_id)) == 2
        assert sum(e.entity == "photo" for e in outbox.pending(session)) == 2


def test_annotation_versions_never_touch_the_original(store, target, tmp_path, jpeg, put):
    source = put(tmp_path / "defect.jpg", jpeg((400, 300)))
    photo = one(store, target, source).photo
    blob = BlobStore(store.paths.blobs).path_for(photo.sha256)
    shapes_v1 = [
        {"kind": "arrow", "x1": 0.1, "y1": 0.1, "x2": 0.5, "y2": 0.5},
        {"kind": "circle", "cx": 0.5, "cy": 0.5, "r": 0.2, "color": "#ff0000"},
    ]
    shapes_v2 = [
        *shapes_v1,
        {"kind": "rectangle", "x": 0.2, "y": 0.2, "w": 0.3, "h": 0.1},
        {"kind": "text", "x": 0.6, "y": 0.8, "text": "墙皮脱落 spalling"},
    ]
    with store.write() as session:
        v1 = records.save_annotation(session, photo.id, shapes_v1, author="王工")
    with store.write() as session:
        v2 = records.save_annotation(session, photo.id, shapes_v2, author="李工")
    with store.read() as session:
        versions = records.list_annotations(session, photo.id)
        after = records.get_photo(session, photo.id)
        entries = [e for e in outbox.pending(session) if e.entity == "annotation"]
    assert [a.version for a in versions] == [1, 2]
    assert versions[0].shapes == tuple({**s} for s in shapes_v1)
    assert versions[1].shapes[3]["text"] == "墙皮脱落 spalling"
    assert (v1.author, v2.author) == ("王工", "李工")
    assert len(entries) == 2
    assert after == photo  # the record is unchanged
    assert blob.read_bytes() == source.read_bytes()
    assert hashlib.sha256(blob.read_bytes()).hexdigest() == photo.sha256
    with store.write() as session, pytest.raises(ValidationError) as caught:
        records.save_annotation(session, photo.id, [{"kind": "circle", "cx": 2, "cy": 0, "r": 1}])
    assert caught.value.code == "annotation_invalid"


def test_viewpoint_pairs_baseline_with_later_photos(store, target, tmp_path, jpeg, put):
    shot = dt.datetime(2026, 3, 1, 10, 0)
    before = one(store, target, put(tmp_path / "b.jpg", jpeg(taken=shot))).photo
    with store.write() as session:
        viewpoint = records.create_viewpoint(session, before.id, label="3号楼东侧")
    assert viewpoint.category.value == "3"
    after_target = dataclasses.replace(target, phase=Phase.AFTER, viewpoint_id=viewpoint.id)
    after = one(
        store,
        after_target,
        put(tmp_path / "a.jpg", jpeg(color=(1, 2, 3), taken=shot.replace(month=9))),
    ).photo
    during = one(
        store,
        dataclasses.replace(target, phase=Phase.DURING),
        put(tmp_path / "d.jpg", jpeg(color=(9, 9, 9), taken=shot.replace(month=6))),
    ).photo
    assert during.viewpoint_id is None
    with store.write() as session:
        linked = records.link_to_viewpoint(session, during.id, viewpoint.id)
    assert linked.rev == during.rev + 1
    with store.read() as session:
        pairs = records.viewpoint_pairs(session, viewpoint.id)
        baseline = records.get_photo(session, before.id)
    assert baseline.viewpoint_id == viewpoint.id
    assert [(p.before.id, p.after.id) for p in pairs] == [
        (before.id, during.id),
        (before.id, after.id),
    ]
    with store.write() as session, pytest.raises(ValidationError):
        records.create_viewpoint(session, after.id)
    with store.write() as session, pytest.raises(NotFoundError):
        records.link_to_viewpoint(session, after.id, "no-such-viewpoint")


def test_unknown_target_is_refused_before_anything_is_read(store, target, tmp_path, jpeg, put):
    path = put(tmp_path / "x.jpg", jpeg())
    with pytest.raises(NotFoundError):
        import_photos(store, [path], dataclasses.replace(target, viewpoint_id="nope"))
    with pytest.raises(ValidationError):
        dataclasses.replace(target, category="9")
    assert not store.paths.blobs.exists() or not list(store.paths.blobs.rglob("*"))


def test_integrity_pass_recovers_orphans_rotates_and_finds_damage(
    store, target, tmp_path, jpeg, put
):
    files = [put(tmp_path / f"{i}.jpg", jpeg(color=(i, 40, 40))) for i in range(5)]
    import_photos(store, files, target)
    blobs = BlobStore(store.paths.blobs)
    orphan = put(tmp_path / "orphan.jpg", jpeg(color=(250, 0, 0)))
    with orphan.open("rb") as source:
        staged = blobs.stage(source, max_bytes=1 << 20, name="orphan.jpg")
    assert staged.size == orphan.stat().st_size
    assert blobs.commit(staged)  # a blob whose record was never committed
    first = run_integrity_pass(store, sample_blobs=4)
    assert [r.sha256 for r in first.recovered] == [staged.sha256]
    assert first.recovered[0].path.exists()
    assert first.quick_check == ("ok",)
    assert first.ok
    assert first.rehashed == 4
    second = run_integrity_pass(store, sample_blobs=4)
    assert second.rehashed == 4
    assert first.recovered == second.recovered  # listed again, never deleted
    # damage one blob: every blob is re-hashed within two passes of the rotation
    victim = sorted(blobs.iter_hashes())[0]
    path = blobs.path_for(victim)
    os.chmod(path, stat.S_IWUSR | stat.S_IRUSR)
    path.write_bytes(b"bit rot")
    found = [run_integrity_pass(store, sample_blobs=4) for _ in range(2)]
    assert any(victim in r.mismatched for r in found)
    assert not all(r.ok for r in found)
