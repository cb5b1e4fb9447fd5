"""SYNC-RESEARCH §7.2, client faults (F18–F21), concurrency and conflicts (F22–F27), clock,
auth and scope (F28–F30), with real laptops and the real server; each ends with the global
invariants.

Made here differently from the research's wording, and why:
- F18: the laptop's ``import-photos`` CLI is killed with SIGKILL at the ``blob_committed``
  point; the start-up integrity pass lists the orphan as a recovered photo (re-attaching it
  is the photo UI's part, not tested here).
- F22: acceptance is a reviewer's status op (``submitted → accepted``) until the review
  workflow is built; submitting and accepting are both refused while a record of the
  inspection is in a hard conflict (docs/decisions/0044).
- F25: retracting is an append-only ``retraction`` record on this project (the answer itself
  is never changed), so a retraction and a concurrent edit do not touch the same record and
  both apply; the test asserts that nothing is lost or silently overwritten, not the hard
  conflict the research proposed.
- F27: photos belong to a compound and phase here, not to an inspection: the second photo
  record of the same blob, compound and phase is ``rejected{duplicate_photo}`` (a rule this
  suite added to the server: the laptop's unique key could never store both); the other
  inspector's record waits parked on that laptop behind the kept, rejected one.
- F28: the laptop clock is skewed by replacing the engine's wall-clock timer; the photo
  pushed then carries the server's receipt time, the measured offset and the reviewer's
  ``clock_skew_flag``, with ``captured_at`` as the laptop claimed it.
- F29/F30: there is no API to expire a token or take a sub-district away from an inspector,
  so the test does it in the server database, as the passage of time or an admin would.
"""

from __future__ import annotations

import datetime as dt
import signal
import sqlite3
import subprocess

from sqlmodel import select

from fieldcheck.core.photo_import import ImportStatus, import_photos
from fieldcheck.domain.demo import demo_compounds
from fieldcheck.domain.ids import answer_id
from fieldcheck.domain.photo import Phase, PhotoTarget
from fieldcheck.paths import DataPaths
from fieldcheck.store import inspections
from fieldcheck.store.database import Store
from fieldcheck.store.integrity import run_integrity_pass
from fieldcheck.store.photos import to_photo
from fieldcheck.store.sync_tables import ConflictRow, OutboxSyncRow, SyncMetaRow
from fieldcheck.store.syncbook.resolutions import resolve_conflict
from fieldcheck.store.tables import AnswerRow, OutboxRow, PhotoRow, RetractionRow
from fieldcheck.sync import engine as engine_module
from fieldcheck.sync.credentials import TokenStore
from fieldcheck.sync.errors import SyncErrorKind
from sync_server.blobs.models import Blob
from sync_server.sync.models import Record, RecordVersion
from sync_server.testing import COMPOUNDS, PASSWORD, SCOPES, ApiClient
from tests.faults.conftest import ONCE
from tests.faults.helpers import outbox_states, reviewer_client, status_move, sync_in_turn
from tests.faults.invariants import Snapshot, server_db, settle_and_check
from tests.sync.conftest import FIELDCHECK, Laptop, big_jpeg

VALUES = {"entrances": 2, "guard_post": "pass"}


def shared_inspection(first: Laptop, *others: Laptop, code: str = "CG-01") -> str:
    """An inspection with an answer to 1.1, synced to every laptop."""
    inspection = first.start_inspection(code)
    first.answer(inspection, "1.1", VALUES)
    assert first.sync().error is None
    for laptop in others:
        assert laptop.sync().error is None
    return inspection


def server_write(server, sql: str, *params) -> None:  # type: ignore[no-untyped-def]
    with sqlite3.connect(server.data_dir / "server.sqlite3", timeout=10) as db:
        db.execute(sql, params)


