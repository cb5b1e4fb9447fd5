"""SYNC-RESEARCH F14: the server restored from an older backup (its ledger and change numbers
go back). A module of its own: the restore rewinds the module's server.

The research's expected outcome is a reconcile mode (re-upload missing blobs, re-push the
laptop's versions). This suite checks what must hold whatever the engine does about it: the
laptop notices (a clear history alert naming the regression), keeps every record, op and
photo, and marks nothing it held as lost. When the engine reconciles on its own, the global
invariants must then hold again; when it does not, the test says so by failing on the
invariants rather than skipping them. (The engine's reconcile mode was being written in
parallel with this suite — ``start_reconcile``, ``tests/sync/test_reconcile.py``, uncommitted
when this test was written; with it, this test passes.) The op-id accounting of the
invariants is skipped here: the restored server lost the acknowledgements of its lost
entries by definition."""

from __future__ import annotations

import shutil

from sqlmodel import select

from fieldcheck.store.sync_tables import SyncMetaRow
from fieldcheck.store.tables import AnswerRow, InspectionRow, PhotoRow
from tests.faults.conftest import kill9, restart
from tests.faults.invariants import Snapshot, settle_and_check
from tests.sync.conftest import big_jpeg


def held(laptop) -> tuple[set[str], set[str], set[str]]:  # type: ignore[no-untyped-def]
    with laptop.store.read() as db:
        return (
            set(db.exec(select(InspectionRow.id)).all()),
            set(db.exec(select(AnswerRow.id)).all()),
            set(db.exec(select(PhotoRow.sha256)).all()),
        )


def test_f14_server_restored_from_an_older_backup(clean_server, make_laptop, tmp_path):
    laptop = make_laptop("alice")
    early = laptop.start_inspection("CG-01")
    laptop.answer(early, "1.1", {"entrances": 1, "guard_post": "pass"})
    assert laptop.sync().error is None
    clean_server.process.stop()
    backup = tmp_path / "backup"
    shutil.copytree(clean_server.data_dir, backup)
    restart(clean_server)

    late = laptop.start_inspection("CG-02")
    laptop.answer(late, "1.1", {"entrances": 2, "guard_post": "fail"})
    laptop.import_photos([big_jpeg(tmp_path / "f14.jpg", seed=114)], "CG-02")
    assert laptop.sync().error is None
    before = Snapshot.take([laptop])
    kept = held(laptop)

    kill9(clean_server)
    shutil.rmtree(clean_server.data_dir)
    shutil.copytree(backup, clean_server.data_dir)
    restart(clean_server)
    report = laptop.sync()
    with laptop.store.read() as db:
        alert = db.get(SyncMetaRow, 1).history_alert
    reason = getattr(report, "reconcile_reason", "") or alert
    assert "backup" in reason or "backwards" in reason, (report, alert)
    assert held(laptop) == kept  # nothing on the laptop changed or deleted
    settle_and_check(clean_server, [laptop], before, restored=True)
