"""Out of scope is answered as not there (issue 10, points 4 and the authorisation matrix):
a record outside the caller's sub-districts gets, on read and on push, the very answer a
record that does not exist gets, so neither its existence nor its revision leaks."""

from __future__ import annotations

import uuid

import pytest

from sync_server.testing import COMPOUNDS, inspection_op


def answer_of(result: dict, record_id: str) -> dict:
    """A push result without what names the op itself."""
    kept = {k: v for k, v in result.items() if k not in ("op_id", "id")}
    kept["message"] = (kept.get("message") or "").replace(record_id, "ID")
    return kept


@pytest.fixture(scope="module")
def hidden(world) -> dict:
    """An inspection in CG (alice's), edited once: revision 2."""
    alice = world.client("alice")
    inspection = inspection_op("CG-03")
    edit = {**inspection, "op_id": str(uuid.uuid4()), "action": "update", "base_rev": 1}
    edit["fields"] = {**inspection["fields"], "inspector": "alice again"}
    results = alice.push([inspection, edit]).json()["results"]
    assert [r["status"] for r in results] == ["applied", "applied"]
    return inspection


def test_reading_the_history_of_a_record_out_of_scope_is_404_like_no_record(world, hidden):
    bob = world.client("bob")
    seen = bob.request("GET", f"/v1/records/inspection/{hidden['id']}/versions")
    missing_id = str(uuid.uuid4())
    missing = bob.request("GET", f"/v1/records/inspection/{missing_id}/versions")
    assert seen.status_code == missing.status_code == 404
    assert seen.json()["code"] == missing.json()["code"] == "unknown_record"
    assert seen.json()["message"].replace(hidden["id"], "ID") == missing.json()["message"].replace(
        missing_id, "ID"
    )


@pytest.mark.parametrize(
    ("action", "base_rev", "compound"),
    [
        ("update", 2, "DG-01"),  # an edit claiming a compound of his own
        ("update", 2, "CG-03"),  # an edit naming the real compound
        ("reconcile", 0, "CG-03"),  # "restoring" a copy: used to tell the revision
        ("reconcile", 0, "DG-01"),
    ],
)
def test_pushing_onto_a_record_out_of_scope_answers_as_for_no_record(
    world, hidden, action, base_rev, compound
):
    bob = world.client("bob")
    fields = {**hidden["fields"], "compound_id": COMPOUNDS[compound]}
    missing_id = str(uuid.uuid4())
    ops = [
        {"op_id": str(uuid.uuid4()), "entity": "inspection", "id": record_id,
         "action": action, "base_rev": base_rev, "fields": fields}
        for record_id in (hidden["id"], missing_id)
    ]  # fmt: skip
    onto_hidden, onto_nothing = bob.push(ops).json()["results"]
    if action == "reconcile" and compound == "DG-01":
        # Restoring a record of his own compound creates it where none exists; over a
        # record he cannot see it is refused as out of scope (telling the two apart needs
        # the hidden record's random id).
        assert onto_nothing["status"] == "applied"
        assert (onto_hidden["status"], onto_hidden["code"]) == ("rejected", "forbidden_scope")
        assert onto_hidden.get("rev") is None
        return
    assert answer_of(onto_hidden, hidden["id"]) == answer_of(onto_nothing, missing_id)
    assert onto_hidden["status"] == "rejected"
    assert onto_hidden.get("rev") is None
    assert onto_hidden.get("head_rev") is None
