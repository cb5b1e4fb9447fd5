"""A hash is no key: a blob someone may not read is, to them, a blob the server does not
have (HEAD, the check, pushes naming it), until they send its bytes themselves (proof of
possession). Uploads in progress belong to who started them, and a reconcile op tells
nothing about records outside the pusher's sub-districts."""

from __future__ import annotations

import hashlib
import uuid

from sync_server.testing import inspection_op, jpeg_like, photo_op
from tests.server.test_blob_reads import unique_photo, upload_photo

TUS = {"Tus-Resumable": "1.0.0"}


def check(client, *shas: str) -> dict:
    objects = [{"sha256": sha, "size": 1} for sha in shas]
    response = client.request("POST", "/v1/blobs/check", json={"objects": objects})
    assert response.status_code == 200, response.text
    return response.json()


def without_ids(result: dict) -> dict:
    return {k: v for k, v in result.items() if k not in ("op_id", "id")}


def test_a_hash_from_another_scope_grants_nothing_until_its_bytes_are_sent(world):
    data = unique_photo()
    sha = upload_photo(world.client("alice"), data, "CG-05")
    unknown = hashlib.sha256(uuid.uuid4().bytes).hexdigest()
    bob = world.client("bob")

    heads = [bob.request("HEAD", f"/v1/uploads/{s}", headers=TUS) for s in (sha, unknown)]
    assert [h.status_code for h in heads] == [404, 404]
    assert dict(heads[0].headers).keys() == dict(heads[1].headers).keys()
    nothing = {"present": [], "partial": [], "missing": sorted([sha, unknown])}
    assert check(bob, sha, unknown) == nothing
    pushed = bob.push([photo_op(sha, "DG-02"), photo_op(unknown, "DG-02")]).json()["results"]
    assert [r["status"] for r in pushed] == ["deferred", "deferred"]
    assert without_ids(pushed[0]) == without_ids(pushed[1])  # no hint that one exists
    assert pushed[0]["code"] == "blob_missing"
    assert bob.request("GET", f"/v1/blobs/{sha}").status_code == 404

    created = bob.create_upload(sha, len(data))
    assert created.status_code == 201
    assert created.headers["Upload-Offset"] == "0"  # the bytes must come: nothing is skipped
    assert "Blob-Status" not in created.headers
    assert check(bob, sha)["partial"] == [{"sha256": sha, "offset": 0}]  # his own upload
    done = bob.patch_chunk(created.headers["Location"], 0, data)
    assert done.status_code == 204, done.text
    assert done.headers["Blob-Status"] == "verified"

    assert check(bob, sha)["present"] == [sha]
    again = bob.push([photo_op(sha, "DG-02")]).json()["results"][0]
    assert again["status"] == "applied", again
    assert bob.request("GET", f"/v1/blobs/{sha}").content == data


def test_who_may_read_a_blob_is_told_it_is_stored(world):
    alice = world.client("alice")
    data = jpeg_like(20_000)
    sha = upload_photo(alice, data, compound_code=None)
    head = alice.request("HEAD", f"/v1/uploads/{sha}", headers=TUS)
    assert (head.status_code, head.headers["Blob-Status"]) == (200, "verified")
    assert check(alice, sha)["present"] == [sha]
    again = alice.create_upload(sha, len(data))
    assert again.headers["Blob-Status"] == "verified"  # nothing to send again
    ivan = world.client("ivan")  # same sub-district, but no record names it yet
    assert check(ivan, sha)["missing"] == [sha]


def test_only_the_creator_of_an_upload_may_touch_it(world):
    alice = world.client("alice")
    data = jpeg_like(200_000)
    sha = hashlib.sha256(data).hexdigest()
    location = alice.create_upload(sha, len(data)).headers["Location"]
    assert alice.patch_chunk(location, 0, data[:65536]).status_code == 204
    never = f"/v1/uploads/{hashlib.sha256(uuid.uuid4().bytes).hexdigest()}"

    ivan = world.client("ivan")
    for method, extra in (("PATCH", 65536), ("HEAD", None), ("DELETE", None)):
        answers = []
        for path in (location, never):
            if method == "PATCH":
                answers.append(ivan.patch_chunk(path, extra, data[65536:131072]))
            else:
                answers.append(ivan.request(method, path, headers=TUS))
        assert [a.status_code for a in answers] == [404, 404], method
        if method != "HEAD":
            assert answers[0].json() == answers[1].json(), method
    assert check(ivan, sha) == {"present": [], "partial": [], "missing": [sha]}
    assert check(alice, sha)["partial"] == [{"sha256": sha, "offset": 65536}]

    # the same user on another laptop resumes the upload
    other_laptop = world.client("alice")
    head = other_laptop.request("HEAD", location, headers=TUS)
    assert head.headers["Upload-Offset"] == "65536"
    assert other_laptop.upload(data).headers["Blob-Status"] == "verified"
    assert alice.request("GET", f"/v1/blobs/{sha}").content == data


def test_reconcile_does_not_reveal_records_of_other_scopes(world):
    alice = world.client("alice")
    op = inspection_op("CG-02")
    assert alice.push([op]).json()["results"][0]["status"] == "applied"
    bob = world.client("bob")
    known = {**op, "op_id": str(uuid.uuid4()), "action": "reconcile", "base_rev": 1}
    unknown = {**known, "op_id": str(uuid.uuid4()), "id": str(uuid.uuid4())}
    results = bob.push([known, unknown]).json()["results"]
    assert results[0]["status"] == "rejected", results[0]
    assert without_ids(results[0]) == without_ids(results[1])
    assert results[0]["rev"] is None
    assert results[0]["head_rev"] is None
