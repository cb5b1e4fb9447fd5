"""Workflow statuses (issue 10, point 1): records are created in their initial status only,
every status move is a checked transition, and each move records who made it and when."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from sync_server.testing import create_op, inspection_op


def push_ok(client, ops):
    response = client.push(ops)
    assert response.status_code == 200, response.text
    return response.json()["results"]


def outcome(result) -> tuple[str, str | None]:
    return result["status"], result["code"]


def head(client, entity: str, record_id: str) -> dict:
    history = client.request("GET", f"/v1/records/{entity}/{record_id}/versions").json()
    return next(v for v in history["versions"] if v["is_head"])


def move(op: dict, base_rev: int, **fields) -> dict:
    return {
        **op,
        "op_id": str(uuid.uuid4()),
        "action": "update",
        "base_rev": base_rev,
        "fields": {**op["fields"], **fields},
    }


def action_op(inspection_id: str, **fields) -> dict:
    facts = {
        "inspection_id": inspection_id,
        "item_code": "1.1",
        "assignee_org": "物业公司",
        "due": "2026-04-01",
    }
    return create_op("rectification_action", {**facts, **fields})


@pytest.mark.parametrize("status", ["submitted", "accepted"])
def test_an_inspection_cannot_be_created_past_open(world, status):
    alice = world.client("alice")
    forged = inspection_op(status=status)
    (result,) = push_ok(alice, [forged])
    assert outcome(result) == ("rejected", "invalid_transition")
    missing = alice.request("GET", f"/v1/records/inspection/{forged['id']}/versions")
    assert missing.status_code == 404


@pytest.mark.parametrize("status", ["rectified", "verified", "rejected"])
def test_a_rectification_cannot_be_created_past_open(world, status):
    alice = world.client("alice")
    inspection = inspection_op()
    push_ok(alice, [inspection])
    (result,) = push_ok(alice, [action_op(inspection["id"], status=status)])
    assert outcome(result) == ("rejected", "invalid_transition")


def test_acceptance_records_who_accepted_and_when_and_laptops_cannot_forge_it(world):
    alice, rita = world.client("alice"), world.client("rita")
    inspection = inspection_op()
    push_ok(alice, [inspection])
    before = dt.datetime.now(dt.UTC)
    forged_stamp = {"submitted_by": "mallory", "submitted_at": "2020-01-01T00:00:00+00:00"}
    (submitted,) = push_ok(alice, [move(inspection, 1, status="submitted", **forged_stamp)])
    assert outcome(submitted) == ("applied", None)
    data = head(alice, "inspection", inspection["id"])["data"]
    assert data["submitted_by"] == "alice"
    assert dt.datetime.fromisoformat(data["submitted_at"]) >= before
    assert data["accepted_by"] is None
    (accepted,) = push_ok(rita, [move(inspection, 2, status="accepted")])
    assert outcome(accepted) == ("applied", None)
    version = head(rita, "inspection", inspection["id"])
    assert version["data"]["accepted_by"] == "rita"
    assert dt.datetime.fromisoformat(version["data"]["accepted_at"]) >= before
    assert version["data"]["submitted_by"] == "alice"
    assert set(version["changed"]) == {"status", "accepted_by", "accepted_at"}
    # The stamps travel in pulled data.
    scope = alice.request("GET", "/v1/me").json()["scopes"][0]["id"]
    page = alice.request("GET", "/v1/sync/changes", params={"scope": scope}).json()
    pulled = next(c for c in page["changes"] if c["id"] == inspection["id"])
    assert pulled["data"]["accepted_by"] == "rita"


def test_rectification_moves_are_checked_per_role_and_stamped(world):
    alice, rita = world.client("alice"), world.client("rita")
    inspection = inspection_op()
    action = action_op(inspection["id"])
    push_ok(alice, [inspection, action])
    results = push_ok(
        alice,
        [move(action, 1, status="verified"), move(action, 1, status="rectified")],
    )
    assert [outcome(r) for r in results] == [
        ("rejected", "invalid_transition"),
        ("applied", None),
    ]
    assert head(alice, "rectification_action", action["id"])["data"]["rectified_by"] == "alice"
    (edit,) = push_ok(rita, [move(action, 2, assignee_org="someone else")])
    assert outcome(edit) == ("rejected", "forbidden_role")
    (rejected,) = push_ok(rita, [move(action, 2, status="rejected")])
    assert outcome(rejected) == ("applied", None)
    (again,) = push_ok(alice, [move(action, 3, status="rectified")])
    assert outcome(again) == ("applied", None)
    (verified,) = push_ok(rita, [move(action, 4, status="verified")])
    assert outcome(verified) == ("applied", None)
    data = head(rita, "rectification_action", action["id"])["data"]
    assert (data["rejected_by"], data["verified_by"], data["rectified_by"]) == (
        "rita",
        "rita",
        "alice",
    )
    (reopen,) = push_ok(alice, [move(action, 5, status="open")])
    assert outcome(reopen) == ("rejected", "invalid_transition")
