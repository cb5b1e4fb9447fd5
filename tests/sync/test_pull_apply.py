"""Applying pulled pages locally, without a server: parents before children, children of
absent parents parked until they come, local edits kept, echoes skipped, nulls tolerated."""

from __future__ import annotations

import datetime as dt

from fieldcheck.catalog import shipped_catalog
from fieldcheck.domain.ids import answer_id, new_id
from fieldcheck.protocol.changes import Change, ConflictState
from fieldcheck.protocol.ops import Entity
from fieldcheck.store import inspections
from fieldcheck.store.sync_tables import ParkedChangeRow, SyncCursorRow, SyncRecordRow
from fieldcheck.store.tables import AnnotationRow, AnswerRow, InspectionRow, PhotoRow
from fieldcheck.sync.pull import apply_page
from sync_server.testing import COMPOUNDS, SCOPES

SCOPE = SCOPES["CG"]


def change(seq: int, entity: Entity, record_id: str, rev: int, **data) -> Change:  # type: ignore[no-untyped-def]
    return Change(
        seq=seq,
        entity=entity,
        id=record_id,
        rev=rev,
        scope_id=SCOPE,
        conflict_state=ConflictState.NONE,
        data=data,
    )


def inspection(record_id: str, seq: int, rev: int = 1, status: str = "open") -> Change:
    return change(
        seq, Entity.INSPECTION, record_id, rev,
        compound_id=COMPOUNDS["CG-01"], kind="baseline_survey", inspector="bob",
        started_on="2026-03-02", template_id="renovation-checklist", template_version=1,
        status=status,
    )  # fmt: skip


def answer(inspection_id: str, seq: int, rev: int, entrances: int) -> Change:
    return change(
        seq, Entity.ANSWER, answer_id(inspection_id, "1.1"), rev,
        inspection_id=inspection_id, item_code="1.1", entry=0,
        values={"entrances": entrances, "guard_post": "pass"}, note="",
    )  # fmt: skip


def test_a_page_applies_parents_first_and_moves_the_cursor(demo_store):
    insp = new_id()
    with demo_store.write() as session:  # the answer's change is older than its inspection's
        result = apply_page(session, SCOPE, [answer(insp, 5, 1, 2), inspection(insp, 6, 2)], 6)
    assert (result.applied, result.parked) == (2, 0)
    with demo_store.read() as session:
        assert session.get(InspectionRow, insp).started_on == dt.date(2026, 3, 2)
        assert session.get(AnswerRow, answer_id(insp, "1.1")).values["entrances"] == 2
        assert session.get(SyncCursorRow, SCOPE).last_seq == 6
        assert session.get(SyncRecordRow, ("inspection", insp)).server_rev == 2


def test_a_child_without_its_parent_is_parked_until_the_parent_comes(demo_store):
    insp = new_id()
    with demo_store.write() as session:
        first = apply_page(session, SCOPE, [answer(insp, 7, 1, 3)], 7)
    assert (first.applied, first.parked) == (0, 1)
    with demo_store.write() as session:
        second = apply_page(session, SCOPE, [inspection(insp, 9)], 9)
    assert second.applied == 2
    with demo_store.read() as session:
        assert session.get(AnswerRow, answer_id(insp, "1.1")) is not None
        assert session.get(ParkedChangeRow, ("answer", answer_id(insp, "1.1"))) is None


def test_local_edits_are_kept_and_echoes_skipped(demo_store):
    insp = new_id()
    with demo_store.write() as session:
        apply_page(session, SCOPE, [inspection(insp, 10), answer(insp, 11, 1, 1)], 11)
    with demo_store.write() as session:  # an edit waiting to be pushed
        inspections.save_answer(
            session, shipped_catalog(), insp, "1.1", {"entrances": 9, "guard_post": "pass"}
        )
    with demo_store.write() as session:
        result = apply_page(session, SCOPE, [answer(insp, 12, 2, 4), inspection(insp, 13)], 13)
    assert result.kept_local == 1
    assert result.echoes == 1  # the inspection at the revision already held
    with demo_store.read() as session:
        assert session.get(AnswerRow, answer_id(insp, "1.1")).values["entrances"] == 9
        record = session.get(SyncRecordRow, ("answer", answer_id(insp, "1.1")))
        assert (record.server_rev, record.seen_rev) == (1, 2)  # the push starts from rev 1


def test_photos_and_annotations_arrive_and_nulls_keep_local_defaults(demo_store):
    photo_id, annotation_id = new_id(), new_id()
    photo = change(
        20, Entity.PHOTO, photo_id, 1,
        sha256="a" * 64, original_name="IMG_1.jpg", size_bytes=10, mime="image/jpeg",
        format="JPEG", width=4, height=3, imported_at="2026-03-02T08:00:00+00:00",
        phase="before", compound_id=COMPOUNDS["CG-01"], viewpoint_id=None,
    )  # fmt: skip
    overlay = change(
        21, Entity.ANNOTATION, annotation_id, 1,
        photo_id=photo_id, version=1, shapes=[], author="bob", created_at=None,
    )  # fmt: skip
    with demo_store.write() as session:
        result = apply_page(session, SCOPE, [overlay, photo], 21)
    assert result.applied == 2
    assert result.blobs_needed == ["a" * 64]
    with demo_store.read() as session:
        assert session.get(PhotoRow, photo_id).phase == "before"
        assert session.get(AnnotationRow, annotation_id).created_at is not None
