"""The evidence ledger: every accepted version and blob is chained; checkpoints are signed
with the key the server publishes; a rewritten history is detected."""

from __future__ import annotations

import base64
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import col, select

from sync_server.blobs import repair
from sync_server.db import open_database
from sync_server.ledger import chain
from sync_server.ledger.keys import verify
from sync_server.ledger.models import LedgerRow
from sync_server.settings import Settings
from sync_server.sync.models import ChangeLog
from sync_server.testing import answer_op, inspection_op, jpeg_like


def database_of(world):
    return open_database(Settings.from_env(env=world.env))


def test_checkpoints_are_signed_and_verify_with_the_served_key(world):
    alice = world.client("alice")
    alice.push([inspection_op()])
    status = alice.request("GET", "/v1/sync/status").json()
    checkpoint = status["checkpoint"]
    key = world.client().request("GET", "/v1/keys").json()["keys"][0]
    assert key["kid"] == checkpoint["key_id"]
    public = base64.b64decode(key["public_b64"])
    assert verify(public, checkpoint["note"].encode(), checkpoint["signature"])
    assert not verify(
        public, checkpoint["note"].replace("\n", " \n").encode(), checkpoint["signature"]
    )
    seen = {"Ledger-Seen": f"{checkpoint['size']}:{checkpoint['head']}"}
    assert alice.request("GET", "/v1/sync/status", headers=seen).json()["ledger_seen"] == "ok"
    forged = {"Ledger-Seen": f"{checkpoint['size']}:{base64.b64encode(b'x' * 32).decode()}"}
    assert (
        alice.request("GET", "/v1/sync/status", headers=forged).json()["ledger_seen"] == "mismatch"
    )
    ahead = {"Ledger-Seen": f"{checkpoint['size'] + 10**6}:{checkpoint['head']}"}
    assert alice.request("GET", "/v1/sync/status", headers=ahead).json()["ledger_seen"] == "ahead"


def test_the_chain_covers_versions_and_blobs_and_detects_rewrites(world):
    alice = world.client("alice")
    inspection = inspection_op()
    alice.push([inspection, answer_op(inspection["id"])])
    assert alice.upload(jpeg_like(100)).headers["Blob-Status"] == "verified"
    database = database_of(world)
    try:
        with database.reading() as session:
            ok, size, bad = chain.verify_chain(session)
            kinds = set(session.exec(select(LedgerRow.kind)).all())
        assert ok
        assert bad is None
        assert size > 3
        assert {"version", "blob"} <= kinds <= {"version", "blob", *repair.KINDS}
        with database.writing() as session:
            row = session.get(LedgerRow, 2)
            row.actor = "someone else"
            session.add(row)
            session.flush()
            assert chain.verify_chain(session)[2] == 2
            session.rollback()
    finally:
        database.dispose()
    entries = world.client("root").request("GET", "/v1/ledger", params={"limit": 5}).json()
    assert [e["idx"] for e in entries["entries"]] == [1, 2, 3, 4, 5]
    assert world.client("alice").request("GET", "/v1/ledger").status_code == 403


def test_concurrent_pushes_get_gapless_commit_ordered_numbers(world):
    clients = [world.client("alice") for _ in range(6)]

    def work(client):
        results = []
        for _ in range(5):
            inspection = inspection_op()
            response = client.push([inspection, answer_op(inspection["id"])])
            results += response.json()["results"]
        return results

    with ThreadPoolExecutor(len(clients)) as pool:
        results = [r for batch in pool.map(work, clients) for r in batch]
    seqs = sorted(r["seq"] for r in results)
    assert all(r["status"] == "applied" for r in results)
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    database = database_of(world)
    try:
        with database.reading() as session:
            logged = session.exec(select(ChangeLog.seq).order_by(col(ChangeLog.seq))).all()
            assert chain.verify_chain(session)[0]
    finally:
        database.dispose()
    assert logged == list(range(1, len(logged) + 1))


@pytest.mark.postgresql_only
def test_on_postgresql_a_push_waits_for_an_earlier_numbering_transaction(world):
    """F15: a change number is taken under the counter-row lock, so a later push cannot
    commit (and be pulled) before an earlier numbering transaction ends. (SQLite serialises
    writers with BEGIN IMMEDIATE, so the test is collected for PostgreSQL only.)"""
    assert world.backend == "postgresql"
    from sync_server.state import SEQ, current_value, lock_counter

    alice = world.client("alice")
    database = database_of(world)
    with ThreadPoolExecutor(1) as pool:
        with database.writing() as holder:
            lock_counter(holder)
            held = current_value(holder, SEQ)
            pending = pool.submit(alice.push, [inspection_op()])
            time.sleep(1.0)
            assert not pending.done()  # blocked behind the held counter row
            holder.rollback()
        (result,) = pending.result(timeout=30).json()["results"]
    database.dispose()
    assert result["status"] == "applied"
    assert result["seq"] == held + 1
