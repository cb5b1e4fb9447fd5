"""Uploads cost the server little and bounded: a chunk goes to disk while it arrives (never
whole in memory), each user has a limited number of open uploads, bytes reserved by them and
chunks in flight, and abandoned uploads are swept away while the server runs."""

from __future__ import annotations

import hashlib
import threading
import time
from pathlib import Path

import pytest

from sync_server.testing import jpeg_like

MiB = 1024 * 1024
TUS = {"Tus-Resumable": "1.0.0"}


def wait_for(condition, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def staged(data_dir: Path) -> list[Path]:
    return [p for p in (data_dir / "incoming").iterdir() if p.is_file()]


def patch_headers(client, offset: int) -> dict[str, str]:
    return client.tus_headers(
        **{"Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"}
    )


def test_a_chunk_goes_to_disk_while_it_arrives(world):
    alice = world.client("alice")
    data = jpeg_like(6 * MiB)
    sha = hashlib.sha256(data).hexdigest()
    location = alice.create_upload(sha, len(data)).headers["Location"]
    seen_on_disk = []

    def body():
        yield data[: 2 * MiB]
        seen_on_disk.append(
            wait_for(
                lambda: any(
                    p.name.startswith(sha) and p.stat().st_size >= MiB
                    for p in staged(world.data_dir)
                ),
                timeout=30,
            )
        )
        for start in range(2 * MiB, len(data), MiB):
            yield data[start : start + MiB]

    done = alice.request("PATCH", location, data=body(), headers=patch_headers(alice, 0))
    assert done.status_code == 204, done.text
    assert seen_on_disk == [True]  # on disk before the last byte was even sent
    assert done.headers["Blob-Status"] == "verified"
    assert alice.request("GET", f"/v1/blobs/{sha}").content == data
    assert not [p for p in staged(world.data_dir) if p.name.startswith(sha)]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_open_uploads_and_reserved_bytes_are_limited_per_user(make_world, backend):
    world = make_world(
        backend,
        {"FIELDCHECK_MAX_OPEN_UPLOADS": "2", "FIELDCHECK_MAX_RESERVED_UPLOAD_BYTES": "300000"},
    )
    alice, bob = world.client("alice"), world.client("bob")
    blobs = [jpeg_like(100_000) for _ in range(3)]
    shas = [hashlib.sha256(b).hexdigest() for b in blobs]
    first, second = (alice.create_upload(s, 100_000) for s in shas[:2])
    assert (first.status_code, second.status_code) == (201, 201)
    third = alice.create_upload(shas[2], 100_000)
    assert third.status_code == 429, third.text
    assert third.json()["code"] == "too_many_uploads"
    assert int(third.headers["Retry-After"]) > 0
    assert alice.create_upload(shas[1], 100_000).status_code == 201  # rejoining is no new one

    big = jpeg_like(250_000)
    assert bob.create_upload(hashlib.sha256(big).hexdigest(), len(big)).status_code == 201
    over = bob.create_upload(shas[2], 100_000)  # 350 000 bytes reserved would be too many
    assert over.status_code == 507, over.text
    assert over.json()["code"] == "upload_quota_exceeded"

    assert alice.patch_chunk(first.headers["Location"], 0, blobs[0]).status_code == 204
    assert alice.create_upload(shas[2], 100_000).status_code == 201  # a slot came free


def test_chunks_in_flight_are_limited_per_user(make_world):
    world = make_world("sqlite", {"FIELDCHECK_MAX_PARALLEL_CHUNKS": "2"})
    alice = world.client("alice")
    blobs = [jpeg_like(2 * MiB) for _ in range(3)]
    shas = [hashlib.sha256(b).hexdigest() for b in blobs]
    locations = [
        alice.create_upload(s, len(b)).headers["Location"] for s, b in zip(shas, blobs, strict=True)
    ]
    release = threading.Event()
    answers: dict[int, int] = {}

    def slow(index: int) -> None:
        def body():
            yield blobs[index][:MiB]
            release.wait(60)
            yield blobs[index][MiB:]

        client = world.client("alice")
        response = client.request(
            "PATCH", locations[index], data=body(), headers=patch_headers(client, 0)
        )
        answers[index] = response.status_code

    threads = [threading.Thread(target=slow, args=(i,)) for i in range(2)]
    try:
        for thread in threads:
            thread.start()
        assert wait_for(lambda: len([p for p in staged(world.data_dir) if p.stat().st_size]) >= 2)
        third = alice.patch_chunk(locations[2], 0, blobs[2])
        assert third.status_code == 429, third.text
        assert third.json()["code"] == "too_many_parallel_chunks"
        assert "Retry-After" in third.headers
        assert world.client("bob").create_upload(shas[2], 1).status_code == 201  # others go on
    finally:
        release.set()
        for thread in threads:
            thread.join(60)
    assert answers == {0: 204, 1: 204}
    assert alice.patch_chunk(locations[2], 0, blobs[2]).status_code == 204


def test_abandoned_uploads_are_swept_while_the_server_runs(make_world):
    world = make_world(
        "sqlite",
        {"FIELDCHECK_UPLOAD_EXPIRY_HOURS": "0.002", "FIELDCHECK_UPLOAD_SWEEP_SECONDS": "1"},
    )
    alice = world.client("alice")
    data = jpeg_like(100_000)
    sha = hashlib.sha256(data).hexdigest()
    location = alice.create_upload(sha, len(data)).headers["Location"]
    assert alice.patch_chunk(location, 0, data[:50_000]).status_code == 204
    assert [p for p in staged(world.data_dir) if p.name.startswith(sha)]
    assert wait_for(lambda: alice.request("HEAD", location, headers=TUS).status_code == 404)
    assert not [p for p in staged(world.data_dir) if p.name.startswith(sha)]
