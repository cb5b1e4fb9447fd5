"""Turning the outbox into ops, without a server: one op per record (coalesced), parents
before children, children of an unconfirmed parent wait, photo ops wait for their blob."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from fieldcheck.catalog import shipped_catalog
from fieldcheck.core.photo_import import import_photos
from fieldcheck.domain.inspection import InspectionKind
from fieldcheck.domain.photo import Phase, PhotoTarget
from fieldcheck.store import inspections
from fieldcheck.store.sync_tables import BlobSyncRow
from fieldcheck.store.syncbook.outbox_sync import mark_sent
from fieldcheck.store.tables import OutboxRow
from fieldcheck.sync.push import plan_ops
from sync_server.testing import COMPOUNDS
from tests.sync.conftest import corpus_jpegs


def start(store) -> str:  # type: ignore[no-untyped-def]
    with store.write() as session:
        return inspections.start_inspection(
            session,
            COMPOUNDS["CG-01"],
            InspectionKind.BASELINE_SURVEY,
            "alice",
            shipped_catalog().latest(),
            dt.date(2026, 3, 2),
        ).id


def answer(store, inspection_id: str, entrances: int) -> None:  # type: ignore[no-untyped-def]
    with store.write() as session:
        inspections.save_answer(
            session,
            shipped_catalog(),
            inspection_id,
            "1.1",
            {"entrances": entrances, "guard_post": "fail"},
        )


def test_edits_of_one_record_coalesce_into_one_op_after_its_parent(demo_store):
    insp = start(demo_store)
    for entrances in (1, 2, 3):
        answer(demo_store, insp, entrances)
    with demo_store.write() as session:
        plan = plan_ops(session)
        rows = session.exec(select(OutboxRow).order_by("seq")).all()
    assert [p.op.entity.value for p in plan.ops] == ["inspection", "answer"]
    op = plan.ops[1].op
    assert op.fields["values"]["entrances"] == 3
    assert op.op_id == rows[-1].op_id
    assert (op.action.value, op.base_rev) == ("create", 0)
    assert plan.ops[1].seqs == tuple(r.seq for r in rows[1:])


def test_children_of_an_unconfirmed_parent_wait(demo_store):
    insp = start(demo_store)
    answer(demo_store, insp, 1)
    with demo_store.write() as session:
        [row] = session.exec(select(OutboxRow).where(OutboxRow.entity == "inspection")).all()
        row.state = "rejected"  # e.g. forbidden_scope: kept, flagged, never sent again
        session.add(row)
    with demo_store.write() as session:
        plan = plan_ops(session)
    assert plan.ops == ()
    assert plan.waiting == 1


def test_in_flight_ops_go_again_unchanged_and_new_edits_wait(demo_store):
    insp = start(demo_store)
    answer(demo_store, insp, 1)
    with demo_store.write() as session:
        first = plan_ops(session)
        mark_sent(session, first.ops)
    answer(demo_store, insp, 2)  # made while the answer is in flight
    with demo_store.write() as session:
        again = plan_ops(session)
    assert [p.op for p in again.ops] == [p.op for p in first.ops]
    assert all(p.frozen for p in again.ops)


def test_photo_ops_wait_for_their_blob(demo_store):
    target = PhotoTarget(compound_id=COMPOUNDS["CG-01"], phase=Phase.BEFORE, inspector="alice")
    summary = import_photos(demo_store, corpus_jpegs(1), target)
    sha = summary.outcomes[0].photo.sha256
    with demo_store.write() as session:
        assert plan_ops(session).waiting == 1
        session.add(BlobSyncRow(sha256=sha, state="verified"))
    with demo_store.write() as session:
        [op] = [p.op for p in plan_ops(session).ops]
    assert (op.entity.value, op.blobs) == ("photo", [sha])
