"""The photo use cases on a fresh store with real corpus photos: an import says it changed the
compound's photos (a second import of the same files changes nothing), an annotation, the
viewpoint of a baseline photo made once, an after photo paired with it, and the photos' marks
before any sync."""

from __future__ import annotations

import logging

from fieldcheck.core import photo_import
from fieldcheck.core.changes import NOTHING, Changes, in_compound
from fieldcheck.core.photo_import import ImportStatus, run_import
from fieldcheck.core.photos import (
    list_annotations,
    list_photos,
    pair_after_photo,
    save_annotation,
    start_viewpoint,
    viewpoint_pairs,
)
from fieldcheck.core.sync_marks import PhotoMark, photo_sync_states
from fieldcheck.domain.photo import Phase, PhotoTarget

from ..conftest import SHARED

ORIENTATION = SHARED / "corpus" / "exif-orientation-examples"
ARROW = {"kind": "arrow", "x1": 0.1, "y1": 0.1, "x2": 0.5, "y2": 0.5, "color": "#e53935"}


def test_photos_import_pair_and_annotate(demo_store, compound_id):
    photos_changed = in_compound(compound_id, Changes(photos=True))
    before = PhotoTarget(
        compound_id=compound_id, phase=Phase.BEFORE, category="3", inspector="王工"
    )
    files = [ORIENTATION / "Landscape_3.jpg", ORIENTATION / "Portrait_5.jpg"]
    imported = run_import(demo_store, files, before)
    again = run_import(demo_store, files, before)
    assert imported.value.imported == 2
    assert imported.changes == photos_changed
    assert [o.status for o in again.value.outcomes] == [ImportStatus.DUPLICATE] * 2
    assert again.changes == NOTHING

    baseline = imported.value.outcomes[0].photo
    with demo_store.write() as session:
        viewpoint = start_viewpoint(session, baseline.id)
    with demo_store.write() as session:
        same = start_viewpoint(session, baseline.id)
    assert viewpoint.changes == photos_changed
    assert (same.value, same.changes) == (viewpoint.value, NOTHING)

    after_target = PhotoTarget(
        compound_id=compound_id,
        phase=Phase.AFTER,
        category="3",
        viewpoint_id=viewpoint.value.id,
        inspector="王工",
    )
    after = run_import(demo_store, [ORIENTATION / "Landscape_8.jpg"], after_target)
    after_photo = after.value.outcomes[0].photo
    with demo_store.write() as session:
        paired = pair_after_photo(session, after_photo, viewpoint.value.id)
    assert paired.changes == NOTHING  # imported into the viewpoint already
    assert [(p.before.id, p.after.id) for p in paired.value] == [(baseline.id, after_photo.id)]

    with demo_store.write() as session:
        annotated = save_annotation(session, baseline.id, [ARROW], author="王工")
    assert annotated.changes == photos_changed
    with demo_store.read() as session:
        assert [a.version for a in list_annotations(session, baseline.id)] == [1]
        assert viewpoint_pairs(session, viewpoint.value.id) == paired.value
        shown = list_photos(session, compound_id)
        marks = photo_sync_states(session, [(p.id, p.sha256) for p in shown])
    assert len(shown) == 3
    assert set(marks.values()) == {PhotoMark.NEVER_SYNCED}


def test_an_after_photo_imported_elsewhere_is_tied_to_the_viewpoint(demo_store, compound_id):
    before = PhotoTarget(compound_id=compound_id, phase=Phase.BEFORE, category="3")
    baseline = run_import(demo_store, [ORIENTATION / "Landscape_3.jpg"], before).value
    loose = PhotoTarget(compound_id=compound_id, phase=Phase.AFTER, category="3")
    after = run_import(demo_store, [ORIENTATION / "Landscape_8.jpg"], loose).value
    with demo_store.write() as session:
        viewpoint = start_viewpoint(session, baseline.outcomes[0].photo.id).value
        paired = pair_after_photo(session, after.outcomes[0].photo, viewpoint.id)
    assert paired.changes == in_compound(compound_id, Changes(photos=True))
    assert len(paired.value) == 1


def test_a_file_whose_import_breaks_unexpectedly_is_refused_and_logged(
    demo_store, compound_id, monkeypatch, caplog
):
    """A bug on one file (here injected into the pipeline) refuses that file and leaves its
    traceback in the log, instead of ending the import or vanishing."""

    def broken(path, *_args):
        raise RuntimeError(f"a bug on {path.name}")

    monkeypatch.setattr(photo_import, "prepare_photo", broken)
    target = PhotoTarget(compound_id=compound_id, phase=Phase.BEFORE, inspector="王工")
    with caplog.at_level(logging.WARNING, logger="fieldcheck.core.photo_import"):
        done = run_import(demo_store, [ORIENTATION / "Landscape_3.jpg"], target)

    (outcome,) = done.value.outcomes
    assert (outcome.status, outcome.code) == (ImportStatus.REFUSED, "import_failed")
    (record,) = [r for r in caplog.records if r.levelname == "WARNING"]
    assert record.exc_info is not None
    assert str(record.exc_info[1]) == "a bug on Landscape_3.jpg"
