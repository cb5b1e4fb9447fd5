"""Request hygiene before any route runs: JSON bodies over the size limit are 413, bodies
nested deeper than ``MAX_JSON_DEPTH`` are 400 (no parser recursion runs out), and text no
database can store (NUL characters, unpaired surrogates) in the path, query or a JSON body
is 422, all with the usual error body. Upload chunks have their own, larger limit, checked
by the upload route."""

from __future__ import annotations

import itertools
import json
import re
from array import array
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync_server.errors import error_response

#: Deeper JSON is refused: records nest a few levels (an annotation's shapes and points).
MAX_JSON_DEPTH = 64
#: A JSON string, or an unterminated one up to the end (so a malformed body is still one
#: linear pass: no match is retried inside a string).
_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+(?:"|\\?\Z)', re.DOTALL)
#: Opening brackets become 1, closing ones -1 (as signed bytes), everything else is dropped.
_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


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
        if _too_deep(bytes(body)):
            why = f"the JSON body is nested deeper than {MAX_JSON_DEPTH} levels"
            await error_response(400, "json_too_deep", why)(scope, receive, send)
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


def json_depth(body: bytes) -> int:
    """How deeply arrays and objects nest in ``body`` (brackets inside strings do not
    count), without parsing: linear in C loops, so any depth and any malformed body is safe
    to measure."""
    steps = array("b", _STRING.sub(b"", body).translate(_STEPS, _NOT_BRACKETS))
    return max(itertools.accumulate(steps), default=0)


def _too_deep(body: bytes) -> bool:
    if body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH:
        return False  # too few brackets to nest that deep: not worth measuring
    return json_depth(body) > MAX_JSON_DEPTH


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
