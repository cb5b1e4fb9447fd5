"""Request hygiene before any route runs: JSON bodies over the size limit are 413, and text
no database can store (NUL characters, unpaired surrogates) in the path, query or a JSON
body is 422, both with the usual error body. Upload chunks have their own, larger limit,
checked by the upload route."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync_server.errors import error_response


class BodyLimitMiddleware:
    """Refuse bodies above ``limit`` bytes, by Content-Length up front or while streaming
    (JSON bodies are small: they are read here, then handed on whole)."""

    def __init__(self, app: ASGIApp, limit: int, exempt_prefix: str):
        self.app, self.limit, self.exempt_prefix = app, limit, exempt_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.exempt_prefix):
            await self.app(scope, receive, send)
            return
        if _bad_target(scope):
            await _unstorable(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await error_response(413, "too_large", self._message())(scope, receive, send)
            return
        body, more = bytearray(), True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            body.extend(message.get("body", b""))
            more = message.get("more_body", False)
            if len(body) > self.limit:
                await error_response(413, "too_large", self._message())(scope, receive, send)
                return
        if _bad_json_text(bytes(body)):
            await _unstorable(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        await self.app(scope, replay, send)

    def _message(self) -> str:
        return f"the request body is larger than {self.limit} bytes"


async def _unstorable(scope: Scope, receive: Receive, send: Send) -> None:
    message = "the request holds text that cannot be stored (a NUL or an unpaired surrogate)"
    await error_response(422, "invalid_text", message)(scope, receive, send)


def _bad_target(scope: Scope) -> bool:
    raw = unquote_to_bytes(scope.get("raw_path") or b"") + unquote_to_bytes(
        scope.get("query_string") or b""
    )
    if b"\x00" in raw:
        return True
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _bad_json_text(body: bytes) -> bool:
    """True when a JSON body parses but holds a NUL or a lone surrogate in any string."""
    if not body or b"\\u" not in body:
        return False  # raw NULs and invalid UTF-8 are malformed JSON: the route answers that
    try:
        value = json.loads(body)
    except ValueError:
        return False
    return any(_unstorable_text(text) for text in _strings(value))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _unstorable_text(text: str) -> bool:
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
