"""The sync use cases against the real server on loopback: signing in and out as the status bar
sees it, a sync's changes (every compound's marks; the views of the compounds it pulled), and a
conflict settled through "Needs attention", which changes the answer's compound — found through
the answer's inspection — and nothing else."""

from __future__ import annotations

from fieldcheck.catalog import shipped_catalog
from fieldcheck.core.attention import accept_server_history, load_attention, resolve_conflict
from fieldcheck.core.changes import NOTHING, Changes, in_compound
from fieldcheck.core.checklist import answer_item
from fieldcheck.core.sync_marks import AttentionKind
from fieldcheck.core.sync_run import run_sync, sign_in, sign_out
from fieldcheck.core.sync_status import read_snapshot
from sync_server.testing import COMPOUNDS, PASSWORD
from tests.sync.conftest import FAST

MARKS = Changes(compounds=True)


def snapshot(laptop):  # type: ignore[no-untyped-def]
    with laptop.store.read() as session:
        return read_snapshot(session, laptop.store.paths)


def signed_in(laptop) -> None:  # type: ignore[no-untyped-def]
    sign_in(laptop.store, laptop.server_url, laptop.user, PASSWORD, config=FAST)


def synced(laptop):  # type: ignore[no-untyped-def]
    done = run_sync(laptop.store, laptop.server_url, laptop.user, config=FAST)
    assert done.value.error is None, done.value.error
    return done


def answered(laptop, inspection_id: str, entrances: int) -> None:  # type: ignore[no-untyped-def]
    values = {"entrances": entrances, "guard_post": "pass"}
    with laptop.store.write() as session:
        answer_item(session, shipped_catalog(), inspection_id, "1.1", values)


def test_sign_in_sync_and_sign_out_as_the_status_bar_sees_them(server, make_laptop):
    alice, bob = make_laptop("alice"), make_laptop("bob")
    assert not snapshot(alice).signed_in
    signed_in(alice)
    signed_in(bob)
    assert (snapshot(alice).signed_in, snapshot(alice).username) == (True, "alice")

    catching_up = synced(alice)  # what the server holds already comes down
    assert catching_up.changes.pulled
    assert catching_up.changes.compounds
    synced(bob)

    inspection = alice.start_inspection("CG-01")
    answered(alice, inspection, 2)
    assert snapshot(alice).records == 2  # the inspection and its answer wait to go up
    sent = synced(alice)
    assert sent.changes == MARKS  # nothing came down: only the marks changed
    assert (snapshot(alice).records, snapshot(alice).last_sync_at is not None) == (0, True)

    pulled = synced(bob)
    assert pulled.changes == MARKS | Changes(
        compound_ids=frozenset({COMPOUNDS["CG-01"]}),
        inspections=True,
        answers=True,
        structures=True,
        photos=True,
        pulled=True,
    )

    sign_out(alice.store.paths, alice.server_url, "alice")
    assert not snapshot(alice).signed_in
    assert snapshot(alice).username == "alice"  # who signed in last is remembered


def test_a_settled_conflict_changes_the_answers_of_its_compound(server, make_laptop):
    alice, bob = make_laptop("alice"), make_laptop("bob")
    signed_in(alice)
    signed_in(bob)
    inspection = alice.start_inspection("CG-02")
    answered(alice, inspection, 2)
    synced(alice)
    synced(bob)
    answered(alice, inspection, 5)
    answered(bob, inspection, 7)
    synced(alice)
    assert synced(bob).value.conflicts == 1

    with bob.store.read() as session:
        data = load_attention(session)
    [item] = data.items
    assert item.kind == AttentionKind.CONFLICT
    assert data.compounds == {}  # an answer names no compound itself
    assert snapshot(bob).conflicts == 1
    with bob.store.write() as session:
        settled = resolve_conflict(session, item, "theirs")
    assert settled.changes == in_compound(COMPOUNDS["CG-02"], Changes(answers=True))
    with bob.store.read() as session:
        assert load_attention(session).items == []
    assert snapshot(bob).conflicts == 0

    with bob.store.write() as session:
        assert accept_server_history(session).changes == NOTHING
