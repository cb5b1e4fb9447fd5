"""Pulling many changes in pages (decision 0045: a page's rows are looked up and written in
bulk, and a row the local database refuses sends the page through one change at a time),
against the real server and real laptop stores: children paged before their parent wait
parked and arrive with it, a record with a local edit keeps it while the rest of the page
applies, and a change the local table refuses parks without stopping the page."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlmodel import select

from fieldcheck.domain.ids import answer_id
from fieldcheck.store.sync_tables import ParkedChangeRow, SyncCursorRow, SyncRecordRow
from fieldcheck.store.tables import AnswerRow, InspectionRow, PhotoRow
from fieldcheck.sync import engine as engine_module
from sync_server.testing import COMPOUNDS, PASSWORD, SCOPES, ApiClient, answer_op, inspection_op
from tests.sync.conftest import big_jpeg

SCOPE = SCOPES["CG"]


def colleague(server, name: str) -> ApiClient:  # type: ignore[no-untyped-def]
    """A colleague working through the server's API (what their laptop would push)."""
    client = ApiClient(server.url)
    client.login(name, PASSWORD, f"{name}-{uuid.uuid4().hex[:6]}")
    return client


def push(client: ApiClient, ops: list[dict[str, Any]]) -> None:
    response = client.push(ops)
    assert response.status_code == 200, response.text
    assert {r["status"] for r in response.json()["results"]} == {"applied"}, response.text


def values_of(laptop, inspection_id: str) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    with laptop.store.read() as session:
        rows = session.exec(select(AnswerRow).where(AnswerRow.inspection_id == inspection_id))
        return {a.item_code: dict(a.values) for a in rows.all()}


def parked(laptop) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with laptop.store.read() as session:
        return {(p.entity, p.id) for p in session.exec(select(ParkedChangeRow)).all()}


def inspection_with_answers(client: ApiClient, items: list[str]) -> str:
    """An inspection and its answers, then an edit of the inspection, so the server's change
    order puts the answers before their parent's head."""
    created = inspection_op("CG-03")
    push(client, [created, *(answer_op(created["id"], i, values={"n": 1}) for i in items)])
    edit = inspection_op("CG-03", created["id"], started_on="2026-03-09")
    edit.update(action="update", base_rev=1)
    push(client, [edit])
    return str(created["id"])


def test_children_paged_before_their_parent_arrive_with_it(server, make_laptop, monkeypatch):
    insp = inspection_with_answers(colleague(server, "erin"), ["Q1", "Q2", "Q3"])
    monkeypatch.setattr(engine_module, "PAGE_SIZE", 2)  # the answers come pages ahead
    carol = make_laptop("carol")
    report = carol.sync()
    assert report.error is None, report.error
    assert values_of(carol, insp) == {"Q1": {"n": 1}, "Q2": {"n": 1}, "Q3": {"n": 1}}
    assert parked(carol) == set()
    with carol.store.read() as session:
        assert session.get(InspectionRow, insp).started_on.isoformat() == "2026-03-09"
        record = session.get(SyncRecordRow, ("answer", answer_id(insp, "Q1")))
        assert (record.server_rev, record.clean) == (1, True)
        cursor = session.get(SyncCursorRow, SCOPE).last_seq
    status = ApiClient(server.url)
    status.login("carol", PASSWORD, "carol-check")
    assert cursor == status.request("GET", "/v1/sync/status").json()["scopes"][SCOPE]["max_seq"]


def test_a_record_with_a_local_edit_keeps_it_while_the_page_applies(server, make_laptop):
    frank = colleague(server, "frank")
    insp = inspection_with_answers(frank, ["1.1", "Q2"])
    dave = make_laptop("dave")
    assert dave.sync().error is None
    push(  # frank edits both answers; dave edits the first offline
        frank,
        [
            answer_op(insp, "1.1", base_rev=1, values={"entrances": 5, "guard_post": "pass"}),
            answer_op(insp, "Q2", base_rev=1, values={"n": 2}),
        ],
    )
    dave.answer(insp, "1.1", {"entrances": 7, "guard_post": "pass"})
    report = dave.sync()
    assert report.error is None, report.error
    assert report.conflicts == 1  # dave's edit meets frank's: it waits, kept locally
    assert values_of(dave, insp) == {"1.1": {"entrances": 7, "guard_post": "pass"}, "Q2": {"n": 2}}
    with dave.store.read() as session:
        held = session.get(SyncRecordRow, ("answer", answer_id(insp, "1.1")))
        assert (held.server_rev, held.seen_rev) == (1, 2)
        assert session.get(SyncRecordRow, ("answer", answer_id(insp, "Q2"))).server_rev == 2


@pytest.mark.parametrize("page_size", [1000, 3])
def test_a_change_the_local_table_refuses_parks_and_the_rest_applies(
    server, make_laptop, monkeypatch, tmp_path, page_size
):
    """The same photo imported into the same compound and phase on two laptops: the
    colleague's record breaks this laptop's unique (compound, phase, hash) and parks."""
    monkeypatch.setattr(engine_module, "PAGE_SIZE", page_size)
    alice, bob = make_laptop("alice", f"alice-{page_size}"), make_laptop("bob", f"bob-{page_size}")
    assert bob.sync().error is None
    jpeg = big_jpeg(tmp_path / "same.jpg", seed=page_size, size=(64, 48))
    [sha] = alice.import_photos([jpeg], "CG-04")
    insp = alice.start_inspection("CG-04")
    alice.answer(insp, "1.1", {"entrances": 4, "guard_post": "pass"})
    assert alice.sync().error is None
    bob.import_photos([jpeg], "CG-04")
    with bob.store.read() as session:
        [mine] = session.exec(select(PhotoRow.id).where(PhotoRow.sha256 == sha)).all()
    with alice.store.read() as session:
        [theirs] = session.exec(select(PhotoRow.id).where(PhotoRow.sha256 == sha)).all()

    report = bob.sync()
    assert report.error is None, report.error
    assert ("photo", theirs) in parked(bob)
    assert values_of(bob, insp) == {"1.1": {"entrances": 4, "guard_post": "pass"}}
    with bob.store.read() as session:
        assert session.get(PhotoRow, theirs) is None
        assert session.get(PhotoRow, mine) is not None
        assert session.get(InspectionRow, insp) is not None


def test_a_pull_names_the_compounds_whose_records_it_changed(server, make_laptop):
    """Answers name no compound; the pull finds it through their inspection on the laptop,
    so the app reloads the views of that compound only."""
    erin = colleague(server, "erin")
    insp = inspection_with_answers(erin, ["Q1"])
    carol = make_laptop("carol")
    assert carol.sync().error is None
    push(erin, [answer_op(insp, "Q1", base_rev=1, values={"n": 2})])  # only an answer moves
    report = carol.sync()
    assert report.error is None, report.error
    assert report.records_pulled == 1
    assert report.compounds_pulled == {COMPOUNDS["CG-03"]}
    assert carol.sync().compounds_pulled == set()  # nothing new, nothing to reload