def test_f18_power_loss_between_blob_and_record(clean_server, make_laptop, tmp_path):
    laptop = make_laptop("alice")
    photo = big_jpeg(tmp_path / "f18.jpg", seed=118)
    laptop.store.close()
    env = {"FIELDCHECK_CRASH_AT": "blob_committed", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [str(FIELDCHECK), "--data-dir", str(laptop.root), "import-photos", str(photo),
         "--compound", "CG-01", "--phase", "before", "--inspector", "alice"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == -signal.SIGKILL, done.stderr
    laptop.store = Store.open(DataPaths(laptop.root))
    with laptop.store.read() as db:
        assert not db.exec(select(PhotoRow)).all()  # the record never committed
    report = run_integrity_pass(laptop.store)
    assert [r.sha256 for r in report.recovered] == [big_sha(photo)]
    assert report.recovered[0].path.is_file()  # never deleted
    settle_and_check(clean_server, [laptop])
    assert run_integrity_pass(laptop.store).recovered  # still listed, still there


def big_sha(path) -> str:  # type: ignore[no-untyped-def]
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_f19_crash_after_the_ack_before_the_local_commit(clean_server, make_laptop):
    laptop = make_laptop("bob")
    inspection = laptop.start_inspection("CG-02")
    laptop.answer(inspection, "1.1", VALUES)
    before = Snapshot.take([laptop])
    laptop.engine()  # signed in; the token is in the data dir
    laptop.store.close()
    env = {"FIELDCHECK_CRASH_AT": "push_answered", "PATH": "/usr/bin:/bin"}
    crashed = subprocess.run(
        [str(FIELDCHECK), "--data-dir", str(laptop.root), "sync", "--server",
         clean_server.url, "--user", "bob"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    laptop.store = Store.open(DataPaths(laptop.root))
    assert set(outbox_states(laptop).values()) == {"inflight"}  # acked, never written down
    again = laptop.sync(config=ONCE)
    assert again.error is None, again.error
    with laptop.store.read() as db:
        for row in db.exec(select(OutboxRow)).all():
            result = db.get(OutboxSyncRow, row.op_id).result
            assert row.state == "done"
            assert result["replayed"] is True
    settle_and_check(clean_server, [laptop], before)


def test_f20_a_changed_local_photo_is_never_uploaded(clean_server, make_laptop, tmp_path):
    import os
    import stat

    from fieldcheck.photos.blobs import BlobStore

    laptop = make_laptop("carol")
    [sha] = laptop.import_photos([big_jpeg(tmp_path / "f20.jpg", seed=120)], "CG-03")
    path = BlobStore(laptop.store.paths.blobs).path_for(sha)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    with open(path, "r+b") as handle:
        handle.seek(200)
        handle.write(b"\xff\xfe")
    report = laptop.sync(config=ONCE)
    assert report.integrity_alerts
    assert report.photos_uploaded == 0
    assert set(outbox_states(laptop, "photo").values()) == {"pending"}
    with server_db(clean_server) as sdb:
        assert sdb.get(Blob, sha) is None
    # The op stays pending for good: the invariant's "nothing unsent" does not hold here by
    # design, so the check runs on a colleague's laptop and the server.
    colleague = make_laptop("carol", "f20-colleague")
    settle_and_check(clean_server, [colleague])
    assert set(outbox_states(laptop, "photo").values()) == {"pending"}


def test_f21_a_replaced_laptop_pulls_everything_again(clean_server, make_laptop, tmp_path):
    old = make_laptop("dave")
    inspection = old.start_inspection("CG-04")
    old.answer(inspection, "1.1", VALUES)
    [sha] = old.import_photos([big_jpeg(tmp_path / "f21.jpg", seed=121)], "CG-04")
    assert old.sync().error is None
    new = make_laptop("dave", "f21-new")
    settle_and_check(clean_server, [old, new])
    with new.store.read() as db:
        assert db.get(AnswerRow, answer_id(inspection, "1.1")) is not None
        assert sha in set(db.exec(select(PhotoRow.sha256)).all())
    assert new.engine().fetch_blob(sha)


def test_f22_the_same_field_edited_on_two_laptops(clean_server, make_laptop):
    alice, bob = make_laptop("alice"), make_laptop("bob")
    inspection = shared_inspection(alice, bob)
    aid = answer_id(inspection, "1.1")
    alice.answer(inspection, "1.1", {"entrances": 5, "guard_post": "pass"})
    bob.answer(inspection, "1.1", {"entrances": 7, "guard_post": "pass"})
    before = Snapshot.take([alice, bob])
    _first, second = sync_in_turn(alice, bob)
    assert second.new_conflicts == 1
    with server_db(clean_server) as sdb:
        record = sdb.get(Record, ("answer", aid))
        assert record.conflict_state == "hard"
        assert record.data["values"]["entrances"] == 5  # the head stays A's
        values = {
            v.data["values"]["entrances"]
            for v in sdb.exec(select(RecordVersion).where(RecordVersion.record_id == aid))
        }
        assert {5, 7} <= values  # both kept in history
    settle_and_check(clean_server, [alice, bob], before, expect_hard={("answer", aid)})

    # Neither submitting nor accepting the inspection goes through while the conflict is
    # open; after bob's resolution (he synced second and holds the conflict) both do.
    colleague, reviewer = ApiClient(clean_server.url), reviewer_client(clean_server, "f22")
    colleague.login("alice", PASSWORD, "f22-colleague")
    assert status_move(clean_server, colleague, inspection, "submitted") == (
        "rejected",
        "open_conflict",
    )
    assert status_move(clean_server, reviewer, inspection, "accepted") == (
        "rejected",
        "invalid_transition",
    )
    with bob.store.write() as db:
        [conflict] = db.exec(select(ConflictRow).where(ConflictRow.state == "open")).all()
        resolve_conflict(
            db, conflict.id, "merged", {"values": {"entrances": 6, "guard_post": "pass"}}
        )
    assert bob.sync().error is None
    assert status_move(clean_server, colleague, inspection, "submitted") == ("applied", None)
    assert status_move(clean_server, reviewer, inspection, "accepted") == ("applied", None)
    with server_db(clean_server) as sdb:
        assert sdb.get(Record, ("answer", aid)).conflict_state == "none"
        values = {
            v.data["values"]["entrances"]
            for v in sdb.exec(select(RecordVersion).where(RecordVersion.record_id == aid))
        }
        assert {5, 6, 7} <= values  # the resolution is a new version; history keeps both


def test_f22_acceptance_refused_while_a_record_is_in_conflict(clean_server, make_laptop):
    """A submitted inspection whose answer is in a hard conflict (one carried over from an
    older server by a restore, say) cannot be accepted until the conflict is resolved."""
    alice = make_laptop("alice")
    inspection = shared_inspection(alice, code="CG-05")
    colleague, reviewer = ApiClient(clean_server.url), reviewer_client(clean_server, "f22b")
    colleague.login("alice", PASSWORD, "f22b-colleague")
    assert status_move(clean_server, colleague, inspection, "submitted") == ("applied", None)
    aid = answer_id(inspection, "1.1")
    server_write(clean_server, "UPDATE record SET conflict_state = 'hard' WHERE id = ?", aid)
    assert status_move(clean_server, reviewer, inspection, "accepted") == (
        "rejected",
        "open_conflict",
    )
    server_write(clean_server, "UPDATE record SET conflict_state = 'none' WHERE id = ?", aid)
    assert status_move(clean_server, reviewer, inspection, "accepted") == ("applied", None)


def test_f23_disjoint_fields_merge(clean_server, make_laptop):
    alice, bob = make_laptop("carol"), make_laptop("dave")
    inspection = shared_inspection(alice, bob, code="CG-03")
    aid = answer_id(inspection, "1.1")
    alice.answer(inspection, "1.1", {"entrances": 9, "guard_post": "pass"})
    bob.answer(inspection, "1.1", VALUES, note="门岗在东侧")
    before = Snapshot.take([alice, bob])
    assert alice.sync().error is None
    merged = bob.sync()
    assert merged.error is None
    assert merged.new_conflicts == 0
    with bob.store.read() as db:
        row = db.exec(select(OutboxRow).where(OutboxRow.entity == "answer")).all()[-1]
        assert db.get(OutboxSyncRow, row.op_id).result["status"] == "merged"
    with server_db(clean_server) as sdb:
        head = sdb.get(Record, ("answer", aid)).data
        assert head["values"]["entrances"] == 9
        assert head["note"] == "门岗在东侧"
    settle_and_check(clean_server, [alice, bob], before, expect_hard=hard_now(clean_server))


def hard_now(server) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Hard conflicts other scenarios of this module left open on the shared server."""
    with server_db(server) as sdb:
        rows = sdb.exec(select(Record).where(Record.conflict_state == "hard")).all()
        return {(r.entity, r.id) for r in rows}


def test_f24_both_create_the_same_answer(clean_server, make_laptop):
    alice, bob = make_laptop("erin"), make_laptop("frank")
    inspection = alice.start_inspection("CG-05")
    assert alice.sync().error is None
    assert bob.sync().error is None
    alice.answer(inspection, "1.1", {"entrances": 1, "guard_post": "pass"})
    bob.answer(inspection, "1.1", {"entrances": 4, "guard_post": "fail"})
    aid = answer_id(inspection, "1.1")
    before = Snapshot.take([alice, bob])
    assert alice.sync().error is None
    second = bob.sync()
    assert second.error is None
    assert second.new_conflicts == 1
    with server_db(clean_server) as sdb:
        assert len(sdb.exec(select(Record).where(Record.id == aid)).all()) == 1
    settle_and_check(clean_server, [alice, bob], before, expect_hard=hard_now(clean_server))
    assert ("answer", aid) in hard_now(clean_server)


def test_f25_retract_versus_edit(clean_server, make_laptop):
    alice, bob = make_laptop("alice"), make_laptop("bob")
    inspection = shared_inspection(alice, bob, code="CG-02")
    aid = answer_id(inspection, "1.1")
    with alice.store.write() as db:
        inspections.retract_answer(db, inspection, "1.1", 0, "wrong compound", "alice")
    bob.answer(inspection, "1.1", {"entrances": 3, "guard_post": "fail"})
    before = Snapshot.take([alice, bob])
    assert alice.sync().error is None
    assert bob.sync().error is None
    settle_and_check(clean_server, [alice, bob], before, expect_hard=hard_now(clean_server))
    for laptop in (alice, bob):
        with laptop.store.read() as db:
            assert db.get(AnswerRow, aid).values["entrances"] == 3  # the edit is not lost
            assert [r.entity_id for r in db.exec(select(RetractionRow)).all()].count(aid) == 1


def test_f26_an_edit_after_a_colleague_submitted(clean_server, make_laptop):
    alice = make_laptop("carol")
    inspection = shared_inspection(alice, code="CG-04")
    colleague = ApiClient(clean_server.url)
    colleague.login("carol", PASSWORD, "f26-colleague")
    assert status_move(clean_server, colleague, inspection, "submitted") == ("applied", None)
    alice.answer(inspection, "1.1", {"entrances": 8, "guard_post": "fail"})
    before = Snapshot.take([alice])
    report = alice.sync()
    assert report.error is None
    assert report.new_rejected == 1
    with alice.store.read() as db:
        rejected = db.exec(select(OutboxRow).where(OutboxRow.state == "rejected")).all()
        assert len(rejected) == 1
        assert db.get(OutboxSyncRow, rejected[0].op_id).result["code"] == "locked"
    settle_and_check(clean_server, [alice], before, expect_hard=hard_now(clean_server))


def test_f27_the_same_photo_imported_twice(clean_server, make_laptop, tmp_path):
    alice, bob = make_laptop("dave"), make_laptop("erin")
    photo = big_jpeg(tmp_path / "f27.jpg", seed=127)
    [sha] = alice.import_photos([photo], "CG-01")
    assert bob.import_photos([photo], "CG-01") == [sha]
    again = import_photos(
        alice.store,
        [photo],
        PhotoTarget(compound_id=COMPOUNDS["CG-01"], phase=Phase.BEFORE, inspector="dave"),
    )
    assert [o.status for o in again.outcomes] == [ImportStatus.DUPLICATE]  # no second record
    before = Snapshot.take([alice, bob])
    first, second = sync_in_turn(alice, bob)
    assert first.photos_uploaded == 1
    assert second.photos_uploaded == 0
    assert second.bytes_sent == 0
    assert second.new_rejected == 1  # the same blob for the same compound and phase
    with bob.store.read() as db:
        [row] = db.exec(select(OutboxRow).where(OutboxRow.state == "rejected")).all()
        assert db.get(OutboxSyncRow, row.op_id).result["code"] == "duplicate_photo"
    settle_and_check(clean_server, [alice, bob], before, expect_hard=hard_now(clean_server))


def test_f28_a_laptop_clock_days_off(clean_server, make_laptop, monkeypatch, tmp_path):
    laptop = make_laptop("frank")
    [sha] = laptop.import_photos([big_jpeg(tmp_path / "f28.jpg", 128, (320, 240))], "CG-05")
    days = 3 * 86400
    real = engine_module.timed

    def skewed(call):  # type: ignore[no-untyped-def]
        result, before, after = real(call)
        return result, before - days, after - days

    monkeypatch.setattr(engine_module, "timed", skewed)
    inspection = laptop.start_inspection("CG-05")
    laptop.answer(inspection, "1.1", VALUES)
    laptop.answer(inspection, "1.1", {"entrances": 3, "guard_post": "pass"})
    before = Snapshot.take([laptop])
    report = laptop.sync()
    assert report.error is None
    assert abs(report.clock_offset_s - days) < 60
    with laptop.store.read() as db:
        assert abs(db.get(SyncMetaRow, 1).clock_offset_s - days) < 60
    settle_and_check(clean_server, [laptop], before, expect_hard=hard_now(clean_server))
    with server_db(clean_server) as sdb:
        head = sdb.get(Record, ("answer", answer_id(inspection, "1.1")))
        assert head.data["values"]["entrances"] == 3  # ordered by rev, not by clocks
        photo = sdb.exec(select(Record).where(Record.entity == "photo")).all()
        [photo] = [p for p in photo if p.data["sha256"] == sha]
    with laptop.store.read() as db:
        local = db.exec(select(PhotoRow).where(PhotoRow.sha256 == sha)).one()
    assert photo.data["clock_skew_flag"] is True  # for the reviewer
    assert abs(photo.data["received_clock_offset_s"] - days) < 60
    assert photo.data["server_received_at"]
    assert photo.data["captured_at"] == local.captured_at  # kept as claimed
    # The laptop that pushed it and a colleague's that pulled it both keep the server's note.
    colleague = make_laptop("erin")
    assert colleague.sync().error is None
    for holder in (laptop, colleague):
        with holder.store.read() as db:
            row = db.exec(select(PhotoRow).where(PhotoRow.sha256 == sha)).one()
            receipt = to_photo(row).receipt
        assert receipt is not None
        assert receipt.clock_skewed
        assert abs(receipt.clock_offset_s - days) < 60
        assert receipt.received_at == dt.datetime.fromisoformat(photo.data["server_received_at"])
        assert row.captured_at == local.captured_at


def test_f29_an_expired_token(clean_server, make_laptop):
    laptop = make_laptop("alice")
    laptop.engine()
    inspection = laptop.start_inspection("CG-01")
    laptop.answer(inspection, "1.1", VALUES)
    before = Snapshot.take([laptop])
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
    server_write(clean_server, "UPDATE token SET expires_at = ?", past)
    refused = laptop.sync()
    assert refused.error is not None
    assert refused.error.kind is SyncErrorKind.AUTH
    assert set(outbox_states(laptop).values()) == {"pending"}
    fresh = laptop.engine()  # the re-login prompt: the password once more
    TokenStore(laptop.root).save(laptop.server_url, "alice", fresh.sign_in("alice", PASSWORD).token)
    settle_and_check(clean_server, [laptop], before, expect_hard=hard_now(clean_server))


def test_f30_a_sub_district_taken_away_while_offline(clean_server, make_laptop):
    admin = ApiClient(clean_server.url)
    admin.login("root", PASSWORD, "f30-admin")
    other = next(code for code in SCOPES if code != "CG")
    body = {"username": "gina", "role": "inspector", "password": PASSWORD, "scopes": ["CG", other]}
    assert admin.request("POST", "/v1/admin/users", json=body).status_code == 201
    laptop = make_laptop("gina")
    laptop.engine()
    outside = next(c.code for c in demo_compounds(2026) if c.code.startswith(other))
    kept = laptop.start_inspection("CG-02")
    lost = laptop.start_inspection(outside)
    assert COMPOUNDS[outside]
    before = Snapshot.take([laptop])
    server_write(
        clean_server,
        "DELETE FROM user_scope WHERE scope_id = ? AND user_id = "
        "(SELECT id FROM app_user WHERE username = 'gina')",
        SCOPES[other],
    )
    report = laptop.sync()
    assert report.error is None
    assert report.new_rejected == 1
    with laptop.store.read() as db:
        states = {r.entity_id: r.state for r in db.exec(select(OutboxRow)).all()}
        assert (states[kept], states[lost]) == ("done", "rejected")
        row = db.exec(select(OutboxRow).where(OutboxRow.entity_id == lost)).one()
        assert db.get(OutboxSyncRow, row.op_id).result["code"] == "forbidden_scope"
    settle_and_check(clean_server, [laptop], before, expect_hard=hard_now(clean_server))
