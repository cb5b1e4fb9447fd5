"""Several server processes sharing one database and one blob directory, as behind a reverse
proxy: an upload continues on another process, pushes from both stay one ordered sequence."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor

import pytest

from sync_server.testing import ApiClient, ServerProcess, answer_op, inspection_op, jpeg_like

CHUNK = 32 * 1024


@pytest.fixture
def second_server(world):
    server = ServerProcess(dict(world.env)).start()
    yield server
    server.stop()


def on(server_url: str, client: ApiClient) -> ApiClient:
    """The same logged-in device, talking to another process."""
    other = ApiClient(server_url)
    other.http.headers.update(client.http.headers)
    other.device_id, other.username = client.device_id, client.username
    return other


def test_an_upload_moves_between_processes_chunk_by_chunk(world, second_server):
    first = world.client("alice")
    second = on(second_server.url, first)
    data = jpeg_like(5 * CHUNK + 123)
    sha = hashlib.sha256(data).hexdigest()
    location = first.create_upload(sha, len(data)).headers["Location"]
    offset, turn = 0, 0
    while offset < len(data):
        client = (first, second)[turn % 2]
        response = client.patch_chunk(location, offset, data[offset : offset + CHUNK])
        assert response.status_code == 204, response.text
        offset, turn = int(response.headers["Upload-Offset"]), turn + 1
    assert response.headers["Blob-Status"] == "verified"
    assert second.request("GET", f"/v1/blobs/{sha}").content == data


def test_racing_chunks_on_two_processes_commit_once(world, second_server):
    first = world.client("alice")
    second = on(second_server.url, first)
    data = jpeg_like(4 * CHUNK)
    sha = hashlib.sha256(data).hexdigest()
    location = first.create_upload(sha, len(data)).headers["Location"]
    with ThreadPoolExecutor(2) as pool:
        answers = list(
            pool.map(lambda c: c.patch_chunk(location, 0, data[:CHUNK]), (first, second))
        )
    assert sorted(r.status_code for r in answers) == [204, 409]
    head = first.request("HEAD", location, headers=first.tus_headers())
    assert head.headers["Upload-Offset"] == str(CHUNK)


def test_pushes_through_both_processes_form_one_gapless_sequence(world, second_server):
    clients = [world.client("alice"), world.client("ivan")]
    clients.append(on(second_server.url, clients[0]))
    clients.append(on(second_server.url, clients[1]))

    def work(client):
        seqs = []
        for _ in range(4):
            inspection = inspection_op()
            results = client.push([inspection, answer_op(inspection["id"])]).json()["results"]
            seqs += [r["seq"] for r in results]
        return seqs

    with ThreadPoolExecutor(len(clients)) as pool:
        seqs = sorted(s for batch in pool.map(work, clients) for s in batch)
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
