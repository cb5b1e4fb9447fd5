"""Blob check, tus uploads (our client and tuspy), resume, bad chunks, downloads."""

from __future__ import annotations

import base64
import hashlib

import pytest
from tusclient import client as tus_client

from sync_server.testing import b64, jpeg_like

CHUNK = 64 * 1024


def blob(size: int = 200_000) -> tuple[bytes, str]:
    data = jpeg_like(size)
    return data, hashlib.sha256(data).hexdigest()


def test_upload_in_chunks_then_download_with_range(world):
    alice = world.client("alice")
    data, sha = blob()
    done = alice.upload(data, chunk_size=CHUNK)
    assert done.status_code == 204
    assert done.headers["Blob-Status"] == "verified"
    full = alice.request("GET", f"/v1/blobs/{sha}")
    assert full.content == data
    assert full.headers["ETag"] == f'"sha256:{sha}"'
    part = alice.request("GET", f"/v1/blobs/{sha}", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.content == data[100:200]
    check = alice.request(
        "POST",
        "/v1/blobs/check",
        json={"objects": [{"sha256": sha, "size": len(data)}, {"sha256": "0" * 64, "size": 1}]},
    ).json()
    assert check == {"present": [sha], "partial": [], "missing": ["0" * 64]}


def test_resume_after_a_broken_upload_from_another_laptop(world):
    data, sha = blob()
    first = world.client("alice")
    created = first.create_upload(sha, len(data))
    assert created.status_code == 201
    location = created.headers["Location"]
    assert first.patch_chunk(location, 0, data[:CHUNK]).status_code == 204
    second = world.client("alice")  # her other laptop (other users: test_blob_privacy)
    head = second.request("HEAD", location, headers=second.tus_headers())
    assert head.headers["Upload-Offset"] == str(CHUNK)
    assert head.headers["Cache-Control"] == "no-store"
    partial = second.request(
        "POST", "/v1/blobs/check", json={"objects": [{"sha256": sha, "size": len(data)}]}
    ).json()
    assert partial["partial"] == [{"sha256": sha, "offset": CHUNK}]
    assert second.upload(data, chunk_size=CHUNK).headers["Blob-Status"] == "verified"


def test_wrong_offset_bad_checksum_and_oversized_chunks_store_nothing(world):
    alice = world.client("alice")
    data, sha = blob()
    created = alice.create_upload(sha, len(data))
    location, limit = created.headers["Location"], int(created.headers["Fieldcheck-Max-Chunk-Size"])
    assert limit == 8 * 1024 * 1024  # the default, advertised so clients need not hit a 413
    wrong = alice.patch_chunk(location, 10, data[10:20])
    assert wrong.status_code == 409
    assert wrong.headers["Upload-Offset"] == "0"
    headers = alice.tus_headers(
        **{
            "Upload-Offset": "0",
            "Upload-Checksum": f"sha1 {b64('x')}",
            "Content-Type": "application/offset+octet-stream",
        }
    )
    bad = alice.request("PATCH", location, data=data[:CHUNK], headers=headers)
    assert bad.status_code == 460
    assert bad.json()["code"] == "checksum_mismatch"
    unknown = alice.request(
        "PATCH", location, data=data[:CHUNK], headers={**headers, "Upload-Checksum": "crc99 AAAA"}
    )
    assert unknown.status_code == 400
    huge = alice.patch_chunk(location, 0, b"x" * (limit + 1))
    assert huge.status_code == 413
    assert huge.json()["code"] == "chunk_too_large"
    assert huge.headers["Fieldcheck-Max-Chunk-Size"] == str(limit)
    no_type = alice.request(
        "PATCH", location, data=b"abc", headers=alice.tus_headers(**{"Upload-Offset": "0"})
    )
    assert no_type.status_code == 415
    assert (
        alice.request("HEAD", location, headers=alice.tus_headers()).headers["Upload-Offset"] == "0"
    )


def test_bytes_that_do_not_match_their_sha256_never_become_a_blob(world):
    alice = world.client("alice")
    data, _ = blob(1000)
    liar = hashlib.sha256(b"something else").hexdigest()
    location = alice.create_upload(liar, len(data)).headers["Location"]
    response = alice.patch_chunk(location, 0, data)
    assert response.status_code == 422
    assert response.json()["code"] == "digest_mismatch"
    assert alice.request("GET", f"/v1/blobs/{liar}").status_code == 404
    assert alice.request("HEAD", location, headers=alice.tus_headers()).status_code == 404


def test_stored_blobs_cannot_be_deleted_or_overwritten(world):
    alice = world.client("alice")
    data, sha = blob(5000)
    alice.upload(data)
    location = f"/v1/uploads/{sha}"
    gone = alice.request("DELETE", location, headers=alice.tus_headers())
    assert gone.status_code == 403
    assert gone.json()["code"] == "blob_immutable"
    again = alice.create_upload(sha, len(data))
    assert again.status_code == 201
    assert again.headers["Upload-Offset"] == str(len(data))
    late = alice.patch_chunk(location, 0, b"y" * 10)
    assert late.status_code == 409
    assert late.headers["Upload-Offset"] == str(len(data))
    assert late.headers["Blob-Status"] == "verified"  # a lost answer's retry learns it
    assert alice.request("GET", f"/v1/blobs/{sha}").content == data


def test_incomplete_upload_can_be_terminated(world):
    alice = world.client("alice")
    data, sha = blob(5000)
    location = alice.create_upload(sha, len(data)).headers["Location"]
    alice.patch_chunk(location, 0, data[:100])
    assert alice.request("DELETE", location, headers=alice.tus_headers()).status_code == 204
    assert alice.request("HEAD", location, headers=alice.tus_headers()).status_code == 404


def test_tus_discovery_and_version_check(world):
    alice = world.client("alice")
    options = alice.request("OPTIONS", "/v1/uploads")
    assert options.status_code == 204
    assert "checksum" in options.headers["Tus-Extension"]
    assert "sha1" in options.headers["Tus-Checksum-Algorithm"]
    old = alice.request("POST", "/v1/uploads", headers={"Tus-Resumable": "0.2.2"})
    assert old.status_code == 412
    assert old.headers["Tus-Version"] == "1.0.0"
    reviewer = world.client("rita").create_upload("a" * 64, 10)
    assert reviewer.status_code == 403


@pytest.mark.parametrize("checksum", [True, False])
def test_the_official_tuspy_client_uploads(world, tmp_path, checksum):
    alice = world.client("alice")
    data, sha = blob(300_000)
    path = tmp_path / "photo.jpg"
    path.write_bytes(data)
    client = tus_client.TusClient(
        f"{world.url}/v1/uploads",
        headers={
            "Authorization": alice.http.headers["Authorization"],
            "X-Device-Id": alice.device_id,
        },
    )
    uploader = client.uploader(
        str(path), chunk_size=CHUNK, metadata={"sha256": sha}, upload_checksum=checksum
    )
    uploader.upload()
    assert uploader.url.endswith(f"/v1/uploads/{sha}")
    assert alice.request("GET", f"/v1/blobs/{sha}").content == data
    digest = alice.request("GET", f"/v1/blobs/{sha}").headers["Repr-Digest"]
    assert digest == f"sha-256=:{base64.b64encode(bytes.fromhex(sha)).decode()}:"


def test_expired_uploads_answer_410_and_are_swept_on_start(make_world):
    world = make_world("sqlite", {"FIELDCHECK_UPLOAD_EXPIRY_HOURS": "0"})
    alice = world.client("alice")
    data, sha = blob(1000)
    created = alice.create_upload(sha, len(data))
    assert created.status_code == 201
    assert "Upload-Expires" in created.headers
    location = created.headers["Location"]
    assert alice.request("HEAD", location, headers=alice.tus_headers()).status_code == 410
    patch = alice.patch_chunk(location, 0, data)
    assert patch.status_code == 410
    assert patch.json()["code"] == "upload_expired"
    world.server.stop()
    world.server.start()
    assert alice.request("HEAD", location, headers=alice.tus_headers()).status_code == 404
