"""Rejected changes dealt with (SYNC-RESEARCH §6.9.2, F30), against the real server: an
inspector outside a sub-district is ``rejected{forbidden_scope}``; once an admin grants the
sub-district, "send again" queues a new op from the record as it is and it applies; a later
rejected change given up leaves the attention list, the record goes back to the server's
version and every op stays in the log."""

from __future__ import annotations

import sqlite3

import pytest
from sqlmodel import select

from fieldcheck.domain.demo import demo_compounds
from fieldcheck.domain.errors import NotFoundError, ValidationError
from fieldcheck.domain.ids import answer_id
from fieldcheck.store.sync_tables import OutboxSyncRow, SyncRecordRow
from fieldcheck.store.syncbook.attention import attention_items
from fieldcheck.store.syncbook.resolutions import discard_rejected, resend_rejected
from fieldcheck.store.tables import AnswerRow, InspectionRow, OutboxRow, RetractionRow
from sync_server.testing import PASSWORD, SCOPES, ApiClient

OTHER = next(code for code in SCOPES if code != "CG")
OUTSIDE = next(c.code for c in demo_compounds(2026) if c.code.startswith(OTHER))


def server_sql(server, sql: str, *params: object) -> None:  # type: ignore[no-untyped-def]
    """What an admin does to a user's sub-districts (no API for it yet)."""
    with sqlite3.connect(server.data_dir / "server.sqlite3", timeout=10) as db:
        db.execute(sql, params)


def grant(server, user: str) -> None:  # type: ignore[no-untyped-def]
    server_sql(
        server,
        "INSERT INTO user_scope (user_id, scope_id) SELECT id, ? FROM app_user WHERE username = ?",
        SCOPES[OTHER],
        user,
    )


def revoke(server, user: str) -> None:  # type: ignore[no-untyped-def]
    server_sql(
        server,
        "DELETE FROM user_scope WHERE scope_id = ? AND user_id = "
        "(SELECT id FROM app_user WHERE username = ?)",
        SCOPES[OTHER],
        user,
    )


def new_inspector(server, name: str) -> None:  # type: ignore[no-untyped-def]
    admin = ApiClient(server.url)
    admin.login("root", PASSWORD, f"{name}-admin")
    body = {"username": name, "role": "inspector", "password": PASSWORD, "scopes": ["CG"]}
    assert admin.request("POST", "/v1/admin/users", json=body).status_code == 201


def rejected(laptop) -> list:  # type: ignore[no-untyped-def]
    with laptop.store.read() as db:
        return [i for i in attention_items(db) if i.kind == "rejected"]


def test_resend_after_the_scope_is_granted_and_discard_back_to_the_server(server, make_laptop):
    new_inspector(server, "ivan")
    laptop = make_laptop("ivan")
    inspection = laptop.start_inspection(OUTSIDE)
    laptop.answer(inspection, "1.1", {"entrances": 2, "guard_post": "pass"})
    report = laptop.sync()
    assert report.error is None
    assert report.new_rejected == 1
    [item] = rejected(laptop)
    assert (item.entity, item.record_id, item.code) == ("inspection", inspection, "forbidden_scope")

    # the admin gives the sub-district back; the inspector sends the change again
    grant(server, "ivan")
    with laptop.store.write() as db:
        new_op = resend_rejected(db, item.op_id)
    with laptop.store.write() as db, pytest.raises(NotFoundError):
        resend_rejected(db, item.op_id)  # dealt with once
    assert rejected(laptop) == []
    report = laptop.sync()
    assert report.error is None
    assert report.new_rejected == 0
    with laptop.store.read() as db:
        states = {r.op_id: r.state for r in db.exec(select(OutboxRow)).all()}
        assert states[item.op_id] == "superseded"
        assert states[new_op] == "done"
        assert db.get(OutboxSyncRow, item.op_id).result["code"] == "forbidden_scope"
        assert db.get(OutboxSyncRow, item.op_id).result["superseded"]["by"] == new_op
        assert db.get(SyncRecordRow, ("inspection", inspection)).server_rev == 1
        assert db.get(SyncRecordRow, ("answer", answer_id(inspection, "1.1"))).server_rev == 1

    # taken away again: an edit of the answer is rejected; the inspector gives it up
    revoke(server, "ivan")
    laptop.answer(inspection, "1.1", {"entrances": 9, "guard_post": "fail"})
    report = laptop.sync()
    assert report.error is None
    assert report.new_rejected == 1
    [item] = rejected(laptop)
    assert (item.record_id, item.code) == (answer_id(inspection, "1.1"), "forbidden_scope")
    with laptop.store.write() as db, pytest.raises(ValidationError):
        discard_rejected(db, item.op_id, "  ")
    grant(server, "ivan")  # readable again, so its server version can come back
    with laptop.store.write() as db:
        discard_rejected(db, item.op_id, "the answer was entered by mistake")
    assert rejected(laptop) == []
    assert laptop.sync().error is None
    with laptop.store.read() as db:
        answer = db.get(AnswerRow, answer_id(inspection, "1.1"))
        assert answer.values == {"entrances": 2, "guard_post": "pass"}
        row = db.exec(select(OutboxRow).where(OutboxRow.op_id == item.op_id)).one()
        assert row.state == "dismissed"
        note = db.get(OutboxSyncRow, item.op_id).result
        assert note["code"] == "forbidden_scope"
        assert note["dismissed"]["reason"] == "the answer was entered by mistake"
        assert note["dismissed"]["restore"] == "done"
        assert db.exec(select(RetractionRow)).all() == []
    assert laptop.sync().outcome == "noop"


def test_discarding_a_record_the_server_never_had_withdraws_it_locally(server, make_laptop):
    new_inspector(server, "judy")
    laptop = make_laptop("judy")
    inspection = laptop.start_inspection(OUTSIDE)
    assert laptop.sync().new_rejected == 1
    [item] = rejected(laptop)
    with laptop.store.write() as db:
        discard_rejected(db, item.op_id, "wrong compound")
    assert rejected(laptop) == []
    assert laptop.sync().error is None
    with laptop.store.read() as db:
        assert db.get(InspectionRow, inspection) is not None  # nothing hard-deleted
        [retraction] = db.exec(select(RetractionRow)).all()
        assert (retraction.entity_id, retraction.reason) == (inspection, "wrong compound")
        assert [r.state for r in db.exec(select(OutboxRow)).all()] == ["dismissed"]
