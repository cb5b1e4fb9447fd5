"""F14 (SYNC-RESEARCH §6.8, §7.2; decision 0041): the server is restored from a copy of its
data directory taken before a laptop's photos and answers went up. The laptop notices (its
ledger checkpoint is ahead of the server's), re-sends every blob and record the server lost,
resets its cursors and pulls; afterwards the server holds everything again, its ledger
verifies, and the next sync is a no-op."""

from __future__ import annotations

import shutil

from sqlmodel import select

from fieldcheck import cli
from fieldcheck.paths import DataPaths
from fieldcheck.photos.blobs import BlobStore
from fieldcheck.store.database import Store
from fieldcheck.store.sync_tables import SyncRecordRow
from fieldcheck.store.syncbook.meta import accept_server_history, meta
from fieldcheck.store.tables import AnswerRow, InspectionRow, PhotoRow
from sync_server.testing import PASSWORD, ApiClient, ServerProcess
from tests.sync.conftest import Laptop, big_jpeg, corpus_jpegs, start_server


def restart(server, data_from=None) -> None:  # type: ignore[no-untyped-def]
    """Stop the server, optionally put another copy of its data directory in place, and
    start it again on the same port (the laptop's address does not change)."""
    port = server.process.port
    server.process.stop()
    if data_from is not None:
        shutil.rmtree(server.data_dir)
        shutil.copytree(data_from, server.data_dir)
    server.process = ServerProcess(server.env, port=port).start()


def laptop_records(laptop: Laptop) -> dict[tuple[str, str], int]:
    with laptop.store.read() as session:
        rows = session.exec(select(SyncRecordRow).where(SyncRecordRow.server_rev > 0)).all()
        return {(r.entity, r.id): r.server_rev for r in rows}


def test_a_restored_server_gets_back_every_record_and_blob_from_the_laptop(tmp_path):
    server = start_server(tmp_path / "server")
    root = tmp_path / "laptop"
    assert cli.main(["--data-dir", str(root), "demo", "--year", "2026"]) == 0
    laptop = Laptop(root, Store.open(DataPaths(root)), "alice", server.url)
    try:
        assert laptop.sync().error is None  # signed in, the plan pulled
        restart(server)
        backup = tmp_path / "backup"
        shutil.copytree(server.data_dir, backup)  # the bureau's (soon outdated) backup

        inspection = laptop.start_inspection("CG-01")
        laptop.answer(inspection, "1.1", {"entrances": 2, "guard_post": "fail"}, "门岗缺失")
        photos = laptop.import_photos(
            [*corpus_jpegs(2), big_jpeg(tmp_path / "big.jpg", 14, (2000, 1500))]
        )
        first = laptop.sync()
        assert first.error is None, first.error
        laptop.answer(inspection, "1.1", {"entrances": 3, "guard_post": "fail"}, "门岗缺失")
        second = laptop.sync()
        assert second.error is None, second.error
        synced = laptop_records(laptop)
        assert synced[("answer", next(iter(answer_ids(laptop))))] == 2

        restart(server, data_from=backup)
        admin = ApiClient(server.url)
        admin.login("root", PASSWORD, "dev-root")
        lost = admin.request("GET", f"/v1/records/inspection/{inspection}/versions")
        assert lost.status_code == 404  # the restore really lost the laptop's work
        assert admin.request("GET", f"/v1/blobs/{photos[0]}").status_code == 404
        report = laptop.sync()
        assert report.error is None, report.error
        assert report.reconciled
        assert "backwards" in report.reconcile_reason
        assert report.photos_uploaded == len(photos)
        assert report.records_restored >= 2 + len(photos)  # inspection, answer, photos
        assert report.new_conflicts == report.new_rejected == 0

        for (entity, record_id), _rev in synced.items():
            versions = admin.request("GET", f"/v1/records/{entity}/{record_id}/versions")
            assert versions.status_code == 200, (entity, record_id, versions.text)
        answer = admin.request(
            "GET", f"/v1/records/answer/{next(iter(answer_ids(laptop)))}/versions"
        ).json()
        head = next(v for v in answer["versions"] if v["is_head"])
        assert head["data"]["values"] == {"entrances": 3, "guard_post": "fail"}
        store = BlobStore(laptop.store.paths.blobs)
        for sha in photos:
            got = admin.request("GET", f"/v1/blobs/{sha}")
            assert got.status_code == 200
            assert got.content == store.path_for(sha).read_bytes()
        server.cli("verify")  # exits 0: every blob matches its row, the ledger chain holds

        with laptop.store.read() as session:
            row = meta(session)
            assert row.history_alert == ""
            assert row.checkpoint is not None
            assert len(session.exec(select(InspectionRow)).all()) >= 1
            assert len(session.exec(select(PhotoRow)).all()) == len(photos)
        again = laptop.sync()
        assert (again.error, again.outcome, again.reconciled) == (None, "noop", False)

        # Idempotent: reconciling once more (as after an accepted history) changes nothing.
        with laptop.store.write() as session:
            accept_server_history(session)
        repeat = laptop.sync()
        assert repeat.error is None, repeat.error
        assert (repeat.reconciled, repeat.records_restored, repeat.photos_uploaded) == (
            True,
            0,
            0,
        )
        assert repeat.new_conflicts == 0
    finally:
        laptop.close()
        server.process.stop()


def answer_ids(laptop: Laptop) -> list[str]:
    with laptop.store.read() as session:
        return list(session.exec(select(AnswerRow.id)).all())
