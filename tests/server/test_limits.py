"""Bad input gets the right status and a clear JSON body, changes nothing, never a 500."""

from __future__ import annotations

import hashlib

import pytest

from sync_server.testing import inspection_op


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["message"]
    return body


def test_malformed_json_wrong_types_and_unknown_fields(world):
    alice = world.client("alice")
    raw = {"headers": {"Content-Type": "application/json"}}
    error_of(alice.request("POST", "/v1/sync/push", data=b"{not json", **raw), 422)
    op = inspection_op()
    wrong = alice.push([{**op, "base_rev": "zero"}])
    assert "base_rev" in error_of(wrong, 422)["message"]
    extra = alice.request(
        "POST", "/v1/sync/push", json={"device_id": alice.device_id, "ops": [op], "force": True}
    )
    assert "force" in error_of(extra, 422)["message"]
    typo = alice.push([{**op, "bsae_rev": 0}])
    error_of(typo, 422)
    login = alice.request("POST", "/v1/auth/login", json={"username": "alice"})
    error_of(login, 422)


def test_oversized_json_is_refused_before_it_is_read(world):
    alice = world.client("alice")
    big = b'{"device_id": "x", "ops": [], "pad": "' + b"x" * (1024 * 1024 + 10) + b'"}'
    body = error_of(
        alice.request(
            "POST", "/v1/sync/push", data=big, headers={"Content-Type": "application/json"}
        ),
        413,
    )
    assert body["code"] == "too_large"

    def chunks():
        yield big[: len(big) // 2]
        yield big[len(big) // 2 :]

    streamed = alice.request(
        "POST", "/v1/sync/push", data=chunks(), headers={"Content-Type": "application/json"}
    )
    error_of(streamed, 413)


def test_tokens_missing_or_wrong_are_401(world):
    anonymous = world.client()
    assert error_of(anonymous.request("GET", "/v1/sync/status"), 401)["code"] == "not_authenticated"
    anonymous.http.headers["Authorization"] = "Bearer nonsense"
    assert error_of(anonymous.request("GET", "/v1/sync/status"), 401)["code"] == "invalid_token"


def test_full_disk_is_507_and_nothing_is_marked_complete(make_world):
    world = make_world("sqlite", {"FIELDCHECK_MIN_FREE_BYTES": str(2**62)})
    alice = world.client("alice")
    data = b"evidence" * 1000
    sha = hashlib.sha256(data).hexdigest()
    location = alice.create_upload(sha, len(data)).headers["Location"]
    assert error_of(alice.patch_chunk(location, 0, data), 507)["code"] == "disk_full"
    head = alice.request("HEAD", location, headers=alice.tus_headers())
    assert head.headers["Upload-Offset"] == "0"
    assert alice.request("GET", f"/v1/blobs/{sha}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/v1/sync/changes?scope=x&since=-1",
        "/v1/sync/changes",
        "/v1/blobs/NOTHEX",
        "/v1/records/nope/1/versions",
    ],
)
def test_bad_query_and_path_values_are_4xx(world, path):
    response = world.client("root").request("GET", path)
    assert 400 <= response.status_code < 500
    assert response.json()["code"]


def test_text_no_database_can_store_is_refused(world):
    root = world.client("root")
    body = b'{"username": "a\\u0000b", "role": "inspector", "password": "xxxxxxxxxx"}'
    nul = root.request(
        "POST", "/v1/admin/users", data=body, headers={"Content-Type": "application/json"}
    )
    assert error_of(nul, 422)["code"] == "invalid_text"
    lone = body.replace(b"\\u0000", b"\\ud800")
    surrogate = root.request(
        "POST", "/v1/admin/users", data=lone, headers={"Content-Type": "application/json"}
    )
    assert error_of(surrogate, 422)["code"] == "invalid_text"
    assert error_of(root.request("GET", "/v1/admin/users/a%00b/disable"), 422)
