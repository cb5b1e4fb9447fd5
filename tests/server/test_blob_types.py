"""The media type of a blob comes from its bytes (the photo module's sniffing), never from
the uploader: what is not a photo is refused when its upload completes, and downloads are
served with ``nosniff`` as an attachment."""

from __future__ import annotations

import base64
import hashlib
import uuid

import pytest

from sync_server.testing import photo_bytes
from tests.server.test_blob_reads import unique_photo


def create_with_type(client, data: bytes, content_type: str):
    sha = hashlib.sha256(data).hexdigest()
    meta = ",".join(
        f"{key} {base64.b64encode(value.encode()).decode()}"
        for key, value in (("sha256", sha), ("filetype", content_type))
    )
    headers = client.tus_headers(**{"Upload-Length": str(len(data)), "Upload-Metadata": meta})
    return sha, client.request("POST", "/v1/uploads", headers=headers)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<html><script>alert(document.cookie)</script>", "photo_not_image"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "photo_unsupported"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "photo_not_image"),
    ],
)
def test_what_is_not_a_photo_is_refused_when_its_upload_completes(world, data, reason):
    alice = world.client("alice")
    data = data + uuid.uuid4().hex.encode()
    sha, created = create_with_type(alice, data, "image/jpeg")
    assert created.status_code == 201
    location = created.headers["Location"]
    half = len(data) // 2
    assert alice.patch_chunk(location, 0, data[:half]).status_code == 204
    refused = alice.patch_chunk(location, half, data[half:])
    assert refused.status_code == 415, refused.text
    assert refused.json()["code"] == "not_a_photo"
    assert refused.json()["details"]["reason"] == reason
    assert alice.request("HEAD", location, headers=alice.tus_headers()).status_code == 404
    assert alice.request("GET", f"/v1/blobs/{sha}").status_code == 404
    assert not [p for p in (world.data_dir / "incoming").iterdir() if p.name.startswith(sha)]


@pytest.mark.parametrize(
    "claimed", ["text/html", "image/jpeg; name=\u7167\u7247.jpg", "application/x-\u00e9vil"]
)
def test_the_served_type_comes_from_the_bytes(world, claimed):
    alice = world.client("alice")
    data = unique_photo()
    sha, created = create_with_type(alice, data, claimed)
    assert created.status_code == 201, created.text
    assert alice.patch_chunk(created.headers["Location"], 0, data).status_code == 204
    served = alice.request("GET", f"/v1/blobs/{sha}")
    assert served.status_code == 200, served.text
    assert served.content == data
    assert served.headers["Content-Type"] == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    disposition = served.headers["Content-Disposition"]
    assert disposition == f"attachment; filename=\"{sha}.jpg\"; filename*=UTF-8''{sha}.jpg"
    part = alice.request("GET", f"/v1/blobs/{sha}", headers={"Range": "bytes=0-9"})
    assert part.status_code == 206
    assert (part.headers["Content-Type"], part.headers["X-Content-Type-Options"]) == (
        "image/jpeg",
        "nosniff",
    )


def test_a_png_is_served_as_a_png(world):
    alice = world.client("alice")
    data = photo_bytes(color=tuple(uuid.uuid4().bytes[:3]), fmt="PNG")
    sha, created = create_with_type(alice, data, "image/jpeg")
    assert alice.patch_chunk(created.headers["Location"], 0, data).status_code == 204
    served = alice.request("GET", f"/v1/blobs/{sha}")
    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["Content-Disposition"].endswith(f"''{sha}.png")
