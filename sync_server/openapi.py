"""Shared OpenAPI declarations: the error responses every route may give, and the parts of
the tus routes' contract that FastAPI cannot infer (the ``Tus-Resumable`` request header,
the response headers, the blob hash's pattern), so the served document is the API that
``schemathesis run --checks all`` exercises."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI, Path
from starlette.convertors import Convertor, register_url_convertor

from fieldcheck.protocol.errors import ErrorBody

_ERROR = {"model": ErrorBody}

#: Error statuses any authenticated JSON route may answer, documented with their body.
ERRORS: dict[int | str, dict[str, Any]] = {
    400: _ERROR,
    401: _ERROR,
    403: _ERROR,
    404: _ERROR,
    409: _ERROR,
    413: _ERROR,
    422: _ERROR,
    429: _ERROR,
    507: _ERROR,
}

TUS_VERSION = "1.0.0"
SHA256_PATTERN = r"^[0-9a-f]{64}$"


class Sha256Convertor(Convertor[str]):
    """``{sha256:sha256}`` in a route's path matches a blob hash only, so ``/v1/blobs/check``
    is never taken for a hash (a GET there is 405, not a bad hash) and anything else is 404."""

    regex = "[0-9a-f]{64}"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("sha256", Sha256Convertor())

#: A blob's SHA-256 in a path (routed by ``{sha256:sha256}``), documented with its pattern.
Sha256Path = Annotated[
    str,
    Path(
        description="the blob's SHA-256, 64 lowercase hex digits",
        json_schema_extra={"pattern": SHA256_PATTERN},
    ),
]


def _header(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "schema": schema}


_INTEGER = {"type": "integer", "minimum": 0}
TUS_RESUMABLE_HEADER = {"Tus-Resumable": _header("the tus version", {"type": "string"})}
UPLOAD_STATE_HEADERS = {
    **TUS_RESUMABLE_HEADER,
    "Upload-Offset": _header("bytes committed so far (the resume point)", _INTEGER),
    "Upload-Length": _header("the blob's length", _INTEGER),
}

_BASE64 = r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?"
UPLOAD_CHECKSUM_PATTERN = rf"^(?:sha1|sha256|md5) {_BASE64}$"
OFFSET_STREAM = "application/offset+octet-stream"
#: A PATCH carries the chunk's bytes as ``application/offset+octet-stream``.
CHUNK_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {OFFSET_STREAM: {"schema": {"type": "string", "format": "binary"}}},
    }
}

#: Every tus request but OPTIONS names the protocol version (tus 1.0): another value is
#: answered 412 with ``Tus-Version``, as tus requires (none at all: 400).
TUS_REQUEST: dict[str, Any] = {
    "parameters": [
        {
            "name": "Tus-Resumable",
            "in": "header",
            "required": True,
            "description": f"the tus protocol version, {TUS_VERSION}; others are answered 412",
            "schema": {"type": "string", "enum": [TUS_VERSION]},
        }
    ]
}


def install(app: FastAPI) -> None:
    """Serve the document FastAPI builds, with one correction: a header or query parameter
    is text or absent, never JSON ``null`` (FastAPI documents optional ones as
    ``anyOf: [..., {"type": "null"}]``, which invites clients to send the text ``null``)."""
    build = app.openapi

    def document() -> dict[str, Any]:
        if app.openapi_schema is None:
            for path in build().get("paths", {}).values():
                for operation in path.values():
                    for parameter in operation.get("parameters", []):
                        if parameter.get("in") in ("header", "query"):
                            _drop_null(parameter.get("schema", {}))
        return app.openapi_schema or build()

    app.openapi = document  # type: ignore[method-assign]


def _drop_null(schema: dict[str, Any]) -> None:
    options = schema.get("anyOf")
    if not isinstance(options, list):
        return
    kept = [option for option in options if option != {"type": "null"}]
    if len(kept) == 1:
        del schema["anyOf"]
        schema.update(kept[0])
    else:
        schema["anyOf"] = kept
