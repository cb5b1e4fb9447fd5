"""Shared OpenAPI declarations: the error responses every route may give."""

from __future__ import annotations

from typing import Any

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
