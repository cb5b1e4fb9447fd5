"""Who may read a blob (admins, its uploader, users whose sub-districts hold a photo of it;
everyone else gets 404) and its thumbnails: a derived JPEG cache beside, never in, blobs/."""

from __future__ import annotations

import hashlib
import io
import uuid

import pytest
from PIL import Image

from sync_server.testing import jpeg_like, photo_bytes, photo_op


def upload_photo(client, data: bytes, compound_code: str | None = "CG-05") -> str:
    """Upload ``data`` and, unless ``compound_code`` is None, push its photo record."""
    sha = hashlib.sha256(data).hexdigest()
    assert client.upload(data).headers["Blob-Status"] == "verified"
    if compound_code:
        response = client.push([photo_op(sha, compound_code)])
        assert response.json()["results"][0]["status"] == "applied", response.text
    return sha


def unique_photo(**options) -> bytes:
    return photo_bytes(color=tuple(uuid.uuid4().bytes[:3]), **options)


def test_blob_reads_follow_the_photo_records_scope(world):
    ivan = world.client("ivan")
    data = unique_photo()
    sha = upload_photo(ivan, data, "CG-05")
    for name, status in (("ivan", 200), ("alice", 200), ("rita", 200), ("root", 200)):
        client = world.client(name)
        assert client.request("GET", f"/v1/blobs/{sha}").status_code == status, name
        assert client.request("GET", f"/v1/blobs/{sha}/thumbnail").status_code == status, name
    bob = world.client("bob")
    for path in (f"/v1/blobs/{sha}", f"/v1/blobs/{sha}/thumbnail"):
        hidden = bob.request("GET", path)
        assert hidden.status_code == 404
        assert hidden.json()["code"] == "unknown_blob"
        unknown = bob.request("GET", path.replace(sha, "0" * 64))
        assert unknown.json() == hidden.json()  # existence does not leak
    # nor does "which do you lack?": to bob it is a blob to send (test_blob_privacy)
    check = bob.request(
        "POST", "/v1/blobs/check", json={"objects": [{"sha256": sha, "size": len(data)}]}
    )
    assert check.json()["missing"] == [sha]


def test_a_blob_without_a_record_is_read_by_who_sent_its_bytes_and_admins(world):
    data = jpeg_like(3000)
    sha = upload_photo(world.client("alice"), data, compound_code=None)
    assert world.client("alice").request("GET", f"/v1/blobs/{sha}").content == data
    assert world.client("root").request("GET", f"/v1/blobs/{sha}").status_code == 200
    ivan = world.client("ivan")
    assert ivan.request("GET", f"/v1/blobs/{sha}").status_code == 404
    # knowing the hash is not enough: ivan sends the bytes (proof of possession), then reads
    created = ivan.create_upload(sha, len(data))
    assert created.headers["Upload-Offset"] == "0"
    assert ivan.patch_chunk(created.headers["Location"], 0, data).headers["Blob-Status"] == (
        "verified"
    )
    assert ivan.request("GET", f"/v1/blobs/{sha}").content == data
    assert world.client("bob").request("GET", f"/v1/blobs/{sha}").status_code == 404


def test_thumbnails_are_turned_upright_cached_and_sized(world):
    alice = world.client("alice")
    sha = upload_photo(alice, unique_photo(orientation=6))  # 400×300, shown rotated
    first = alice.request("GET", f"/v1/blobs/{sha}/thumbnail", params={"w": 160})
    assert first.status_code == 200, first.text
    assert first.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(first.content)) as im:
        assert (im.format, im.size) == ("JPEG", (120, 160))
    again = alice.request("GET", f"/v1/blobs/{sha}/thumbnail", params={"w": 160})
    assert again.content == first.content
    default = alice.request("GET", f"/v1/blobs/{sha}/thumbnail")
    with Image.open(io.BytesIO(default.content)) as im:
        assert im.size == (240, 320)
    large = alice.request("GET", f"/v1/blobs/{sha}/thumbnail", params={"w": 1280})
    with Image.open(io.BytesIO(large.content)) as im:
        assert im.size == (300, 400)  # never enlarged
    cache = world.data_dir / "cache" / "thumbnails"
    assert sorted(p.parent.parent.name for p in cache.rglob(f"{sha}.jpg")) == [
        "1280",
        "160",
        "320",
        "640",
    ]
    assert not list((world.data_dir / "blobs").rglob("*.jpg"))
    assert alice.request("GET", f"/v1/blobs/{sha}").content != first.content


@pytest.mark.parametrize("width", ["100", "0", "-320", "320.5", "big"])
def test_thumbnail_widths_are_limited(world, width):
    alice = world.client("alice")
    sha = upload_photo(alice, photo_bytes(), compound_code=None)
    response = alice.request("GET", f"/v1/blobs/{sha}/thumbnail", params={"w": width})
    assert response.status_code == 422
    assert response.json()["code"] in ("bad_thumbnail_width", "invalid_request")


def test_no_thumbnail_of_a_photo_the_server_cannot_read(world):
    """A cut-off JPEG is stored as sent (its type is sniffed, not decoded; what is no photo
    at all is refused at upload: test_blob_types), but yields no thumbnail."""
    alice = world.client("alice")
    sha = upload_photo(alice, photo_bytes()[:200] + uuid.uuid4().bytes, compound_code=None)
    response = alice.request("GET", f"/v1/blobs/{sha}/thumbnail")
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "not_a_photo"
    assert response.json()["details"]["reason"] == "photo_damaged"
    assert alice.request("GET", f"/v1/blobs/{'1' * 64}/thumbnail").status_code == 404
    assert alice.request("GET", "/v1/blobs/NOTAHASH/thumbnail").status_code == 404


def test_a_heic_photo_is_turned_once(world):
    alice = world.client("alice")
    sha = upload_photo(alice, unique_photo(fmt="HEIF", orientation=6))  # pillow-heif turns it
    response = alice.request("GET", f"/v1/blobs/{sha}/thumbnail", params={"w": 160})
    assert response.status_code == 200, response.text
    with Image.open(io.BytesIO(response.content)) as im:
        assert im.size == (120, 160)
