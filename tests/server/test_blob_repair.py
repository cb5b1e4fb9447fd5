"""A blob whose stored bytes no longer match their hash (F17): never served, moved aside to
``quarantine/`` (never deleted), reported as needed, and made whole again by the next
upload of the original bytes, with ledger entries for both."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import requests

from sync_server.blobs.storage import BlobFiles
from sync_server.db import open_database
from sync_server.ledger.keys import load_or_create_signer
from sync_server.settings import Settings
from sync_server.testing import jpeg_like, ledger_entries, photo_op
from tests.server.test_blob_reads import unique_photo, upload_photo


def blob_path(data_dir: Path, sha: str) -> Path:
    return data_dir / "blobs" / sha[:2] / sha[2:4] / sha


def corrupt(data_dir: Path, sha: str) -> bytes:
    """Flip one bit in the middle of the stored file, as a failing disk would."""
    path = blob_path(data_dir, sha)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x10
    os.chmod(path, 0o644)
    path.write_bytes(bytes(data))
    os.chmod(path, 0o444)
    return bytes(data)


def quarantined(data_dir: Path, sha: str) -> list[Path]:
    folder = data_dir / "quarantine"
    return sorted(folder.glob(f"{sha}.*")) if folder.is_dir() else []


def lacks(client, sha: str, size: int) -> bool:
    answer = client.request(
        "POST", "/v1/blobs/check", json={"objects": [{"sha256": sha, "size": size}]}
    ).json()
    return answer["missing"] == [sha]


def assert_under_repair(response: requests.Response) -> None:
    assert response.status_code == 409, response.text
    assert response.json()["code"] == "blob_under_repair"


def quarantined_photo(world, compound_code: str):
    """Alice's photo in ``compound_code``, damaged on disk and found so by a range request:
    (alice's client, the photo's bytes, its sha256)."""
    alice = world.client("alice")
    data = unique_photo()
    sha = upload_photo(alice, data, compound_code)
    corrupt(world.data_dir, sha)
    assert_under_repair(alice.request("GET", f"/v1/blobs/{sha}", headers={"Range": "bytes=10-"}))
    return alice, data, sha


def test_a_corrupted_blob_is_cut_off_quarantined_and_restored_by_an_upload(world):
    alice = world.client("alice")
    data = unique_photo(size=(900, 700))
    sha = upload_photo(alice, data, "CG-05")
    flipped = corrupt(world.data_dir, sha)

    with pytest.raises(requests.exceptions.RequestException):
        alice.request("GET", f"/v1/blobs/{sha}")  # the body is cut off: never complete
    assert_under_repair(alice.request("GET", f"/v1/blobs/{sha}"))
    assert_under_repair(alice.request("GET", f"/v1/blobs/{sha}/thumbnail", params={"w": 160}))
    assert not blob_path(world.data_dir, sha).exists()
    (moved,) = quarantined(world.data_dir, sha)
    assert moved.read_bytes() == flipped  # moved aside, never deleted
    for name in ("alice", "rita", "root"):  # everyone who holds it is asked for it again
        assert lacks(world.client(name), sha, len(data)), name

    again = alice.upload(data)  # the laptop's next sync: the original bytes, through tus
    assert again.status_code == 204, again.text
    assert again.headers["Blob-Status"] == "verified"
    assert alice.request("GET", f"/v1/blobs/{sha}").content == data
    assert world.client("rita").request("GET", f"/v1/blobs/{sha}").content == data
    assert not lacks(alice, sha, len(data))
    assert quarantined(world.data_dir, sha) == [moved]
    kinds = [e["kind"] for e in ledger_entries(world.client("root")) if e["blob_sha256"] == sha]
    assert kinds == ["blob", "blob_quarantined", "blob_restored"]


def test_a_range_request_on_a_corrupted_blob_answers_under_repair(world):
    alice, data, sha = quarantined_photo(world, "CG-04")
    assert quarantined(world.data_dir, sha)
    assert lacks(alice, sha, len(data))


def test_anyone_with_the_bytes_restores_a_quarantined_blob(world):
    """Bob (another sub-district) re-uploads it: the bytes prove themselves, and he gains
    nothing he did not send."""
    alice, data, sha = quarantined_photo(world, "CG-03")
    bob = world.client("bob")
    assert bob.upload(data).headers["Blob-Status"] == "verified"
    assert alice.request("GET", f"/v1/blobs/{sha}").content == data


def test_the_quarantine_action_for_the_scrub(world):
    """What the scheduled scrub calls for a blob that fails its hash: moves a damaged file
    aside and marks it, marks a vanished one, and leaves an intact blob alone."""
    alice = world.client("alice")
    intact, damaged, vanished = (jpeg_like(30_000) for _ in range(3))
    shas = [upload_photo(alice, data, compound_code=None) for data in (intact, damaged, vanished)]
    corrupt(world.data_dir, shas[1])
    os.chmod(blob_path(world.data_dir, shas[2]), 0o644)
    blob_path(world.data_dir, shas[2]).unlink()

    from sync_server.blobs.repair import quarantine_blob

    settings = Settings.from_env(env=world.env)
    database = open_database(settings)
    try:
        files = BlobFiles(settings.blob_dir, settings.incoming_dir, min_free_bytes=0, fsync=False)
        signer = load_or_create_signer(settings.key_dir, settings.ledger_origin)
        found = [quarantine_blob(database, files, signer, sha, reason="scrub") for sha in shas]
    finally:
        database.dispose()
    assert found == [False, True, True]
    assert alice.request("GET", f"/v1/blobs/{shas[0]}").content == intact
    for sha in shas[1:]:
        assert_under_repair(alice.request("GET", f"/v1/blobs/{sha}"))
        assert lacks(alice, sha, 30_000)
    assert len(quarantined(world.data_dir, shas[1])) == 1
    assert quarantined(world.data_dir, shas[2]) == []  # nothing left to move
    assert alice.upload(vanished).headers["Blob-Status"] == "verified"
    assert alice.request("GET", f"/v1/blobs/{shas[2]}").content == vanished


def test_a_photo_record_naming_a_blob_under_repair_still_applies(world):
    """The record is whole without its bytes: laptops push it, the bytes follow."""
    alice, _data, sha = quarantined_photo(world, "CG-02")
    result = alice.push([photo_op(sha, "CG-01")]).json()["results"][0]
    assert result["status"] == "applied", result
