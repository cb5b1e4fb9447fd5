"""The server's log: one structured line per request, and every other record of the process
(ours and uvicorn's) in the same format on stderr.

A request line has the method, the route's path *template* (``/v1/uploads/{sha256}``, never
the concrete path or the query), the status, the duration in milliseconds, the user id when
the request was signed in, and a request id (the client's ``X-Request-ID`` when it is a plain
short token, else a new one; it is sent back in the response's ``X-Request-ID``). Headers,
bodies, tokens and passwords are never read here, so they cannot reach the log.

``FIELDCHECK_LOG_LEVEL`` (default INFO) and ``FIELDCHECK_LOG_FORMAT`` (``text``: key=value
pairs, the default; ``json``: one JSON object a line) choose what is written and how.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any, TextIO

from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = b"x-request-id"
_GIVEN_ID = re.compile(rb"[A-Za-z0-9._-]{1,64}")

requests_log = logging.getLogger("sync_server.requests")
_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request being served in this context, if any."""
    return _request_id.get()


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record logged while a request is served."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    fields: dict[str, Any] = dict(getattr(record, "fields", None) or {})
    request_id = getattr(record, "request_id", None)
    if request_id is not None:
        fields.setdefault("request_id", request_id)
    return fields


def _utc_time(record: logging.LogRecord) -> str:
    moment = dt.datetime.fromtimestamp(record.created, dt.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the record's fields, and the
    traceback as ``exception``."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": _utc_time(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_fields(record),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def _value(value: Any) -> str:
    if value is None:
        return "-"
    text = str(value)
    if not text or any(c.isspace() or c in '"=' for c in text):
        return json.dumps(text, ensure_ascii=False)
    return text


class KeyValueFormatter(logging.Formatter):
    """``time level logger message key=value…``; a traceback follows on its own lines."""

    def format(self, record: logging.LogRecord) -> str:
        pairs = " ".join(f"{key}={_value(value)}" for key, value in _fields(record).items())
        line = f"{_utc_time(record)} {record.levelname} {record.name} {record.getMessage()}"
        line = f"{line} {pairs}" if pairs else line
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class ServerLogHandler(logging.StreamHandler[TextIO]):
    """The server's stderr handler (a subclass so that a second set-up replaces it)."""


def configure_logging(level: str, log_format: str) -> logging.Handler:
    """Send every record at ``level`` or above to stderr in ``log_format``; replaces the
    handler an earlier call installed. Returns the handler."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, ServerLogHandler)]:
        root.removeHandler(old)
    handler = ServerLogHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else KeyValueFormatter())
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)
    root.setLevel(level.upper())
    return handler


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers") or []:
        if key.lower() == name:
            return bytes(value)
    return None


#: ``{sha256:sha256}`` in a route's path: the parameter and the convertor that matches it.
_CONVERTOR = re.compile(r"\{(\w+):\w+\}")


def _route_template(scope: Scope) -> str | None:
    """The path template of the route that served the request; None when no route was
    chosen (a 404, or a request refused before routing: a body too large, text that cannot
    be stored)."""
    path = getattr(scope.get("route"), "path", None)
    return _CONVERTOR.sub(r"{\1}", path) if isinstance(path, str) else None


def _user_id(scope: Scope) -> Any:
    state = scope.get("state")
    return state.get("user_id") if isinstance(state, Mapping) else None


class RequestLogMiddleware:
    """Logs one line per HTTP request when its response has been sent (or has failed)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = _header(scope, REQUEST_ID_HEADER)
        request_id = given.decode() if given and _GIVEN_ID.fullmatch(given) else uuid.uuid4().hex
        _request_id.set(request_id)
        scope.setdefault("state", {})
        started = time.perf_counter()
        status = 500  # what the server error handler answers when the app raises first

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [*message.get("headers", []), (REQUEST_ID_HEADER, request_id.encode())]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            requests_log.info(
                "request",
                extra={
                    "fields": {
                        "method": scope["method"],
                        "path": _route_template(scope),
                        "status": status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                        "user_id": _user_id(scope),
                    }
                },
            )
