"""The laptop as a witness of the server's ledger: each sync checks the signed checkpoint
(signature by the first key seen, size never smaller, same epoch, still recognised by the
server) and stops with a clear "history changed" state when it does not hold — keeping
everything local. Once accepted, syncing resumes."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fieldcheck.store.syncbook.meta import accept_server_history, meta
from fieldcheck.sync.errors import SyncErrorKind


def synced_laptop(make_laptop, name: str):
    laptop = make_laptop("carol", name)
    first = laptop.sync()
    assert first.error is None, first.error
    with laptop.store.read() as session:
        row = meta(session)
        assert row.checkpoint is not None
        assert row.server_public_key
        assert row.server_epoch
        assert row.clock_offset_s is not None
        assert abs(row.clock_offset_s) < 5  # same machine
        assert row.last_sync_at is not None
    return laptop


def edit_meta(laptop, **changes) -> None:
    with laptop.store.write() as session:
        row = meta(session)
        for name, value in changes.items():
            setattr(row, name, value)
        session.add(row)


def outbox_after_offline_work(laptop) -> list[tuple[str, str]]:
    inspection = laptop.start_inspection("CG-05")
    laptop.answer(inspection, "1.1", {"entrances": 1, "guard_post": "pass"})
    return [(r.op_id, r.state) for r in laptop.outbox()]


def test_a_ledger_that_went_backwards_is_reconciled_and_keeps_everything(make_laptop):
    """A shorter ledger under the trusted key is a restore from an older backup: the laptop
    holds what the server lost, so it reconciles on its own (decision 0041)."""
    laptop = synced_laptop(make_laptop, "laptop-backwards")
    with laptop.store.read() as session:
        seen = dict(meta(session).checkpoint)
    # As if this laptop had seen a longer ledger than the server now holds.
    edit_meta(laptop, checkpoint={**seen, "size": seen["size"] + 1000})
    before = outbox_after_offline_work(laptop)
    report = laptop.sync()
    assert report.error is None, report.error
    assert report.reconciled
    assert "backwards" in report.reconcile_reason or "no longer holds" in report.reconcile_reason
    assert report.records_restored == 0  # the server lost nothing of this laptop's
    assert report.records_pushed == len(before)
    assert {state for _op, state in ((r.op_id, r.state) for r in laptop.outbox())} == {"done"}
    with laptop.store.read() as session:
        row = meta(session)
        assert row.history_alert == ""
        assert row.checkpoint["size"] > seen["size"]  # the server's real one, witnessed anew
    assert laptop.sync().outcome == "noop"


def test_a_new_epoch_or_a_foreign_signature_is_refused_until_accepted(make_laptop):
    laptop = synced_laptop(make_laptop, "laptop-epoch")
    with laptop.store.read() as session:
        epoch, key = meta(session).server_epoch, meta(session).server_public_key
    edit_meta(laptop, server_epoch="another-epoch")
    report = laptop.sync()
    assert report.error.kind is SyncErrorKind.HISTORY
    assert "epoch" in report.error.message
    done = laptop.cli("sync")
    assert done.returncode == 2
    assert "epoch" in done.stderr

    impostor = (
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    edit_meta(laptop, server_epoch=epoch, server_public_key=base64.b64encode(impostor).decode())
    report = laptop.sync()
    assert report.error.kind is SyncErrorKind.HISTORY
    assert "key" in report.error.message

    with laptop.store.write() as session:
        accept_server_history(session)
    before = outbox_after_offline_work(laptop)
    report = laptop.sync()
    assert report.error is None, report.error
    assert report.records_pushed == len(before)
    with laptop.store.read() as session:
        assert meta(session).server_public_key == key  # the server's real key, seen anew
        assert meta(session).history_alert == ""
