"""End to end (issue 5, "Done when"): two laptops and one real server. Each inspector records
answers and imports photos offline, both sync, each laptop ends with the other's records and
photos; one deliberate conflict on the same answer field shows up in the conflict inbox with
both versions, is resolved, and both laptops converge."""

from __future__ import annotations

import hashlib

from sqlmodel import select

from fieldcheck.photos.blobs import BlobStore
from fieldcheck.protocol.ops import Entity
from fieldcheck.store.syncbook.attention import attention_items, pending_counts
from fieldcheck.store.syncbook.blobs import photo_states
from fieldcheck.store.syncbook.marks import record_states
from fieldcheck.store.syncbook.resolutions import resolve_conflict
from fieldcheck.store.tables import AnswerRow, InspectionRow, OutboxRow, PhotoRow
from sync_server.testing import PASSWORD, ApiClient
from tests.sync.conftest import corpus_jpegs, json_summary

PHOTO_RECORDS_SYNC = "photo" in {e.value for e in Entity}


def answers(laptop) -> dict[str, tuple[dict, str]]:
    with laptop.store.read() as session:
        return {a.id: (dict(a.values), a.note) for a in session.exec(select(AnswerRow)).all()}


def photo_hashes(laptop) -> set[str]:
    with laptop.store.read() as session:
        return set(session.exec(select(PhotoRow.sha256)).all())


def inspection_ids(laptop) -> set[str]:
    with laptop.store.read() as session:
        return set(session.exec(select(InspectionRow.id)).all())


def test_two_laptops_exchange_records_and_photos_and_settle_a_conflict(server, make_laptop):
    alice, bob = make_laptop("alice"), make_laptop("bob")
    jpegs = corpus_jpegs(6)

    # Offline work on both laptops.
    a_insp = alice.start_inspection("CG-01")
    alice.answer(a_insp, "1.1", {"entrances": 2, "guard_post": "fail"}, "门岗缺失")
    alice.answer(a_insp, "1.1", {"entrances": 3, "guard_post": "fail"}, "门岗缺失")  # coalesces
    a_photos = alice.import_photos(jpegs[:3], "CG-01")
    b_insp = bob.start_inspection("CG-02")
    bob.answer(b_insp, "1.1", {"entrances": 1, "guard_post": "pass"})
    b_photos = bob.import_photos(jpegs[3:], "CG-02")

    first = alice.sync()
    assert first.error is None, first.error
    # the inspection, one coalesced op for the two answer edits, and the photo records
    assert first.records_pushed == 2 + (3 if PHOTO_RECORDS_SYNC else 0)
    assert first.photos_uploaded == 3
    assert bob.sync().error is None
    assert alice.sync().error is None

    # Each laptop holds the other's records.
    assert {a_insp, b_insp} <= inspection_ids(alice)
    assert {a_insp, b_insp} <= inspection_ids(bob)
    assert answers(alice) == answers(bob)
    with alice.store.read() as session:
        assert all(r.state == "done" for r in session.exec(select(OutboxRow)).all()
                   if r.entity in {"inspection", "answer"})  # fmt: skip

    # Every photo's blob is on the server, verified, byte for byte.
    api = ApiClient(server.url)
    api.login("carol", PASSWORD, "dev-check")
    for sha in a_photos + b_photos:
        got = api.request("GET", f"/v1/blobs/{sha}")
        assert got.status_code == 200
        assert hashlib.sha256(got.content).hexdigest() == sha
    # The other's photos reach each laptop: their records by pull, their blobs downloaded
    # and verified (by hash alone through the same download path if the server did not
    # sync photo records).
    for laptop, shas in ((alice, b_photos), (bob, a_photos)):
        if PHOTO_RECORDS_SYNC:
            assert set(shas) <= photo_hashes(laptop)
        else:
            engine = laptop.engine()
            assert all(engine.fetch_blob(sha) for sha in shas)
        store = BlobStore(laptop.store.paths.blobs)
        assert all(store.exists(sha) and store.rehash(sha) == sha for sha in shas)
    assert alice.engine().fetch_blob("0" * 64) is False  # unknown on the server

    # A deliberate conflict: both change the same field of the same answer offline.
    alice.answer(a_insp, "1.1", {"entrances": 5, "guard_post": "fail"}, "门岗缺失")
    bob.answer(a_insp, "1.1", {"entrances": 7, "guard_post": "fail"}, "门岗缺失")
    assert alice.sync().error is None
    done = bob.cli("sync", "--server", server.url, "--user", "bob", "--json")
    assert done.returncode == 1, done.stderr  # synced, but a conflict waits
    summary = json_summary(done)
    assert (summary["conflicts"], summary["new_conflicts"]) == (1, 1)

    items = [i for i in attention_items_of(bob) if i.kind == "conflict"]
    assert len(items) == 1
    conflict = items[0]
    assert conflict.mine["values"]["entrances"] == 7
    assert conflict.theirs["values"]["entrances"] == 5
    assert {v["author"] for v in conflict.history} >= {"alice", "bob"}
    assert "values" in conflict.fields
    with bob.store.read() as session:
        states = record_states(session, "answer", [answer_id_of(a_insp)])
        assert states == {answer_id_of(a_insp): "conflict"}
        assert set(photo_states(session, b_photos).values()) == {"verified"}
    # Bob's edit is kept locally while the conflict is open.
    assert answers(bob)[answer_id_of(a_insp)][0]["entrances"] == 7

    with bob.store.write() as session:
        resolve_conflict(
            session, conflict.conflict_id, "merged",
            {"values": {"entrances": 6, "guard_post": "fail"}},
        )  # fmt: skip
    settled = bob.sync()
    assert settled.error is None
    assert settled.conflicts == 0
    assert alice.sync().error is None
    assert bob.sync().error is None
    assert answers(alice) == answers(bob)
    assert answers(alice)[answer_id_of(a_insp)][0]["entrances"] == 6
    for laptop in (alice, bob):
        with laptop.store.read() as session:
            counts = pending_counts(session)
            assert set(record_states(session, "inspection", [a_insp, b_insp]).values()) == {
                "synced"
            }
        assert (counts.records, counts.conflicts, counts.rejected) == (0, 0, 0)

    # The server kept both versions and the resolution.
    history = api.request("GET", f"/v1/records/answer/{answer_id_of(a_insp)}/versions").json()
    assert history["conflict_state"] == "none"
    assert {v["data"]["values"]["entrances"] for v in history["versions"]} >= {5, 6, 7}


def attention_items_of(laptop):
    with laptop.store.read() as session:
        return attention_items(session)


def answer_id_of(inspection_id: str) -> str:
    from fieldcheck.domain.ids import answer_id

    return answer_id(inspection_id, "1.1")
