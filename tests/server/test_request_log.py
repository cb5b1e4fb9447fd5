"""The server's request log (``sync_server.request_log``) on a real server process: one line
per request with the method, the path template, the status, the duration, the user id and a
request id; never a password, a token, an Authorization header, a body or photo bytes."""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
import uuid
from collections.abc import Callable
from typing import TypeVar

import pytest

from sync_server.settings import Settings
from sync_server.testing import PASSWORD, b64

T = TypeVar("T")
KEY_VALUE = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)')


def eventually(find: Callable[[], T | None], timeout: float = 30) -> T:
    """``find()`` once it returns something: the server writes a request's line just after
    its response has gone out, so the client may read the log a moment before it is there."""
    deadline = time.monotonic() + timeout
    while (found := find()) is None:
        assert time.monotonic() < deadline, "the log line did not appear"
        time.sleep(0.05)
    return found


def request_lines(log: str) -> list[dict[str, str]]:
    """The key=value pairs of every request line of a text-format log."""
    return [
        dict(KEY_VALUE.findall(line))
        for line in log.splitlines()
        if " INFO sync_server.requests request " in line
    ]


#: What the server's sniffing takes for a photo (it stores nothing else); readable text after.
JPEG_START = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"


def sign_in_and_upload(world, request_id: str) -> tuple[str, str, bytes, str]:
    """Sign alice in and upload a photo in two chunks; (token, user id, bytes, sha256)."""
    alice = world.client()
    token = alice.login("alice", PASSWORD, f"dev-{uuid.uuid4().hex[:12]}")["token"]
    user_id = str(alice.request("GET", "/v1/me").json()["user"]["id"])
    data = JPEG_START + b"PHOTO-BYTES-" + uuid.uuid4().hex.encode() + os.urandom(40_000)
    alice.http.headers["X-Request-ID"] = request_id
    assert alice.upload(data, chunk_size=25_000).headers["Blob-Status"] == "verified"
    return token, user_id, data, hashlib.sha256(data).hexdigest()


def assert_no_secrets(log: str, token: str, data: bytes, sha: str) -> None:
    assert PASSWORD not in log
    assert token not in log
    assert "Bearer" not in log
    assert "authorization" not in log.lower()
    readable = data[len(JPEG_START) : len(JPEG_START) + 44].decode()
    assert readable not in log  # the photo's bytes (their readable start)
    assert sha not in log  # the concrete upload path
    assert b64(sha) not in log  # the upload's metadata header


def test_each_request_is_one_key_value_line_without_secrets(world):
    request_id = f"test-{uuid.uuid4().hex[:8]}"
    token, user_id, data, sha = sign_in_and_upload(world, request_id)

    def patches() -> list[dict[str, str]] | None:
        mine = [
            line
            for line in request_lines(world.server.log())
            if line.get("request_id") == request_id and line["method"] == "PATCH"
        ]
        return mine if len(mine) == 2 else None

    for line in eventually(patches):
        assert line["path"] == "/v1/uploads/{sha256}"
        assert line["status"] == "204"
        assert line["user_id"] == user_id
        assert float(line["duration_ms"]) >= 0
    lines = request_lines(world.server.log())
    logins = [line for line in lines if line["path"] == "/v1/auth/login"]
    assert logins
    assert all(line["user_id"] == "-" for line in logins)
    assert_no_secrets(world.server.log(), token, data, sha)


def test_json_lines_and_request_ids(make_world):
    world = make_world("sqlite", {"FIELDCHECK_LOG_FORMAT": "json"})
    token, user_id, data, sha = sign_in_and_upload(world, "upload-1")
    anonymous = world.client()
    refused = anonymous.request("GET", "/v1/sync/status", headers={"X-Request-ID": "bad id!"})
    assert refused.status_code == 401
    given = refused.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", given)  # an unusable id is replaced by a new one
    missing = anonymous.request("GET", f"/v1/nothing/{sha}")
    assert missing.status_code == 404

    def lines() -> list[dict] | None:
        log = world.server.log().splitlines()
        parsed = [json.loads(line) for line in log if line.startswith("{")]
        requests = [line for line in parsed if line["logger"] == "sync_server.requests"]
        done = any(line["request_id"] == missing.headers["X-Request-ID"] for line in requests)
        return requests if done else None

    requests = eventually(lines)
    uploads = [line for line in requests if line["request_id"] == "upload-1"]
    assert [(line["method"], line["path"], line["status"]) for line in uploads] == [
        ("POST", "/v1/uploads", 201),
        ("PATCH", "/v1/uploads/{sha256}", 204),
        ("PATCH", "/v1/uploads/{sha256}", 204),
    ]
    assert {line["user_id"] for line in uploads} == {int(user_id)}
    assert all(isinstance(line["duration_ms"], float) for line in uploads)
    assert all(set(line) == set(uploads[0]) for line in requests)
    assert set(uploads[0]) == {
        "time", "level", "logger", "message", "method", "path", "status", "duration_ms",
        "user_id", "request_id",
    }  # fmt: skip
    (unsigned,) = [line for line in requests if line["request_id"] == given]
    assert (unsigned["path"], unsigned["status"], unsigned["user_id"]) == (
        "/v1/sync/status",
        401,
        None,
    )
    (unrouted,) = [line for line in requests if line["status"] == 404]
    assert unrouted["path"] is None  # never the concrete path
    assert_no_secrets(world.server.log(), token, data, sha)


def test_the_log_level_and_format_are_settings(tmp_path):
    assert (Settings(tmp_path).log_level, Settings(tmp_path).log_format) == ("INFO", "text")
    chosen = Settings.from_env(
        tmp_path, {"FIELDCHECK_LOG_LEVEL": "warning", "FIELDCHECK_LOG_FORMAT": "JSON"}
    )
    assert (chosen.log_level, chosen.log_format) == ("WARNING", "json")
    with pytest.raises(ValueError, match="FIELDCHECK_LOG_LEVEL must be one of"):
        Settings.from_env(tmp_path, {"FIELDCHECK_LOG_LEVEL": "loud"})
