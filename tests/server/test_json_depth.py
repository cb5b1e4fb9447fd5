"""Deeply nested JSON (issue 10, point 9) is refused with the usual error body before any
route parses it, instead of exhausting the parser's recursion."""

from __future__ import annotations

import json

import pytest

from sync_server.limits import MAX_JSON_DEPTH, json_depth
from sync_server.testing import answer_op, inspection_op


def test_json_depth_counts_nesting_outside_strings():
    assert json_depth(b'{"a": [1, {"b": "[[[{{{"}]}') == 3
    assert json_depth(b'"\\"[[["') == 0
    assert json_depth(b"[" * 5 + b"]" * 5) == 5
    assert json_depth(b"") == 0


def test_an_escape_inside_a_thousand_nested_arrays_is_400(world):
    alice = world.client("alice")
    body = b"[" * 1000 + b'"\\u0041"' + b"]" * 1000
    for path in ("/v1/sync/push", "/v1/auth/login", "/v1/blobs/check"):
        response = alice.request(
            "POST", path, data=body, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 400, (path, response.text)
        assert response.json()["code"] == "json_too_deep"


@pytest.mark.parametrize("depth", [300, MAX_JSON_DEPTH + 1])
def test_answer_values_nested_too_deep_are_400(world, depth):
    alice = world.client("alice")
    inspection = inspection_op()
    values: object = "leaf"
    for _ in range(depth):
        values = {"v": values}
    op = answer_op(inspection["id"], values={"x": values})
    body = {"device_id": alice.device_id, "ops": [inspection, op]}
    response = alice.request(
        "POST",
        "/v1/sync/push",
        data=json.dumps(body),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "json_too_deep"


def test_ordinary_nesting_still_works(world):
    alice = world.client("alice")
    inspection = inspection_op()
    values: object = "leaf"
    for _ in range(MAX_JSON_DEPTH - 10):
        values = [values]
    response = alice.push([inspection, answer_op(inspection["id"], values={"x": values})])
    assert response.status_code == 200, response.text
    assert [r["status"] for r in response.json()["results"]] == ["applied", "applied"]
