"""The HTTP layer alone: answers judged by what they are, retries only where a request is
idempotent, chunk sizes that adapt within their bounds, a cancel flag that stops waits."""

from __future__ import annotations

import json

import pytest
import requests
import requests.adapters

from fieldcheck.protocol.status import SyncStatus
from fieldcheck.sync.blobs import MAX_CHUNK, MIN_CHUNK, START_CHUNK, ChunkSizer
from fieldcheck.sync.errors import SyncError, SyncErrorKind
from fieldcheck.sync.http import HttpConfig, SyncHttp
from fieldcheck.sync.progress import CancelFlag


class Canned(requests.adapters.HTTPAdapter):
    """Answers every request with the next (status, content type, body) and counts them."""

    def __init__(self, answers: list[tuple[int, str, bytes]]) -> None:
        super().__init__()
        self.answers, self.seen = answers, 0

    def send(self, request, **kwargs):  # type: ignore[no-untyped-def, override]
        status, kind, body = self.answers[min(self.seen, len(self.answers) - 1)]
        self.seen += 1
        response = requests.Response()
        response.status_code, response._content = status, body
        response.headers["Content-Type"] = kind
        response.request, response.url = request, request.url
        return response


def client(*answers: tuple[int, str, bytes]) -> tuple[SyncHttp, Canned]:
    adapter = Canned(list(answers))
    session = requests.Session()
    session.mount("http://", adapter)
    config = HttpConfig(attempts=3, backoff_base=0.001)
    return SyncHttp("http://server", "dev-1", token="t", config=config, session=session), adapter


def error(*answers: tuple[int, str, bytes], idempotent: bool = True) -> SyncError:
    http, _ = client(*answers)
    with pytest.raises(SyncError) as caught:
        http.call("GET", "/v1/sync/status", SyncStatus, idempotent=idempotent)
    return caught.value


JSON = "application/json"


def body(**values) -> bytes:  # type: ignore[no-untyped-def]
    return json.dumps(values).encode()


def test_answers_are_named_for_what_they_are():
    assert error((200, "text/html", b"<html>portal</html>")).kind is SyncErrorKind.NOT_JSON
    assert error((200, JSON, b'{"server_epoch": "x", ')).kind is SyncErrorKind.PROTOCOL
    assert "cut short" in error((200, JSON, b'{"server_epoch": "x", ')).message
    mismatch = error((200, JSON, body(hello="world")))
    assert mismatch.kind is SyncErrorKind.PROTOCOL
    assert "SyncStatus" in mismatch.message
    expired = error((401, JSON, body(code="token_expired", message="expired", details={})))
    assert (expired.kind, expired.code) == (SyncErrorKind.AUTH, "token_expired")
    revoked = error((401, JSON, body(code="device_revoked", message="revoked", details={})))
    assert "contact the bureau" in revoked.message
    assert error((403, JSON, body(code="forbidden", message="no", details={}))).kind is (
        SyncErrorKind.REFUSED
    )


def test_only_idempotent_requests_are_retried():
    http, adapter = client((500, "text/plain", b"oops"))
    with pytest.raises(SyncError) as caught:
        http.call("GET", "/v1/sync/status", SyncStatus, idempotent=True)
    assert caught.value.kind is SyncErrorKind.SERVER
    assert adapter.seen == 3
    http, adapter = client((500, "text/plain", b"oops"))
    with pytest.raises(SyncError):
        http.call("POST", "/v1/auth/login", SyncStatus, idempotent=False)
    assert adapter.seen == 1
    http, adapter = client((503, "text/plain", b"busy"), (401, JSON, body(code="x", message="m")))
    with pytest.raises(SyncError) as caught:
        http.call("GET", "/v1/sync/status", SyncStatus, idempotent=True)
    assert caught.value.kind is SyncErrorKind.AUTH  # retried once, then the real answer
    assert http.requests_made == 2


def test_cancel_stops_before_the_next_request_and_during_a_backoff():
    flag = CancelFlag()
    http = SyncHttp("http://127.0.0.1:9", "dev-1", cancel=flag)
    flag.cancel()
    with pytest.raises(SyncError) as caught:
        http.send("GET", "/v1/sync/status")
    assert caught.value.kind is SyncErrorKind.CANCELLED
    with pytest.raises(SyncError):
        http.backoff(10)  # would wait minutes; returns at once


def test_chunk_size_adapts_within_its_bounds():
    sizer = ChunkSizer()
    assert sizer.size == START_CHUNK
    for _ in range(30):
        sizer.success()
    assert sizer.size == MAX_CHUNK
    for _ in range(30):
        sizer.failure()
    assert sizer.size == MIN_CHUNK
    sizer.success()
    sizer.success()
    assert sizer.size == MIN_CHUNK  # grows only after three clean chunks in a row
    sizer.success()
    assert sizer.size == 2 * MIN_CHUNK
    assert ChunkSizer.starting_at(0).size == START_CHUNK
    assert ChunkSizer.starting_at(10**9).size == MAX_CHUNK
